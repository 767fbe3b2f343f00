"""Deliveries: which documents went out, how, to whom, with what result, and the exact bytes sent.

The document that was sent is the document that is kept: a delivery stores the PDF's bytes and
their hash, and a re-send or a copy uses those bytes, never a fresh render with today's settings.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from store.audit import record_event
from store.errors import Conflict, NotFound, ValidationError
from store.fields import utcnow
from store.models import Customer, Delivery, Invoice, InvoiceVoid
from store.permissions import Action
from store.service import transaction
from store.session import current_operator, require

DONE = ("sent", "printed")


@dataclass(frozen=True, slots=True)
class PendingDocument:
    number: str
    kind: str
    account_no: str
    customer_name: str
    channel: str
    email: str
    delivery_ids: list[int] = field(default_factory=list)  # filled as it is delivered


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    id: int
    number: str | None
    account_no: str
    kind: str
    channel: str
    recipient: str
    status: str
    message_id: str
    error: str
    attempts: int
    batch: str | None
    pdf_sha256: str | None


def _row(d: Delivery) -> DeliveryRow:
    return DeliveryRow(d.id, d.document.number if d.document_id else None, d.customer.account_no, d.kind, d.channel,
                       d.recipient, d.status, d.message_id, d.error, d.attempts, d.batch, d.pdf_sha256)


def pending_documents(limit: int | None = None) -> list[PendingDocument]:
    """Posted invoices and credit notes not yet sent, printed or waiting in a print batch."""
    handled = Delivery.select(Delivery.document).where(
        Delivery.document.is_null(False) & (Delivery.status.in_(DONE) | Delivery.batch.is_null(False)))
    failed = Delivery.select(Delivery.document).where(Delivery.status == "failed")
    voided = InvoiceVoid.select(InvoiceVoid.invoice)
    query = (Invoice.select(Invoice.number, Invoice.kind, Customer.account_no, Customer.name, Customer.channel,
                            Customer.email)
             .join(Customer).where((Invoice.status == "posted") & Invoice.id.not_in(handled)
                                   & Invoice.id.not_in(failed) & Invoice.id.not_in(voided))
             .order_by(Invoice.id))
    if limit:
        query = query.limit(limit)
    return [PendingDocument(r.number, r.kind, r.account_no, r.name, r.channel, r.email) for r in query.objects()]


@dataclass(frozen=True, slots=True)
class DeliveryAttempt:
    """One delivery attempt to keep: the document, how and to whom, the exact bytes and the outcome."""
    number: str | None
    account_no: str
    kind: str
    channel: str
    recipient: str
    pdf: bytes
    status: str
    message_id: str = ""
    error: str = ""
    batch: str | None = None


def record_delivery(number: str | None, account_no: str, kind: str, channel: str, recipient: str, pdf: bytes,
                    status: str, message_id: str = "", error: str = "", batch: str | None = None) -> DeliveryRow:
    """Keep one delivery attempt and the exact bytes that went (or were to go)."""
    ids = record_deliveries([DeliveryAttempt(number, account_no, kind, channel, recipient, pdf, status, message_id,
                                             error, batch)])
    return _row(Delivery.get_by_id(ids[0]))


def record_deliveries(attempts: Sequence[DeliveryAttempt]) -> list[int]:
    """Keep several delivery attempts in one transaction, each its own row with its bytes, their hash
    and its own audit event, in the order given; returns their ids. All are kept or none."""
    for a in attempts:
        if a.status not in ("sent", "failed", "pending", "printed"):
            raise ValidationError("status", f"'{a.status}' is not a delivery status")
    if not attempts:
        return []
    operator = current_operator()
    with transaction():
        require(Action.DELIVER)
        accounts = {a.account_no for a in attempts}
        customers = dict(Customer.select(Customer.account_no, Customer.id)
                         .where(Customer.account_no.in_(list(accounts))).tuples())
        numbers = list({a.number for a in attempts if a.number})
        documents = dict(Invoice.select(Invoice.number, Invoice.id).where(Invoice.number.in_(numbers)).tuples()) \
            if numbers else {}
        ids = []
        for a in attempts:
            customer_id = customers.get(a.account_no)
            if customer_id is None:
                raise NotFound(f"account {a.account_no}: no such customer")
            digest = hashlib.sha256(a.pdf).hexdigest()
            delivery_id = Delivery.insert(
                document=documents.get(a.number) if a.number else None, customer=customer_id, kind=a.kind,
                channel=a.channel, recipient=a.recipient, status=a.status, message_id=a.message_id,
                error=a.error[:500], attempts=1, batch=a.batch, pdf=a.pdf, pdf_sha256=digest,
                sent_at=utcnow() if a.status == "sent" else None, created_by=operator).execute()
            record_event(f"delivery.{a.status}", "delivery", delivery_id, customer_id=customer_id,
                         after={"document": a.number, "channel": a.channel, "to": a.recipient, "sha256": digest,
                                "message_id": a.message_id, "error": a.error[:200], "batch": a.batch})
            ids.append(delivery_id)
        return ids


def record_retry(delivery_id: int, status: str, message_id: str = "", error: str = "") -> DeliveryRow:
    with transaction():
        require(Action.DELIVER)
        d = Delivery.get_or_none(Delivery.id == delivery_id)
        if d is None:
            raise NotFound(f"delivery {delivery_id}: no such delivery")
        if d.status != "failed":
            raise Conflict(f"delivery {delivery_id} is {d.status}, not failed")
        Delivery.update(status=status, message_id=message_id, error=error[:500], attempts=Delivery.attempts + 1,
                        sent_at=utcnow() if status == "sent" else None).where(Delivery.id == d.id).execute()
        record_event(f"delivery.retry_{status}", "delivery", d.id, customer_id=d.customer_id,
                     before={"status": "failed", "error": d.error}, after={"status": status, "error": error[:200]})
        return _row(Delivery.get_by_id(d.id))


def link_notice(notice_id: int, delivery_id: int) -> None:
    """A dunning notice went out as this delivery."""
    from store.models import DunningNotice

    with transaction():
        notice = DunningNotice.get_or_none(DunningNotice.id == notice_id)
        if notice is None:
            raise NotFound(f"dunning notice {notice_id}: no such notice")
        DunningNotice.update(delivery=delivery_id).where(DunningNotice.id == notice_id).execute()
        record_event("dunning.delivered", "dunning_notice", notice_id, customer_id=notice.customer_id,
                     after={"delivery": delivery_id})


def failed_deliveries() -> list[DeliveryRow]:
    return [_row(d) for d in Delivery.select().where(Delivery.status == "failed").order_by(Delivery.id)]


def deliveries_of(number: str) -> list[DeliveryRow]:
    return [_row(d) for d in Delivery.select().join(Invoice, on=(Delivery.document == Invoice.id))
            .where(Invoice.number == number.strip().upper()).order_by(Delivery.id)]


def delivered_pdf(delivery_id: int) -> bytes:
    """The bytes that went out; checked against the hash kept with them."""
    d = Delivery.get_or_none(Delivery.id == delivery_id)
    if d is None or d.pdf is None:
        raise NotFound(f"delivery {delivery_id}: no document kept")
    data = bytes(d.pdf)
    if hashlib.sha256(data).hexdigest() != d.pdf_sha256:
        raise Conflict(f"delivery {delivery_id}: the kept document does not match its hash")
    return data


def confirm_printed(batch: str) -> int:
    """The print batch came off the printer: its documents count as delivered by post."""
    with transaction():
        require(Action.DELIVER)
        rows = list(Delivery.select().where((Delivery.batch == batch) & (Delivery.status == "pending")))
        if not rows:
            raise NotFound(f"print batch {batch}: nothing waiting to be confirmed")
        Delivery.update(status="printed", sent_at=utcnow()).where(
            (Delivery.batch == batch) & (Delivery.status == "pending")).execute()
        record_event("delivery.printed", "print_batch", batch, after={"documents": len(rows)})
        return len(rows)


def print_batch_contents(batch: str) -> list[DeliveryRow]:
    return [_row(d) for d in Delivery.select().where(Delivery.batch == batch).order_by(Delivery.id)]
