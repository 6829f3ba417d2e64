"""Builds `zh.jsonl` and `en.jsonl` from the hand-written passages in `passages_zh.py` and
`passages_en.py`, here and in `../heldout/`. Offsets are computed here with `str.find`, never
by hand.

Entity spec "type:surface=id" (type c/a/m/p; id "-" = an unseen name, gold id null): every
occurrence of the surface is gold, except where it lies inside a longer gold surface.
Metric spec (kind v/p/c, value, period, currency, side, subject, as_of).
Risk spec (category, substring of the evidence sentence).

Run: .venv/bin/python tests/nlp/devset/build.py
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

HERE = Path(__file__).parent
TYPES = {"c": "company", "a": "agency", "m": "model", "p": "policy"}
KINDS = {"v": "token_volume", "p": "token_price", "c": "price_change"}
CATS = {
    "pol": "policy_regulatory",
    "tech": "technology_shortfall",
    "adopt": "adoption_shortfall",
    "mkt": "market_sentiment",
}


def _occurrences(text: str, surface: str) -> list[int]:
    out, i = [], text.find(surface)
    while i >= 0:
        out.append(i)
        i = text.find(surface, i + 1)
    return out


def entities(pid: str, text: str, specs: list[str]) -> list[dict]:
    parsed = []
    for spec in specs:
        head, ident = spec.rsplit("=", 1)
        typ, surface = head.split(":", 1)
        parsed.append((TYPES[typ], surface, None if ident == "-" else ident))
    spans: list[dict] = []
    for typ, surface, ident in sorted(parsed, key=lambda p: -len(p[1])):
        found = _occurrences(text, surface)
        if not found:
            raise SystemExit(f"{pid}: entity {surface!r} not in text")
        for start in found:
            end = start + len(surface)
            if any(s["start"] < end and start < s["end"] for s in spans):
                continue
            spans.append({"type": typ, "text": surface, "start": start, "end": end, "id": ident})
    return sorted(spans, key=lambda s: s["start"])


def metric(pid: str, spec: tuple) -> dict:
    kind, value, period, currency, side, subject, as_of = spec
    return {
        "kind": KINDS[kind],
        "value": value,
        "period": period,
        "currency": currency,
        "side": side,
        "subject": subject,
        "as_of": as_of,
    }


def risk(pid: str, text: str, spec: tuple[str, str]) -> dict:
    cat, sub = spec
    start = text.find(sub)
    if start < 0:
        raise SystemExit(f"{pid}: risk evidence {sub!r} not in text")
    return {"category": CATS[cat], "text": sub, "start": start, "end": start + len(sub)}


def build(module: str, out: Path) -> int:
    spec = importlib.util.spec_from_file_location(module, out.parent / f"{module}.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    seen = set()
    with out.open("w", encoding="utf-8") as fh:
        for p in mod.PASSAGES:
            pid, pub, text, ents, mets, risks = p
            if pid in seen:
                raise SystemExit(f"duplicate id {pid}")
            seen.add(pid)
            record = {
                "id": pid,
                "lang": mod.LANG,
                "published_at": pub,
                "text": text,
                "entities": entities(pid, text, ents),
                "metrics": [metric(pid, m) for m in mets],
                "risks": [risk(pid, text, r) for r in risks],
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(seen)


if __name__ == "__main__":
    for folder in (HERE, HERE.parent / "heldout"):
        n_zh = build("passages_zh", folder / "zh.jsonl")
        n_en = build("passages_en", folder / "en.jsonl")
        print(f"{folder.name}: zh {n_zh} passages, en {n_en} passages")
