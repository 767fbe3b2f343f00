"""Accounts on hold and in collections."""
from __future__ import annotations

from collections import defaultdict

from peewee import fn

from store.models import CollectionCase, Customer, OpenItem, Payment
from store.reports.common import _i, _money, _now_label
from store.reports.periods import When
from store.reports.record import Column, Report


def accounts_on_hold(when: When = None) -> Report:
    """Accounts on hold and in collections, with what they owe (as they are now)."""
    chased = Customer.status.in_(("on_hold", "in_collections"))
    ids = Customer.select(Customer.id).where(chased)
    open_docs = {c: _i(n) for c, n in OpenItem.select(OpenItem.customer, fn.SUM(OpenItem.open_minor))
                 .where((OpenItem.open_minor != 0) & OpenItem.customer.in_(ids)).group_by(OpenItem.customer).tuples()}
    cash = {c: _i(n) for c, n in Payment.select(Payment.customer, fn.SUM(Payment.unallocated_minor))
            .where((Payment.status == "open") & (Payment.unallocated_minor > 0) & Payment.customer.in_(ids))
            .group_by(Payment.customer).tuples()}
    cases = {c: (agency, opened.date()) for c, agency, opened in
             CollectionCase.select(CollectionCase.customer, CollectionCase.agency, CollectionCase.opened_at)
             .where((CollectionCase.status == "open") & CollectionCase.customer.in_(ids))
             .order_by(CollectionCase.opened_at).tuples()}
    rows = []
    for cid, account, name, status, reason, currency in (
            Customer.select(Customer.id, Customer.account_no, Customer.name, Customer.status, Customer.hold_reason,
                            Customer.currency).where(chased).order_by(Customer.status, Customer.account_no).tuples()):
        agency, since = cases.get(cid, ("", None))
        detail = f"agency {agency}" if status == "in_collections" and agency else reason
        rows.append((account, name, status.replace("_", " "), detail, since, open_docs.get(cid, 0) - cash.get(cid, 0),
                     currency))
    by_currency: dict[str, int] = defaultdict(int)
    for r in rows:
        by_currency[r[6]] += r[5]
    held = sum(1 for r in rows if r[2] == "on hold")
    notes = [f"{held} accounts on hold (no new invoices), {len(rows) - held} in collections (out of the dunning run).",
             "Owed is open documents less unallocated payments: "
             + (", ".join(_money(n, c) for c, n in sorted(by_currency.items())) or "nothing") + "."]
    return Report(
        "accounts_on_hold", "Accounts on hold and in collections", _now_label(),
        (Column("account", "Account"), Column("name", "Customer"), Column("status", "Status"),
         Column("reason", "Reason / agency"), Column("since", "In collections since", "date"),
         Column("owed", "Owed", "money"), Column("currency", "Currency")),
        tuple(rows), None, tuple(notes), None, None)
