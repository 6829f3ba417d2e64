"""What a new user trips over on the command line: one line saying what is wrong and what to
do, a non-zero exit code, never a traceback (and never a database started by accident)."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from graph.embedded import free_port
from tokenwatch.inputs import InputError, open_text, sniff


def tw(*args: str, env: dict[str, str] | None = None, stdin: bytes | None = None,
       cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "TOKENWATCH_"))}
    return subprocess.run(
        [sys.executable, "-m", "tokenwatch", *args], input=stdin.decode() if stdin else None,
        capture_output=True, text=True, timeout=120, check=False, env={**base, **(env or {})},
        cwd=cwd,
    )


def one_error_line(proc: subprocess.CompletedProcess[str]) -> str:
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert "Traceback" not in proc.stderr, proc.stderr
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def test_missing_input_file_is_one_line(tmp_path: Path) -> None:
    proc = tw("ingest", str(tmp_path / "nosuch.jsonl"))
    assert proc.returncode == 2
    assert "nosuch.jsonl: no such file" in one_error_line(proc)


def test_malformed_neo4j_uri_is_one_line() -> None:
    proc = tw("keys", "list", env={"NEO4J_URI": "localhost:7687"})
    assert proc.returncode == 2
    line = one_error_line(proc)
    assert "NEO4J_URI" in line and "bolt://" in line


def test_unreachable_neo4j_fails_within_the_connect_timeout() -> None:
    port = free_port()  # nothing listens there
    proc = tw("keys", "list", env={"NEO4J_URI": f"bolt://127.0.0.1:{port}",
                                   "TOKENWATCH_NEO4J_CONNECT_TIMEOUT_S": "1"})
    assert proc.returncode == 2
    line = one_error_line(proc)
    assert "not reachable after 1s" in line and "NEO4J_URI" in line


def test_keys_create_without_a_running_service_starts_no_database(tmp_path: Path) -> None:
    home = tmp_path / "neo4j"
    proc = tw("keys", "create", "--role", "admin", "--owner", "me",
              env={"TOKENWATCH_NEO4J_HOME": str(home)})
    assert proc.returncode == 2
    assert "tokenwatch up" in one_error_line(proc)
    assert not home.exists()  # nothing was launched, not even a store directory


def test_up_with_the_api_port_taken_says_so_before_starting_anything(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        proc = tw("up", "--port", str(port), env={"TOKENWATCH_NEO4J_HOME": str(tmp_path / "n")},
                  cwd=tmp_path)
    assert proc.returncode == 2
    line = one_error_line(proc)
    assert f"API port {port}" in line and "TOKENWATCH_API_PORT" in line
    assert not (tmp_path / "n").exists()


# --- encodings: GBK is read as GBK, never as replacement characters --------------------

GBK_LINE = '{"id": "g1", "text": "国家数据局表示，我国日均Token消耗量突破30万亿。"}\n'


def test_gbk_file_is_decoded_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "gbk.jsonl"
    path.write_bytes(GBK_LINE.encode("gbk"))
    warn = io.StringIO()
    with open_text(str(path), warn=warn) as fh:
        text = fh.read()
    assert text == GBK_LINE and "\ufffd" not in text
    assert "GB18030" in warn.getvalue() and "gbk.jsonl" in warn.getvalue()


def test_utf8_with_bom_and_undecodable_bytes() -> None:
    assert sniff("\ufeff{}".encode(), "f", complete=True).encoding == "utf-8-sig"
    with pytest.raises(InputError, match=r"f: not UTF-8 \(byte 0xff at offset 3, line 2\)"):
        sniff(b"{}\n\xff\xfe\xfa", "f", complete=True)


def test_extract_reads_a_gbk_file_as_chinese(tmp_path: Path) -> None:
    path = tmp_path / "gbk.jsonl"
    path.write_bytes(GBK_LINE.encode("gbk"))
    proc = tw("extract", str(path))
    assert proc.returncode == 0, proc.stderr
    assert '"lang":"zh"' in proc.stdout and '"id":"nda"' in proc.stdout
    assert "read as GB18030" in proc.stderr


def test_bolt_port_taken_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        proc = tw("neo4j", "start", env={"TOKENWATCH_NEO4J_HOME": str(tmp_path / "n"),
                                         "TOKENWATCH_NEO4J_PORT": str(port)})
    assert proc.returncode != 0
    line = one_error_line(proc)
    assert f"Bolt port {port}" in line and "TOKENWATCH_NEO4J_PORT" in line
