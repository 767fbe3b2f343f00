"""Open disputes."""
from __future__ import annotations

from peewee import JOIN

from store.models import Customer, Dispute, Invoice, OpenItem
from store.reports.common import _currency, _i, _now_label
from store.reports.periods import When, _today
from store.reports.record import Column, Report


def open_disputes(when: When = None, *, currency: str | None = None) -> Report:
    """Disputes not yet resolved, oldest first (as they are now)."""
    cur, today = _currency(currency), _today()
    query = (Dispute.select(Dispute.opened_at, Customer.account_no, Customer.name, Invoice.number,
                            Dispute.amount_minor, OpenItem.open_minor, Dispute.reason)
             .join(Invoice, on=(Dispute.invoice == Invoice.id)).join(Customer, on=(Invoice.customer == Customer.id))
             .join(OpenItem, JOIN.LEFT_OUTER, on=(OpenItem.document == Invoice.id))
             .where((Dispute.status == "open") & (Invoice.currency == cur))
             .order_by(Dispute.opened_at, Dispute.id).tuples())
    rows = tuple((opened.date(), account, name, number, _i(amount), _i(open_minor), (today - opened.date()).days,
                  reason)
                 for opened, account, name, number, amount, open_minor, reason in query)
    totals = ("Total", "", "", "", sum(r[4] for r in rows), sum(r[5] for r in rows), None, "")
    return Report(
        "open_disputes", "Open disputes", _now_label(),
        (Column("opened", "Opened", "date"), Column("account", "Account"), Column("name", "Customer"),
         Column("invoice", "Invoice"), Column("disputed", "Disputed", "money"), Column("open", "Open", "money"),
         Column("days", "Days open", "int"), Column("reason", "Reason")),
        rows, totals, (f"{len(rows)} open disputes on {len({r[1] for r in rows})} accounts; disputed invoices are "
                       "left out of the dunning run.",), None, cur)
