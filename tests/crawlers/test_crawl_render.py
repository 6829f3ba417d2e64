"""`render: true` (opt-in): a list that only a browser builds is crawled through
scrapy-playwright with the system Chromium; the same list without render yields nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.runner import CrawlSettings
from tests.crawlers.crawlrun import run_crawl
from tests.crawlers.engine_site import article
from tests.crawlers.site import FixtureSite, Route

CHROMIUM = CrawlSettings().chromium_path
pytestmark = [
    pytest.mark.http,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"no Chromium at {CHROMIUM}: `make test` installs Debian's chromium (apt-get, as "
        "root); set TOKENWATCH_CRAWL_CHROMIUM_PATH to use another",
    ),
]

SHELL = b"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>list</title></head>
<body><ul id="list"></ul><script>
var items = [["/r/a1.html", "\\u6e32\\u67d3\\u51fa\\u6765\\u7684\\u6587\\u7ae0"]];
document.getElementById("list").innerHTML = items.map(function (i) {
  return '<li><a href="' + i[0] + '">' + i[1] + '</a></li>'; }).join("");
</script></body></html>"""

REGISTRY = """
sources:
  - id: {id}
    name: a list built by script
    kind: company
    lang: zh
    url: "{base}/r/"
    render: {render}
    politeness: {{download_delay: 0}}
    listing: {{type: list, urls: ["{base}/r/list.html"], link_selector: "#list li a"}}
"""


def _crawl(site: FixtureSite, tmp_path: Path, render: bool) -> tuple[int, set[str]]:
    sid = "rendered" if render else "plain"
    registry = tmp_path / f"{sid}.yaml"
    registry.write_text(REGISTRY.format(id=sid, base=site.base, render=str(render).lower()))
    result = run_crawl(registry, base_url=site.base, out=tmp_path / f"{sid}.jsonl", timeout=180)
    return result.run(sid).pages_fetched, {a.title for a in result.articles.values()}


def test_render_builds_the_list_the_plain_fetch_cannot_see(tmp_path: Path) -> None:
    routes = {
        "/r/list.html": Route(body=SHELL, headers={"Content-Type": "text/html"}),
        "/r/a1.html": Route(body=article("渲染出来的文章"), headers={"Content-Type": "text/html"}),
    }
    with FixtureSite(routes=routes) as site:
        pages, titles = _crawl(site, tmp_path, render=False)
        assert titles == set() and pages == 1  # the shell alone has no links
        pages, titles = _crawl(site, tmp_path, render=True)
        assert titles == {"渲染出来的文章"}
        robots = [r for r in site.requests if r.path == "/robots.txt"]
        assert robots  # still asked, through Scrapy's own downloader
