"""Unapplied cash and customer credits."""
from __future__ import annotations

import datetime as dt

from peewee import fn

from store.models import Customer, OpenItem, Payment
from store.reports.common import _chunks, _currency, _i, _money, _now_label
from store.reports.periods import When
from store.reports.record import Column, Report


def unapplied_credits(when: When = None, *, currency: str | None = None) -> Report:
    """Money held for customers: unallocated payments and unapplied credit notes, by account (as they are now)."""
    cur = _currency(currency)
    # The conditions match the partial indexes payment_queue and open_item_open.
    unallocated = (Payment.status == "open") & (Payment.unallocated_minor > 0) & (Payment.currency == cur)
    cash: dict[int | None, tuple[int, int, dt.date]] = {
        c: (_i(n), _i(k), oldest) for c, n, k, oldest in
        Payment.select(Payment.customer, fn.SUM(Payment.unallocated_minor), fn.COUNT(Payment.id),
                       fn.MIN(Payment.received_date)).where(unallocated).group_by(Payment.customer).tuples()}
    credit_notes = {c: -_i(n) for c, n in OpenItem.select(OpenItem.customer, fn.SUM(OpenItem.open_minor))
                    .where((OpenItem.open_minor != 0) & (OpenItem.open_minor < 0) & (OpenItem.currency == cur))
                    .group_by(OpenItem.customer).tuples()}
    ids = sorted((set(cash) - {None}) | set(credit_notes))
    owed: dict[int, int] = {}
    names: dict[int, tuple[str, str]] = {}
    for batch in _chunks(ids):
        owed.update((c, _i(n)) for c, n in OpenItem.select(OpenItem.customer, fn.SUM(OpenItem.open_minor))
                    .where((OpenItem.open_minor != 0) & (OpenItem.open_minor > 0) & OpenItem.customer.in_(batch))
                    .group_by(OpenItem.customer).tuples())
        names.update((i, (a, n)) for i, a, n in Customer.select(Customer.id, Customer.account_no, Customer.name)
                     .where(Customer.id.in_(batch)).tuples())
    rows = []
    for cid in sorted(ids, key=lambda c: names[c][0]):
        pay, _k, oldest = cash.get(cid, (0, 0, None))
        cn = credit_notes.get(cid, 0)
        rows.append((names[cid][0], names[cid][1], pay, cn, pay + cn, owed.get(cid, 0), oldest))
    if None in cash:
        n, k, oldest = cash[None]
        rows.append(("", f"Unidentified receipts ({k})", n, 0, n, 0, oldest))
    totals = ("Total", "", *(sum(r[i] for r in rows) for i in range(2, 6)), None)
    applicable = sum(min(r[4], r[5]) for r in rows)
    notes = [f"{len(ids)} accounts hold credit: unallocated payments {_money(totals[2], cur)}, unapplied credit "
             f"notes {_money(totals[3], cur)}.",
             f"Up to {_money(applicable, cur)} of it could settle invoices still open on the same accounts."]
    return Report(
        "unapplied_credits", "Unapplied cash and customer credits", _now_label(),
        (Column("account", "Account"), Column("name", "Customer"), Column("payments", "Unallocated", "money"),
         Column("credit_notes", "Credit notes", "money"), Column("credit", "Total credit", "money"),
         Column("owed", "Open invoices", "money"), Column("oldest", "Oldest payment", "date")),
        tuple(rows), totals, tuple(notes), None, cur)
