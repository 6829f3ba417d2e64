"""Per-site parsers, by registry name. `get_parser(name)` returns a SiteParser that picks the
layout version valid for a page's date (fundus-style VALID_UNTIL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from crawlers.errors import RegistryError
from crawlers.parsers.base import BaseParser, Page, ParsedPage, Selectors, normalise_text

_REGISTRY: dict[str, list[type[BaseParser]]] = {"default": [BaseParser]}


def register(name: str) -> Callable[[type[BaseParser]], type[BaseParser]]:
    """Class decorator: add a layout version to the site parser `name`."""

    def deco(cls: type[BaseParser]) -> type[BaseParser]:
        _REGISTRY.setdefault(name, []).append(cls)
        return cls

    return deco


class SiteParser:
    def __init__(self, name: str, versions: list[type[BaseParser]]) -> None:
        self.name = name
        # open-ended (current) version last; dated versions in VALID_UNTIL order
        self.versions = sorted(versions, key=lambda v: v.VALID_UNTIL or date.max)

    def version_for(self, when: date | None) -> type[BaseParser]:
        if when is not None:
            for version in self.versions:
                if version.VALID_UNTIL is None or when <= version.VALID_UNTIL:
                    return version
        return self.versions[-1]

    def parse(self, page: Page) -> ParsedPage:
        """Parse with the version valid at the listing's date; without one, parse with the
        current version and, if the page's own date belongs to an older layout, re-parse."""
        when = page.hint_date.date() if page.hint_date else None
        version = self.version_for(when)
        parsed = version(page).parse()
        if when is None and parsed.published_at is not None:
            older = self.version_for(parsed.published_at.date())
            if older is not version:
                parsed = older(page).parse()
        return parsed


def names() -> list[str]:
    _load_sites()
    return sorted(_REGISTRY)


def get_parser(name: str) -> SiteParser:
    _load_sites()
    if name not in _REGISTRY:
        raise RegistryError(f"unknown parser {name!r}; known: {', '.join(sorted(_REGISTRY))}")
    return SiteParser(name, _REGISTRY[name])


def _load_sites() -> None:
    from crawlers.parsers import sites  # noqa: F401  (registers on import)


__all__ = [
    "BaseParser",
    "Page",
    "ParsedPage",
    "Selectors",
    "SiteParser",
    "get_parser",
    "names",
    "normalise_text",
    "register",
]
