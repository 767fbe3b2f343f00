"""Small query helpers shared by services, queries, reports and the dunning run.

`sum_of` for a peewee column; and for the statements that read hundreds of thousands of rows
(aging, the dunning run), SQL text run as written (`run_sql`) and day counts made once per date
(`DaysPast`).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from peewee import PostgresqlDatabase, fn

from store.bulk import bulk_rows as bulk_rows  # where the reports and the dunning run import it from
from store.models import Customer, Dispute, ReceivableMove, database_proxy

AGING_ITEM = "aging_item"  # migration 0006; not a model: only the aging reports and the dunning run read it
_PARAMETER = re.compile(r":([a-z_][a-z0-9_]*)")


def sum_of(column: Any, where: Any = True) -> int:
    """SUM of an integer (money) column over the rows matching `where`; 0 when there are none."""
    value = column.model.select(fn.COALESCE(fn.SUM(column), 0)).where(where).scalar()
    return int(value or 0)


def _bind(sql: str, values: dict[str, Any]) -> tuple[str, list[Any]]:
    """SQL written with :name parameters, as the driver takes it (positional) with its parameter list."""
    params: list[Any] = []

    def placeholder(match: re.Match[str]) -> str:
        params.append(values[match.group(1)])
        return database_proxy.obj.param

    return _PARAMETER.sub(placeholder, sql), params


def run_sql(sql: str, values: dict[str, Any]) -> Any:
    """Run SQL written with {table} names and :name parameters; the rows as the driver returns them
    (no per-value conversion: these statements read many rows)."""
    postgres = isinstance(database_proxy.obj, PostgresqlDatabase)
    tables = {"aging": AGING_ITEM, "customer": Customer._meta.table_name, "move": ReceivableMove._meta.table_name,
              "dispute": Dispute._meta.table_name,
              # SQLite: the table on the left is read first (the planner would otherwise read the
              # aging index from its start and sort the result by account).
              "cross": "JOIN" if postgres else "CROSS JOIN"}
    text, params = _bind(sql.format(**tables), values)
    return database_proxy.execute_sql(text, params)


def as_date(value: Any) -> dt.date:
    """A date column as read raw: a date (PostgreSQL) or ISO text (SQLite)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


class DaysPast(dict):  # type: ignore[type-arg]
    """A date as read -> (the date, days from it to `as_of`, `grade(days)`), made once per date: a large
    report reads the same few hundred due dates hundreds of thousands of times."""

    def __init__(self, as_of: dt.date, grade: Callable[[int], int]) -> None:
        super().__init__()
        self.as_of, self.grade = as_of, grade

    def __missing__(self, key: Any) -> tuple[dt.date, int, int]:
        day = as_date(key)
        days = (self.as_of - day).days
        value = self[key] = (day, days, self.grade(days))
        return value
