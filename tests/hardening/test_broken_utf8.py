"""Issue 10 item 8: a line with bytes that are not UTF-8 is reported as
`line N: invalid UTF-8 at byte K` and skipped; the other lines still run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from graph.settings import Neo4jSettings

GOOD_1 = '{"id": "ok-1", "text": "DeepSeek cut prices to $0.27 per million tokens.", "lang": "en"}'
# byte 25 of the line is 0xFF: never valid in UTF-8
BROKEN = b'{"id": "bad", "text": "\xe4\xb8\xad\xff\xe6\x96\x87"}'
GOOD_3 = '{"id": "ok-3", "text": "阿里云宣布通义千问降价。", "published_at": "2025-07-01"}'
PAYLOAD = GOOD_1.encode() + b"\n" + BROKEN + b"\n" + GOOD_3.encode("utf-8") + b"\n"
BAD_BYTE = BROKEN.index(b"\xff") + 1  # counted from 1


def cli(args: list[str], stdin: bytes | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "tokenwatch", *args], input=stdin,
                          capture_output=True, timeout=300, check=False,
                          env={**os.environ, **(env or {})})


def test_unit_message_names_the_byte() -> None:
    from nlp.jsonl import parse_line

    with pytest.raises(ValueError, match=f"invalid UTF-8 at byte {BAD_BYTE}$"):
        parse_line(BROKEN.decode("utf-8", "surrogateescape"))


@pytest.mark.parametrize("from_file", [False, True])
def test_extract_reports_and_skips_the_broken_line(tmp_path: Path, from_file: bool) -> None:
    if from_file:
        path = tmp_path / "docs.jsonl"
        path.write_bytes(PAYLOAD)
        proc = cli(["extract", str(path)])
    else:
        proc = cli(["extract", "-"], stdin=PAYLOAD)
    ids = [orjson.loads(line)["id"] for line in proc.stdout.splitlines()]
    assert ids == ["ok-1", "ok-3"]
    assert proc.returncode == 1
    stderr = proc.stderr.decode()
    assert f"line 2: invalid UTF-8 at byte {BAD_BYTE}" in stderr
    assert "\ufffd" not in proc.stdout.decode()


@pytest.mark.neo4j
def test_ingest_reports_and_skips_the_broken_line(
    tmp_path: Path, neo4j_settings: Neo4jSettings, empty_graph: object
) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_bytes(PAYLOAD)
    assert neo4j_settings.uri
    proc = cli(["ingest", str(path), "--source", "utf8-test", "--create-source"],
               env={"NEO4J_URI": neo4j_settings.uri})
    stderr = proc.stderr.decode()
    assert f"line 2: skipped: invalid UTF-8 at byte {BAD_BYTE}" in stderr, stderr
    assert "new=2" in proc.stdout.decode() and "bad_lines=1" in proc.stdout.decode()
    assert proc.returncode == 1
