"""Payments received by day and method."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from peewee import fn

from store.kinds import PaymentStatus
from store.models import Payment
from store.payment_methods import METHODS
from store.reports.common import _currency, _i, _money
from store.reports.periods import When, period_of
from store.reports.record import Chart, Column, Report, Row


def payments_received(when: When = None, *, currency: str | None = None) -> Report:
    """Payments received in a period, by day and method (unidentified and returned ones included)."""
    period, cur = period_of(when), _currency(currency)
    in_period = ((Payment.received_date >= period.start) & (Payment.received_date <= period.end)
                 & (Payment.currency == cur))
    query = (Payment.select(Payment.received_date, Payment.method, fn.SUM(Payment.amount_minor), fn.COUNT(Payment.id))
             .where(in_period).group_by(Payment.received_date, Payment.method).tuples().iterator())
    days: dict[dt.date, list[int]] = defaultdict(lambda: [0] * (len(METHODS) + 2))
    for day, method, amount, count in query:
        cells = days[day]
        cells[METHODS.index(method) if method in METHODS else METHODS.index("other")] += _i(amount)
        cells[-2] += _i(amount)
        cells[-1] += _i(count)
    rows: tuple[Row, ...] = tuple((day, *cells) for day, cells in sorted(days.items()))
    totals = ("Total", *(sum(r[i] for r in rows) for i in range(1, len(METHODS) + 3)))
    returned, returned_n = (Payment.select(fn.SUM(Payment.amount_minor), fn.COUNT(Payment.id))
                            .where(in_period & (Payment.status == PaymentStatus.RETURNED)).scalar(as_tuple=True))
    unidentified, unidentified_n = (Payment.select(fn.SUM(Payment.unallocated_minor), fn.COUNT(Payment.id))
                                    .where(in_period & Payment.customer.is_null()
                                           & (Payment.status == PaymentStatus.OPEN)
                                           & (Payment.unallocated_minor > 0)).scalar(as_tuple=True))
    notes = [f"{totals[-1]} payments received, {_money(totals[-2], cur)} in all, by the day they were received."]
    if _i(returned_n):
        notes.append(f"Of these, {_i(returned_n)} ({_money(_i(returned), cur)}) were returned to their senders.")
    if _i(unidentified_n):
        notes.append(f"{_i(unidentified_n)} are still unidentified "
                     f"({_money(_i(unidentified), cur)} not on any account).")
    method_columns = tuple(Column(m, m.replace("_", " ").capitalize(), "money") for m in METHODS)
    return Report(
        "payments_received", "Payments received by day and method", period.label,
        (Column("date", "Date", "date"), *method_columns, Column("total", "Total", "money"),
         Column("count", "Payments", "int")),
        rows, totals, tuple(notes),
        Chart("bars", tuple(c.heading for c in method_columns), tuple(totals[1:len(METHODS) + 1])), cur)
