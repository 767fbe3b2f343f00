"""The record every report returns: named columns of a known kind, rows, totals, notes, a chart."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

ColumnKind = Literal["text", "money", "int", "date", "percent"]
ChartKind = Literal["bars", "spark"]
PeriodKind = Literal["month", "quarter"]
Row = tuple[Any, ...]



@dataclass(frozen=True, slots=True)
class Column:
    key: str
    heading: str
    kind: ColumnKind = "text"


@dataclass(frozen=True, slots=True)
class Chart:
    kind: ChartKind
    labels: tuple[str, ...]
    values: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Report:
    name: str
    title: str
    period_label: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    totals: Row | None = None
    notes: tuple[str, ...] = ()
    chart: Chart | None = None
    currency: str | None = None  # of every money cell; None when a "currency" column gives it per row

    def column(self, key: str) -> int:
        """The position of a column by key (for renderers and tests)."""
        for i, col in enumerate(self.columns):
            if col.key == key:
                return i
        raise KeyError(key)
