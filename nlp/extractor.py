"""The extractor: one cached object holding a lazily built pipeline per language.

Offsets: when `title` is given, the analysed string is `title + "\\n\\n" + text` and every
offset (entities, metrics, risks, policies) indexes into that joined string; otherwise into
`text` as given. Control characters are replaced by spaces (same length), so offsets also
index into the caller's string.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from spacy.language import Language
from spacy.tokens import Doc

from nlp.dates import to_date
from nlp.errors import NlpError
from nlp.pipeline import MAX_CHARS, build_pipeline
from nlp.text import clean_text, detect_lang, join_title
from nlp.types import Extraction

log = logging.getLogger(__name__)
Lang = Literal["zh", "en"]
ZONE_DOCS = 256  # documents per memory zone in `pipe`


class DocInput(BaseModel):
    """One `tokenwatch extract` input line."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)

    id: str
    text: str
    title: str | None = None
    lang: Lang | None = None
    published_at: str | None = None
    url: str | None = None
    # what relative dates resolve against when published_at is missing (e.g. the fetch time);
    # an optional, compatible extension of the input line
    reference_time: str | None = None

    @field_validator("lang", mode="before")
    @classmethod
    def _region_free(cls, value: object) -> object:
        """'zh-CN', 'zh_Hans', 'EN-us' -> 'zh' / 'en'; '' -> None (auto-detect)."""
        if isinstance(value, str):
            base = value.strip().lower().replace("_", "-").split("-")[0]
            return base or None
        return value


class Extractor:
    """Process-wide extractor; pipelines are built on first use, not at import."""

    _instance: Extractor | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        self._pipelines: dict[str, Language] = {}

    @classmethod
    def get(cls) -> Extractor:
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def pipeline(self, lang: str) -> Language:
        if lang not in self._pipelines:
            with self._lock:
                if lang not in self._pipelines:
                    self._pipelines[lang] = build_pipeline(lang)
        return self._pipelines[lang]

    def extract(
        self,
        text: str,
        *,
        doc_id: str = "",
        title: str | None = None,
        lang: str | None = None,
        published_at: datetime | date | str | None = None,
        reference_time: datetime | date | str | None = None,
    ) -> Extraction:
        fields = {"id": doc_id, "text": text, "title": title, "lang": lang}
        try:
            doc = DocInput.model_validate(
                {
                    **fields,
                    "published_at": _iso(published_at),
                    "reference_time": _iso(reference_time),
                }
            )
        except ValidationError as exc:
            raise NlpError(f"invalid document: {exc}") from exc
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[DocInput], batch_size: int = 32) -> Iterator[Extraction]:
        """Extractions in input order. A failing document yields an Extraction with `error`."""
        chunk: list[DocInput] = []
        for doc in docs:
            chunk.append(doc)
            if len(chunk) >= ZONE_DOCS:
                yield from self._run_chunk(chunk, batch_size)
                chunk = []
        if chunk:
            yield from self._run_chunk(chunk, batch_size)

    def _run_chunk(self, chunk: list[DocInput], batch_size: int) -> list[Extraction]:
        results: dict[int, Extraction] = {}
        by_lang: dict[Lang, list[tuple[int, DocInput, str]]] = {}
        for i, item in enumerate(chunk):
            prepared = _prepare(item)
            if isinstance(prepared, Extraction):
                results[i] = prepared
            else:
                by_lang.setdefault(prepared[0], []).append((i, item, prepared[1]))
        for lang, items in by_lang.items():
            results.update(self._run_lang(lang, items, batch_size))
        return [results[i] for i in range(len(chunk))]

    def _run_lang(
        self, lang: Lang, items: list[tuple[int, DocInput, str]], batch_size: int
    ) -> dict[int, Extraction]:
        nlp = self.pipeline(lang)
        out: dict[int, Extraction] = {}
        try:
            with nlp.memory_zone():
                docs = [self._make_doc(nlp, text, item) for _, item, text in items]
                for (i, item, _), doc in zip(
                    items, nlp.pipe(docs, batch_size=batch_size), strict=True
                ):
                    out[i] = _to_extraction(item.id, lang, doc)
        except Exception as exc:  # a bad document must not sink the batch: retry one by one
            log.warning("batch failed (%s), retrying documents one by one", exc)
            for i, item, text in items:
                out[i] = self._run_one(nlp, lang, item, text)
        return out

    def _run_one(self, nlp: Language, lang: Lang, item: DocInput, text: str) -> Extraction:
        try:
            with nlp.memory_zone():
                return _to_extraction(item.id, lang, nlp(self._make_doc(nlp, text, item)))
        except Exception as exc:
            log.exception("extraction failed for %s", item.id)
            error = f"extraction failed: {type(exc).__name__}: {exc}"
            return Extraction(id=item.id, lang=lang, error=error)

    @staticmethod
    def _make_doc(nlp: Language, text: str, item: DocInput) -> Doc:
        doc = nlp.make_doc(text)
        doc._.tw_text = text
        # dates in the text resolve against publication, else the caller's reference: never
        # against today's date
        doc._.tw_published = to_date(item.published_at) or to_date(item.reference_time)
        return doc


def _iso(value: datetime | date | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def _prepare(item: DocInput) -> tuple[Lang, str] | Extraction:
    """(lang, analysed text), or an Extraction carrying the reason it cannot be analysed."""
    text = clean_text(join_title(item.title, item.text or ""))
    lang = item.lang or detect_lang(text)
    if not text.strip():
        return Extraction(id=item.id, lang=lang)
    if len(text) > MAX_CHARS:
        return Extraction(
            id=item.id,
            lang=lang,
            error=f"text too long: {len(text)} characters (limit {MAX_CHARS})",
        )
    return lang, text


def _to_extraction(doc_id: str, lang: Lang, doc: Doc) -> Extraction:
    return Extraction(
        id=doc_id,
        lang=lang,
        entities=tuple(doc._.tw_entities or ()),
        metrics=tuple(doc._.tw_metrics or ()),
        risks=tuple(doc._.tw_risks or ()),
        policies=tuple(doc._.tw_policies or ()),
    )


def extract(
    text: str,
    *,
    doc_id: str = "",
    title: str | None = None,
    lang: str | None = None,
    published_at: datetime | date | str | None = None,
    reference_time: datetime | date | str | None = None,
) -> Extraction:
    """Extract entities, token metrics, policies and risks from one document (see module doc).
    Dates in the text resolve against `published_at`, else `reference_time`; with neither,
    relative dates ("上个月", "yesterday") and default `as_of` values are left unknown."""
    return Extractor.get().extract(
        text,
        doc_id=doc_id,
        title=title,
        lang=lang,
        published_at=published_at,
        reference_time=reference_time,
    )


__all__ = ["DocInput", "Extractor", "NlpError", "extract"]
