"""Knowledge base of companies, agencies, models and policies (YAML data in this folder).

`load_kb()` validates every entry when loaded: a bad entry raises `KbError` naming the entry id
and the file. Relations: `Model.vendor` and `Company.parent` reference other entry ids;
`Policy.issuer` references an agency id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from nlp.errors import KbError

KB_DIR = Path(__file__).parent
Kind = Literal["company", "agency", "model", "policy"]


class KbEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: Kind
    name: str
    name_zh: str | None = None
    name_en: str | None = None
    aliases: tuple[str, ...] = ()
    weak_aliases: tuple[str, ...] = ()  # ambiguous short names, matched only in context
    tickers: tuple[str, ...] = ()
    sector: str | None = None
    vendor: str | None = None  # model -> company id
    parent: str | None = None  # company/agency -> company/agency id
    issuer: str | None = None  # policy -> agency id
    doc_number: str | None = None
    issued_at: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}(-\d{2})?$")
    effective_at: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}(-\d{2})?$")
    status: str | None = None

    @field_validator("aliases", "weak_aliases", "tickers")
    @classmethod
    def _no_blank(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        if any(not str(v).strip() for v in values):
            raise ValueError("blank alias or ticker")
        return tuple(str(v) for v in values)

    def names(self) -> tuple[str, ...]:
        """Every strong surface form (name, both language names, aliases), deduplicated."""
        seen = dict.fromkeys(n for n in (self.name, self.name_zh, self.name_en, *self.aliases) if n)
        return tuple(seen)


NATIONAL_PREFIX = "中华人民共和国"
# what follows a parent agency's name in a sub-unit's: its general office, a department (司),
# a bureau (局), an office; at most 12 characters of name before the suffix
_SUB_UNIT = re.compile(r"(?:[\u4e00-\u9fff（）()]{0,12}(?:办公厅|司|局|办公室|厅))")


def _splits(name: str) -> Iterator[tuple[str, str]]:
    """(parent, remainder) for every split of `name`, longest parent first."""
    for i in range(len(name) - 1, 1, -1):
        yield name[:i], name[i:]


def unseen_agency_id(name: str) -> str:
    """The id an agency outside the KB gets (the writer's scheme for new entities)."""
    return f"new:agency:{name.strip().lower()}"


class KnowledgeBase:
    """Entries by id, with relation checks done once at construction."""

    def __init__(self, entries: list[tuple[KbEntry, Path]]) -> None:
        self.entries: dict[str, KbEntry] = {}
        self._by_name: dict[str, set[str]] | None = None
        for entry, path in entries:
            if entry.id in self.entries:
                raise KbError(f"{path.name}: duplicate entry id {entry.id!r}")
            self.entries[entry.id] = entry
        self._files = {entry.id: path for entry, path in entries}
        self._check_relations()
        self._children: dict[str, set[str]] = {}
        for entry in self.entries.values():
            for up in (entry.parent, entry.vendor):
                if up:
                    self._children.setdefault(up, set()).add(entry.id)

    def _check_relations(self) -> None:
        expected = {"vendor": "company", "parent": None, "issuer": "agency"}
        for entry in self.entries.values():
            for field, kind in expected.items():
                ref = getattr(entry, field)
                if ref is None:
                    continue
                target = self.entries.get(ref)
                if target is None or (kind is not None and target.kind != kind):
                    where = self._files[entry.id].name
                    raise KbError(
                        f"{where}: entry {entry.id!r}: {field} {ref!r} "
                        f"is not a known {kind or 'entry'}"
                    )

    def __getitem__(self, entry_id: str) -> KbEntry:
        return self.entries[entry_id]

    def get(self, entry_id: str | None) -> KbEntry | None:
        return self.entries.get(entry_id) if entry_id else None

    def __iter__(self) -> Iterator[KbEntry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def of_kind(self, kind: Kind) -> list[KbEntry]:
        return [e for e in self.entries.values() if e.kind == kind]

    def resolve(self, name: str | None, kind: Kind | None = None) -> str | None:
        """The id of the entry whose name or alias is exactly `name` (case-insensitive for
        Latin script), optionally of one kind; None when unknown or ambiguous."""
        if not name:
            return None
        if self._by_name is None:
            index: dict[str, set[str]] = {}
            for entry in self.entries.values():
                for surface in (*entry.names(), entry.id):
                    index.setdefault(surface.strip().lower(), set()).add(entry.id)
            self._by_name = index
        ids = self._by_name.get(name.strip().lower(), set())
        if kind is not None:
            ids = {i for i in ids if self.entries[i].kind == kind}
        return next(iter(ids)) if len(ids) == 1 else None

    def resolve_agency(self, name: str | None) -> str | None:
        """The agency a printed issuer names: the KB entry itself, or, for a sub-unit of a
        known agency (工业和信息化部办公厅, 工业和信息化部科技司, …信息通信管理局), that parent
        agency. The national prefix 中华人民共和国 is ignored. None when neither is known."""
        if not name:
            return None
        name = name.strip()
        found = self.resolve(name, "agency")
        if found or not name:
            return found
        bare = name.removeprefix(NATIONAL_PREFIX)
        if bare != name:
            return self.resolve_agency(bare)
        for parent, remainder in _splits(name):
            if _SUB_UNIT.fullmatch(remainder):
                found = self.resolve(parent, "agency")
                if found:
                    return found
        return None

    def family(self, entry_id: str) -> set[str]:
        """The entry, its ancestors (parent/vendor chain) and everything that points to it."""
        out = {entry_id}
        entry = self.entries.get(entry_id)
        while entry is not None:
            up = entry.parent or entry.vendor
            if up is None or up in out:
                break
            out.add(up)
            entry = self.entries.get(up)
        return out | self._children.get(entry_id, set())


def _read_file(path: Path) -> list[tuple[KbEntry, Path]]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise KbError(f"{path.name}: invalid YAML: {exc}") from exc
    if not isinstance(raw, list):
        raise KbError(f"{path.name}: expected a list of entries")
    out = []
    for i, item in enumerate(raw):
        ident = item.get("id", f"#{i}") if isinstance(item, dict) else f"#{i}"
        try:
            out.append((KbEntry.model_validate(item), path))
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            raise KbError(f"{path.name}: entry {ident!r}: {loc}: {first['msg']}") from exc
    return out


def read_kb(directory: Path = KB_DIR) -> KnowledgeBase:
    """Load and validate every `*.yaml` in `directory` (uncached; for tests and tools)."""
    entries: list[tuple[KbEntry, Path]] = []
    for path in sorted(directory.glob("*.yaml")):
        entries.extend(_read_file(path))
    return KnowledgeBase(entries)


@lru_cache(maxsize=1)
def load_kb() -> KnowledgeBase:
    """The packaged knowledge base, loaded once per process."""
    return read_kb(KB_DIR)


__all__ = ["KB_DIR", "KbEntry", "KnowledgeBase", "load_kb", "read_kb"]
