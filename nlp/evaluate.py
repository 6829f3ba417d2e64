"""Scores the extractor against annotated passages (`tests/nlp/devset/*.jsonl` by default).

Entities match on type + exact span, and on the id when the gold id is a KB id (an unseen gold
name must be predicted as not from the KB). Metrics match on kind + value within 1% + period,
currency and side, and on the condition (tariff) when the gold gives one; subject and as_of
accuracy are over matched metrics. Risks match on category + overlapping sentence span.

Every figure is reported overall, per type (entity type, metric kind, risk category), per
language variant (zh-Hans, zh-Hant, en) and per form category (the `forms` a passage carries),
with the list of errors.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from nlp.extractor import DocInput, Extractor
from nlp.types import Extraction

DEFAULT_DEVSET = Path(__file__).resolve().parent.parent / "tests" / "nlp" / "devset"
METRIC_KEYS = ("kind", "value", "period", "currency", "side", "condition")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def _total(scores: Iterable[Score]) -> Score:
    total = Score()
    for s in scores:
        total.add(s)
    return total


def _merge(into: dict[str, Score], other: dict[str, Score]) -> None:
    for key, s in other.items():
        into.setdefault(key, Score()).add(s)


@dataclass
class Tally:
    """The counts of one slice of the passages (all, one language, one form category)."""

    passages: int = 0
    entities: dict[str, Score] = field(default_factory=dict)  # by entity type
    metric_kinds: dict[str, Score] = field(default_factory=dict)  # by metric kind
    risk_cats: dict[str, Score] = field(default_factory=dict)  # by risk category
    subject_correct: int = 0
    as_of_correct: int = 0

    @property
    def entities_all(self) -> Score:
        return _total(self.entities.values())

    @property
    def metrics(self) -> Score:
        return _total(self.metric_kinds.values())

    @property
    def risks(self) -> Score:
        return _total(self.risk_cats.values())

    @property
    def subject_accuracy(self) -> float:
        tp = self.metrics.tp
        return self.subject_correct / tp if tp else 1.0

    @property
    def as_of_accuracy(self) -> float:
        tp = self.metrics.tp
        return self.as_of_correct / tp if tp else 1.0

    def add(self, other: Tally) -> None:
        self.passages += other.passages
        _merge(self.entities, other.entities)
        _merge(self.metric_kinds, other.metric_kinds)
        _merge(self.risk_cats, other.risk_cats)
        self.subject_correct += other.subject_correct
        self.as_of_correct += other.as_of_correct

    def summary(self) -> dict[str, Any]:
        return {
            "passages": self.passages,
            "entities": self.entities_all.as_dict(),
            "metrics": self.metrics.as_dict(),
            "subject_accuracy": round(self.subject_accuracy, 4),
            "as_of_accuracy": round(self.as_of_accuracy, 4),
            "risks": self.risks.as_dict(),
        }


@dataclass
class EvalReport(Tally):
    by_language: dict[str, Tally] = field(default_factory=dict)
    by_form: dict[str, Tally] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The figures without the error list (which quotes passage text)."""
        return {
            "overall": self.summary(),
            "by_type": {
                **{f"entity/{k}": s.as_dict() for k, s in sorted(self.entities.items())},
                **{f"metric/{k}": s.as_dict() for k, s in sorted(self.metric_kinds.items())},
                **{f"risk/{k}": s.as_dict() for k, s in sorted(self.risk_cats.items())},
            },
            "by_language": {k: t.summary() for k, t in sorted(self.by_language.items())},
            "by_form": {k: t.summary() for k, t in sorted(self.by_form.items())},
        }


def load_devset(path: Path | None = None, origin: str | None = None) -> list[dict]:
    """The annotated passages of a folder (every `*.jsonl`) or one file; with `origin`, only
    the passages of that origin ("own": written before issue 12, "real-form")."""
    path = path or DEFAULT_DEVSET
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    gold = [
        orjson.loads(line) for f in files for line in f.read_bytes().splitlines() if line.strip()
    ]
    return [g for g in gold if origin is None or g.get("origin", "own") == origin]


def _entity_ok(gold: dict, pred: dict) -> bool:
    if (gold["type"], gold["start"], gold["end"]) != (pred["type"], pred["start"], pred["end"]):
        return False
    return pred["id"] == gold["id"] if gold["id"] else not pred["kb"]


def _score_entities(pid: str, gold: list[dict], pred: list[dict], t: Tally, err: list[str]) -> None:
    used: set[int] = set()
    for g in gold:
        score = t.entities.setdefault(g["type"], Score())
        hit = next((i for i, p in enumerate(pred) if i not in used and _entity_ok(g, p)), None)
        if hit is None:
            score.fn += 1
            err.append(f"{pid}: FN entity {g['type']} {g['text']!r} ({g['id']})")
        else:
            used.add(hit)
            score.tp += 1
    for i, p in enumerate(pred):
        if i not in used:
            t.entities.setdefault(p["type"], Score()).fp += 1
            err.append(f"{pid}: FP entity {p['type']} {p['text']!r} ({p['id']})")


def _fmt_metric(m: dict) -> str:
    return " ".join(str(m.get(k)) for k in METRIC_KEYS)


def _metric_ok(g: dict, p: dict) -> bool:
    same = all(g[k] == p[k] for k in ("kind", "period", "currency", "side"))
    if g.get("condition") is not None and p.get("condition") != g["condition"]:
        return False
    return same and abs(p["value"] - g["value"]) <= 0.01 * abs(g["value"])


def _score_metrics(pid: str, gold: list[dict], pred: list[dict], t: Tally, err: list[str]) -> None:
    used: set[int] = set()
    for g in gold:
        score = t.metric_kinds.setdefault(g["kind"], Score())
        hit = next((i for i, p in enumerate(pred) if i not in used and _metric_ok(g, p)), None)
        if hit is None:
            score.fn += 1
            err.append(f"{pid}: FN metric {_fmt_metric(g)}")
            continue
        used.add(hit)
        score.tp += 1
        p = pred[hit]
        t.subject_correct += p["subject"] == g["subject"]
        t.as_of_correct += p["as_of"] == g["as_of"]
        if p["subject"] != g["subject"]:
            err.append(
                f"{pid}: subject {p['subject']!r} != gold {g['subject']!r} "
                f"({g['kind']} {g['value']})"
            )
        if p["as_of"] != g["as_of"]:
            err.append(
                f"{pid}: as_of {p['as_of']!r} != gold {g['as_of']!r} ({g['kind']} {g['value']})"
            )
    for i, p in enumerate(pred):
        if i not in used:
            t.metric_kinds.setdefault(p["kind"], Score()).fp += 1
            err.append(f"{pid}: FP metric {_fmt_metric(p)}")


def _risk_ok(g: dict, p: dict) -> bool:
    return p["category"] == g["category"] and p["start"] < g["end"] and g["start"] < p["end"]


def _score_risks(pid: str, gold: list[dict], pred: list[dict], t: Tally, err: list[str]) -> None:
    used: set[int] = set()
    for g in gold:
        score = t.risk_cats.setdefault(g["category"], Score())
        hit = next((i for i, p in enumerate(pred) if i not in used and _risk_ok(g, p)), None)
        if hit is None:
            score.fn += 1
            err.append(f"{pid}: FN risk {g['category']} {g['text'][:40]!r}")
        else:
            used.add(hit)
            score.tp += 1
    for i, p in enumerate(pred):
        if i not in used:
            t.risk_cats.setdefault(p["category"], Score()).fp += 1
            err.append(f"{pid}: FP risk {p['category']} {p['text'][:40]!r}")


def variant(gold: dict) -> str:
    """The language variant a passage is reported under (zh-Hans, zh-Hant, en)."""
    if v := gold.get("variant"):
        return str(v)
    return "zh-Hans" if gold.get("lang") == "zh" else str(gold.get("lang") or "unknown")


def score(gold: dict, ex: Extraction, report: EvalReport) -> None:
    """Adds one passage to the report: overall, its language and each of its forms."""
    pid, t = gold["id"], Tally(passages=1)
    _score_entities(pid, gold["entities"], [e.model_dump() for e in ex.entities], t, report.errors)
    _score_metrics(pid, gold["metrics"], [m.model_dump() for m in ex.metrics], t, report.errors)
    _score_risks(pid, gold["risks"], [r.model_dump() for r in ex.risks], t, report.errors)
    report.add(t)
    report.by_language.setdefault(variant(gold), Tally()).add(t)
    for form in gold.get("forms") or ():
        report.by_form.setdefault(form, Tally()).add(t)


def evaluate(path: Path | None = None, origin: str | None = None) -> EvalReport:
    gold = load_devset(path, origin)
    docs = [
        DocInput(id=g["id"], text=g["text"], lang=g.get("lang"), published_at=g.get("published_at"))
        for g in gold
    ]
    report = EvalReport()
    for g, ex in zip(gold, Extractor.get().pipe(docs), strict=True):
        score(g, ex, report)
    return report


def _row(name: str, s: Score) -> str:
    prf = f"P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}"
    return f"{name:<34} {prf}  (tp={s.tp} fp={s.fp} fn={s.fn})"


def _slice_table(title: str, slices: dict[str, Tally]) -> list[str]:
    head = f"{title:<16}{'n':>5}  {'ent F1':>7}{'met F1':>8}{'subj':>7}{'risk F1':>9}"
    lines = [head]
    for name, t in sorted(slices.items()):
        lines.append(
            f"{name:<16}{t.passages:>5}  {t.entities_all.f1:>7.3f}{t.metrics.f1:>8.3f}"
            f"{t.subject_accuracy:>7.3f}{t.risks.f1:>9.3f}"
        )
    return lines


def render(report: EvalReport, max_errors: int | None = None) -> str:
    """The report as text; `max_errors` caps the listed errors (None lists all)."""
    lines = [f"passages: {report.passages}"]
    lines += [_row(f"entity/{t}", s) for t, s in sorted(report.entities.items())]
    lines.append(_row("entities", report.entities_all))
    lines += [_row(f"metric/{k}", s) for k, s in sorted(report.metric_kinds.items())]
    lines.append(_row("metrics", report.metrics))
    lines.append(
        f"subject accuracy {report.subject_accuracy:.3f}  "
        f"as_of accuracy {report.as_of_accuracy:.3f} (over {report.metrics.tp} matched metrics)"
    )
    lines += [_row(f"risk/{c}", s) for c, s in sorted(report.risk_cats.items())]
    lines.append(_row("risks", report.risks))
    if report.by_language:
        lines += ["", *_slice_table("language", report.by_language)]
    if report.by_form:
        lines += ["", *_slice_table("form", report.by_form)]
    lines.append(f"errors ({len(report.errors)}):")
    shown = report.errors if max_errors is None else report.errors[:max_errors]
    lines += [f"  {e}" for e in shown]
    if len(shown) < len(report.errors):
        lines.append(f"  … {len(report.errors) - len(shown)} more")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(evaluate()))
