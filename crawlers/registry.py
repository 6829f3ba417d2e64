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
        politeness: {download_delay: 1.0, concurrency: 2, respect_robots: true}
        listing:                   # one of the kinds below, chosen by `type`
          type: feed               # feed_urls: [...]
          ...
        notes: how the real site is structured (free text)

Listing kinds: feed (RSS/Atom), list (HTML list pages + pagination), sitemap (incl. news
sitemaps), json (JSON list endpoint), generic (list page + article selectors, YAML only).
Strings may contain ``{base}``, replaced by `base_url` (fixture registries on loopback).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from crawlers.errors import RegistryError
from crawlers.types import Lang, SourceKind

DEFAULT_PATH = Path(__file__).with_name("sources.yaml")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def check_cron(expr: str) -> None:
    """The scheduler's own parser decides (`99 99 * * *` has 5 fields and is still wrong)."""
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger.from_crontab(expr, timezone="UTC")
    except ValueError as exc:
        raise ValueError(f"invalid cron {expr!r}: {exc}") from None


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Schedule(_Model):
    interval_minutes: int | None = Field(default=60, ge=1)
    cron: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Schedule:
        if self.cron is not None:
            if len(self.cron.split()) != 5:
                raise ValueError("cron must have 5 fields")
            check_cron(self.cron)
        return self


class Politeness(_Model):
    download_delay: float = Field(default=1.0, ge=0)
    concurrency: int = Field(default=2, ge=1, le=16)
    respect_robots: bool = True


class _Paged(_Model):
    max_pages: int = Field(default=3, ge=1, le=500)
    max_articles: int = Field(default=200, ge=1)
    url_pattern: str | None = None  # regex an article URL must match (search)

    @field_validator("url_pattern")
    @classmethod
    def _regex(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as exc:  # not a ValueError: pydantic would let it escape raw
                raise ValueError(f"invalid regex {v!r}: {exc}") from None
        return v


class FeedListing(_Model):
    type: Literal["feed"]
    feed_urls: list[str] = Field(min_length=1)
    max_articles: int = Field(default=200, ge=1)


class ListListing(_Paged):
    type: Literal["list"]
    urls: list[str] = Field(min_length=1)
    link_selector: str  # CSS (or XPath if it starts with '/') selecting article <a> elements
    next_selector: str | None = None  # selects the next-page <a>


class SitemapListing(_Paged):
    """Sitemap, sitemap index (children followed, ≤ 3 levels, ≤ 20 children) or news sitemap;
    url_pattern selects the article URLs. max_pages is unused here."""

    type: Literal["sitemap"]
    sitemap_urls: list[str] = Field(min_length=1)


class JsonListing(_Paged):
    type: Literal["json"]
    endpoint: str  # may contain {page} (1-based)
    items_path: str  # dotted path to the list of items, e.g. "data.items"
    url_path: str  # dotted path inside an item to its URL (or id with url_template)
    title_path: str | None = None
    date_path: str | None = None  # ISO/Chinese date string or unix seconds/milliseconds
    url_template: str | None = None  # e.g. "https://36kr.com/p/{value}"


class GenericListing(_Paged):
    type: Literal["generic"]
    list_url: str
    link_selector: str
    next_selector: str | None = None
    title_selector: str | None = None
    date_selector: str | None = None
    body_selector: str | None = None


Listing = Annotated[
    FeedListing | ListListing | SitemapListing | JsonListing | GenericListing,
    Field(discriminator="type"),
]


class SourceConfig(_Model):
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
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RegistryError(f"cannot read: {exc.strerror}", path=str(path)) from None
    except yaml.YAMLError as exc:
        raise RegistryError(f"invalid YAML: {exc}", path=str(path)) from None
    return parse_sources(data, str(path), base_url)


def select(sources: list[SourceConfig], ids: list[str] | None = None) -> list[SourceConfig]:
    """Enabled sources, or exactly the given ids (enabled or not); unknown id → RegistryError."""
    if not ids:
        return [s for s in sources if s.enabled]
    by_id = {s.id: s for s in sources}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise RegistryError(f"unknown source id(s): {', '.join(missing)}")
    return [by_id[i] for i in ids]
