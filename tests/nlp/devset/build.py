"""Builds one JSONL file per passage module (`passages_<name>.py` → `<name>.jsonl`) here, in
`../heldout/` and in `../heldout_real/`, from the hand-written passages. Offsets are computed
here with `str.find`, never by hand.

Passage tuple: (id, published_at, text, entity specs, metric specs, risk specs[, forms]).
Entity spec "type:surface=id" (type c/a/m/p; id "-" = an unseen name, gold id null): every
occurrence of the surface is gold, except where it lies inside a longer gold surface.
Metric spec (kind v/p/c, value, period, currency, side, subject, as_of[, condition]); side may be
"cached_input"; condition names the tariff a price belongs to: "off_peak", "peak", "batch",
"thinking" (reasoning-mode output), or a context
tier named by its upper bound ("context<=32k", "context<=128k") or, for the open top tier, its
lower bound ("context>200k"). Ranges give their lower bound; "a year ago" figures are separate,
earlier observations; comparisons with another product are not price changes.
Risk spec (category, substring of the evidence sentence).
forms: the form categories of issue 12 the passage exercises (scripts, numbers, periods,
prices, price_changes, attribution, distractors, entities, risks).
Module constants: LANG ("zh"/"en", passed to the extractor), VARIANT ("zh-Hans", "zh-Hant",
"en"; defaults from LANG), ORIGIN ("own" for passages written before issue 12, "real-form" for
passages modelled on forms seen in real published text).

Run: .venv/bin/python tests/nlp/devset/build.py
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

HERE = Path(__file__).parent
TYPES = {"c": "company", "a": "agency", "m": "model", "p": "policy"}
KINDS = {"v": "token_volume", "p": "token_price", "c": "price_change"}
FORMS = {
    "scripts",
    "numbers",
    "periods",
    "prices",
    "price_changes",
    "attribution",
    "distractors",
    "entities",
    "risks",
}
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
    if len(spec) not in (7, 8):
        raise SystemExit(f"{pid}: metric spec needs 7 or 8 fields, got {spec!r}")
    kind, value, period, currency, side, subject, as_of = spec[:7]
    condition = spec[7] if len(spec) == 8 else None
    return {
        "kind": KINDS[kind],
        "value": value,
        "period": period,
        "currency": currency,
        "side": side,
        "subject": subject,
        "as_of": as_of,
        "condition": condition,
    }


def risk(pid: str, text: str, spec: tuple[str, str]) -> dict:
    cat, sub = spec
    start = text.find(sub)
    if start < 0:
        raise SystemExit(f"{pid}: risk evidence {sub!r} not in text")
    return {"category": CATS[cat], "text": sub, "start": start, "end": start + len(sub)}


def build(module: Path, out: Path) -> int:
    spec = importlib.util.spec_from_file_location(module.stem, module)
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    variant = getattr(mod, "VARIANT", "zh-Hans" if mod.LANG == "zh" else "en")
    origin = getattr(mod, "ORIGIN", "own")
    seen = set()
    with out.open("w", encoding="utf-8") as fh:
        for p in mod.PASSAGES:
            pid, pub, text, ents, mets, risks = p[:6]
            forms = list(p[6]) if len(p) > 6 else []
            if pid in seen:
                raise SystemExit(f"duplicate id {pid}")
            if unknown := set(forms) - FORMS:
                raise SystemExit(f"{pid}: unknown forms {sorted(unknown)}")
            seen.add(pid)
            record = {
                "id": pid,
                "lang": mod.LANG,
                "variant": variant,
                "origin": origin,
                "forms": forms,
                "published_at": pub,
                "text": text,
                "entities": entities(pid, text, ents),
                "metrics": [metric(pid, m) for m in mets],
                "risks": [risk(pid, text, r) for r in risks],
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(seen)


if __name__ == "__main__":
    ids: dict[str, str] = {}
    for folder in (HERE, HERE.parent / "heldout", HERE.parent / "heldout_real"):
        counts = []
        for module in sorted(folder.glob("passages_*.py")):
            out = folder / f"{module.stem.removeprefix('passages_')}.jsonl"
            counts.append(f"{out.stem} {build(module, out)}")
            for line in out.read_text(encoding="utf-8").splitlines():
                pid = json.loads(line)["id"]
                if pid in ids:
                    raise SystemExit(f"id {pid} in both {ids[pid]} and {out}")
                ids[pid] = str(out)
        print(f"{folder.name}: " + ", ".join(counts) + " passages")
