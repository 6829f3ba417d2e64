"""Generate the golden files: for every enabled source in crawlers/sources.yaml, its listing
and article pages rebuilt from the documented real structure (layouts.py), plus the expected
parse as JSON.

    .venv/bin/python tests/crawlers/golden/make_golden.py          # rewrite all
    .venv/bin/python tests/crawlers/golden/make_golden.py ithome   # one source

The expected JSON is produced by the current code, but only after checking it against the
facts the page was built from (title, date, every paragraph, policy fields, no boilerplate,
the article among the listing's links, the two_step API URL), so a parser regression cannot
silently become the new expectation. Review the diff."""

from __future__ import annotations

import gzip
import json
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawlers.registry import SourceConfig, load_sources
from crawlers.urls import canonicalize
from tests.crawlers.golden.check import (
    article_for,
    article_json,
    first_request_url,
    link_json,
    parse_listing,
    two_step_endpoint,
)
from tests.crawlers.golden.layouts import FIXTURES, Fixture, Page

HERE = Path(__file__).parent
# the crawl's clock for every golden parse (fetched_at; relative dates resolve against it)
REFERENCE_TIME = datetime(2025, 7, 3, 12, 0, tzinfo=UTC)
BOILERPLATE = ("版权所有", "Copyright", "责任编辑", "扫一扫", "相关阅读", "ICP备", "首页")


def mode_of(page: Page) -> str:
    if page.from_listing:
        return "listing"
    if page.summary_only:
        return "refused"
    return "page"


def checked(
    source: SourceConfig,
    page: Page,
    html: bytes,
    content_type: str,
    links: list[Any],
) -> dict[str, Any]:
    """Parse one article, check it against the facts it was built from, return the expectation."""
    link = next((lk for lk in links if canonicalize(lk.url) == canonicalize(page.url)), None)
    art = article_for(source, mode_of(page), page.url, html, content_type, link, REFERENCE_TIME)
    assert art.title == page.title, (source.id, art.title)
    assert art.published_at == datetime.fromisoformat(page.published_at), (
        source.id,
        art.published_at,
    )
    for para in page.paragraphs:
        assert para in art.text, (source.id, para, art.text)
    assert not any(b in art.text for b in BOILERPLATE), (source.id, art.text)
    assert (art.raw_meta.get("summary_only") == "true") == page.summary_only, source.id
    if not page.policy:
        assert art.policy is None, (source.id, art.policy)
    else:
        assert art.policy is not None, source.id
        got = art.policy.model_dump(mode="json")
        for key, value in page.policy.items():
            assert got[key] == value, (source.id, key, got[key], value)
    return article_json(art)


def _gz(path: Path, data: bytes) -> None:
    path.write_bytes(gzip.compress(data, mtime=0))


def build(source: SourceConfig, fx: Fixture) -> None:
    out = HERE / source.id
    if out.exists():
        shutil.rmtree(out)
    out.mkdir()
    expected: dict[str, Any] = {
        "learned_from": fx.learned_from,
        "reference_time": REFERENCE_TIME.isoformat(),
        "listing_url": fx.listing_url,
        "listing_file": f"listing.{fx.listing_ext}.gz",
    }
    _gz(out / expected["listing_file"], fx.listing)
    if fx.page is not None:  # two_step: the API URL must follow from the first page
        page_url = source.listing.page_url  # type: ignore[union-attr]
        endpoint = two_step_endpoint(source, page_url, fx.page.decode("utf-8"))
        assert endpoint == fx.listing_url, (source.id, endpoint)
        expected["two_step"] = {
            "page_url": page_url,
            "page_file": f"page.{fx.page_ext}.gz",
            "endpoint": endpoint,
        }
        _gz(out / expected["two_step"]["page_file"], fx.page)
    else:  # the recorded listing is the one the spider asks for
        assert first_request_url(source) == fx.listing_url, (source.id, first_request_url(source))
    result = parse_listing(source, fx.listing_url, fx.listing, REFERENCE_TIME)
    expected["links"] = [link_json(lk) for lk in result.links]
    expected["more"] = result.more
    urls = [canonicalize(lk.url) for lk in result.links]
    assert canonicalize(fx.article.url) in urls, (source.id, urls)

    article: dict[str, Any] = {
        "url": fx.article.url,
        "mode": mode_of(fx.article),
        "status": fx.article.status,
        "content_type": fx.content_type,
    }
    if fx.article_html:
        article["file"] = "article.html.gz"
        _gz(out / "article.html.gz", fx.article_html)
    article["expected"] = checked(
        source, fx.article, fx.article_html, fx.content_type, result.links
    )
    expected["article"] = article
    extra = []
    for name, page, html in fx.extra:
        _gz(out / f"article-{name}.html.gz", html)
        extra.append(
            {
                "file": f"article-{name}.html.gz",
                "url": page.url,
                "mode": "page",
                "status": 200,
                "content_type": fx.content_type,
                "expected": checked(source, page, html, fx.content_type, result.links),
            }
        )
    expected["extra_articles"] = extra
    (out / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{source.id}: {len(result.links)} links, {len(article['expected']['text'])} chars")


def main(ids: list[str]) -> None:
    for source in load_sources():
        if source.enabled and (not ids or source.id in ids):
            build(source, FIXTURES[source.id]())
    for old in HERE.iterdir():  # golden folders of sources that are gone or disabled
        enabled = {s.id for s in load_sources() if s.enabled}
        if old.is_dir() and old.name not in enabled and old.name != "__pycache__":
            shutil.rmtree(old)


if __name__ == "__main__":
    main(sys.argv[1:])
