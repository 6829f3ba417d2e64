from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawlers.site import FixtureSite

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def mini_site() -> Iterator[FixtureSite]:
    """The foundation's mini site (RSS feed + list page, 4 zh + 2 en articles) on loopback."""
    with FixtureSite(FIXTURES / "mini") as site:
        yield site


@pytest.fixture
def fixture_site() -> Iterator[FixtureSite]:
    """An empty loopback site: add behaviour with site.route(path, Route(...))."""
    with FixtureSite() as site:
        yield site
