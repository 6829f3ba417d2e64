"""Main-text extraction with trafilatura (precision first, CJK kept) and htmldate (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any


@dataclass(frozen=True)
class Extracted:
    title: str | None
    text: str | None
    date: str | None


@lru_cache(maxsize=1)
def _config() -> Any:
    from trafilatura.settings import use_config

    cfg = use_config()
    # Chinese briefs are short in characters but dense; the defaults (250) drop them.
    cfg.set("DEFAULT", "MIN_EXTRACTED_SIZE", "60")
    cfg.set("DEFAULT", "MIN_OUTPUT_SIZE", "20")
    cfg.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # no signal-based timeout inside threads
    return cfg


def extract(html: str, url: str | None = None, ref: datetime | None = None) -> Extracted:
    """Title, body text and (original) publication date of an HTML page. `ref` (the fetch
    time) bounds the date search: htmldate would otherwise use today's date."""
    import trafilatura
    from htmldate import find_date

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        deduplicate=False,
        config=_config(),
        date_extraction_params=_date_params(ref),
    )
    title = getattr(doc, "title", None) if doc is not None else None
    text = getattr(doc, "text", None) if doc is not None else None
    date = getattr(doc, "date", None) if doc is not None else None
    if not text:
        text = trafilatura.extract(html, url=url, favor_recall=True, config=_config()) or None
    if not date:
        date = find_date(html, url=url, **_date_params(ref))
    return Extracted(title=title, text=text, date=date)


def _date_params(ref: datetime | None) -> dict[str, Any]:
    params: dict[str, Any] = {"original_date": True, "extensive_search": False}
    if ref is not None:
        params["max_date"] = ref.strftime("%Y-%m-%d")
    return params
