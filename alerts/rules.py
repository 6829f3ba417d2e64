"""Alert rules: their typed definitions and their evaluation against facts (pure: no I/O).

The facts of one ingest batch (`BatchFacts`, alerts/facts.py) are built by `alerts.evaluate`
from the (Article, Extraction) pairs plus what only the graph knows (source kinds, the
previous observation of each subject); spike and source-health rules get counts read on a
schedule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator, model_validator

from alerts import figures
from alerts.facts import (
    ArticleFact,
    BatchFacts,
    MentionCounts,
    ObservationFact,
    SourceRunHistory,
)
from alerts.types import AlertDraft, Evidence, Severity
from crawlers.types import SourceKind
from graph.alert_types import merge_evidence
from nlp.types import Currency, MetricKind, Period, RiskCategory

Ids = Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]], Field(max_length=200)]


MAX_CHANGE = 10.0  # a `change` threshold above 1000% is a percent typed by mistake


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RiskSpec(_Spec):
    """Risk signals of given categories about given entities, at or above a score."""

    type: Literal["risk"] = "risk"
    categories: list[RiskCategory] = Field(default_factory=list, description="empty: all four")
    entities: Ids = Field(default_factory=list, description="entity ids; empty: any")
    sectors: Ids = Field(default_factory=list, description="watch every company of these "
                         "KB sectors (e.g. ai_model, cloud)")
    include_related: bool = Field(default=True, description="a watched company also covers "
                                  "its models (MADE_BY) and subsidiaries (PART_OF)")
    min_score: float = Field(default=0.5, ge=0, le=1)
    source_kinds: list[SourceKind] = Field(default_factory=list, description="empty: any")


class MetricSpec(_Spec):
    """A threshold on an observation. Relative thresholds are fractions, the unit of
    `price_change` (降价97% is -0.97): 0.5 means 50%.

    - `price_cut`: a `price_change` of at least `threshold` down (0.5: a cut of 50% or more),
      or a `token_price` at least `threshold` below the previous price of the subject;
      0 < threshold <= 1;
    - `crosses_above` / `crosses_below`: the value crosses `threshold` (in the metric's units,
      e.g. 1e14 tokens/day for 100万亿) against the previous observation of the same subject
      (a first observation beyond the level counts as a crossing);
    - `change`: the value moved at least `threshold` (a fraction: 0.2 = 20%, 1.0 = doubled)
      from the previous observation; 0 < threshold <= 10.
    """

    type: Literal["metric"] = "metric"
    condition: Literal["price_cut", "crosses_above", "crosses_below", "change"]
    threshold: float = Field(gt=0, description="price_cut and change: a fraction (0.5 = 50%, "
                             "the unit of price_change); crosses_*: a level in the metric's "
                             "units (1e14 tokens/day = 100万亿/天, 0.8 CNY per 1M tokens)",
                             examples=[0.5])
    kind: MetricKind | None = Field(default=None, description="required except for price_cut")
    subjects: Ids = Field(default_factory=list, description="subject ids; empty: any subject")
    sectors: Ids = Field(default_factory=list, description="watch every company of these "
                         "KB sectors (e.g. ai_model, cloud)")
    include_related: bool = Field(default=True, description="a watched company also covers "
                                  "its models (MADE_BY) and subsidiaries (PART_OF)")
    period: Period | None = None
    currency: Currency | None = None
    direction: Literal["up", "down", "any"] = "any"

    @model_validator(mode="after")
    def _coherent(self) -> MetricSpec:
        if self.condition == "price_cut":
            if self.threshold > 1:
                raise ValueError(
                    f"price_cut threshold is a fraction like price_change (0.5 = a 50% cut), "
                    f"between 0 and 1; {self.threshold:g} reads as a percent: use "
                    f"{self.threshold / 100:g}")
            if self.kind not in (None, "price_change", "token_price"):
                raise ValueError("price_cut applies to price_change or token_price")
        elif self.kind is None:
            raise ValueError(f"kind is required for condition {self.condition!r}")
        elif self.condition == "change" and self.threshold > MAX_CHANGE:
            raise ValueError(
                f"change threshold is a fraction (0.2 = 20%, 1 = doubled), at most {MAX_CHANGE:g}"
                f"; {self.threshold:g} reads as a percent: use {self.threshold / 100:g}")
        elif self.kind == "price_change" and self.condition != "change":
            raise ValueError("crossing a level applies to token_volume or token_price")
        return self


class PolicySpec(_Spec):
    """A new policy from given issuers, or mentioning given entities or keywords. Criteria
    that are given must all match (an empty list matches anything)."""

    type: Literal["policy"] = "policy"
    issuers: Ids = Field(default_factory=list, description="agency ids or issuer names")
    entities: Ids = Field(default_factory=list, description="any of these entity ids")
    sectors: Ids = Field(default_factory=list, description="watch every company of these "
                         "KB sectors (e.g. ai_model, cloud)")
    include_related: bool = Field(default=True, description="a watched company also covers "
                                  "its models (MADE_BY) and subsidiaries (PART_OF)")
    keywords: Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]],
                        Field(max_length=100)] = Field(default_factory=list,
                                                       description="any of these words")


class SpikeSpec(_Spec):
    """Mentions of an entity within `window_hours` against its average over the baseline."""

    type: Literal["spike"] = "spike"
    entities: Ids = Field(min_length=1)
    window_hours: float = Field(default=24.0, gt=0, le=24 * 30)
    baseline_days: float = Field(default=7.0, gt=0, le=365)
    factor: float = Field(default=3.0, ge=1)
    min_mentions: int = Field(default=5, ge=1)


RunCondition = Literal["failed", "degraded", "blocked_by_robots"]


class SourceHealthSpec(_Spec):
    """A source failing `failures` runs in a row (or, with `conditions`, degraded or blocked
    by robots.txt that many runs in a row)."""

    type: Literal["source_health"] = "source_health"
    sources: Ids = Field(default_factory=list, description="source ids; empty: all")
    failures: int = Field(default=3, ge=1, le=100)
    conditions: list[RunCondition] = Field(
        default_factory=lambda: list[RunCondition](["failed"]), min_length=1,
        description="what counts as a bad run: failed (status), degraded (yielded links or "
        "fields before, none now), blocked_by_robots (robots.txt disallows the crawler)")


RuleSpec = Annotated[RiskSpec | MetricSpec | PolicySpec | SpikeSpec | SourceHealthSpec,
                     Field(discriminator="type")]
SPEC_ADAPTER: TypeAdapter[RuleSpec] = TypeAdapter(RuleSpec)
DEFAULT_SEVERITY: dict[str, Severity] = {"risk": "warning", "metric": "warning",
                                         "policy": "info", "spike": "warning",
                                         "source_health": "warning"}


class Rule(BaseModel):
    """A stored rule: who owns it, how loud it is, where it goes, and what it matches."""

    model_config = ConfigDict(frozen=True)

    id: str
    owner: str
    name: str
    severity: Severity
    cooldown_s: float = 3600.0
    enabled: bool = True
    webhook_ids: tuple[str, ...] = ()
    spec: RuleSpec

    @field_validator("webhook_ids", mode="before")
    @classmethod
    def _tuple(cls, v: object) -> object:
        return tuple(v) if isinstance(v, list) else v


def _evidence(article: ArticleFact | None, sentence: str | None) -> Evidence:
    if article is None:
        return Evidence(sentence=sentence)
    return Evidence(article_id=article.id, url=article.url, title=article.title,
                    sentence=sentence or article.title, source_id=article.source_id,
                    published_at=article.published_at)


def _draft(rule: Rule, key: str, title: str, summary: str, evidence: Iterable[Evidence],
           entities: Iterable[str], triggered_by: Iterable[str]) -> AlertDraft:
    return AlertDraft(
        rule_id=rule.id, rule_type=rule.spec.type, owner=rule.owner, severity=rule.severity,
        title=title, summary=summary, dedupe_key=f"{rule.spec.type}:{rule.id}:{key}",
        evidence=tuple(evidence), entities=tuple(sorted(set(entities))),
        triggered_by=tuple(triggered_by), cooldown_s=rule.cooldown_s,
        webhook_ids=rule.webhook_ids,
    )


# --- watchlists ----------------------------------------------------------------------------

Watch = frozenset[str] | None  # None: any entity


def watch_base(spec: RuleSpec) -> tuple[list[str], list[str], bool] | None:
    """(entity ids, sectors, include related) a rule watches, or None when it watches all."""
    if isinstance(spec, RiskSpec | PolicySpec):
        ids = spec.entities
    elif isinstance(spec, MetricSpec):
        ids = spec.subjects
    else:
        return None
    if not ids and not spec.sectors:
        return None
    return list(ids), list(spec.sectors), spec.include_related


def default_watch(spec: RuleSpec) -> Watch:
    """The watch set without the graph (no expansion): the listed ids only."""
    base = watch_base(spec)
    return None if base is None else frozenset(base[0])


# --- risk -------------------------------------------------------------------------------


def eval_risk(rule: Rule, spec: RiskSpec, facts: BatchFacts, watch: Watch) -> list[AlertDraft]:
    out = []
    for risk in facts.risks:
        art = facts.articles.get(risk.article_id)
        if spec.categories and risk.category not in spec.categories:
            continue
        if risk.score < spec.min_score:
            continue
        if spec.source_kinds and (art is None or art.source_kind not in spec.source_kinds):
            continue
        concerned = set(risk.entity_ids) | (art.entity_ids if art and not risk.entity_ids
                                            else set())
        if watch is not None and not concerned & watch:
            continue
        watched = sorted(concerned & watch) if watch is not None else sorted(concerned)
        who = ", ".join(watched) or "unattributed"
        shown = figures.names_list(watched, facts.names) or "unattributed"
        out.append(_draft(
            rule, f"{risk.category}:{who}",
            f"{risk.category.replace('_', ' ')} risk: {shown}",
            f"{risk.quote} (score {risk.score:.2f}, rule {rule.name!r})",
            [_evidence(art, risk.quote)], watched,
            [f"RiskSignal:{risk.id}", f"Article:{risk.article_id}"],
        ))
    return out


# --- metric -----------------------------------------------------------------------------


def _rel(value: float, previous: float) -> float:
    """Relative change as a fraction (the unit of price_change)."""
    return (value - previous) / abs(previous)


def _metric_hit(spec: MetricSpec, obs: ObservationFact) -> str | None:
    """A short description of why `obs` matches (figures formatted for people), or None."""
    prev = obs.previous_value
    t = spec.threshold

    def fig(value: float) -> str:
        return figures.metric(obs.kind, value, obs.period, obs.currency)

    if spec.condition == "price_cut":
        if obs.kind == "price_change" and spec.kind in (None, "price_change"):
            return f"price cut {figures.fraction(-obs.value)}" if obs.value <= -t else None
        if obs.kind == "token_price" and spec.kind in (None, "token_price") and prev:
            drop = -_rel(obs.value, prev)
            return (f"price down {figures.fraction(drop)} ({fig(prev)} → {fig(obs.value)})"
                    if drop >= t else None)
        return None
    if obs.kind != spec.kind:
        return None
    label = figures.METRIC_LABEL.get(obs.kind, obs.kind)
    if spec.condition == "crosses_above":
        crossed = obs.value >= t and (prev is None or prev < t)
        return f"{label} {fig(obs.value)} crossed above {fig(t)}" if crossed else None
    if spec.condition == "crosses_below":
        crossed = obs.value <= t and (prev is None or prev > t)
        return f"{label} {fig(obs.value)} crossed below {fig(t)}" if crossed else None
    if prev is None or prev == 0:
        return None
    change = _rel(obs.value, prev)
    if abs(change) < t or (spec.direction == "up" and change < 0) or (
            spec.direction == "down" and change > 0):
        return None
    sign = "+" if change > 0 else ""
    return f"{label} changed {sign}{figures.fraction(change)} ({fig(prev)} → {fig(obs.value)})"


def eval_metric(rule: Rule, spec: MetricSpec, facts: BatchFacts,
                watch: Watch) -> list[AlertDraft]:
    out = []
    for obs in facts.observations:
        if watch is not None and obs.subject_id not in watch and obs.subject_text not in watch:
            continue
        if spec.period and obs.period != spec.period:
            continue
        if spec.currency and obs.currency and obs.currency != spec.currency:
            continue
        why = _metric_hit(spec, obs)
        if why is None:
            continue
        subject = obs.subject_id or obs.subject_text or "market"
        shown = figures.name(obs.subject_id, facts.names, obs.subject_text or "market")
        art = facts.articles.get(obs.article_id)
        out.append(_draft(
            rule, f"{subject}:{obs.kind}:{spec.condition}:{spec.threshold:g}",
            f"{shown}: {why}", f"{obs.quote or why} (rule {rule.name!r})",
            [_evidence(art, obs.quote)], [obs.subject_id] if obs.subject_id else [],
            [f"Observation:{obs.id}", f"Article:{obs.article_id}"],
        ))
    return out


# --- policy -----------------------------------------------------------------------------


def eval_policy(rule: Rule, spec: PolicySpec, facts: BatchFacts,
                watch: Watch) -> list[AlertDraft]:
    out = []
    for art in facts.articles.values():
        is_policy = bool(art.policy_ids) or art.source_kind == "policy"
        if not is_policy:
            continue
        if spec.issuers and not {i.lower() for i in art.issuers} & {
                i.lower() for i in spec.issuers}:
            continue
        hit_entities = sorted(art.entity_ids & watch) if watch is not None else []
        if watch is not None and not hit_entities:
            continue
        haystack = f"{art.title}\n{art.text}".lower()
        hit_words = [k for k in spec.keywords if k.lower() in haystack]
        if spec.keywords and not hit_words:
            continue
        key = art.policy_ids[0] if art.policy_ids else art.id
        title = art.policy_titles[0] if art.policy_titles else art.title
        issuer = f" by {figures.names_list(art.issuers, facts.names)}" if art.issuers else ""
        sentence = next((art.entity_sentences[e] for e in hit_entities
                         if e in art.entity_sentences), None)
        why = "; ".join(filter(None, [
            f"mentions {figures.names_list(hit_entities, facts.names)}" if hit_entities else "",
            f"keywords {', '.join(hit_words)}" if hit_words else "",
        ]))
        out.append(_draft(
            rule, key, f"New policy{issuer}: {title}"[:200],
            f"{title}{issuer}" + (f" ({why})" if why else ""),
            [_evidence(art, sentence or title)], [*hit_entities, *art.issuers] if hit_entities
            else list(art.issuers), [f"Article:{art.id}"],
        ))
    return out


BatchEvaluator = Callable[[Rule, Any, BatchFacts, Watch], list[AlertDraft]]
# the rule kinds evaluated on every ingest batch, by spec type: a new batch kind registers here
BATCH_EVALUATORS: dict[str, BatchEvaluator] = {"risk": eval_risk, "metric": eval_metric,
                                               "policy": eval_policy}


def evaluate_batch(rules: Sequence[Rule], facts: BatchFacts,
                   watches: Mapping[str, frozenset[str]] | None = None) -> list[AlertDraft]:
    """Every alert the enabled batch-evaluated rules raise on one batch's facts. `watches`
    holds each rule's watch set expanded through the graph (sectors, models, subsidiaries);
    without it a rule watches the ids it lists."""
    out: list[AlertDraft] = []
    for rule in rules:
        if not rule.enabled:
            continue
        spec = rule.spec
        watch = watches[rule.id] if watches and rule.id in watches else default_watch(spec)
        evaluate = BATCH_EVALUATORS.get(spec.type)
        if evaluate is not None:
            out += evaluate(rule, spec, facts, watch)
    return group(out)


def group(drafts: Sequence[AlertDraft]) -> list[AlertDraft]:
    """Drafts sharing a dedupe key (several articles of one batch) become one, evidence merged."""
    by_key: dict[tuple[str, str], AlertDraft] = {}
    for d in drafts:
        k = (d.owner, d.dedupe_key)
        if k not in by_key:
            by_key[k] = d
            continue
        first = by_key[k]
        by_key[k] = first.model_copy(update={
            "evidence": merge_evidence(first.evidence, d.evidence),
            "entities": tuple(sorted(set(first.entities) | set(d.entities))),
            "triggered_by": tuple(dict.fromkeys((*first.triggered_by, *d.triggered_by))),
        })
    return list(by_key.values())


# --- spike and source health (evaluated on a schedule / after crawl runs) ---------------


def eval_spike(rule: Rule, spec: SpikeSpec, counts: Sequence[MentionCounts],
               names: Mapping[str, str] | None = None) -> list[AlertDraft]:
    out = []
    windows_in_baseline = spec.baseline_days * 24.0 / spec.window_hours
    for c in counts:
        expected = c.baseline / windows_in_baseline
        if c.window < spec.min_mentions or c.window < spec.factor * max(expected, 1e-9):
            continue
        ratio = f"{c.window / expected:.1f}×" if expected > 0 else "new"
        shown = figures.name(c.entity_id, names or {})
        out.append(_draft(
            rule, c.entity_id, f"Mention spike: {shown}",
            f"{c.window} articles mention {shown} in the last {spec.window_hours:g} h "
            f"against {expected:.1f} on average ({ratio})",
            c.evidence, [c.entity_id],
            [f"Article:{e.article_id}" for e in c.evidence if e.article_id],
        ))
    return out


_CONDITION_TITLES = {"failed": "Source failing", "degraded": "Source degraded",
                     "blocked_by_robots": "Source blocked by robots.txt"}


def _bad_runs(spec: SourceHealthSpec, r: SourceRunHistory) -> str | None:
    """The condition shared by the last `failures` runs (first in spec order), or None."""
    n = spec.failures
    if len(r.statuses) < n:
        return None
    healths = r.healths + ("ok",) * (len(r.statuses) - len(r.healths))
    for condition in spec.conditions:
        if condition == "failed" and all(s == "failed" for s in r.statuses[:n]):
            return condition
        if condition != "failed" and all(h == condition for h in healths[:n]):
            return condition
    return None


def eval_source_health(rule: Rule, spec: SourceHealthSpec,
                       runs: Sequence[SourceRunHistory]) -> list[AlertDraft]:
    out = []
    for r in runs:
        if spec.sources and r.source_id not in spec.sources:
            continue
        condition = _bad_runs(spec, r)
        if condition is None:
            continue
        if condition == "failed":
            detail = f" (last error: {r.last_error})" if r.last_error else ""
            summary = f"{r.source_id} failed its last {spec.failures} crawl run(s){detail}"
            evidence = r.last_error
        else:
            state = condition.replace("_", " ")
            summary = (f"{r.source_id} was {state} in its last {spec.failures} crawl run(s)"
                       + (f": {r.last_reason}" if r.last_reason else ""))
            evidence = r.last_reason
        out.append(_draft(
            rule, r.source_id, f"{_CONDITION_TITLES[condition]}: {r.source_id}", summary,
            [Evidence(source_id=r.source_id, sentence=evidence)], [], [],
        ))
    return out
