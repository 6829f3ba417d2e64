"""The console, driven in a real browser: the service (uvicorn on a loopback port, in a
thread) over the real embedded Neo4j holding the fixture crawl (the mini fixture site crawled
by `tokenwatch crawl`, as in tests/e2e) plus the hand-checked sample graph of tests/conftest.py,
and Debian's chromium driven by Playwright (no browser download).

Screenshots go to tests/console/artifacts/ (gitignored; TOKENWATCH_CONSOLE_ARTIFACTS moves
it); each test prints the path of what it saved."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from neo4j import Driver

from alerts.clock import ManualClock
from alerts.delivery import DeliveryWorker
from alerts.settings import AlertSettings
from api.deps import Services
from graph.embedded import free_port
from graph.settings import Neo4jSettings
from tests.alerts.receiver import Receiver
from tests.conftest import TEST_ADMIN_KEY, load_sample_graph
from tests.crawlers.site import FixtureSite

MINI = Path(__file__).parents[1] / "crawlers" / "fixtures" / "mini"
ARTIFACTS = Path(os.environ.get("TOKENWATCH_CONSOLE_ARTIFACTS",
                                Path(__file__).parent / "artifacts"))
# what the pages read as "now": a day after the fixture crawl's newest articles
NOW = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)
SCRIPT_TITLE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">价格战'
SCRIPT_ARTICLE = "art-zh-script"

pytestmark = [pytest.mark.neo4j, pytest.mark.http]


# the service's delivery settings: loopback receivers allowed (the SSRF guard refuses them
# otherwise), short polls so a replay is sent within a moment
ALERT_SETTINGS = AlertSettings(allow_list=["127.0.0.1/32"], poll_interval_s=0.1,
                               attempt_timeout_s=5.0, retry_time_scale=0.001)


@dataclass(frozen=True)
class Console:
    base: str
    admin_key: str
    reader_key: str
    clock: ManualClock


def _write_script_article(driver: Driver, database: str | None) -> None:
    """An article whose title is markup: the console must show it as text."""
    from crawlers.types import Article
    from graph import writer
    from nlp.types import Extraction

    art = Article(id=SCRIPT_ARTICLE, url="https://example.test/script",
                  canonical_url="https://example.test/script", source_id="src-zh",
                  title=SCRIPT_TITLE, text="价格战继续。", lang="zh",
                  published_at=datetime(2025, 8, 30, 8, tzinfo=UTC),
                  fetched_at=datetime(2025, 8, 30, 9, tzinfo=UTC), content_hash="h-script")
    writer.write_batch(driver, writer.build_batch([(art, Extraction(id=art.id, lang="zh"))]),
                       database)


def _crawl_mini(settings: Neo4jSettings, tmp: Path) -> None:
    with FixtureSite(MINI) as site:
        registry = tmp / "sources.yaml"
        registry.write_text((MINI / "sources.yaml").read_text().replace("{base}", site.base))
        env = {**os.environ, "NEO4J_URI": str(settings.uri)}
        done = subprocess.run([sys.executable, "-m", "tokenwatch", "crawl", "--sources",
                               str(registry)], env=env, capture_output=True, text=True,
                              timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # in a thread: the test runner keeps signals
        pass


@pytest.fixture(scope="session")
def console(driver: Driver, neo4j_settings: Neo4jSettings,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    from api.app import create_app
    from api.auth import issue_key
    from api.settings import ApiSettings
    from graph.access import Graph

    with driver.session(database=neo4j_settings.database) as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()
    load_sample_graph(driver, neo4j_settings.database)
    _write_script_article(driver, neo4j_settings.database)
    api = ApiSettings(admin_key=TEST_ADMIN_KEY, rate_per_min=0, key_cache_s=0)
    clock = ManualClock(NOW)

    @contextmanager
    def services(drv: Driver) -> Iterator[Services]:
        """What `tokenwatch up` runs beside the API that the alert pages use: the delivery
        worker (replays) and the alert settings (test sends)."""
        from graph import outbox

        outbox.apply_alert_schema(drv, neo4j_settings.database)
        worker = DeliveryWorker(drv, ALERT_SETTINGS, neo4j_settings.database,
                                clock=clock).start()
        try:
            yield Services(delivery_worker=worker, alert_settings=ALERT_SETTINGS)
        finally:
            worker.stop(10)

    app = create_app(neo4j_settings, api_settings=api, clock=clock, services=services)
    port = free_port()
    server = _Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                    lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "console server did not start"
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    # a rule before the crawl: the crawl's new policies raise alerts for the console's inbox
    rule = httpx.post(f"{base}/v1/rules", headers={"Authorization": f"Bearer {TEST_ADMIN_KEY}"},
                      json={"name": "Every new policy", "severity": "info",
                            "condition": {"type": "policy"}})
    assert rule.status_code == 201, rule.text
    _crawl_mini(neo4j_settings, tmp_path_factory.mktemp("console-crawl"))
    reader, _ = issue_key(Graph(driver, neo4j_settings.database), "reader", "admin", "console reader")
    try:
        yield Console(base, TEST_ADMIN_KEY, reader, clock)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, headless=True,
                               args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield b
        b.close()


def sign_in(context: Any, console: Console, key: str | None = None) -> Any:
    page = context.new_page()
    page.goto(f"{console.base}/console/login")
    page.fill("input[name=api_key]", key or console.admin_key)
    page.click("#login button[type=submit]")
    page.wait_for_url(f"{console.base}/console/")
    return page


@pytest.fixture
def signed_in(browser: Any, console: Console) -> Iterator[Any]:
    """A signed-in page (English UI); console-errors and CSP violations are collected on it."""
    context = browser.new_context(locale="en-US", accept_downloads=True)
    errors: list[str] = []
    page = sign_in(context, console)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real webhook receiver on loopback (tests/alerts/receiver.py) that verifies the
    Standard Webhooks signature with the secrets it is given."""
    rec = Receiver()
    yield rec
    rec.stop()


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path
