"""The OpenAPI document filled for people: tag descriptions, a description for every
parameter and schema that its model does not describe itself, and real examples. Applied
once, when the document is first built (`install`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

TAGS: list[dict[str, str]] = [
    {"name": "health", "description": "Liveness (`/health`) and readiness (`/ready`); open."},
    {"name": "operations", "description": "Prometheus `/metrics`; open, counts only."},
    {"name": "entities", "description": "Companies, agencies, models and policies: search, "
     "profiles, neighbours, paths between them, curation (merges, aliases)."},
    {"name": "policies", "description": "Policy documents with their issuers and dates."},
    {"name": "metrics", "description": "Token volumes (tokens per period), prices (currency "
     "per 1M tokens) and price changes (signed fractions), as reported, with provenance."},
    {"name": "articles", "description": "Crawled and ingested articles and what was extracted."},
    {"name": "risks", "description": "Risk signals in the four categories analysts track."},
    {"name": "sources", "description": "The source registry, crawl runs and source health."},
    {"name": "schedules", "description": "The crawl scheduler's jobs: pause, resume, run now."},
    {"name": "alert rules", "description": "Rules evaluated on every ingest batch (risk, "
     "metric, policy) or on a schedule (spike, source_health)."},
    {"name": "alerts", "description": "Alerts raised by the caller's rules."},
    {"name": "webhooks", "description": "Where alerts go: signed generic JSON or IM bots."},
    {"name": "keys", "description": "API keys (admin)."},
    {"name": "admin", "description": "Read-only Cypher and KB reload (admin)."},
]

PARAMETERS: Mapping[str, tuple[str, Any]] = {
    "limit": ("page size (capped by the server)", 50),
    "cursor": ("opaque cursor from the previous page's `next_cursor`", None),
    "q": ("search text, Chinese or English (send it URL-encoded: curl -G --data-urlencode)",
          "阿里云"),
    "source": ("start entity id (paths) or source id (filters)", "deepseek"),
    "target": ("end entity id", "alibaba-cloud"),
    "status": ("filter by status", None),
    "policy_id": ("policy id", None),
    "side": ("price side: input, output or cached_input", "input"),
    "currency": ("CNY or USD", "CNY"),
    "kind": ("metric kind: token_volume, token_price or price_change", "token_price"),
    "article_id": ("article id", None),
    "category": ("risk category: policy_regulatory, technology_shortfall, adoption_shortfall "
                 "or market_sentiment", "policy_regulatory"),
    "source_id": ("source id from the registry (`GET /v1/sources`)", "ithome"),
    "key_id": ("API key id (the part after tw_)", None),
    "rule_id": ("rule id (rul_…)", None),
    "alert_id": ("alert id (alt_…)", None),
    "webhook_id": ("webhook id (whk_…)", None),
    "delivery_id": ("delivery id: the webhook-id header of the message", None),
    "subject": ("subject id: a KB entity id, or cn / us / global for national figures", "cn"),
    "period": ("minute, day, week, month or year", "day"),
}

SCHEMAS: Mapping[str, str] = {
    "Accepted": "The request was accepted and runs in the background.",
    "AlertDelivery": "One delivery of an alert to one webhook.",
    "AlertOut": "An alert: severity, title, summary, evidence and entities.",
    "AliasIn": "An alias to add to an entity.",
    "AliasOut": "The entity's aliases after the change.",
    "ArticleDetail": "An article with everything extracted from it.",
    "ArticleObservation": "A number reported in an article (token volume, price, price change).",
    "ArticleRisk": "A risk signal found in an article.",
    "ArticleSummary": "An article in a list: id, title, URL, source, dates.",
    "CompanyCount": "A company and how often it is counted in the result.",
    "CrawlRunOut": "One crawl of one source: counts, errors and, when it failed, why.",
    "CypherIn": "A read-only Cypher query with parameters.",
    "CypherOut": "Rows of a read-only Cypher query.",
    "DeliveryOut": "A webhook delivery with its attempt log.",
    "EntityHit": "An entity matching a search, best match first.",
    "EntityProfile": "Everything known about an entity.",
    "EntityRef": "An entity's id, type and name.",
    "FieldError": "One invalid field.",
    "GraphPath": "One path between two entities.",
    "HTTPValidationError": "Invalid request parameters.",
    "Health": "Liveness and Neo4j reachability.",
    "Issuer": "The agency that issued a policy.",
    "KbReloadOut": "What a KB reload wrote.",
    "KeyIn": "A new API key's role, owner and name.",
    "KeyOut": "An API key (never its secret).",
    "Latest": "The latest observation as of a date.",
    "Me": "The caller's key id, owner and role.",
    "MentionOut": "Mentions of an entity by month.",
    "MentioningArticle": "An article mentioning an entity.",
    "MergeIn": "Entities to merge into a survivor.",
    "MergeOut": "The result of a curated merge.",
    "MonthCount": "A count for one month.",
    "NeighbourNode": "A node next to the entity.",
    "Neighbourhood": "Nodes and relations around an entity.",
    "NewKey": "A created API key; the key string is shown only here.",
    "PathNode": "A node on a path.",
    "PathRel": "A relationship on a path.",
    "Paths": "Paths between two entities.",
    "PolicyDetail": "A policy with issuer, dates, status and mentioning articles.",
    "PolicyLink": "A policy an entity is linked to.",
    "PolicySummary": "A policy in a list.",
    "PriceComparison": "Prices of providers in one currency per 1M tokens.",
    "PriceQuote": "A price per 1M tokens as reported.",
    "ProviderPrice": "A provider's latest price.",
    "Ready": "Readiness and what stands in its way.",
    "Relation": "A relation of the entity.",
    "ReplayOut": "A delivery queued again.",
    "RiskOut": "A risk signal with its evidence.",
    "RuleIn": "A new alert rule.",
    "RuleOut": "An alert rule.",
    "RulePatch": "Fields of a rule to change.",
    "RunOut": "One scheduled or manual run of a crawl job.",
    "ScheduleIn": "A new interval or cron for a job.",
    "ScheduleOut": "A crawl job: trigger, next run, paused or not.",
    "Series": "A time series of observations of one subject.",
    "SourceDetail": "A source with its latest runs and health.",
    "SourceHealth": "A source's health from its runs.",
    "SourceOut": "A registered source.",
    "SourceRef": "A source's id and name.",
    "SourceSummary": "A source in a list with its health.",
    "TestSendOut": "The outcome of a test delivery.",
    "ValidationError": "One validation error.",
    "WebhookIn": "A new webhook endpoint.",
    "WebhookOut": "A webhook endpoint (never its secrets).",
    "WebhookPatch": "Fields of a webhook to change.",
    "WebhookWithSecret": "A webhook with its signing secret, shown at creation and rotation only.",
}


def fill(spec: dict[str, Any]) -> dict[str, Any]:
    """Add the descriptions and examples the models and routes do not carry (pure)."""
    for ops in spec.get("paths", {}).values():
        for op in ops.values():
            for param in op.get("parameters", []):
                known = PARAMETERS.get(param["name"])
                if known is None:
                    continue
                text, example = known
                if not param.get("description") and not param.get("schema", {}).get("description"):
                    param["description"] = text
                if example is not None and "example" not in param:
                    param["example"] = example
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        if not schema.get("description"):
            page = name.startswith("Page_")
            schema["description"] = (f"A page of {name[5:].strip('_')} items and the cursor of "
                                     "the next page" if page else SCHEMAS.get(name, name))
    return spec


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = fill(get_openapi(
                title=app.title, version=app.version, description=app.description,
                routes=app.routes, tags=app.openapi_tags))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
