"""Accounts receivable aging by customer."""
from __future__ import annotations

from store.reports.aging_source import (
    _OPEN_NOW,
    BUCKET_COLUMNS,
    _Aging,
    _aging_notes,
    _aging_source,
    _bucket_of,
    _bucket_sums_sql,
    _documents_sql,
)
from store.reports.common import _currency, _i
from store.reports.periods import When, as_of_date
from store.reports.record import Chart, Column, Report, Row
from store.sql import DaysPast, run_sql


def ar_aging(when: When = None, *, currency: str | None = None) -> Report:
    """Accounts receivable aging by customer: open amounts by days past due at the as-of date."""
    as_of, cur = as_of_date(when), _currency(currency)
    src = _aging_source(as_of)
    rows, documents = (_per_customer_now if src.from_open_items else _per_customer_at)(src, cur)
    totals = tuple(sum(r[i] for r in rows) for i in range(2, 8))
    return Report(
        "ar_aging", "Accounts receivable aging by customer", f"as of {as_of.isoformat()}",
        (Column("account", "Account"), Column("name", "Customer"), *BUCKET_COLUMNS, Column("total", "Total", "money")),
        tuple(rows), ("Total", "", *totals),
        tuple(_aging_notes(as_of, cur, totals[-1], documents, len(rows), src)),
        Chart("bars", tuple(c.heading for c in BUCKET_COLUMNS), totals[:5]), cur)


def _per_customer_now(src: _Aging, currency: str) -> tuple[list[Row], int]:
    """Rows (account, name, five buckets, total) of each customer with open items now, summed in SQL; and
    the number of documents."""
    sql = (f"SELECT c.account_no, c.name, s.b0, s.b1, s.b2, s.b3, s.b4, s.total, s.docs FROM "
           f"(SELECT a.customer_id AS cid, {_bucket_sums_sql('a.open_minor', 'a.due_date')} FROM {{aging}} a "
           f"WHERE {_OPEN_NOW} GROUP BY a.customer_id) s JOIN {{customer}} c ON c.id = s.cid ORDER BY c.account_no")
    rows, documents = [], 0
    for account_no, name, b0, b1, b2, b3, b4, total, count in run_sql(sql, src.values(currency)):
        rows.append((account_no, name, _i(b0), _i(b1), _i(b2), _i(b3), _i(b4), _i(total)))
        documents += _i(count)
    return rows, documents


def _per_customer_at(src: _Aging, currency: str) -> tuple[list[Row], int]:
    """The same rows at a past day, summed here from the documents as they come, account by account:
    a document's amount at the day is one CASE in SQL (_OPEN_AT), which a sum per bucket in SQL would
    work out seven times over."""
    days_of = DaysPast(src.as_of, _bucket_of)
    rows: list[Row] = []
    sums: list[int] = []
    documents, last, last_name = 0, None, ""
    for account_no, due, _number, _kind, _issued, name, amount in run_sql(_documents_sql(src, names=True),
                                                                          src.values(currency)):
        if not amount:
            continue
        if account_no != last:
            if last is not None:
                rows.append((last, last_name, *sums, sum(sums)))
            last, last_name, sums = account_no, name, [0] * 5
        sums[0 if amount < 0 else days_of[due][2]] += amount
        documents += 1
    if last is not None:
        rows.append((last, last_name, *sums, sum(sums)))
    return rows, documents
