"""The hand-off to the sink: batches, worker threads, failures that do not stop a crawl."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crawlers.bigsite import generate_site
from tests.crawlers.crawlrun import run_probe
from tests.crawlers.site import FixtureSite

pytestmark = [pytest.mark.http, pytest.mark.slow]


def test_batches_off_reactor_and_sink_failure_is_contained(tmp_path: Path) -> None:
    info = generate_site(tmp_path / "site", articles_per_source=10)  # 5 sources x 10
    with FixtureSite(info.root) as site:
        seen = run_probe(info.registry, site.base, 4, [2])
    # each source's pipeline flushes full batches of 4, then its remainder (10 = 4 + 4 + 2)
    assert sorted(seen["batches"]) == sorted([4, 4, 2] * 5)
    assert not any(seen["on_main_thread"])  # never on the reactor thread
    # the failed batch is counted as sink errors, everything else is stored, the crawl finished
    assert seen["stored"] == 50 - 4
    failed = [r for r in seen["runs"] if r["errors"]]
    assert len(failed) == 1 and failed[0]["errors"] == {"sink": 4}
    assert sorted(seen["recorded"]) == sorted(info.articles)  # record_run once per source
