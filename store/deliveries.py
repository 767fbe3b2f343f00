"""Deliveries: which documents went out, how, to whom, with what result, and the exact bytes sent.

The document that was sent is the document that is kept: a delivery stores the PDF's bytes and
their hash, and a re-send or a copy uses those bytes, never a fresh render with today's settings.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from peewee import JOIN, fn

from store.audit import record_event
from store.errors import Conflict, NotFound, ValidationError
from store.fields import utcnow
from store.kinds import DeliveryStatus
from store.models import Customer, Delivery, Invoice, InvoiceVoid, Outbox, OutboxStatus
from store.permissions import Action
from store.service import transaction
from store.session import current_operator, require

DONE = (DeliveryStatus.SENT, DeliveryStatus.PRINTED)


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
    return DeliveryRow(d.id, d.document.number if d.document is not None else None, d.customer.account_no, d.kind,
                       d.channel,
                       d.recipient, d.status, d.message_id, d.error, d.attempts, d.batch, d.pdf_sha256)


def pending_documents(limit: int | None = None) -> list[PendingDocument]:
    """What waits in the outbox to be sent or printed (voided documents are left there unsent)."""
    query = (Outbox.select(Invoice.number, Outbox.kind, Customer.account_no, Customer.name, Outbox.channel,
                           Outbox.recipient.alias("email"))
             .join(Customer, on=(Outbox.customer == Customer.id))
             .join(Invoice, on=(Outbox.document == Invoice.id), join_type=JOIN.LEFT_OUTER)
             .where((Outbox.status == OutboxStatus.QUEUED) & (
                 Outbox.document.is_null() | Outbox.document.not_in(InvoiceVoid.select(InvoiceVoid.invoice))))
             .order_by(Outbox.id))
    if limit:
        query = query.limit(limit)
    return [PendingDocument(number or "", kind, account_no, name, channel, email)
            for number, kind, account_no, name, channel, email in query.tuples().iterator()]


@dataclass(frozen=True, slots=True)
class PendingCounts:
    """How many documents wait to be delivered, and how (what the delivery screen says before F10)."""
    total: int
    by_email: int
    by_post: int


def _queued_by_channel(voided: bool) -> dict[str, int]:
    query = Outbox.select(Outbox.channel, fn.COUNT(Outbox.id)).where(Outbox.status == OutboxStatus.QUEUED)
    if voided:
        query = query.join(InvoiceVoid, on=(InvoiceVoid.invoice == Outbox.document))
    return {channel: int(count) for channel, count in query.group_by(Outbox.channel).tuples().iterator()}


def pending_counts() -> PendingCounts:
    """The counts of `pending_documents()`, without reading the documents.

    Counted from the (status, channel) index, less the voided documents left queued, which are
    counted from the voids (few) rather than by testing every queued row against them: at a
    million queued documents, reading each of them took 16 s and 1.2 GB. An e-mail row always has
    its recipient (store.outbox._route), so the channel alone says e-mail or post.
    """
    queued, voided = _queued_by_channel(False), _queued_by_channel(True)
    by_channel = {channel: count - voided.get(channel, 0) for channel, count in queued.items()}
    by_email = by_channel.get("email", 0)
    return PendingCounts(sum(by_channel.values()), by_email, sum(by_channel.values()) - by_email)


def has_pending(channel: str, kinds: Sequence[str] | None = None) -> bool:
    """Whether any document waits to go by `channel` (of these kinds): one row looked at, not all."""
    query = (Outbox.select(Outbox.id)
             .join(InvoiceVoid, JOIN.LEFT_OUTER, on=(InvoiceVoid.invoice == Outbox.document))
             .where((Outbox.status == OutboxStatus.QUEUED) & (Outbox.channel == channel) & InvoiceVoid.id.is_null()))
    if kinds is not None:
        query = query.where(Outbox.kind.in_(list(kinds)))
    return query.exists()


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
        if a.status not in (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.PENDING, DeliveryStatus.PRINTED):
            raise ValidationError("status", f"'{a.status}' is not a delivery status")
    if not attempts:
        return []
    operator = current_operator()
    with transaction():
        require(Action.DELIVER)
        accounts = {a.account_no for a in attempts}
        customers: dict[str, int] = dict(Customer.select(Customer.account_no, Customer.id)
                         .where(Customer.account_no.in_(list(accounts))).tuples().iterator())
        numbers = list({a.number for a in attempts if a.number})
        documents: dict[str, int] = dict(
            Invoice.select(Invoice.number, Invoice.id).where(Invoice.number.in_(numbers)).tuples().iterator()) \
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
                sent_at=utcnow() if a.status == DeliveryStatus.SENT else None, created_by=operator).execute()
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
        if d.status != DeliveryStatus.FAILED:
            raise Conflict(f"delivery {delivery_id} is {d.status}, not failed")
        Delivery.update(status=status, message_id=message_id, error=error[:500], attempts=Delivery.attempts + 1,
                        sent_at=utcnow() if status == DeliveryStatus.SENT else None,
                        ).where(Delivery.id == d.id).execute()
        record_event(f"delivery.retry_{status}", "delivery", d.id, customer_id=d.customer_id,
                     before={"status": DeliveryStatus.FAILED, "error": d.error}, after={"status": status,
                                                                                        "error": error[:200]})
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
    return [_row(d) for d in Delivery.select().where(Delivery.status == DeliveryStatus.FAILED).order_by(Delivery.id)]


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
        rows = list(Delivery.select().where((Delivery.batch == batch) & (Delivery.status == DeliveryStatus.PENDING)))
        if not rows:
            raise NotFound(f"print batch {batch}: nothing waiting to be confirmed")
        Delivery.update(status=DeliveryStatus.PRINTED, sent_at=utcnow()).where(
            (Delivery.batch == batch) & (Delivery.status == DeliveryStatus.PENDING)).execute()
        record_event("delivery.printed", "print_batch", batch, after={"documents": len(rows)})
        return len(rows)


def print_batch_contents(batch: str) -> list[DeliveryRow]:
    return [_row(d) for d in Delivery.select().where(Delivery.batch == batch).order_by(Delivery.id)]
