"""Duplicate detection on a labelled set of syndicated copies and same-topic reports.

The set (tests/hardening/fixtures/syndication.yaml) has, per topic, an original body and
independent reports on the same facts. Copies are built from each original the way portals
syndicate wire copy: a disclaimer or source line appended, a byline prepended, the last
paragraph dropped, a new headline put over (and into) the body, and byline + disclaimer.
Pairs: original~copy (and copy~copy) are duplicates; original~other, copy~other,
other~other and every cross-topic pair are not.

Prints precision, recall and F1 of: simhash alone (≤ NEAR_DUPLICATE_DISTANCE bits), MinHash
`same_story` alone, and the rule ingest uses (either).

Run: .venv/bin/python bench/dedupe_eval.py [--set FILE]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawlers.dedupe import (
    NEAR_DUPLICATE_DISTANCE,
    hamming,
    minhash,
    same_story,
    simhash64,
)
from nlp.evaluate import Score as PRF

DEFAULT_SET = Path(__file__).resolve().parent.parent / "tests/hardening/fixtures/syndication.yaml"


@dataclass(frozen=True)
class Doc:
    topic: str
    kind: str  # original | copy:<how> | other
    text: str


def _latin(text: str) -> bool:
    return sum(c.isascii() for c in text) > len(text) / 2


def build_docs(data: dict[str, Any]) -> list[Doc]:
    docs: list[Doc] = []
    for topic in data["topics"]:
        paras: list[str] = topic["original"]
        body = "\n".join(paras)
        en = _latin(body)
        disclaimers = [d for d in data["disclaimers"] if _latin(d) == en]
        bylines = [b for b in data["bylines"] if _latin(b) == en]
        tid = topic["id"]
        docs.append(Doc(tid, "original", body))
        for i, line in enumerate(disclaimers):
            docs.append(Doc(tid, f"copy:disclaimer{i}", f"{body}\n{line}"))
        docs.append(Doc(tid, "copy:byline", f"{bylines[0]}\n{body}"))
        if len(paras) > 1:
            docs.append(Doc(tid, "copy:trimmed", "\n".join(paras[:-1])))
        docs.append(Doc(tid, "copy:new-title", f"{topic['new_title']}\n{body}"))
        docs.append(Doc(tid, "copy:byline+disclaimer", f"{bylines[-1]}\n{body}\n{disclaimers[-1]}"))
        docs.extend(Doc(tid, "other", text) for text in topic["others"])
    return docs


def is_duplicate(a: Doc, b: Doc) -> bool:
    """The label: two renderings of one original body."""
    return a.topic == b.topic and a.kind != "other" and b.kind != "other"


Rule = Callable[[str, str], bool]


def by_simhash(a: str, b: str) -> bool:
    return hamming(simhash64(a), simhash64(b)) <= NEAR_DUPLICATE_DISTANCE


def by_minhash(a: str, b: str) -> bool:
    ma, mb = minhash(a), minhash(b)
    return ma is not None and mb is not None and same_story(ma, mb)


def either(a: str, b: str) -> bool:
    return by_simhash(a, b) or by_minhash(a, b)


RULES: dict[str, Rule] = {"simhash": by_simhash, "minhash": by_minhash, "ingest rule": either}


@dataclass
class Score(PRF):
    """The extractor's precision/recall/F1 counters, plus true negatives."""

    tn: int = 0


def score(docs: list[Doc], rule: Rule) -> tuple[Score, list[tuple[Doc, Doc]]]:
    tp = fp = fn = tn = 0
    wrong: list[tuple[Doc, Doc]] = []
    for a, b in itertools.combinations(docs, 2):
        truth, said = is_duplicate(a, b), rule(a.text, b.text)
        tp += truth and said
        fn += truth and not said
        fp += said and not truth
        tn += not truth and not said
        if truth != said:
            wrong.append((a, b))
    return Score(tp, fp, fn, tn), wrong


def evaluate(path: Path = DEFAULT_SET) -> dict[str, Score]:
    docs = build_docs(yaml.safe_load(path.read_text(encoding="utf-8")))
    return {name: score(docs, rule)[0] for name, rule in RULES.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    args = parser.parse_args()
    docs = build_docs(yaml.safe_load(args.set.read_text(encoding="utf-8")))
    dup_pairs = sum(is_duplicate(a, b) for a, b in itertools.combinations(docs, 2))
    print(f"{len(docs)} documents, {dup_pairs} duplicate pairs, "
          f"{len(docs) * (len(docs) - 1) // 2 - dup_pairs} non-duplicate pairs")
    for name, rule in RULES.items():
        s, wrong = score(docs, rule)
        print(f"{name:12s} precision={s.precision:.3f} recall={s.recall:.3f} f1={s.f1:.3f} "
              f"(tp={s.tp} fp={s.fp} fn={s.fn})")
        if name == "ingest rule":
            for a, b in wrong[:10]:
                print(f"   missed/false: {a.topic} {a.kind} ~ {b.topic} {b.kind}")


if __name__ == "__main__":
    main()
