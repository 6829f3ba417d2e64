"""`tokenwatch extract`: JSONL in, JSONL out (the DESIGN.md contract).

Each good input line yields one output line; a malformed line (bad JSON, missing `id`/`text`,
wrong types) is reported on `err` as `line N: …` and skipped, and the others still run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TextIO

import orjson
from pydantic import ValidationError

from nlp.extractor import DocInput, Extractor
from nlp.types import Extraction

BATCH = 64


def to_record(ex: Extraction) -> dict[str, Any]:
    """The output line for one document (contract keys first; extra keys are allowed)."""
    record: dict[str, Any] = {
        "id": ex.id,
        "lang": ex.lang,
        "entities": [e.model_dump() for e in ex.entities],
        "metrics": [m.model_dump() for m in ex.metrics],
        "risks": [{**r.model_dump(), "entities": list(r.entities)} for r in ex.risks],
        "policies": [p.model_dump() for p in ex.policies],
    }
    if ex.error:
        record["error"] = ex.error
    return record


def parse_line(line: str) -> DocInput:
    """A DocInput from one JSON line; ValueError with a readable reason otherwise."""
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    try:
        return DocInput.model_validate(data, strict=True)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'line'}: {e['msg']}" for e in exc.errors()
        )
        raise ValueError(f"invalid document: {problems}") from exc


def _documents(inp: TextIO, err: TextIO, bad: list[int]) -> Iterator[DocInput]:
    for number, line in enumerate(inp, start=1):
        if not line.strip():
            continue
        try:
            yield parse_line(line)
        except ValueError as exc:
            bad.append(number)
            err.write(f"line {number}: {exc}\n")


def with_reference(docs: Iterator[DocInput], reference: str | None) -> Iterator[DocInput]:
    """Documents without their own reference_time get the caller's one."""
    for doc in docs:
        if reference is not None and doc.reference_time is None:
            doc = doc.model_copy(update={"reference_time": reference})
        yield doc


def run(inp: TextIO, out: TextIO, err: TextIO, reference: str | None = None) -> int:
    """Extract every line of `inp` to `out`; returns the number of malformed lines.
    `reference` (ISO date or time) is what dates resolve against in lines that carry neither
    `published_at` nor `reference_time`."""
    bad: list[int] = []
    extractor = Extractor.get()
    docs = with_reference(_documents(inp, err, bad), reference)
    for extraction in extractor.pipe(docs, batch_size=BATCH):
        out.write(orjson.dumps(to_record(extraction)).decode("utf-8"))
        out.write("\n")
    out.flush()
    return len(bad)
