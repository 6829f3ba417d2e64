"""Rules are pure: facts in, alert drafts out."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest
from pydantic import ValidationError

from alerts import payloads
from alerts.facts import (
    ArticleFact,
    BatchFacts,
    MentionCounts,
    ObservationFact,
    RiskFact,
    SourceRunHistory,
)
from alerts.rules import (
    SPEC_ADAPTER,
    Rule,
    eval_source_health,
    eval_spike,
    evaluate_batch,
)
from alerts.types import Evidence

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def rule(spec: dict, **kw: object) -> Rule:
    return Rule(id=kw.pop("id", "r1"), owner="ana", name="r", severity="warning",
                spec=SPEC_ADAPTER.validate_python(spec), **kw)  # type: ignore[arg-type]


def art(aid: str = "a1", **kw: object) -> ArticleFact:
    base = {"id": aid, "url": f"https://news.example.cn/{aid}", "title": "标题",
            "source_id": "s1", "source_kind": "industry", "published_at": T0}
    return ArticleFact(**{**base, **kw})  # type: ignore[arg-type]


def obs(value: float, kind: str = "price_change", subject: str | None = "deepseek-v3",
        prev: float | None = None, **kw: object) -> ObservationFact:
    return ObservationFact(id=kw.pop("id", "o1"), article_id="a1", kind=kind, value=value,  # type: ignore[arg-type]
                           quote="DeepSeek-V3 API 价格下调97%。", subject_id=subject,
                           subject_text=None, previous_value=prev, **kw)  # type: ignore[arg-type]


def facts(*observations: ObservationFact, risks: tuple[RiskFact, ...] = (),
          articles: tuple[ArticleFact, ...] = ()) -> BatchFacts:
    arts = articles or (art(),)
    return BatchFacts(articles={a.id: a for a in arts}, observations=observations, risks=risks)


def test_price_cut_fires_at_or_beyond_threshold_with_evidence() -> None:
    r = rule({"type": "metric", "condition": "price_cut", "threshold": 0.9,
              "subjects": ["deepseek-v3"]})
    [d] = evaluate_batch([r], facts(obs(-0.97)))
    assert d.title == "deepseek-v3: price cut 97%"
    assert d.evidence[0].sentence == "DeepSeek-V3 API 价格下调97%。"
    assert d.evidence[0].url == "https://news.example.cn/a1"
    assert d.entities == ("deepseek-v3",)
    assert evaluate_batch([r], facts(obs(-0.5))) == []
    assert evaluate_batch([r], facts(obs(-0.97, subject="qwen"))) == []
    # a token_price against the previous price of the subject
    [d2] = evaluate_batch([r], facts(obs(0.1, kind="token_price", prev=4.0)))
    assert "98%" in d2.title


def test_volume_crossing_a_level_fires_once_per_crossing() -> None:
    r = rule({"type": "metric", "condition": "crosses_above", "kind": "token_volume",
              "threshold": 1e14, "period": "day"})
    assert evaluate_batch([r], facts(obs(1.2e14, "token_volume", None, prev=9e13,
                                         period="day")))
    assert not evaluate_batch([r], facts(obs(1.3e14, "token_volume", None, prev=1.2e14,
                                             period="day")))
    assert not evaluate_batch([r], facts(obs(9e13, "token_volume", None, prev=8e13,
                                             period="day")))
    assert not evaluate_batch([r], facts(obs(2e14, "token_volume", None, period="month")))
    assert evaluate_batch([r], facts(obs(2e14, "token_volume", None, period="day")))


def test_change_against_previous_observation() -> None:
    r = rule({"type": "metric", "condition": "change", "kind": "token_volume",
              "threshold": 0.5, "direction": "up"})
    assert evaluate_batch([r], facts(obs(3e13, "token_volume", prev=1.5e13)))
    assert not evaluate_batch([r], facts(obs(1e13, "token_volume", prev=3e13)))
    assert not evaluate_batch([r], facts(obs(3e13, "token_volume", prev=None)))


def test_risk_rule_filters_category_entity_score_and_source_kind() -> None:
    risk = RiskFact(id="k1", article_id="a1", category="policy_regulatory", score=0.8,
                    quote="监管趋严。", entity_ids=("alibaba-cloud",))
    r = rule({"type": "risk", "categories": ["policy_regulatory"],
              "entities": ["alibaba-cloud"], "min_score": 0.7, "source_kinds": ["industry"]})
    [d] = evaluate_batch([r], facts(risks=(risk,)))
    assert d.dedupe_key == "risk:r1:policy_regulatory:alibaba-cloud"
    assert "RiskSignal:k1" in d.triggered_by
    low = RiskFact(**{**risk.__dict__, "score": 0.5})
    assert not evaluate_batch([r], facts(risks=(low,)))
    assert not evaluate_batch([r], facts(risks=(risk,), articles=(art(source_kind="intl"),)))


def test_policy_rule_issuers_entities_keywords() -> None:
    policy_art = art(policy_ids=("国发〔2026〕1号",), issuers=("ndrc",), text="推动算力和词元服务",
                     entity_ids=frozenset({"deepseek"}), policy_titles=("关于算力的意见",))
    r = rule({"type": "policy", "issuers": ["NDRC"], "keywords": ["词元"]})
    [d] = evaluate_batch([r], facts(articles=(policy_art,)))
    assert d.title.startswith("New policy by ndrc: 关于算力的意见")
    assert not evaluate_batch([rule({"type": "policy", "keywords": ["芯片"]})],
                              facts(articles=(policy_art,)))
    assert not evaluate_batch([r], facts(articles=(art(),)))  # not a policy


def test_repeats_in_one_batch_are_grouped() -> None:
    r = rule({"type": "metric", "condition": "price_cut", "threshold": 0.5})
    arts = (art("a1"), art("a2"))
    o1 = obs(-0.9, id="o1")
    o2 = ObservationFact(**{**o1.__dict__, "id": "o2", "article_id": "a2"})
    [d] = evaluate_batch([r], facts(o1, o2, articles=arts))
    assert {e.article_id for e in d.evidence} == {"a1", "a2"}


def test_spike_and_source_health() -> None:
    r = rule({"type": "spike", "entities": ["kimi"], "window_hours": 24, "baseline_days": 7,
              "factor": 3, "min_mentions": 5})
    ev = (Evidence(article_id="a9", url="https://x/a9", sentence="Kimi 火了"),)
    assert eval_spike(r, r.spec, [MentionCounts("kimi", 12, 14, ev)])  # 12 vs 2/day
    assert not eval_spike(r, r.spec, [MentionCounts("kimi", 4, 0)])  # below min_mentions
    assert not eval_spike(r, r.spec, [MentionCounts("kimi", 6, 28)])  # 6 vs 4/day
    h = rule({"type": "source_health", "failures": 3})
    assert eval_source_health(h, h.spec, [SourceRunHistory("miit", ("failed",) * 3, "timeout")])
    assert not eval_source_health(h, h.spec, [SourceRunHistory("miit", ("failed", "ok", "failed"))])
    assert not eval_source_health(h, h.spec, [SourceRunHistory("miit", ("failed", "failed"))])
    blocked = SourceRunHistory("miit", ("failed",) * 3, "robots_disallowed",
                        ("blocked_by_robots",) * 3, "robots.txt disallows TokenwatchBot")
    [failing] = eval_source_health(h, h.spec, [blocked])  # default: failed status only
    assert failing.title == "Source failing: miit"
    hr = rule({"type": "source_health", "failures": 3, "conditions": ["blocked_by_robots"]})
    [robots] = eval_source_health(hr, hr.spec, [blocked])
    assert robots.title == "Source blocked by robots.txt: miit"
    assert "robots.txt disallows" in robots.summary
    degraded = SourceRunHistory("miit", ("ok",) * 3, None, ("degraded", "degraded", "ok"), "x")
    assert not eval_source_health(hr, hr.spec, [degraded])


@pytest.mark.parametrize("spec, message", [
    ({"type": "metric", "condition": "price_cut", "threshold": 150}, "reads as a percent: use 1.5"),
    ({"type": "metric", "condition": "price_cut", "threshold": 5}, "a fraction like price_change"),
    ({"type": "metric", "condition": "change", "kind": "token_volume", "threshold": 20},
     "use 0.2"),
    ({"type": "metric", "condition": "crosses_above", "threshold": 1e14}, "kind is required"),
    ({"type": "risk", "min_score": 2}, "less than or equal to 1"),
    ({"type": "spike", "entities": []}, "at least 1"),
    ({"type": "weather"}, "does not match any of the expected tags"),
    ({"type": "risk", "colour": "red"}, "Extra inputs are not permitted"),
])
def test_invalid_specs_fail_with_clear_messages(spec: dict, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        SPEC_ADAPTER.validate_python(spec)
    assert message in str(err.value)


def test_payload_formats_carry_title_evidence_and_link() -> None:
    data = {"id": "alt_1", "rule_id": "r1", "rule_type": "metric", "owner": "ana",
            "severity": "critical", "title": "deepseek-v3: price cut 97%",
            "summary": "DeepSeek-V3 API 价格下调97%。", "dedupe_key": "k",
            "entities": ["deepseek-v3"],
            "evidence": [{"article_id": "a1", "url": "https://news.example.cn/a1",
                          "sentence": "DeepSeek-V3 API 价格下调97%。"}],
            "created_at": T0}
    generic = orjson.loads(payloads.render(data, "generic"))
    assert generic["type"] == "alert.created" and generic["data"]["id"] == "alt_1"
    assert generic["data"]["evidence"][0]["url"] == "https://news.example.cn/a1"
    payloads.GenericPayload.model_validate(generic)
    for fmt in ("slack", "feishu", "dingtalk", "wecom"):
        body = payloads.render(data, fmt)
        assert "https://news.example.cn/a1" in body and "价格下调97%" in body, fmt
    assert orjson.loads(payloads.render(data, "feishu"))["msg_type"] == "post"
    assert orjson.loads(payloads.render(data, "dingtalk"))["msgtype"] == "markdown"
    assert "blocks" in orjson.loads(payloads.render(data, "slack"))
    long = {**data, "summary": "长" * 5000}
    assert len(orjson.loads(payloads.render(long, "wecom"))["markdown"]["content"]
               .encode()) <= 4096
    with pytest.raises(ValueError):
        payloads.render(data, "teams")


def test_watch_sets_come_from_the_graph_when_given() -> None:
    r = rule({"type": "risk", "entities": ["deepseek"]})
    risk = RiskFact(id="k", article_id="a1", category="market_sentiment", score=0.9,
                    quote="q", entity_ids=("deepseek-v3",))
    assert not evaluate_batch([r], facts(risks=(risk,)))  # listed ids only
    expanded = {"r1": frozenset({"deepseek", "deepseek-v3"})}
    [d] = evaluate_batch([r], facts(risks=(risk,)), expanded)
    assert d.entities == ("deepseek-v3",)


# --- units and text for people ----------------------------------------------------------

NAMES = {"deepseek-v3": "DeepSeek-V3", "cac": "国家互联网信息办公室"}


def test_price_cut_threshold_is_a_fraction_like_price_change() -> None:
    half = rule({"type": "metric", "condition": "price_cut", "threshold": 0.5})
    assert not evaluate_batch([half], facts(obs(-0.05)))  # a 5% cut is not a 50% one
    assert evaluate_batch([half], facts(obs(-0.5)))


def test_titles_name_entities_and_format_figures() -> None:
    cross = rule({"type": "metric", "condition": "crosses_above", "kind": "token_volume",
                  "threshold": 3.5e13})
    f = facts(obs(4e13, "token_volume", subject="cn", period="day"))
    [d] = evaluate_batch([cross], f)
    assert d.title == "中国: token volume 40万亿/天 crossed above 35万亿/天"
    cut = rule({"type": "metric", "condition": "price_cut", "threshold": 0.5,
                "kind": "token_price"})
    priced = BatchFacts(articles={"a1": art()}, names=NAMES, observations=(
        obs(0.8, "token_price", prev=2.0, currency="CNY"),))
    [p] = evaluate_batch([cut], priced)
    assert p.title == ("DeepSeek-V3: price down 60% (¥2 per 1M tokens → ¥0.8 per 1M tokens)")
    assert "e+" not in p.title and "deepseek-v3" not in p.title
    policy = rule({"type": "policy"})
    pf = BatchFacts(articles={"a1": art(issuers=("cac",), policy_ids=("p1",),
                                        policy_titles=("生成式人工智能服务管理暂行办法",))},
                    names=NAMES)
    [pd] = evaluate_batch([policy], pf)
    assert pd.title == "New policy by 国家互联网信息办公室: 生成式人工智能服务管理暂行办法"
