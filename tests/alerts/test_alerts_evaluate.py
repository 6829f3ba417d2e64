"""Evaluation against a REAL Neo4j: previous observations, source kinds, spikes and source
health come from the graph; batches are written with the real writer."""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime, timedelta

import pytest
from neo4j import Driver

from alerts.clock import ManualClock
from alerts.evaluate import AlertEvaluator
from alerts.settings import AlertSettings
from crawlers.types import Article, CrawlRunStats, PolicyFields
from graph import outbox, writer
from graph.access import Graph
from graph.settings import Neo4jSettings
from nlp.types import Entity, Extraction, Metric, Risk
from tests.alerts.conftest import make_rule, now
from tokenwatch.scheduler import CrawlOutcome
from tokenwatch.service import after_crawl

pytestmark = [pytest.mark.neo4j]
OWNER = "desk-a"


@pytest.fixture
def evaluator(graph: Driver, alert_settings: AlertSettings,
              neo4j_settings: Neo4jSettings) -> AlertEvaluator:
    writer.write_sources(graph, [
        writer.SourceRow("caict", "CAICT", "industry", "zh", "https://caict.example.cn"),
        writer.SourceRow("reuters", "Reuters", "intl", "en", "https://reuters.example.com"),
    ], neo4j_settings.database)
    return AlertEvaluator(graph, alert_settings, neo4j_settings.database)


def art(n: int, source: str = "caict", published: datetime | None = None,
        text: str = "正文") -> Article:
    url = f"https://caict.example.cn/{n}"
    return Article(id=f"art{n}", url=url, canonical_url=url, source_id=source, title=f"标题{n}",
                   text=text, lang="zh", published_at=published or now(), fetched_at=now(),
                   content_hash=hashlib.sha256(f"{n}{text}".encode()).hexdigest())


def ingest(driver: Driver, ev: AlertEvaluator, items: list[tuple[Article, Extraction]]) -> list:
    writer.write_batch(driver, writer.build_batch(items))
    return ev.evaluate_batch(items)


def volume(n: int, value: float) -> tuple[Article, Extraction]:
    quote = f"全国日均词元调用量达到{value:g}。"
    return art(n, text=quote), Extraction(id=f"art{n}", lang="zh", metrics=(Metric(
        kind="token_volume", value=value, period="day", subject=None, subject_text="全国",
        start=0, end=5, quote=quote),))


def test_volume_crossing_uses_the_previous_observation_in_the_graph(
        graph: Driver, evaluator: AlertEvaluator) -> None:
    make_rule(graph, OWNER, {"type": "metric", "condition": "crosses_above",
                             "kind": "token_volume", "threshold": 1e14, "period": "day"},
              cooldown_s=0)
    assert ingest(graph, evaluator, [volume(1, 9e13)]) == []
    [crossed] = ingest(graph, evaluator, [volume(2, 1.2e14)])
    assert crossed.created
    assert ingest(graph, evaluator, [volume(3, 1.3e14)]) == []  # already above
    alert = outbox.get_alert(Graph(graph), OWNER, crossed.alert_id)
    assert alert is not None and "120万亿/天 crossed above 100万亿/天" in alert.title


def test_token_price_cut_against_previous_price_and_risk_source_kinds(
        graph: Driver, evaluator: AlertEvaluator) -> None:
    make_rule(graph, OWNER, {"type": "metric", "condition": "price_cut", "threshold": 0.5,
                             "subjects": ["qwen-max"]})
    make_rule(graph, OWNER, {"type": "risk", "categories": ["policy_regulatory"],
                             "source_kinds": ["intl"], "min_score": 0.6})

    def price(n: int, value: float) -> tuple[Article, Extraction]:
        return art(n), Extraction(id=f"art{n}", lang="zh", metrics=(Metric(
            kind="token_price", value=value, currency="CNY", side="input", subject="qwen-max",
            start=0, end=2, quote=f"Qwen-Max 输入价格每百万tokens {value}元。"),))

    assert ingest(graph, evaluator, [price(1, 4.0)]) == []
    [cut] = ingest(graph, evaluator, [price(2, 1.0)])
    assert "75%" in outbox.get_alert(Graph(graph), OWNER, cut.alert_id).title

    risk = Risk(category="policy_regulatory", text="Regulators tighten AI rules.", start=0,
                end=10, score=0.8)
    assert ingest(graph, evaluator, [(art(3, "caict"), Extraction(id="art3", lang="zh",
                                                                   risks=(risk,)))]) == []
    [r] = ingest(graph, evaluator, [(art(4, "reuters"), Extraction(id="art4", lang="zh",
                                                                    risks=(risk,)))])
    assert r.created


def test_spike_rule_counts_mentions_in_window_against_baseline(
        graph: Driver, evaluator: AlertEvaluator) -> None:
    make_rule(graph, OWNER, {"type": "spike", "entities": ["moonshot"], "window_hours": 24,
                             "baseline_days": 7, "factor": 3, "min_mentions": 4})
    ent = Entity(type="company", text="月之暗面", start=4, end=8, id="moonshot", name="月之暗面",
                 kb=True)
    old = now() - timedelta(days=3)
    items = [(art(i, published=old if i < 2 else None, text="今天有月之暗面的新闻。"),
              Extraction(id=f"art{i}", lang="zh", entities=(ent,))) for i in range(8)]
    writer.write_batch(graph, writer.build_batch(items))
    [spike] = evaluator.run_spikes()
    alert = outbox.get_alert(Graph(graph), OWNER, spike.alert_id)
    assert alert is not None and "6 articles mention 月之暗面" in alert.summary
    assert evaluator.run_spikes()[0].created is False  # grouped within the cooldown


def test_source_health_after_failed_and_timed_out_crawls(
        graph: Driver, evaluator: AlertEvaluator, neo4j_settings: Neo4jSettings) -> None:
    make_rule(graph, OWNER, {"type": "source_health", "failures": 3, "sources": ["caict"]})
    t = now()
    for i in range(2):
        writer.write_crawl_run(graph, CrawlRunStats(
            id=f"run{i}", source_id="caict", started_at=t - timedelta(hours=3 - i),
            ended_at=t, errors={"http_503": 4}, status="failed"))
    assert evaluator.check_source_health(["caict"]) == []
    hook = after_crawl(graph, evaluator, neo4j_settings.database)
    hook(CrawlOutcome("caict", "timeout", None, t, t + timedelta(seconds=1), "killed"))
    [alert] = outbox.list_alerts(Graph(graph), OWNER)
    assert alert.title == "Source failing: caict" and "timeout" in alert.summary


def test_source_health_rule_on_degraded_runs_names_the_selector(
        graph: Driver, evaluator: AlertEvaluator) -> None:
    make_rule(graph, OWNER, {"type": "source_health", "failures": 2, "sources": ["gov"],
                             "conditions": ["degraded", "blocked_by_robots"]})
    make_rule(graph, OWNER, {"type": "source_health", "failures": 2, "sources": ["gov"]})
    t = now()
    reason = "listings yielded no links: https://gov.example/: link_selector 'h4 a' matched nothing"
    writer.write_crawl_run(graph, CrawlRunStats(
        id="g0", source_id="gov", started_at=t - timedelta(hours=3), pages_fetched=2))
    writer.write_crawl_run(graph, CrawlRunStats(
        id="g1", source_id="gov", started_at=t - timedelta(hours=2), pages_fetched=1,
        health="degraded", health_reason=reason))
    assert evaluator.check_source_health(["gov"]) == []  # one degraded run of two
    writer.write_crawl_run(graph, CrawlRunStats(
        id="g2", source_id="gov", started_at=t - timedelta(hours=1), pages_fetched=1,
        health="degraded", health_reason=reason))
    evaluator.check_source_health(["gov"])
    [alert] = outbox.list_alerts(Graph(graph), OWNER)  # the failures-only rule stays quiet
    assert alert.title == "Source degraded: gov" and "'h4 a' matched nothing" in alert.summary


def test_an_unreadable_rule_is_skipped_and_ingest_never_fails(
        graph: Driver, evaluator: AlertEvaluator, caplog: pytest.LogCaptureFixture) -> None:
    good = make_rule(graph, OWNER, {"type": "metric", "condition": "crosses_above",
                                    "kind": "token_volume", "threshold": 1e14})
    outbox.save_rule(Graph(graph), {**good, "id": "rul_broken", "spec": '{"type": "metric"}'})
    with caplog.at_level(logging.ERROR):
        evaluator.on_batch([volume(1, 2e14)])
    assert "rul_broken" in caplog.text
    assert len(outbox.list_alerts(Graph(graph), OWNER)) == 1
    evaluator.driver = None  # type: ignore[assignment]  # even a dead graph does not raise
    evaluator.on_batch([volume(2, 3e14)])


def test_watching_a_company_or_sector_covers_its_models(
        graph: Driver, evaluator: AlertEvaluator, neo4j_settings: Neo4jSettings) -> None:
    from graph.kb import write_kb
    from nlp.kb import load_kb

    write_kb(Graph(graph, neo4j_settings.database), load_kb())
    by_company = make_rule(graph, OWNER, {"type": "risk", "entities": ["deepseek"]})
    by_sector = make_rule(graph, OWNER, {"type": "metric", "condition": "price_cut",
                                         "threshold": 0.5, "sectors": ["ai_model"]})
    narrow = make_rule(graph, OWNER, {"type": "risk", "entities": ["deepseek"],
                                      "include_related": False})
    risk = Risk(category="technology_shortfall", text="DeepSeek-V3 推理服务频繁宕机。", start=0,
                end=10, score=0.7, entities=("deepseek-v3",))
    cut = Metric(kind="price_change", value=-0.8, subject="deepseek-v3", start=0, end=3,
                 quote="DeepSeek-V3 降价80%。")
    recs = ingest(graph, evaluator, [(art(1), Extraction(id="art1", lang="zh", risks=(risk,),
                                                         metrics=(cut,)))])
    rules = {outbox.get_alert(Graph(graph), OWNER, r.alert_id).rule_id for r in recs}
    assert rules == {by_company["id"], by_sector["id"]} and narrow["id"] not in rules


def test_policy_rule_by_agency_id_matches_a_crawled_page_with_a_printed_issuer(
        graph: Driver, evaluator: AlertEvaluator) -> None:
    by_id = make_rule(graph, OWNER, {"type": "policy", "issuers": ["state-council-office"]})
    make_rule(graph, OWNER, {"type": "policy", "issuers": ["ndrc"]})
    page = art(1, text="各省、自治区、直辖市人民政府：现就推动人工智能产业发展提出如下意见。")
    page = page.model_copy(update={"policy": PolicyFields(issuer="国务院办公厅",
                                                          doc_number="国办发〔2025〕99号")})
    [rec] = ingest(graph, evaluator, [(page, Extraction(id="art1", lang="zh"))])
    alert = outbox.get_alert(Graph(graph), OWNER, rec.alert_id)
    assert alert is not None and alert.rule_id == by_id["id"]
    assert "state-council-office" in alert.entities and "国务院办公厅" in alert.title


def report(n: int, value: float, as_of: str | None,
           published: datetime | None = None) -> tuple[Article, Extraction]:
    quote = f"截至{as_of or '目前'}，全国日均词元调用量为{value:g}。"
    return art(n, text=quote, published=published), Extraction(id=f"art{n}", lang="zh", metrics=(
        Metric(kind="token_volume", value=value, period="day", subject="cn",
               subject_text="全国", as_of=as_of, start=0, end=5, quote=quote),))


def test_crossing_compares_against_the_latest_observation_dated_before_the_new_one(
        graph: Driver, evaluator: AlertEvaluator) -> None:
    ingest(graph, evaluator, [report(1, 5e13, "2025-01-31")])
    ingest(graph, evaluator, [report(2, 3e13, "2025-06-30")])
    # a dateless observation (no as_of, no publication date) is never anyone's previous
    dateless = report(9, 1e12, None)
    writer.write_batch(graph, writer.build_batch(
        [(dateless[0].model_copy(update={"published_at": None}), dateless[1])]))
    make_rule(graph, OWNER, {"type": "metric", "condition": "crosses_above",
                             "kind": "token_volume", "threshold": 4e13}, cooldown_s=0)
    # April: its previous is January's 5e13 (already above), not June's later 3e13
    assert ingest(graph, evaluator, [report(3, 4.5e13, "2025-04-30")]) == []
    [crossed] = ingest(graph, evaluator, [report(4, 6e13, "2025-07-31")])  # after June's 3e13
    assert crossed.created
    # no as_of: dated by the publication day (1 March: after January's 5e13, so no crossing)
    assert ingest(graph, evaluator, [report(5, 4.1e13, None, datetime(2025, 3, 1, tzinfo=UTC))
                                     ]) == []
    [again] = ingest(graph, evaluator, [report(6, 4.1e13, None,
                                               datetime(2025, 7, 1, tzinfo=UTC))])  # after 3e13
    assert again.created and again.alert_id != crossed.alert_id


def test_facts_follow_curated_merges_like_the_writer(
        graph: Driver, evaluator: AlertEvaluator, neo4j_settings: Neo4jSettings) -> None:
    from graph.curation import merge_entities

    kimi = Entity(type="company", text="月暗科技", start=4, end=8, id="new:company:月暗科技",
                  name="月暗科技")
    moon = Entity(type="company", text="月之暗面", start=4, end=8, id="moonshot", name="月之暗面",
                  kb=True)
    ingest(graph, evaluator, [
        (art(1, text="今天有月暗科技的新闻。"), Extraction(id="art1", lang="zh", entities=(kimi,))),
        (art(2, text="今天有月之暗面的新闻。"), Extraction(id="art2", lang="zh", entities=(moon,))),
    ])
    merged = merge_entities(Graph(graph, neo4j_settings.database), kimi.id or "", "moonshot")
    assert merged.survivor.id == "moonshot"
    risk_rule = make_rule(graph, OWNER, {"type": "risk", "entities": ["moonshot"]}, cooldown_s=0)
    cut_rule = make_rule(graph, OWNER, {"type": "metric", "condition": "price_cut",
                                        "threshold": 0.3, "subjects": ["moonshot"]})
    # the risk names no entity: the article's entities (the merged-away one) are concerned
    risk = Risk(category="market_sentiment", text="月暗科技遭投资者抛售。", start=4, end=12,
                score=0.8)
    cut = Metric(kind="price_change", value=-0.5, subject=kimi.id, start=4, end=8,
                 quote="月暗科技降价50%。")
    recs = ingest(graph, evaluator, [(art(3, text="月暗科技遭投资者抛售。月暗科技降价50%。"),
                                      Extraction(id="art3", lang="zh", entities=(kimi,),
                                                 risks=(risk,), metrics=(cut,)))])
    alerts = {a.rule_id: a for r in recs
              if (a := outbox.get_alert(Graph(graph), OWNER, r.alert_id)) is not None}
    assert set(alerts) == {risk_rule["id"], cut_rule["id"]}
    assert alerts[risk_rule["id"]].entities == ["moonshot"]
    assert alerts[cut_rule["id"]].entities == ["moonshot"]
    # a risk naming the merged-away id explicitly lands on the survivor as well
    named = risk.model_copy(update={"entities": (kimi.id,)})
    [rec] = ingest(graph, evaluator, [(art(4, text="月暗科技遭投资者抛售。"),
                                       Extraction(id="art4", lang="zh", risks=(named,)))])
    alert = outbox.get_alert(Graph(graph), OWNER, rec.alert_id)
    assert alert is not None and alert.entities == ["moonshot"]


def test_spike_window_and_cooldown_follow_the_evaluators_clock(
        graph: Driver, alert_settings: AlertSettings, neo4j_settings: Neo4jSettings) -> None:
    """Set time instead of sleeping: the spike window is read from the clock, a repeat within
    the cooldown is grouped, and after the cooldown (clock moved on) it is a new alert."""
    clock = ManualClock(datetime(2031, 1, 2, 8, 0, tzinfo=UTC))
    ev = AlertEvaluator(graph, alert_settings, neo4j_settings.database, clock=clock)
    make_rule(graph, OWNER, {"type": "spike", "entities": ["moonshot"], "window_hours": 24,
                             "baseline_days": 7, "factor": 3, "min_mentions": 4},
              cooldown_s=3600)
    ent = Entity(type="company", text="月之暗面", start=4, end=8, id="moonshot", name="月之暗面",
                 kb=True)
    items = [(art(900 + i, published=clock() - timedelta(hours=2), text="今天有月之暗面的新闻。"),
              Extraction(id=f"art{900 + i}", lang="zh", entities=(ent,))) for i in range(5)]
    writer.write_batch(graph, writer.build_batch(items))
    [first] = ev.run_spikes()
    assert first.created
    clock.advance(minutes=30)
    assert ev.run_spikes()[0].created is False  # within the cooldown
    clock.advance(hours=2)
    [again] = ev.run_spikes()
    assert again.created and again.alert_id != first.alert_id
    clock.advance(days=3)  # the mentions have left the 24 h window: no spike at all
    assert ev.run_spikes() == []
