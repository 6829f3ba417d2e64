"""A local overlay over the tracked registry: add or disable sources without editing
crawlers/sources.yaml (e.g. `var/sources.local.yaml`, TOKENWATCH_SOURCES_OVERLAY).

The overlay has the registry's format. An entry whose id is in the base registry changes only
the fields it gives (`{id: ithome, enabled: false}` disables it); an entry with a new id is a
whole new source. The merged registry is validated as one, so a bad overlay entry fails with
its id and the overlay's path. A missing overlay file is an empty one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crawlers.errors import RegistryError
from crawlers.registry import DEFAULT_PATH, SourceConfig, parse_sources, read_yaml


def _read(path: Path) -> dict[str, Any]:
    data = read_yaml(path)
    if data is None:
        return {"sources": []}
    if not isinstance(data, dict) or not isinstance(data.get("sources", []), list):
        raise RegistryError("expected a mapping with a 'sources' list", path=str(path))
    return data


def merge(base: dict[str, Any], overlay: dict[str, Any], overlay_path: str) -> dict[str, Any]:
    """The base document with the overlay's entries applied (pure)."""
    entries = [dict(e) if isinstance(e, dict) else e for e in base.get("sources", [])]
    index = {e.get("id"): i for i, e in enumerate(entries) if isinstance(e, dict)}
    for n, entry in enumerate(overlay.get("sources") or []):
        if not isinstance(entry, dict) or not entry.get("id"):
            raise RegistryError("overlay entry needs an id", source_id=f"#{n}", path=overlay_path)
        if entry["id"] in index:
            entries[index[entry["id"]]] = {**entries[index[entry["id"]]], **entry}
        else:
            index[entry["id"]] = len(entries)
            entries.append(dict(entry))
    return {**base, "sources": entries}


def load_registry(base: Path | None = None, overlay: Path | None = None,
                  base_url: str | None = None) -> list[SourceConfig]:
    """The tracked registry with the local overlay applied (when the overlay file exists)."""
    base_path = Path(base) if base is not None else DEFAULT_PATH
    doc = _read(base_path)
    if overlay is None or not Path(overlay).exists():
        return parse_sources(doc, str(base_path), base_url)
    merged = merge(doc, _read(Path(overlay)), str(overlay))
    return parse_sources(merged, f"{overlay} over {base_path}", base_url)


def mtime(path: Path | None) -> float | None:
    """When the overlay last changed (None: there is none)."""
    try:
        return Path(path).stat().st_mtime if path is not None else None
    except OSError:
        return None
