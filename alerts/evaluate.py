"""Evaluation: turn the new facts of an ingest batch (and, on a schedule, mention counts and
crawl-run history) into alert drafts with the pure rules, and record them in the outbox.

`AlertEvaluator.on_batch` is a `GraphSink.on_batch` hook: it runs after the batch has been
written, so an evaluation failure is logged and never loses ingested data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError

from alerts import payloads
from alerts.clock import utcnow
from alerts.facts import (
    ArticleFact,
    BatchFacts,
    MentionCounts,
    ObservationFact,
    RiskFact,
    SourceRunHistory,
)
from alerts.rules import (
    BATCH_EVALUATORS,
    SPEC_ADAPTER,
    Rule,
    SourceHealthSpec,
    SpikeSpec,
    eval_source_health,
    eval_spike,
    evaluate_batch,
    watch_base,
)
from alerts.settings import AlertSettings
from alerts.types import AlertDraft, Evidence
from crawlers.types import Article
from graph import outbox, writer
from graph.access import Graph
from graph.outbox import Driver, Recorded
from graph.outbox_models import DisabledWebhook, StoredRule
from nlp.kb import load_kb
from nlp.text import Sentences
from nlp.types import Extraction

log = logging.getLogger(__name__)

BATCH_TYPES = tuple(BATCH_EVALUATORS)
BatchHook = Callable[[Sequence[tuple[Article, Extraction]]], None]


def rule_from_stored(stored: StoredRule) -> Rule:
    """The pure rule of a stored one; ValidationError when its definition no longer reads."""
    return Rule(id=stored.id, owner=stored.owner, name=stored.name or stored.id,
                severity=stored.severity, cooldown_s=stored.cooldown_s, enabled=stored.enabled,
                webhook_ids=tuple(stored.webhook_ids),
                spec=SPEC_ADAPTER.validate_json(stored.spec))


def page_issuers(article: Article) -> list[str]:
    """A crawled policy page's issuer: its agency id when the KB knows the printed name
    (国务院办公厅 → state-council-office), and the printed name itself."""
    name = article.policy.issuer if article.policy is not None else None
    if not name:
        return []
    agency = load_kb().resolve_agency(name)
    return [agency, name] if agency and agency != name else [name]


def entity_refs(article: Article, extraction: Extraction) -> set[str]:
    """Every entity id the facts of one article carry (what curated merges may redirect)."""
    ids = {e.id for e in extraction.entities if e.id}
    ids |= {m.subject for m in extraction.metrics if m.subject}
    ids |= {x for r in extraction.risks for x in r.entities}
    ids |= {x for p in extraction.policies for x in (p.id, p.issuer) if x}
    return ids | set(page_issuers(article))


def article_fact(article: Article, extraction: Extraction, source_kind: str | None,
                 moved: Mapping[str, str] | None = None) -> ArticleFact:
    """`moved`: curated merges (merged-away id -> survivor id), applied as the writer does."""
    redirect = moved or {}
    joined = Sentences(writer.joined_text(article))
    sentences: dict[str, str] = {}
    for ent in extraction.entities:
        eid = redirect.get(ent.id, ent.id) if ent.id else None
        if eid and eid not in sentences:
            sentences[eid] = joined.around(ent.start, ent.end)
    policy_ids = [redirect.get(p.id, p.id) if p.id else p.doc_number or p.title
                  for p in extraction.policies]
    issuers = [redirect.get(p.issuer, p.issuer) for p in extraction.policies if p.issuer]
    titles = [p.title for p in extraction.policies]
    if article.policy is not None:
        policy_ids.append(article.policy.doc_number or article.id)
        issuers += [redirect.get(i, i) for i in page_issuers(article)]
        titles.append(article.title)
    return ArticleFact(
        id=article.id, url=article.url, title=article.title, source_id=article.source_id,
        source_kind=source_kind, published_at=article.published_at, text=article.text,
        entity_ids=frozenset(sentences), entity_sentences=sentences,
        policy_ids=tuple(dict.fromkeys(policy_ids)), issuers=tuple(dict.fromkeys(issuers)),
        policy_titles=tuple(titles),
    )


def kb_names() -> dict[str, str]:
    """Display names of KB entities (alert titles name entities, not ids)."""
    return {entry.id: entry.name for entry in load_kb()}


def batch_facts(items: Sequence[tuple[Article, Extraction]], kinds: dict[str, str],
                previous: dict[str, float],
                moved: Mapping[str, str] | None = None,
                names: Mapping[str, str] | None = None) -> BatchFacts:
    """Pure: the facts of one batch, observation/risk ids exactly as the writer stores them,
    entity ids redirected through the curated merges in `moved` (old id -> survivor id)."""
    redirect = moved or {}
    articles: dict[str, ArticleFact] = {}
    observations: list[ObservationFact] = []
    risks: list[RiskFact] = []
    for article, extraction in items:
        articles[article.id] = article_fact(article, extraction, kinds.get(article.source_id),
                                            redirect)
        for o in writer.observation_rows(article.id, extraction):
            subject = o["subject_id"]
            observations.append(ObservationFact(
                id=o["id"], article_id=article.id, kind=o["kind"], value=float(o["value"]),
                quote=o["quote"], subject_id=redirect.get(subject, subject) if subject else None,
                subject_text=o["subject_text"], period=o["period"], currency=o["currency"],
                side=o["side"], previous_value=previous.get(o["id"])))
        for r in writer.risk_rows(article.id, extraction):
            concerned = tuple(dict.fromkeys(redirect.get(e, e) for e in r["entities"]))
            risks.append(RiskFact(id=r["id"], article_id=article.id, category=r["category"],
                                  score=float(r["score"]), quote=r["quote"],
                                  entity_ids=concerned))
    return BatchFacts(articles=articles, observations=tuple(observations), risks=tuple(risks),
                      names=dict(names or {}))


def previous_rows(items: Sequence[tuple[Article, Extraction]],
                  moved: Mapping[str, str]) -> list[dict[str, Any]]:
    """The rows `outbox.previous_observations` looks up: each new volume/price observation as
    stored (subject redirected), dated by its as_of, else its article's publication day;
    same-day observations are ordered by publication time."""
    keys = ("id", "kind", "subject_text", "period", "side", "currency")
    rows = []
    for article, extraction in items:
        day = article.published_at.date() if article.published_at else None
        for o in writer.observation_rows(article.id, extraction):
            if o["kind"] not in ("token_volume", "token_price"):
                continue
            subject = o["subject_id"]
            rows.append({**{k: o[k] for k in keys}, "as_of": o["as_of"] or day,
                         "published_at": article.published_at,
                         "subject_id": moved.get(subject, subject) if subject else None})
    return rows


def webhook_disabled_draft(webhook: DisabledWebhook, reason: str) -> AlertDraft:
    return AlertDraft(
        rule_id=None, rule_type="system", owner=webhook.owner, severity="critical",
        title=f"Webhook disabled: {webhook.url}"[:200],
        summary=f"Webhook {webhook.id} ({webhook.url}) was disabled: {reason}. "
                "Pending deliveries are kept; re-enable it to resume.",
        dedupe_key=f"system:webhook_disabled:{webhook.id}",
        evidence=(Evidence(sentence=reason),), cooldown_s=0.0,
        exclude_webhooks=(webhook.id,),
    )


@dataclass
class AlertEvaluator:
    driver: Driver
    settings: AlertSettings
    database: str | None = None
    clock: Callable[[], datetime] = utcnow
    # called with the recorded alerts when any delivery was queued (e.g. wake the worker)
    listeners: list[Callable[[list[Recorded]], None]] = field(default_factory=list)

    @property
    def graph(self) -> Graph:
        return Graph(self.driver, self.database, None)

    def rules(self, types: Iterable[str]) -> list[Rule]:
        out = []
        for stored in outbox.enabled_rules(self.graph, list(types)):
            try:
                out.append(rule_from_stored(stored))
            except (ValidationError, ValueError) as exc:
                log.error("alert rule %s skipped: unreadable definition: %s", stored.id, exc)
        return out

    def record(self, drafts: Sequence[AlertDraft]) -> list[Recorded]:
        if not drafts:
            return []
        recorded = outbox.record_alerts(self.graph, drafts, payloads.render, self.clock(),
                                        self.settings.max_evidence)
        if any(r.deliveries for r in recorded):
            for listener in self.listeners:
                listener(recorded)
        return recorded

    def evaluate_batch(self, items: Sequence[tuple[Article, Extraction]]) -> list[Recorded]:
        rules = self.rules(BATCH_TYPES)
        if not rules or not items:
            return []
        kinds = outbox.source_kinds(self.graph, [a.source_id for a, _ in items])
        # the writer stored this batch under the survivors of curated merges: so do the facts
        moved = outbox.merged_redirects(
            self.graph, sorted({i for a, e in items for i in entity_refs(a, e)}))
        previous: dict[str, float] = {}
        if any(r.spec.type == "metric" for r in rules):
            previous = outbox.previous_observations(self.graph, previous_rows(items, moved))
        return self.record(evaluate_batch(rules, batch_facts(items, kinds, previous, moved,
                                                      kb_names()),
                                          self.watches(rules)))

    def watches(self, rules: Sequence[Rule]) -> dict[str, frozenset[str]]:
        """Each rule's watch set expanded through the graph (sectors, models, subsidiaries)."""
        out: dict[str, frozenset[str]] = {}
        for rule in rules:
            base = watch_base(rule.spec)
            if base is not None:
                ids, sectors, related = base
                out[rule.id] = outbox.expand_watchlist(self.graph, ids, sectors, related)
        return out

    def on_batch(self, items: Sequence[tuple[Article, Extraction]]) -> None:
        """The GraphSink hook: never raises into ingest."""
        try:
            self.evaluate_batch(items)
        except Exception:
            log.exception("alert evaluation failed for a batch of %d articles", len(items))

    def run_spikes(self) -> list[Recorded]:
        drafts: list[AlertDraft] = []
        now = self.clock()
        for rule in self.rules(["spike"]):
            spec = rule.spec
            assert isinstance(spec, SpikeSpec)
            window_start = now - timedelta(hours=spec.window_hours)
            windows = outbox.mention_counts(self.graph, spec.entities, now, window_start,
                                            window_start - timedelta(days=spec.baseline_days))
            counts = [MentionCounts(entity_id=w.entity_id, window=w.window, baseline=w.baseline,
                                    evidence=tuple(w.recent)) for w in windows]
            drafts += eval_spike(rule, spec, counts, kb_names())
        return self.record(drafts)

    def check_source_health(self, source_ids: Sequence[str] = ()) -> list[Recorded]:
        rules = self.rules(["source_health"])
        if not rules:
            return []
        specs = [r.spec for r in rules if isinstance(r.spec, SourceHealthSpec)]
        depth = max(s.failures for s in specs)
        runs = [SourceRunHistory(source_id=h.source_id, statuses=tuple(h.statuses),
                                 last_error=", ".join(h.last_error_kinds) or None,
                                 healths=tuple(h.healths), last_reason=h.last_health_reason)
                for h in outbox.recent_crawl_runs(self.graph, source_ids, depth)]
        drafts: list[AlertDraft] = []
        for rule in rules:
            assert isinstance(rule.spec, SourceHealthSpec)
            drafts += eval_source_health(rule, rule.spec, runs)
        return self.record(drafts)


def batch_hooks(driver: Driver, database: str | None = None,
                settings: AlertSettings | None = None) -> list[BatchHook]:
    """`GraphSink(on_batch=batch_hooks(driver))`: evaluate alert rules on every written batch."""
    from alerts.settings import get_alert_settings

    return [AlertEvaluator(driver, settings or get_alert_settings(), database).on_batch]
