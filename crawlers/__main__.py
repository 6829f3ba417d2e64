"""Crawl without ingesting: `python -m crawlers [IDS...] [--sources FILE] [--base-url URL]
[--out FILE.jsonl]`. Articles go to a JSONL file (incremental across runs), run stats to
FILE.runs.jsonl, and the run summary to stdout as JSON. Used by the crawler tests (each crawl
needs a fresh process: the Twisted reactor cannot restart) and for debugging a registry."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from crawlers.errors import RegistryError
from crawlers.registry import load_sources, select
from crawlers.runner import CrawlSettings, crawl
from crawlers.sink import JsonlSink, MemorySink
from crawlers.types import CrawlProgress


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m crawlers", description=__doc__)
    ap.add_argument("ids", nargs="*", help="source ids (default: all enabled)")
    ap.add_argument("--sources", type=Path, default=None, help="registry file")
    ap.add_argument("--base-url", default=None, help="replaces {base} in the registry")
    ap.add_argument("--out", type=Path, default=None, help="articles JSONL (default: memory only)")
    ap.add_argument("--log-level", default="WARNING")
    ap.add_argument(
        "--progress-file", type=Path, default=None, help="write CrawlProgress events as JSONL"
    )
    args = ap.parse_args(argv)
    logging.basicConfig(
        level=args.log_level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    try:
        sources = select(load_sources(args.sources, base_url=args.base_url), args.ids)
    except RegistryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sink = JsonlSink(args.out) if args.out else MemorySink()
    progress = None
    if args.progress_file:
        events = args.progress_file.open("w", encoding="utf-8")

        def progress(event: CrawlProgress) -> None:
            events.write(event.model_dump_json() + "\n")

    runs = crawl(sources, sink, CrawlSettings(log_level=args.log_level), progress=progress)
    print(json.dumps([json.loads(r.model_dump_json()) for r in runs], ensure_ascii=False))
    return 0 if all(r.status != "failed" for r in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
