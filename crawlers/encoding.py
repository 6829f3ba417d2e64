"""Decoding fetched bytes to text without losing characters (pure).

Chinese sites often declare the wrong charset, declare it only in <meta>, or declare
GB2312 while using GBK/GB18030-only characters (喆, 镕). Rules:
1. a BOM wins;
2. strict UTF-8 is tried next (GBK text is practically never valid UTF-8, while a UTF-8
   page mislabelled "gbk" would otherwise decode to mojibake without any error);
3. then each declared charset (HTTP header, then <meta>), with every GBK-family label
   decoded as GB18030, its superset;
4. then GB18030 undeclared; single-byte declarations (latin-1, cp1252 …) come last because
   they decode any byte string, so a Chinese page mislabelled latin-1 would never fail;
5. finally the first declared charset with replacement characters (codec name "+replace").
"""

from __future__ import annotations

import codecs
import re

from crawlers.errors import PageError

GBK_FAMILY = frozenset(
    {
        "gbk",
        "gb2312",
        "gb_2312",
        "gb_2312-80",
        "gb18030",
        "x-gbk",
        "cp936",
        "ms936",
        "windows-936",
        "euc-cn",
        "euccn",
        "csgb2312",
        "iso-ir-58",
        "chinese",
    }
)
_META = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.IGNORECASE)
_HEADER = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def normalise_label(label: str | None) -> str | None:
    """Python codec name for a charset label; GBK family → gb18030; unknown → None."""
    if not label:
        return None
    low = label.strip().strip("\"'").lower()
    if low in GBK_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(low).name
    except LookupError:
        return None


def _single_byte(name: str) -> bool:
    return name.startswith(("iso8859", "cp125", "latin", "mac-", "koi8", "cp437", "cp850"))


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _HEADER.search(content_type)
    return m.group(1) if m else None


def declared_charsets(body: bytes, content_type: str | None = None) -> list[str]:
    """Charsets declared for a document, in priority order (header, meta/XML decl), normalised."""
    head = body[:4096]
    labels = [header_charset(content_type)]
    labels += [m.group(1).decode("ascii", "ignore") for m in _META.finditer(head)]
    labels += [m.group(1).decode("ascii", "ignore") for m in _XML_DECL.finditer(head[:200])]
    out: list[str] = []
    for label in labels:
        name = normalise_label(label)
        if name and name not in out:
            out.append(name)
    return out


def decode(
    body: bytes, content_type: str | None = None, hint: str | None = None
) -> tuple[str, str]:
    """(text, codec used). `hint` is the source registry's encoding hint, tried after the
    declarations. Raises PageError("encoding") only if nothing decodes even leniently."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body.decode(name, errors="replace"), name
    declared = declared_charsets(body, content_type)
    multi = [n for n in declared if not _single_byte(n)]
    single = [n for n in declared if _single_byte(n)]
    candidates: list[str | None] = ["utf-8", *multi, normalise_label(hint), "gb18030", *single]
    tried: list[str] = []
    for codec in candidates:
        if not codec or codec in tried:
            continue
        tried.append(codec)
        try:
            return body.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            continue
    fallback = declared[0] if declared else "utf-8"
    try:
        return body.decode(fallback, errors="replace"), fallback + "+replace"
    except LookupError as exc:  # pragma: no cover - declared names were looked up above
        raise PageError("encoding", f"undecodable body ({', '.join(tried)})") from exc
