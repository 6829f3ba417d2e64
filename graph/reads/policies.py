"""Policies: listings (issuer, status, dates, keyword) and a policy with its sources."""

from __future__ import annotations

from datetime import date

from neo4j import ManagedTransaction
from pydantic import field_validator

from graph.cypher import entities as queries
from graph.reads.base import (
    Day,
    MentioningArticle,
    ReadModel,
    Reads,
    Row,
    data,
    none_to_list,
)
from graph.temporal import native


class Policy(ReadModel):
    """A policy node's own fields."""

    id: str
    name: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    title: str | None = None
    doc_number: str | None = None
    issued_at: Day | None = None
    effective_at: Day | None = None
    status: str | None = None
    kb: bool | None = None


class PolicySummary(Policy):
    issuer_id: str | None = None
    issuer_name: str | None = None
    sort_key: Day | None = None

    @classmethod
    def of(cls, row: Row) -> PolicySummary:
        return cls.model_validate(native({**row["policy"], "issuer_id": row["issuer_id"],
                                          "issuer_name": row["issuer_name"],
                                          "sort_key": row["sort_key"]}))


class Issuer(ReadModel):
    id: str
    name: str | None = None
    name_en: str | None = None
    source: str | None = None
    article_id: str | None = None


class CompanyCount(ReadModel):
    id: str
    name: str | None = None
    articles: int


class PolicyDetail(Policy):
    aliases: list[str] = []
    issuers: list[Issuer] = []
    articles: list[MentioningArticle] = []
    companies: list[CompanyCount] = []

    _lists = field_validator("aliases", mode="before")(none_to_list)

    @property
    def issuer(self) -> Issuer | None:
        return self.issuers[0] if self.issuers else None


def list_policies(r: Reads, *, issuer: str | None, status: str | None, since: date | None,
                  until: date | None, q: str | None, after: tuple[date, str] | None,
                  limit: int) -> list[PolicySummary]:
    rows = r.rows(queries.POLICY_LIST, issuer=issuer, status=status, since=since, until=until,
                  q=q, after_key=after[0] if after else None,
                  after_id=after[1] if after else None, limit=limit)
    return [PolicySummary.of(row) for row in rows]


def policy_detail(r: Reads, policy_id: str, limit: int = 50) -> PolicyDetail | None:
    def work(tx: ManagedTransaction) -> PolicyDetail | None:
        rows = data(tx, queries.POLICY_DETAIL, id=policy_id)
        if not rows:
            return None
        p = rows[0]
        return PolicyDetail.model_validate({
            **native(p["policy"]),
            "issuers": [Issuer.of(i) for i in p["issuers"] if i.get("id")],
            "articles": [MentioningArticle.of(a) for a in data(
                tx, queries.POLICY_ARTICLES, id=policy_id, limit=limit)],
            "companies": [CompanyCount.of(c) for c in data(
                tx, queries.POLICY_COMPANIES, id=policy_id, limit=limit)],
        })

    return r.tx(work)
