"""A synthetic corpus for the graph/API benchmarks: entities with zh/en names and KB relations,
and articles (zh and en text for the cjk full-text index) with extractions whose mentions
follow a Zipf popularity (the hottest entity is in about 30% of articles), figures and risk
signals — written through the real batched
writer (`graph.writer.build_batch` / `write_batch`), so the benchmark graph has the
production shape (MENTIONS with offsets, REPORTS/ABOUT, SIGNALS/CONCERNS, FROM)."""

from __future__ import annotations

import bisect
import contextlib
import itertools
import random
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from neo4j import Driver

from crawlers.types import Article
from graph import db, writer
from graph.access import Graph
from graph.embedded import embedded_neo4j, free_port
from graph.kb import write_kb
from graph.settings import Neo4jSettings
from nlp.types import Entity, Extraction, Metric, Risk

ZH_WORDS = (
    "人工智能", "大模型", "词元", "调用量", "价格", "下调", "云计算", "算力", "芯片", "监管",
    "政策", "备案", "数据", "安全", "推理", "训练", "开源", "生态", "应用", "企业",
    "用户", "增长", "市场", "竞争", "成本", "收入", "合规", "标准", "开发者", "平台",
)
EN_WORDS = (
    "model", "tokens", "price", "cut", "cloud", "compute", "chip",
    "regulation", "policy", "inference", "training", "open", "source", "ecosystem",
    "enterprise", "users", "growth", "market", "competition", "cost", "revenue",
    "compliance", "developer", "platform", "api", "volume", "daily",
)
KINDS = (("company", 1200), ("model", 500), ("agency", 200), ("policy", 100))
START = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Ent:
    id: str
    kind: str
    name: str
    name_zh: str
    name_en: str
    vendor: str | None = None
    parent: str | None = None
    issuer: str | None = None


def entities(rng: random.Random) -> list[Ent]:
    out: list[Ent] = []
    companies: list[str] = []
    agencies: list[str] = []
    for kind, n in KINDS:
        for i in range(n):
            eid = f"{kind}-{i:04d}"
            zh = "".join(rng.choice(ZH_WORDS)[:1] for _ in range(3)) + f"{i}号"
            en = f"{rng.choice(EN_WORDS).title()}{kind.title()}{i}"
            ent = Ent(
                id=eid, kind=kind, name=zh, name_zh=zh, name_en=en,
                vendor=rng.choice(companies) if kind == "model" else None,
                parent=rng.choice(companies) if kind == "company" and companies and i % 10 == 0
                else None,
                issuer=rng.choice(agencies) if kind == "policy" else None,
            )
            out.append(ent)
            if kind == "company":
                companies.append(eid)
            if kind == "agency":
                agencies.append(eid)
    return out


ZIPF_S = 0.9  # rank r drawn with weight 1/(r+1)^s: the hottest entity is in ~30% of articles


def ranking(ents: list[Ent], seed: int = 3) -> list[Ent]:
    """Entities by popularity, hottest first: a fixed shuffle, with the first model moved to
    rank 1 so the token-volume series also has a hot subject (metrics are about models)."""
    order = list(ents)
    random.Random(seed).shuffle(order)
    first_model = next(i for i, e in enumerate(order) if e.kind == "model")
    order.insert(1, order.pop(first_model))
    return order


@dataclass(frozen=True)
class Popularity:
    """A Zipf law over `ranking(ents)`: `pick` draws k distinct entities."""

    ranked: list[Ent]
    cumulative: list[float]

    @classmethod
    def of(cls, ents: list[Ent], s: float = ZIPF_S) -> Popularity:
        ranked = ranking(ents)
        weights = [1.0 / (r + 1) ** s for r in range(len(ranked))]
        return cls(ranked, list(itertools.accumulate(weights)))

    def pick(self, rng: random.Random, k: int) -> list[Ent]:
        chosen: dict[str, Ent] = {}
        total = self.cumulative[-1]
        while len(chosen) < k:
            idx = bisect.bisect_left(self.cumulative, rng.random() * total)
            ent = self.ranked[min(idx, len(self.ranked) - 1)]
            chosen[ent.id] = ent
        return list(chosen.values())

    def hottest(self, kind: str | None = None) -> Ent:
        return next(e for e in self.ranked if kind is None or e.kind == kind)


def article(rng: random.Random, i: int, pop: Popularity) -> tuple[Article, Extraction]:
    lang = "zh" if i % 3 else "en"
    words = ZH_WORDS if lang == "zh" else EN_WORDS
    mentioned = pop.pick(rng, rng.randint(3, 6))
    sep = "" if lang == "zh" else " "
    parts: list[str] = []
    spans: list[Entity] = []
    pos = 0
    for ent in mentioned:
        filler = sep.join(rng.choice(words) for _ in range(rng.randint(4, 10)))
        surface = ent.name_zh if lang == "zh" else ent.name_en
        chunk = f"{filler}{sep}{surface}{'。' if lang == 'zh' else '. '}"
        start = pos + len(filler) + len(sep)
        spans.append(Entity(type=ent.kind, text=surface, start=start, end=start + len(surface),  # type: ignore[arg-type]
                            id=ent.id, name=ent.name, kb=True))
        parts.append(chunk)
        pos += len(chunk)
    text = "".join(parts)
    published = START + timedelta(minutes=rng.randint(0, 60 * 24 * 700))
    aid = f"art-{i:07d}"
    metrics: list[Metric] = []
    models = [e for e in mentioned if e.kind == "model"]
    if models and rng.random() < 0.5:
        m = models[0]
        day = (published - timedelta(days=rng.randint(0, 3))).date().isoformat()
        if rng.random() < 0.5:
            metrics.append(Metric(kind="token_price", value=round(rng.uniform(0.1, 20), 2),
                                  currency=rng.choice(("CNY", "USD")),
                                  side=rng.choice(("input", "output")), subject=m.id,
                                  as_of=day, start=0, end=5, quote=text[:60]))
        else:
            metrics.append(Metric(kind="token_volume", value=float(rng.randint(1, 900)) * 1e11,
                                  period="day", subject=m.id, as_of=day, start=0, end=5,
                                  quote=text[:60]))
    risks: list[Risk] = []
    if rng.random() < 0.1:
        risks.append(Risk(category=rng.choice(("policy_regulatory", "technology_shortfall",
                                               "adoption_shortfall", "market_sentiment")),
                          text=text[:50], start=0, end=min(50, len(text)),
                          entities=(mentioned[0].id,)))
    art = Article(id=aid, url=f"https://bench.test/{aid}", canonical_url=f"https://bench.test/{aid}",
                  source_id=f"src-{i % 20}", title="", text=text, lang=lang,  # type: ignore[arg-type]
                  published_at=published, fetched_at=published, content_hash=aid)
    return art, Extraction(id=aid, lang=lang, entities=tuple(spans), metrics=tuple(metrics),  # type: ignore[arg-type]
                           risks=tuple(risks))


def write_entities(driver: Driver, ents: list[Ent]) -> None:
    write_kb(Graph(driver), ents)
    writer.write_sources(driver, [writer.SourceRow(f"src-{i}", f"Source {i}", "industry",
                                                   "zh", f"https://s{i}.test") for i in range(20)])


def write_articles(driver: Driver, pop: Popularity, n: int, batch: int = 1000,
                   seed: int = 7, progress: bool = True, start: int = 0) -> None:
    """Articles start … n-1 (the same seed and start give the same articles)."""
    rng = random.Random(seed * 1_000_003 + start)
    for lo in range(start, n, batch):
        items = [article(rng, i, pop) for i in range(lo, min(n, lo + batch))]
        writer.write_batch(driver, writer.build_batch(items))
        if progress and (lo // batch) % 10 == 0:
            print(f"  wrote {lo + len(items):,} articles", flush=True)


@contextlib.contextmanager
def bench_database(heap_mb: int = 3072,
                   pagecache_mb: int = 1536) -> Iterator[tuple[Driver, Neo4jSettings]]:
    """A dedicated embedded Neo4j in a temporary directory (NEO4J_URI is ignored on purpose:
    the benchmark writes 100k articles)."""
    with tempfile.TemporaryDirectory(prefix="tw-bench-") as tmp:
        settings = Neo4jSettings(uri=None).model_copy(update={
            "uri": None, "home": Path(tmp), "heap_mb": heap_mb, "pagecache_mb": pagecache_mb,
            "tx_memory_mb": 1024, "start_timeout_s": 300.0})
        port = free_port()
        with embedded_neo4j(settings, port=port) as uri:
            live = settings.model_copy(update={"uri": uri, "port": port})
            driver = db.open_driver(live)
            try:
                db.wait_until_reachable(driver, 120)
                db.apply_schema(driver)
                yield driver, live
            finally:
                driver.close()
