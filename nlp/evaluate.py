"""Scores the extractor against the annotated dev set (`tests/nlp/devset/*.jsonl`).

Entities match on type + exact span, and on the id when the gold id is a KB id (an unseen gold
name must be predicted as not from the KB). Metrics match on kind + value within 1% + period,
currency and side; subject accuracy is over matched metrics. Risks match on category +
overlapping sentence span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import orjson

from nlp.extractor import DocInput, Extractor
from nlp.types import Extraction

DEFAULT_DEVSET = Path(__file__).resolve().parent.parent / "tests" / "nlp" / "devset"


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


@dataclass
class EvalReport:
    passages: int = 0
    entities: dict[str, Score] = field(default_factory=dict)
    metrics: Score = field(default_factory=Score)
    subject_correct: int = 0
    as_of_correct: int = 0
    risks: Score = field(default_factory=Score)
    errors: list[str] = field(default_factory=list)

    @property
    def entities_all(self) -> Score:
        total = Score()
        for s in self.entities.values():
            total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
        return total

    @property
    def subject_accuracy(self) -> float:
        return self.subject_correct / self.metrics.tp if self.metrics.tp else 1.0

    @property
    def as_of_accuracy(self) -> float:
        return self.as_of_correct / self.metrics.tp if self.metrics.tp else 1.0


def load_devset(path: Path | None = None) -> list[dict]:
    path = path or DEFAULT_DEVSET
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    return [
        orjson.loads(line) for f in files for line in f.read_bytes().splitlines() if line.strip()
    ]


def _entity_ok(gold: dict, pred: dict) -> bool:
    if (gold["type"], gold["start"], gold["end"]) != (pred["type"], pred["start"], pred["end"]):
        return False
    return pred["id"] == gold["id"] if gold["id"] else not pred["kb"]


def _score_entities(pid: str, gold: list[dict], pred: list[dict], report: EvalReport) -> None:
    used: set[int] = set()
    for g in gold:
        score = report.entities.setdefault(g["type"], Score())
        hit = next((i for i, p in enumerate(pred) if i not in used and _entity_ok(g, p)), None)
        if hit is None:
            score.fn += 1
            report.errors.append(f"{pid}: FN entity {g['type']} {g['text']!r} ({g['id']})")
        else:
            used.add(hit)
            score.tp += 1
    for i, p in enumerate(pred):
        if i not in used:
            report.entities.setdefault(p["type"], Score()).fp += 1
            report.errors.append(f"{pid}: FP entity {p['type']} {p['text']!r} ({p['id']})")


def _fmt_metric(m: dict) -> str:
    return " ".join(str(m[k]) for k in ("kind", "value", "period", "currency", "side"))


def _metric_ok(g: dict, p: dict) -> bool:
    same = all(g[k] == p[k] for k in ("kind", "period", "currency", "side"))
    return same and abs(p["value"] - g["value"]) <= 0.01 * abs(g["value"])


def _score_metrics(pid: str, gold: list[dict], pred: list[dict], report: EvalReport) -> None:
    used: set[int] = set()
    for g in gold:
        hit = next((i for i, p in enumerate(pred) if i not in used and _metric_ok(g, p)), None)
        if hit is None:
            report.metrics.fn += 1
            report.errors.append(f"{pid}: FN metric {_fmt_metric(g)}")
            continue
        used.add(hit)
        report.metrics.tp += 1
        p = pred[hit]
        report.subject_correct += p["subject"] == g["subject"]
        report.as_of_correct += p["as_of"] == g["as_of"]
        if p["subject"] != g["subject"]:
            report.errors.append(
                f"{pid}: subject {p['subject']!r} != gold {g['subject']!r} "
                f"({g['kind']} {g['value']})"
            )
        if p["as_of"] != g["as_of"]:
            report.errors.append(
                f"{pid}: as_of {p['as_of']!r} != gold {g['as_of']!r} ({g['kind']} {g['value']})"
            )
    for i, p in enumerate(pred):
        if i not in used:
            report.metrics.fp += 1
            report.errors.append(f"{pid}: FP metric {_fmt_metric(p)}")


def _score_risks(pid: str, gold: list[dict], pred: list[dict], report: EvalReport) -> None:
    used: set[int] = set()
    for g in gold:
        hit = next(
            (
                i
                for i, p in enumerate(pred)
                if i not in used
                and p["category"] == g["category"]
                and p["start"] < g["end"]
                and g["start"] < p["end"]
            ),
            None,
        )
        if hit is None:
            report.risks.fn += 1
            report.errors.append(f"{pid}: FN risk {g['category']} {g['text'][:40]!r}")
        else:
            used.add(hit)
            report.risks.tp += 1
    for i, p in enumerate(pred):
        if i not in used:
            report.risks.fp += 1
            report.errors.append(f"{pid}: FP risk {p['category']} {p['text'][:40]!r}")


def score(gold: dict, ex: Extraction, report: EvalReport) -> None:
    pid = gold["id"]
    report.passages += 1
    _score_entities(pid, gold["entities"], [e.model_dump() for e in ex.entities], report)
    _score_metrics(pid, gold["metrics"], [m.model_dump() for m in ex.metrics], report)
    _score_risks(pid, gold["risks"], [r.model_dump() for r in ex.risks], report)


def evaluate(path: Path | None = None) -> EvalReport:
    gold = load_devset(path)
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
    return f"{name:<14} {prf}  (tp={s.tp} fp={s.fp} fn={s.fn})"


def render(report: EvalReport, max_errors: int | None = None) -> str:
    """The report as text; `max_errors` caps the listed errors (None lists all)."""
    lines = [f"passages: {report.passages}"]
    lines += [_row(f"entity/{t}", s) for t, s in sorted(report.entities.items())]
    lines.append(_row("entities", report.entities_all))
    lines.append(_row("metrics", report.metrics))
    lines.append(
        f"subject accuracy {report.subject_accuracy:.3f}  "
        f"as_of accuracy {report.as_of_accuracy:.3f} (over {report.metrics.tp} matched metrics)"
    )
    lines.append(_row("risks", report.risks))
    lines.append(f"errors ({len(report.errors)}):")
    shown = report.errors if max_errors is None else report.errors[:max_errors]
    lines += [f"  {e}" for e in shown]
    if len(shown) < len(report.errors):
        lines.append(f"  … {len(report.errors) - len(shown)} more")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(evaluate()))
