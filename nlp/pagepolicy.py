"""A policy page's own fields (document number, issuer, dates) as a policy of the extraction.

Structural: any article-like object with a `title` and `policy` fields will do, so nlp needs
nothing from the crawlers."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from nlp.kb import KnowledgeBase, unseen_agency_id
from nlp.types import Extraction, PolicyInfo


class PolicyFields(Protocol):
    @property
    def doc_number(self) -> str | None: ...
    @property
    def issuer(self) -> str | None: ...
    @property
    def issued_at(self) -> date | None: ...
    @property
    def effective_at(self) -> date | None: ...


class PolicyPage(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def policy(self) -> PolicyFields | None: ...


def issuer_id(kb: KnowledgeBase, printed: str | None) -> str | None:
    """Pure: the agency id for a page's printed issuer: a KB agency, the parent agency of a
    sub-unit (办公厅, 司, 局), or else an unseen agency of that name, never nothing."""
    if not printed or not printed.strip():
        return None
    return kb.resolve_agency(printed) or unseen_agency_id(printed)


def with_page_policy(article: PolicyPage, extraction: Extraction, kb: KnowledgeBase) -> Extraction:
    """Pure: a policy page's own fields (document number, issuer, dates) become a policy of
    the extraction, linked to the KB policy with the same document number and to the issuing
    agency, unless the text already yielded that policy."""
    page = article.policy
    if page is None or not (page.doc_number or article.title):
        return extraction
    if page.doc_number and any(p.doc_number == page.doc_number for p in extraction.policies):
        return extraction
    known = next(
        (e.id for e in kb.of_kind("policy") if page.doc_number and e.doc_number == page.doc_number),
        None,
    )
    policy = PolicyInfo(
        id=known,
        title=article.title or str(page.doc_number),
        doc_number=page.doc_number,
        issuer=issuer_id(kb, page.issuer),
        issued_at=page.issued_at.isoformat() if page.issued_at else None,
        effective_at=page.effective_at.isoformat() if page.effective_at else None,
        start=0,
        end=len(article.title),  # the title opens the joined text (nlp.text.join_title)
    )
    return extraction.model_copy(update={"policies": (*extraction.policies, policy)})
