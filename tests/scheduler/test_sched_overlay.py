"""Adding or disabling a source without editing the tracked sources.yaml or restarting: a
local overlay file, merged over the registry and reloaded live into the scheduler's jobs."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import yaml

from crawlers.errors import RegistryError
from crawlers.overlay import load_registry
from crawlers.registry import SourceConfig
from tokenwatch.registry_reload import RegistryWatcher
from tokenwatch.scheduler import CrawlScheduler, spec_from_source


def entry(sid: str, minutes: int = 60) -> dict[str, object]:
    return {"id": sid, "name": sid, "kind": "industry", "lang": "zh",
            "url": f"https://{sid}.example.cn/", "schedule": {"interval_minutes": minutes},
            "listing": {"type": "feed", "feed_urls": [f"https://{sid}.example.cn/feed.xml"]}}


def write(path: Path, sources: list[dict[str, object]], bump: int = 0) -> None:
    path.write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")
    if bump:  # an mtime the watcher cannot miss, whatever the file system's resolution
        st = path.stat()
        os.utime(path, (st.st_atime + bump, st.st_mtime + bump))


def test_overlay_disables_and_adds_without_touching_the_base(tmp_path: Path) -> None:
    base, overlay = tmp_path / "sources.yaml", tmp_path / "sources.local.yaml"
    write(base, [entry("gov-cn"), entry("miit")])
    before = base.read_text()
    write(overlay, [{"id": "miit", "enabled": False}, entry("new-site", 30)])
    got = {s.id: s for s in load_registry(base, overlay)}
    assert set(got) == {"gov-cn", "miit", "new-site"}
    assert not got["miit"].enabled and got["new-site"].enabled
    assert base.read_text() == before
    assert {s.id for s in load_registry(base, tmp_path / "absent.yaml")} == {"gov-cn", "miit"}
    write(overlay, [{"id": "bad site!"}])
    with pytest.raises(RegistryError, match=r"sources\.local\.yaml over"):
        load_registry(base, overlay)


def test_overlay_changes_reach_the_running_scheduler(
    tmp_path: Path, make_scheduler: Callable[..., CrawlScheduler]
) -> None:
    base, overlay = tmp_path / "sources.yaml", tmp_path / "sources.local.yaml"
    write(base, [entry("gov-cn"), entry("miit")])
    sched = make_scheduler([spec_from_source(s) for s in load_registry(base, overlay)])
    assert sched.is_leader

    def apply(sources: Sequence[SourceConfig]) -> None:
        sched.update_specs([spec_from_source(s) for s in sources if s.enabled])

    watcher = RegistryWatcher(base, overlay, 60.0, apply)
    assert not watcher.check()  # nothing changed yet
    write(overlay, [{"id": "miit", "enabled": False}, entry("new-site", 30)], bump=5)
    assert watcher.check()
    ids = [s.source_id for s in sched.schedules()]
    assert ids == ["gov-cn", "new-site"]
    write(overlay, [{"id": "nosuch", "kind": "??"}], bump=10)  # a bad overlay is not applied
    assert not watcher.check()
    assert [s.source_id for s in sched.schedules()] == ["gov-cn", "new-site"]
