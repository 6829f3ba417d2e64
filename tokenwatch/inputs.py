"""Opening the CLI's input files: the encoding is sniffed, never guessed by replacement.

JSONL is meant to be UTF-8, but files exported on Chinese Windows desktops are often GBK
(GB18030 is its superset). Reading those as UTF-8 with `errors="replace"` turns every Chinese
character into U+FFFD, which then "detects" as English and extracts nothing, silently. Here a
file is UTF-8 (a BOM is dropped), or GB18030 when its first chunk is not UTF-8 but decodes
cleanly as GB18030 (the caller is told), or refused with the offset of the first bad byte.

A UTF-8 file with a few broken lines stays UTF-8: at least as many of its non-ASCII lines
decode as UTF-8 as do not. It is read with errors="surrogateescape", so each broken line is
reported by the line parser (`line N: invalid UTF-8 at byte K`) and skipped, never replaced.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, TextIO

from tokenwatch.errors import TokenwatchError

SNIFF_BYTES = 64 * 1024


class InputError(TokenwatchError):
    """An input file is missing, unreadable or in an encoding we do not read."""


@dataclass(frozen=True)
class Sniffed:
    encoding: str  # a Python codec name: "utf-8-sig" or "gb18030"
    note: str | None = None  # what the caller should tell the user, if anything


def _decodes(data: bytes, encoding: str, final: bool) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)("strict").decode(data, final)
    except UnicodeDecodeError:
        return False
    return True


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _mostly_utf8(head: bytes, complete: bool) -> bool:
    """At least as many non-ASCII lines decode as UTF-8 as do not (and at least one does)."""
    lines = head.split(b"\n")
    if not complete:
        lines = lines[:-1]  # the last line may be cut mid-character
    good = bad = 0
    for line in lines:
        if line.isascii():
            continue
        if _decodes(line, "utf-8-sig", True):
            good += 1
        else:
            bad += 1
    return good > 0 and good >= bad


def sniff(head: bytes, name: str, complete: bool = False) -> Sniffed:
    """The encoding of a file from its first bytes (`complete`: they are the whole file)."""
    if _decodes(head, "utf-8-sig", complete) or _mostly_utf8(head, complete):
        return Sniffed("utf-8-sig")
    if _decodes(head, "gb18030", complete) and _has_cjk(
        codecs.getincrementaldecoder("gb18030")("strict").decode(head, False)
    ):
        return Sniffed("gb18030", f"{name}: not UTF-8; read as GB18030 (GBK)")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = head[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{name}: not UTF-8 (byte 0x{head[exc.start]:02x} at offset {exc.start}, "
            f"line {line}) and not GBK either; convert it to UTF-8 "
            "(e.g. iconv -f <encoding> -t UTF-8)"
        ) from None
    raise InputError(f"{name}: not UTF-8")  # pragma: no cover - utf-8-sig already accepted it


class _Peeked(io.RawIOBase):
    """A binary stream with its first bytes put back."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buf: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buf), len(self._head))
            buf[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        chunk = self._rest.read(len(buf))
        buf[: len(chunk)] = chunk
        return len(chunk)


def text_stream(raw: BinaryIO, name: str, warn: TextIO | None = None) -> TextIO:
    head = raw.read(SNIFF_BYTES)
    complete = len(head) < SNIFF_BYTES
    found = sniff(head, name, complete)
    if found.note and warn is not None:
        warn.write(f"warning: {found.note}\n")
    buffered = io.BufferedReader(_Peeked(head, raw))
    # bytes that do not decode survive as lone surrogates: the line parser reports and skips
    # that line (`invalid UTF-8 at byte K`) instead of the whole read failing mid-file
    return io.TextIOWrapper(
        buffered, encoding=found.encoding, errors="surrogateescape", newline=None
    )


@contextlib.contextmanager
def open_text(path: str, warn: TextIO | None = None) -> Iterator[TextIO]:
    """The file (or stdin for "-") as text in its sniffed encoding; InputError if missing."""
    if path == "-":
        yield text_stream(sys.stdin.buffer, "stdin", warn)
        return
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    with fh:
        yield text_stream(fh, path, warn)
