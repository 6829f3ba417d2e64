"""Constraints and indexes (`schema_statements`, `ALERT_SCHEMA`) and the full-text index names."""

from __future__ import annotations

from typing import Final

from graph.labels import NODE_LABELS

MINHASH_BANDS: Final = 16  # crawlers.dedupe.BANDS (a test holds them equal)

FULLTEXT_ARTICLES: Final = "article_fulltext"
FULLTEXT_ENTITIES: Final = "entity_names"


def schema_statements() -> list[str]:
    """Constraints and indexes; every statement is IF NOT EXISTS so applying twice is a no-op."""
    stmts = [
        f"CREATE CONSTRAINT {lbl.lower()}_id IF NOT EXISTS FOR (n:{lbl}) REQUIRE n.id IS UNIQUE"
        for lbl in sorted(NODE_LABELS)
    ]
    stmts += [
        "CREATE INDEX article_published IF NOT EXISTS FOR (a:Article) ON (a.published_at)",
        "CREATE INDEX article_canonical IF NOT EXISTS FOR (a:Article) ON (a.canonical_url)",
        "CREATE INDEX article_source IF NOT EXISTS FOR (a:Article) ON (a.source_id)",
        "CREATE INDEX article_hash IF NOT EXISTS FOR (a:Article) ON (a.content_hash)",
        *[
            f"CREATE INDEX article_sh{i} IF NOT EXISTS FOR (a:Article) ON (a.sh{i})"
            for i in range(4)
        ],
        *[  # MinHash LSH bands (crawlers.dedupe.BANDS): short syndicated copies
            f"CREATE INDEX article_mb{i} IF NOT EXISTS FOR (a:Article) ON (a.mb{i})"
            for i in range(MINHASH_BANDS)
        ],
        "CREATE INDEX observation_kind_asof IF NOT EXISTS FOR (o:Observation) ON (o.kind, o.as_of)",
        "CREATE INDEX observation_subject IF NOT EXISTS FOR (o:Observation) ON (o.subject_id)",
        "CREATE INDEX observation_date IF NOT EXISTS FOR (o:Observation) ON (o.kind, o.date)",
        "CREATE INDEX risk_published IF NOT EXISTS FOR (r:RiskSignal) ON (r.published_at)",
        "CREATE INDEX policy_issued IF NOT EXISTS FOR (p:Policy) ON (p.issued_at)",
        "CREATE INDEX mentions_published IF NOT EXISTS FOR ()-[m:MENTIONS]-() ON (m.published_at)",
        "CREATE INDEX risk_category IF NOT EXISTS FOR (r:RiskSignal) ON (r.category)",
        "CREATE INDEX crawlrun_source IF NOT EXISTS "
        "FOR (c:CrawlRun) ON (c.source_id, c.started_at)",
        # aggregates and the seeks that keep hot reads independent of popularity
        "CREATE INDEX mentionmonth_entity IF NOT EXISTS "
        "FOR (m:MentionMonth) ON (m.entity_id, m.month)",
        "CREATE INDEX riskcount_entity IF NOT EXISTS FOR (r:RiskCount) ON (r.entity_id)",
        "CREATE INDEX latestobs_subject IF NOT EXISTS FOR (l:LatestObservation) ON (l.subject_id)",
        "CREATE INDEX latestobs_kind IF NOT EXISTS FOR (l:LatestObservation) ON (l.kind)",
        "CREATE INDEX observation_group IF NOT EXISTS FOR (o:Observation) ON (o.group, o.date)",
        "CREATE INDEX observation_subject_kind IF NOT EXISTS "
        "FOR (o:Observation) ON (o.subject_id, o.kind, o.date)",
        "CREATE INDEX mentions_entity IF NOT EXISTS "
        "FOR ()-[m:MENTIONS]-() ON (m.entity_id, m.published_at)",
        "CREATE INDEX concerns_entity IF NOT EXISTS "
        "FOR ()-[c:CONCERNS]-() ON (c.entity_id, c.published_at)",
        "CREATE INDEX policy_doc_number IF NOT EXISTS FOR (p:Policy) ON (p.doc_number)",
        (
            f"CREATE FULLTEXT INDEX {FULLTEXT_ARTICLES} IF NOT EXISTS "
            "FOR (a:Article) ON EACH [a.title, a.text] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"
        ),
        (
            f"CREATE FULLTEXT INDEX {FULLTEXT_ENTITIES} IF NOT EXISTS "
            "FOR (n:Company|Agency|Model|Policy) "
            "ON EACH [n.name, n.name_zh, n.name_en, n.search_terms] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"
        ),
    ]
    return stmts



# the alerts' indexes, applied with the rest by graph.outbox.apply_alert_schema
ALERT_SCHEMA: Final = (
    "CREATE INDEX delivery_due IF NOT EXISTS FOR (d:Delivery) ON (d.status, d.next_attempt_at)",
    "CREATE INDEX delivery_webhook IF NOT EXISTS FOR (d:Delivery) ON (d.webhook_id, d.created_at)",
    "CREATE INDEX alert_dedupe IF NOT EXISTS FOR (a:Alert) ON (a.owner, a.dedupe_key)",
    "CREATE INDEX alert_owner_created IF NOT EXISTS FOR (a:Alert) ON (a.owner, a.created_at)",
    "CREATE INDEX alertrule_owner IF NOT EXISTS FOR (r:AlertRule) ON (r.owner)",
    "CREATE INDEX alertrule_type IF NOT EXISTS FOR (r:AlertRule) ON (r.type)",
    "CREATE INDEX webhook_owner IF NOT EXISTS FOR (w:Webhook) ON (w.owner)",
    "CREATE INDEX observation_subject_text IF NOT EXISTS FOR (o:Observation) ON (o.subject_text)",
)
