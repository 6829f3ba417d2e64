"""Why a crawl failed, in words (pure): "robots.txt disallows https://…", "HTTP 404 at …",
"timeout fetching …", "could not parse … (no article body)". A run keeps the first few of
these as its `detail`, so the run history says the cause, not a Scrapy stats fragment."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

MAX_REASONS = 3
MAX_DETAIL = 500
PARSE_KINDS = frozenset({"listing_error", "parse_error", "no_content", "empty_body", "not_html",
                         "truncated", "encoding", "bad_feed", "bad_sitemap", "bad_json"})


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def describe(kind: str, url: str, reason: str) -> str:
    """One failure as a sentence naming the URL."""
    if kind == "robots_disallowed":
        return f"robots.txt disallows {url}"
    if kind == "robots_unreachable":
        return f"robots.txt of {_host(url)} unreachable, nothing fetched from it ({url})"
    if kind.startswith("http_") and kind[5:].isdigit():
        return f"HTTP {kind[5:]} at {url}"
    if kind == "timeout":
        return f"timeout fetching {url}"
    if kind == "dns":
        return f"DNS lookup failed for {_host(url)} ({url})"
    if kind == "connection":
        return f"connection to {_host(url)} failed ({url})"
    if kind == "redirect_loop":
        return f"too many redirects at {url}"
    if kind == "too_large":
        return f"page larger than the size cap at {url}"
    if kind == "backoff":
        return f"server asked us to back off (Retry-After too long) at {url}"
    if kind == "crawler":
        return "the crawler never started for this source (see the crawl log)"
    short = reason.strip().splitlines()[0][:160] if reason.strip() else kind
    if kind in PARSE_KINDS:
        return f"could not parse {url}: {short}"
    return f"{kind} at {url}: {short}"


def detail(reasons: Sequence[str], total_errors: int) -> str | None:
    """The run's detail: the first reasons, and how many more errors there were."""
    if not reasons:
        return None
    shown = list(reasons[:MAX_REASONS])
    more = total_errors - len(shown)
    text = "; ".join(shown) + (f"; and {more} more error(s)" if more > 0 else "")
    return text[:MAX_DETAIL]
