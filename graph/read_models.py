"""The read models of every area, under the import path the console, benchmarks and tests use.

The models live with the reads that build them, one module per area in `graph/reads/`
(new models go there, not here); this module only re-exports them."""

from __future__ import annotations

from graph.explore import GraphPath, Neighbourhood, NeighbourNode, PathNode, PathRel
from graph.reads.articles import (
    POLICY_FIELDS,
    ArticleDetail,
    ArticleHit,
    ArticleObservation,
    ArticleRisk,
    Mention,
)
from graph.reads.base import (
    ArticleRef,
    Day,
    EntityRef,
    MentioningArticle,
    ReadModel,
    Row,
    SourceInfo,
    kind_of,
)
from graph.reads.entities import (
    Entity,
    EntityHit,
    EntityProfile,
    MonthCount,
    PolicyLink,
    Relation,
)
from graph.reads.metrics import Observation, ProviderQuote, SourceRef
from graph.reads.policies import CompanyCount, Issuer, PolicyDetail, PolicySummary
from graph.reads.risks import Risk
from graph.reads.sources import CrawlRun, SourceDetail, SourceSummary

__all__ = [
    "POLICY_FIELDS",
    "ArticleDetail",
    "ArticleHit",
    "ArticleObservation",
    "ArticleRef",
    "ArticleRisk",
    "CompanyCount",
    "CrawlRun",
    "Day",
    "Entity",
    "EntityHit",
    "EntityProfile",
    "EntityRef",
    "GraphPath",
    "Issuer",
    "Mention",
    "MentioningArticle",
    "MonthCount",
    "NeighbourNode",
    "Neighbourhood",
    "Observation",
    "PathNode",
    "PathRel",
    "PolicyDetail",
    "PolicyLink",
    "PolicySummary",
    "ProviderQuote",
    "ReadModel",
    "Relation",
    "Risk",
    "Row",
    "SourceDetail",
    "SourceInfo",
    "SourceRef",
    "SourceSummary",
    "kind_of",
]
