"""`tokenwatch extract`: the JSONL contract of DESIGN.md, through the real console script."""

from __future__ import annotations

import subprocess
import sys

import orjson

LINES = [
    '{"id": "zh1", "title": "国家数据局发布数据", "text": "国家数据局局长表示，截至2025年6月底，我国日均Token消耗量突破30万亿。", "published_at": "2025-07-01"}',
    '{"id": "broken", "text": ',
    '{"text": "no id here"}',
    '{"id": "en1", "text": "Alibaba Cloud cut the price of its Qwen model by 97% to $0.28 per million input tokens.", "lang": "en"}',
]


def run_extract(stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tokenwatch", "extract", "-"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_extract_writes_the_contract_and_reports_bad_lines_by_number() -> None:
    proc = run_extract("\n".join(LINES) + "\n")
    out = [orjson.loads(line) for line in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == ["zh1", "en1"]
    assert proc.returncode == 1
    assert "line 2" in proc.stderr and "line 3" in proc.stderr
    assert "line 1" not in proc.stderr and "line 4" not in proc.stderr

    zh, en = out
    for doc in out:
        assert set(doc) >= {"id", "lang", "entities", "metrics", "risks"}
        for ent in doc["entities"]:
            assert set(ent) >= {"type", "text", "start", "end", "id"}
        for met in doc["metrics"]:
            assert set(met) >= {
                "kind",
                "value",
                "period",
                "currency",
                "side",
                "subject",
                "subject_text",
                "as_of",
                "start",
                "end",
            }
    assert zh["lang"] == "zh" and en["lang"] == "en"

    joined = "国家数据局发布数据\n\n" + orjson.loads(LINES[0])["text"]
    nda = [e for e in zh["entities"] if e["id"] == "nda"]
    assert nda and all(joined[e["start"] : e["end"]] == e["text"] for e in nda)
    volume = [m for m in zh["metrics"] if m["kind"] == "token_volume"]
    assert [(m["value"], m["period"]) for m in volume] == [(3.0e13, "day")]
    assert "30万亿" in joined[volume[0]["start"] : volume[0]["end"]]

    price = [m for m in en["metrics"] if m["kind"] == "token_price"]
    assert [(m["value"], m["currency"], m["side"]) for m in price] == [(0.28, "USD", "input")]
    change = [m for m in en["metrics"] if m["kind"] == "price_change"]
    assert [m["value"] for m in change] == [-0.97]


def test_extract_of_only_good_lines_exits_zero() -> None:
    proc = run_extract(LINES[3] + "\n")
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 1
