"""The source registry: sources.yaml entries validated at load time.

File format (YAML)::

    defaults:            # optional, merged into every entry (entry keys win)
      politeness: {download_delay: 2.0}
    sources:
      - id: gov-zhengce            # unique, [a-z0-9-]
        name: 国务院政策文件库
        kind: policy               # policy | industry | company | intl
        lang: zh                   # zh | en
        url: https://www.gov.cn/zhengce/
        enabled: true
        parser: gov_cn             # crawlers.parsers name; "default" = trafilatura/htmldate
        encoding: utf-8            # hint, tried after the page's own declarations
        schedule: {interval_minutes: 60}         # or {cron: "*/30 * * * *"}
        # adaptive polling (interval sources): start at interval_minutes, then follow the
        # source's publishing rate within [min_minutes, max_minutes] (defaults 5 and 360)
        #   schedule: {interval_minutes: 60, adaptive: {min_minutes: 5, max_minutes: 360}}
        politeness: {download_delay: 1.0, concurrency: 2, respect_robots: true,
                     min_poll_minutes: 15}  # optional: what the site tolerates
        listing:                   # one of the kinds below, chosen by `type`
          type: feed               # feed_urls: [...]
          ...
        notes: how the real site is structured (free text)

Listing kinds (feed, list, sitemap, json, embedded_json, two_step, generic) and the
source-level request options are declared in crawlers/listing_kinds.py, with their format.

Parse health: a parser class's BODY selector (crawlers/parsers/sites.py) that matches nothing
on a page, or text far shorter than the page's own text, is a reported parse failure
(`no_body` / `short_text`), never an article. Pages with content after an early ``</html>``
are re-parsed with an HTML5 parser (crawlers/html5.py) before any parser sees them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from crawlers.errors import RegistryError
from crawlers.listing_kinds import (
    EmbeddedJsonListing,
    FeedListing,
    GenericListing,
    JsonKinds,
    JsonListing,
    Listing,
    ListingText,
    ListListing,
    Pagination,
    RequestOptions,
    SitemapListing,
    Spec,
    Take,
    TwoStepListing,
)
from crawlers.types import Lang, SourceKind

__all__ = [  # the listing kinds are part of what a registry entry is
    "DEFAULT_PATH", "Adaptive", "EmbeddedJsonListing", "FeedListing", "GenericListing", "JsonKinds",
    "JsonListing", "ListListing", "Listing", "ListingText", "Pagination", "Politeness",
    "RequestOptions", "Schedule", "SitemapListing", "SourceConfig", "Take", "TwoStepListing",
    "check_cron", "load_sources", "parse_sources", "read_yaml", "select",
]

DEFAULT_PATH = Path(__file__).with_name("sources.yaml")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def check_cron(expr: str) -> None:
    """The scheduler's own parser decides (`99 99 * * *` has 5 fields and is still wrong)."""
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger.from_crontab(expr, timezone="UTC")
    except ValueError as exc:
        raise ValueError(f"invalid cron {expr!r}: {exc}") from None


class Adaptive(Spec):
    """Adaptive polling: the interval follows how often the source publishes (estimated by
    the scheduler from what past runs found), between a floor and a ceiling. `poll_cost_minutes`
    is how many minutes of delay on one new article a poll is worth: the higher, the fewer polls
    (tokenwatch/scheduler/adaptive.py)."""

    min_minutes: float = Field(default=5.0, gt=0)
    max_minutes: float = Field(default=360.0, gt=0)
    poll_cost_minutes: float = Field(default=2.0, gt=0)

    @model_validator(mode="after")
    def _bounds(self) -> Adaptive:
        if self.min_minutes > self.max_minutes:
            raise ValueError("adaptive.min_minutes must not exceed adaptive.max_minutes")
        return self


class Schedule(Spec):
    """A fixed `interval_minutes`, or a `cron` timetable (wins over the interval). With
    `adaptive`, an interval source starts at `interval_minutes` and then adapts; a cron source
    stays on its timetable."""

    interval_minutes: int | None = Field(default=60, ge=1)
    cron: str | None = None
    adaptive: Adaptive | None = None

    @model_validator(mode="after")
    def _one(self) -> Schedule:
        if self.cron is not None:
            if len(self.cron.split()) != 5:
                raise ValueError("cron must have 5 fields")
            check_cron(self.cron)
        return self


class Politeness(Spec):
    download_delay: float = Field(default=1.0, ge=0)
    concurrency: int = Field(default=2, ge=1, le=16)
    respect_robots: bool = True
    # what the site tolerates: never poll it more often than this, whatever the schedule
    min_poll_minutes: float | None = Field(default=None, gt=0)


class SourceConfig(Spec):
    id: str
    name: str
    kind: SourceKind
    lang: Lang
    url: str
    enabled: bool = True
    listing: Listing
    schedule: Schedule = Schedule()
    politeness: Politeness = Politeness()
    encoding: str | None = None
    parser: str = "default"
    request: RequestOptions = RequestOptions()
    user_agent: str | None = None  # overrides the configured identifying UA
    render: bool = False  # fetch HTML pages through scrapy-playwright (system Chromium)
    notes: str = ""

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError("id must be lower-case letters, digits and '-'")
        return v

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("url must be http(s)")
        return v

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, v: str | None) -> str | None:
        from crawlers.encoding import normalise_label

        if v is not None and normalise_label(v) is None:
            raise ValueError(f"unknown encoding {v!r}")
        return v

    @field_validator("parser")
    @classmethod
    def _parser(cls, v: str) -> str:
        from crawlers.parsers import names

        if v not in names():
            raise ValueError(f"unknown parser {v!r}")
        return v


def _substitute(value: Any, base_url: str | None) -> Any:
    if base_url is None:
        return value
    if isinstance(value, str):
        return value.replace("{base}", base_url.rstrip("/"))
    if isinstance(value, list):
        return [_substitute(v, base_url) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, base_url) for k, v in value.items()}
    return value


def _merge(defaults: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    out = dict(defaults)
    for key, value in entry.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def _error_text(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
    )


def parse_sources(
    data: Any, path: str = "<memory>", base_url: str | None = None
) -> list[SourceConfig]:
    """Validate an already-loaded registry document (see module docstring)."""
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise RegistryError("expected a mapping with a 'sources' list", path=path)
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise RegistryError("'defaults' must be a mapping", path=path)
    sources: list[SourceConfig] = []
    seen: set[str] = set()
    for index, entry in enumerate(data["sources"]):
        sid = entry.get("id") if isinstance(entry, dict) else None
        label = str(sid) if sid else f"#{index}"
        if not isinstance(entry, dict):
            raise RegistryError("entry must be a mapping", source_id=label, path=path)
        try:
            source = SourceConfig.model_validate(_substitute(_merge(defaults, entry), base_url))
        except ValidationError as exc:
            raise RegistryError(_error_text(exc), source_id=label, path=path) from None
        if source.id in seen:
            raise RegistryError("duplicate id", source_id=source.id, path=path)
        seen.add(source.id)
        sources.append(source)
    return sources


def load_sources(path: Path | None = None, base_url: str | None = None) -> list[SourceConfig]:
    """Load and validate a registry file (default: crawlers/sources.yaml). A bad entry raises
    RegistryError naming the entry id and the file. `base_url` replaces `{base}`."""
    path = Path(path) if path is not None else DEFAULT_PATH
    return parse_sources(read_yaml(path), str(path), base_url)


def read_yaml(path: Path) -> Any:
    """A registry file's YAML document; RegistryError naming the file if unreadable."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RegistryError(f"cannot read: {exc.strerror}", path=str(path)) from None
    except yaml.YAMLError as exc:
        raise RegistryError(f"invalid YAML: {exc}", path=str(path)) from None


def select(sources: list[SourceConfig], ids: list[str] | None = None) -> list[SourceConfig]:
    """Enabled sources, or exactly the given ids (enabled or not); unknown id → RegistryError."""
    if not ids:
        return [s for s in sources if s.enabled]
    by_id = {s.id: s for s in sources}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise RegistryError(f"unknown source id(s): {', '.join(missing)}")
    return [by_id[i] for i in ids]
