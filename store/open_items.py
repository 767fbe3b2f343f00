"""A customer's open documents: read a page at a time (keyset), and summed by the database for the aging.

At 5,000 open items on one account, reading them all (twice: once for the header's aging, once
for the list) kept the account view a second from its first screen; the header's figures are now
sums the database makes and the list is read a page at a time.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from store import clock
from store.kinds import DisputeStatus
from store.models import Dispute, Invoice, OpenItem

BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


def bucket_of(days_past_due: int) -> str:
    if days_past_due <= 0:
        return "current"
    if days_past_due <= 30:
        return "1-30"
    if days_past_due <= 60:
        return "31-60"
    if days_past_due <= 90:
        return "61-90"
    return "90+"


@dataclass(frozen=True, slots=True)
class OpenDocument:
    number: str
    kind: str
    issue_date: dt.date
    due_date: dt.date
    total_minor: int
    open_minor: int
    days_past_due: int
    disputed: bool


OpenKey = tuple[dt.date, str]
"""Where a page of open items ends: its last row's (due date, document number), the order they are shown in."""


def _open_items(customer_id: int, as_of: dt.date | None, after: OpenKey | None = None,
                limit: int | None = None) -> list[OpenDocument]:
    as_of = as_of or clock.today()
    # Invoice.id is selected too: without it the joined Invoice (id None) hides document_id.
    query = (OpenItem.select(OpenItem, Invoice.id, Invoice.number, Invoice.kind, Invoice.issue_date,
                             Invoice.total_minor)
             .join(Invoice).where((OpenItem.customer == customer_id) & (OpenItem.open_minor != 0))
             .order_by(OpenItem.due_date, Invoice.number))
    if after is not None:  # keyset: the rows after the last one shown, however many came before it
        due, number = after
        query = query.where((OpenItem.due_date > due) | ((OpenItem.due_date == due) & (Invoice.number > number)))
    if limit is not None:
        query = query.limit(limit)
    rows = list(query)
    ids = [r.document_id for r in rows]
    disputed = {d.invoice_id for d in Dispute.select(Dispute.invoice)
                .where(Dispute.invoice.in_(ids) & (Dispute.status == DisputeStatus.OPEN))} if ids else set()
    return [OpenDocument(r.document.posted_number, r.document.kind, r.document.issue_date, r.due_date,
                         r.document.total_minor, r.open_minor, (as_of - r.due_date).days, r.document_id in disputed)
            for r in rows]


def open_documents(customer_id: int, as_of: dt.date | None = None) -> list[OpenDocument]:
    """All of a customer's open documents, by due date (for documents and allocation; screens page)."""
    return _open_items(customer_id, as_of)


def open_documents_page(customer_id: int, after: OpenKey | None = None, limit: int = 100,
                        as_of: dt.date | None = None) -> list[OpenDocument]:
    """The next `limit` open documents after `after` (None: the first), in the order open_documents gives."""
    return _open_items(customer_id, as_of, after, limit)


def open_key(document: OpenDocument) -> OpenKey:
    """The key the page after `document` starts from."""
    return document.due_date, document.number


def aging_of(documents: list[OpenDocument]) -> dict[str, int]:
    buckets = dict.fromkeys(BUCKETS, 0)
    for d in documents:
        buckets["current" if d.open_minor < 0 else bucket_of(d.days_past_due)] += d.open_minor
    return buckets


def open_aging(customer_id: int, as_of: dt.date) -> tuple[dict[str, int], bool]:
    """A customer's aging, summed by the database per due date (not read document by document), and
    whether any open document is disputed."""
    buckets = dict.fromkeys(BUCKETS, 0)
    credit = OpenItem.open_minor < 0
    for due, is_credit, amount in (OpenItem.select(OpenItem.due_date, credit, fn.SUM(OpenItem.open_minor))
                                   .where((OpenItem.customer == customer_id) & (OpenItem.open_minor != 0))
                                   .group_by(OpenItem.due_date, credit).tuples().iterator()):
        buckets["current" if is_credit else bucket_of((as_of - due).days)] += int(amount)
    disputed = (Dispute.select(Dispute.id).join(OpenItem, on=(OpenItem.document == Dispute.invoice))
                .where((OpenItem.customer == customer_id) & (OpenItem.open_minor != 0)
                       & (Dispute.status == DisputeStatus.OPEN)).exists())
    return buckets, disputed


