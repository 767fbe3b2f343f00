"""Accounts receivable aging by document."""
from __future__ import annotations

from store.reports.aging_source import (
    _IN_BUCKET,
    BUCKET_COLUMNS,
    _aging_notes,
    _aging_source,
    _bucket_of,
    _documents_sql,
)
from store.reports.common import _currency
from store.reports.periods import When, as_of_date
from store.reports.record import Chart, Column, Report, Row
from store.sql import DaysPast, bulk_rows, run_sql


def ar_aging_detail(when: When = None, *, currency: str | None = None) -> Report:
    """Accounts receivable aging by document: each open document in its bucket."""
    as_of, cur = as_of_date(when), _currency(currency)
    src = _aging_source(as_of)
    days_of = DaysPast(as_of, _bucket_of)
    rows: list[Row] = []
    add = rows.append
    bucket_totals = [0] * 5
    accounts, last = 0, None
    with bulk_rows():
        for account_no, due, number, kind, issued, amount in run_sql(_documents_sql(src), src.values(cur)):
            if not amount:  # settled by then (before today)
                continue
            due_date, days, index = days_of[due]
            if amount < 0:
                index = 0
            bucket_totals[index] += amount
            if account_no != last:
                accounts, last = accounts + 1, account_no
            add((account_no, number, "credit" if kind == "credit_note" else "invoice", days_of[issued][0], due_date,
                 days, *_IN_BUCKET[index](amount)))
        rows_ = tuple(rows)
    total = sum(bucket_totals)
    return Report(
        "ar_aging_detail", "Accounts receivable aging by document", f"as of {as_of.isoformat()}",
        (Column("account", "Account"), Column("document", "Document"), Column("kind", "Kind"),
         Column("issued", "Issued", "date"), Column("due", "Due", "date"), Column("days", "Days", "int"),
         *BUCKET_COLUMNS),
        rows_, ("Total", "", "", None, None, None, *bucket_totals),
        tuple(_aging_notes(as_of, cur, total, len(rows_), accounts, src)),
        Chart("bars", tuple(c.heading for c in BUCKET_COLUMNS), tuple(bucket_totals)), cur)
