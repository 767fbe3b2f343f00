"""How `verify` reads a million-row book in bounded memory: the database compares, Python streams.

A check that compares two sums per key (an open item against the journal, a document against its
receivable moves) has the database group both sides in one statement and return only the keys that
differ; a check that walks a whole table (the audit chain) pages through it by id. Nothing here
holds a table, or a dictionary of one, in memory: the old checks built dictionaries of every
document and reached 1.7 GB at a million invoices.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from peewee import PostgresqlDatabase

from store.models import database_proxy
from store.sql import _bind

PAGE = 5000


def is_postgres() -> bool:
    return isinstance(database_proxy.obj, PostgresqlDatabase)


def rows(sql: str, **values: Any) -> Any:
    """SQL with :name parameters, run as written; the driver's rows, unconverted."""
    text, params = _bind(sql, values)
    return database_proxy.execute_sql(text, params)


def stream(sql: str, **values: Any) -> Any:
    """Like `rows`, for a result too big to hold: SQLite's cursor already steps row by row; on
    PostgreSQL a named (server-side) cursor fetches a page at a time instead of the whole result."""
    text, params = _bind(sql, values)
    if not is_postgres():
        return database_proxy.execute_sql(text, params)
    cursor = database_proxy.connection().cursor(name=f"verify_{uuid.uuid4().hex}", withhold=True)
    cursor.itersize = PAGE
    cursor.execute(text, params)
    return cursor


def merged(left: Iterator[Sequence[Any]], right: Iterator[Sequence[Any]]
           ) -> Iterator[tuple[Any, Sequence[Any] | None, Sequence[Any] | None]]:
    """Two row streams ordered by their first column (text in code-point order), walked side by side:
    (key, left row or None, right row or None). Of several left rows with one key, the last is kept."""
    a, b = next(left, None), next(right, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a[0] < b[0]):
            key, last = a[0], a  # type: ignore[index]
            while a is not None and a[0] == key:
                last, a = a, next(left, None)
            yield key, last, None
        elif a is None or b[0] < a[0]:
            yield b[0], None, b
            b = next(right, None)
        else:
            key, last = a[0], a
            while a is not None and a[0] == key:
                last, a = a, next(left, None)
            yield key, last, b
            b = next(right, None)


def differences(expected: str, actual: str, keys: int = 1, values: int = 1,
                **params: Any) -> Iterator[tuple[tuple[Any, ...], tuple[int, ...], tuple[int, ...]]]:
    """Keys whose summed values differ between two queries of (key columns k1.., value columns n1..).

    A key on one side only counts as zero on the other. Yields (key, expected sums, actual sums)
    in key order; the grouping is the database's (a sorter that spills to disk), so memory stays flat.
    """
    ks = ", ".join(f"k{i}" for i in range(1, keys + 1))
    zeros = ", ".join("0" for _ in range(values))
    a = ", ".join(f"n{i}" for i in range(1, values + 1))
    named = ", ".join([f"n{i} AS a{i}" for i in range(1, values + 1)] + [f"0 AS b{i}" for i in range(1, values + 1)])
    sums = ", ".join([f"SUM(a{i})" for i in range(1, values + 1)] + [f"SUM(b{i})" for i in range(1, values + 1)])
    differ = " OR ".join(f"SUM(a{i}) <> SUM(b{i})" for i in range(1, values + 1))
    sql = (f"SELECT {ks}, {sums} FROM ("
           f"SELECT {ks}, {named} FROM ({expected}) e "
           f"UNION ALL SELECT {ks}, {zeros}, {a} FROM ({actual}) f) u "
           f"GROUP BY {ks} HAVING {differ} ORDER BY {ks}")
    for row in rows(sql, **params):
        yield (tuple(row[:keys]), tuple(int(v) for v in row[keys:keys + values]),
               tuple(int(v) for v in row[keys + values:]))


def number_use(values: str, **params: Any) -> tuple[int, int, int, list[int], bool]:
    """A series' used numbers (`values` selects them as column s): how many, how many distinct, how many of
    1..max are missing, the first three missing, and whether they are exactly 1..n in order."""
    count, distinct, top, positive = rows(
        f"SELECT COUNT(*), COUNT(DISTINCT s), COALESCE(MAX(s), 0), COUNT(DISTINCT CASE WHEN s >= 1 THEN s END) "
        f"FROM ({values}) v", **params).fetchone()
    out_of_place = rows(f"SELECT COUNT(*) FROM (SELECT s, ROW_NUMBER() OVER (ORDER BY s) AS rn FROM ({values}) v) w "
                        f"WHERE s <> rn", **params).fetchone()[0]
    missing = int(top) - int(positive) if int(top) >= 1 else 0
    first: list[int] = []
    if missing:
        gaps = rows(f"SELECT prev, s FROM (SELECT s, LAG(s) OVER (ORDER BY s) AS prev FROM "
                    f"(SELECT DISTINCT s FROM ({values}) v WHERE s >= 1) d) g "
                    f"WHERE s > COALESCE(prev, 0) + 1 ORDER BY s LIMIT 3", **params).fetchall()
        for prev, s in gaps:
            first += range(int(prev or 0) + 1, int(s))
    return int(count), int(distinct), missing, first[:3], int(out_of_place) == 0


def paged(select: str, table: str, where: str = "", page: int = PAGE, **params: Any) -> Iterator[Sequence[Any]]:
    """Every row of `SELECT {select} FROM {table}` in id order, a page at a time (the first column must be
    id): a server-side walk that works the same on SQLite and PostgreSQL (whose cursors fetch whole)."""
    last = 0
    extra = f" AND ({where})" if where else ""
    while True:
        batch = rows(f"SELECT {select} FROM {table} WHERE id > :after{extra} ORDER BY id LIMIT {int(page)}",
                     after=last, **params).fetchall()
        if not batch:
            return
        yield from batch
        last = batch[-1][0]


def text_order(column: str) -> str:
    """ORDER BY a text column in code-point order (what Python's < means), on either database."""
    return f'{column} COLLATE "C"' if is_postgres() else column


@contextmanager
def sorting_on_disk() -> Iterator[None]:
    """SQLite keeps temporary sort space in memory for the application (fast small sorts); verify's
    sorts of millions of rows go to a temporary file instead, so its memory does not grow with the books."""
    if is_postgres():
        yield
        return
    before = database_proxy.execute_sql("PRAGMA temp_store").fetchone()[0]
    database_proxy.execute_sql("PRAGMA temp_store = FILE")
    try:
        yield
    finally:
        database_proxy.execute_sql(f"PRAGMA temp_store = {int(before)}")
