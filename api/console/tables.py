"""Every table and series of a page is a `Table`: the page renders it and the same rows
download as CSV (through `api.csvout`, the API's CSV rendering) or XLSX (openpyxl)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook

from api.csvout import to_csv

Cell = str | int | float | date | datetime | bool | None


@dataclass(frozen=True)
class Table:
    name: str  # the download's file name and `?download=` value
    columns: tuple[str, ...]
    rows: Sequence[Sequence[Cell]] = field(default_factory=list)

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def csv_bytes(table: Table) -> bytes:
    if not table.rows:
        return (",".join(table.columns) + "\r\n").encode("utf-8")
    # a BOM, so Excel opens the UTF-8 (Chinese) text as UTF-8
    return ("\ufeff" + to_csv(table.dicts())).encode("utf-8")


def _xlsx_cell(value: Cell) -> Cell:
    # Excel has no time zones: an aware datetime is written as its UTC wall time
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def xlsx_bytes(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.name[:31]
    sheet.append(list(table.columns))
    for row in table.rows:
        sheet.append([_xlsx_cell(v) for v in row])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
