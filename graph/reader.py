"""The read functions of every area, under the import path the console, benchmarks and tests
use. They live in `graph/reads/` (one module per area, with the models they return); new reads
go there, not here. This module only re-exports them."""

from __future__ import annotations

from graph.reads.articles import (
    ArticleFilter,
    article_detail,
    list_articles,
    search_articles,
)
from graph.reads.base import Reads, data
from graph.reads.entities import (
    POLICY_WINDOW,
    entity_profile,
    profile_queries,
    resolve_entity,
    search_entities,
)
from graph.reads.ingest import (
    Row,
    counts,
    existing_hashes,
    known_pages,
    simhash_candidates,
)
from graph.reads.metrics import (
    latest_observations,
    observation_series,
    price_comparison,
    series_query,
)
from graph.reads.policies import list_policies, policy_detail
from graph.reads.risks import list_risks
from graph.reads.sources import crawl_runs, list_sources, source_detail

__all__ = [
    "POLICY_WINDOW",
    "ArticleFilter",
    "Reads",
    "Row",
    "article_detail",
    "counts",
    "crawl_runs",
    "data",
    "entity_profile",
    "existing_hashes",
    "known_pages",
    "latest_observations",
    "list_articles",
    "list_policies",
    "list_risks",
    "list_sources",
    "observation_series",
    "policy_detail",
    "price_comparison",
    "profile_queries",
    "resolve_entity",
    "search_articles",
    "search_entities",
    "series_query",
    "simhash_candidates",
    "source_detail",
]
