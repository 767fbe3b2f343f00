"""The outbox: every e-mail and print-batch entry is a row first, written with what caused it.

Posting a document, recording a dunning notice or resending one queues a row in the same
transaction, with its Message-ID fixed there and then. A sender claims a row (BEGIN IMMEDIATE on
SQLite, FOR UPDATE SKIP LOCKED on PostgreSQL) by moving it from queued to sending under its own
name (host:pid) and the time; whichever senders run, each row is claimed by one of them. The
moment the server accepts a message the row becomes sent, with the exact bytes kept, in one
transaction. A row still in sending whose sender is gone (its process has ended, or its claim is
older than the lease) may or may not have reached the server: it becomes uncertain and is never
sent again unless an operator says so (resend, or mark sent). See docs/DESIGN.md, Outbox.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from peewee import JOIN, ModelSelect, PostgresqlDatabase

from store.audit import record_event
from store.claims import claimant, process_gone
from store.deliveries import DeliveryAttempt, link_notice, record_deliveries, record_retry
from store.errors import Conflict, NotFound, ValidationError
from store.fields import utcnow
from store.models import Customer, DunningNotice, Invoice, InvoiceVoid, Outbox, OutboxStatus, database_proxy
from store.service import transaction
from store.session import current_operator
from store.settings import get_setting

__all__ = [
    "LEASE",
    "OutboxItem",
    "OutboxStatus",
    "claim",
    "delivery_log",
    "earliest_due",
    "get_item",
    "mark_sent",
    "mark_uncertain_if_abandoned",
    "notice_of",
    "queue_document",
    "queue_document_again",
    "queue_notice",
    "record_failed",
    "record_sent",
    "requeue_failed",
    "resend",
    "retry_later",
    "sender_name",
]

# A claim older than this is abandoned whatever its process looks like (another host, a reused pid).
LEASE = dt.timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    kind: str
    channel: str
    number: str | None
    notice_id: int | None
    account_no: str
    customer_name: str
    recipient: str
    message_id: str
    status: str
    attempts: int
    error: str
    batch: str | None
    delivery_id: int | None
    created_at: dt.datetime
    claimed_by: str | None
    claimed_at: dt.datetime | None
    sent_at: dt.datetime | None


def _query() -> ModelSelect[Outbox]:
    """The outbox rows with the columns OutboxItem holds."""
    return (Outbox.select(Outbox, Customer.account_no, Customer.name.alias("customer_name"),
                          Invoice.number.alias("number"))
            .join(Customer, on=(Outbox.customer == Customer.id))
            .join(Invoice, on=(Outbox.document == Invoice.id), join_type=JOIN.LEFT_OUTER))


def _item(row: Any) -> OutboxItem:  # an Outbox row with its customer's account_no and name joined in
    return OutboxItem(row.id, row.kind, row.channel, getattr(row, "number", None), row.notice_id,
                      row.account_no, row.customer_name, row.recipient, row.message_id,
                      row.status, row.attempts, row.error, row.batch, row.delivery_id, row.created_at,
                      row.claimed_by, row.claimed_at, row.sent_at)


def get_item(item_id: int) -> OutboxItem:
    row = _query().where(Outbox.id == item_id).objects().first()
    if row is None:
        raise NotFound(f"outbox {item_id}: no such message")
    return _item(row)


sender_name = claimant


def _message_id() -> str:
    sender = get_setting("smtp_from") or get_setting("company_email")
    # Short enough that the header is never folded (a folded one reads back with a leading space).
    return f"<{uuid.uuid4().hex}@{sender.partition('@')[2] or 'billfold.invalid'}>"


def _route(customer: Customer) -> tuple[str, str]:
    """The channel and recipient of a customer's documents now."""
    if customer.channel == "email" and customer.email:
        return "email", customer.email
    return "post", ""


def queue_document(invoice_id: int, kind: str, customer: Customer) -> int:
    """Queue a posted document for delivery, inside the posting transaction."""
    channel, recipient = _route(customer)
    return int(Outbox.insert(kind=kind, channel=channel, document=invoice_id, customer=customer.id,
                             recipient=recipient, message_id=_message_id(),
                             created_by=current_operator()).execute())


def queue_notice(notice_id: int, customer: Customer) -> int:
    """Queue a dunning notice, inside the transaction that records it."""
    channel, recipient = _route(customer)
    return int(Outbox.insert(kind="reminder", channel=channel, notice=notice_id, customer=customer.id,
                             recipient=recipient, message_id=_message_id(),
                             created_by=current_operator()).execute())


def queue_document_again(number: str) -> int:
    """An operator sends a posted document by e-mail now (again): a new row of its own."""
    with transaction():
        invoice = Invoice.get_or_none((Invoice.number == number.strip().upper()) & (Invoice.status == "posted"))
        if invoice is None:
            raise NotFound(f"{number}: no such posted document")
        customer = Customer.get_by_id(invoice.customer_id)
        if not customer.email:
            raise ValidationError("email", f"{customer.account_no} has no e-mail address")
        item_id = int(Outbox.insert(kind=invoice.kind, channel="email", document=invoice.id, customer=customer.id,
                                    recipient=customer.email, message_id=_message_id(),
                                    created_by=current_operator()).execute())
        record_event("outbox.queue", "outbox", item_id, customer_id=customer.id,
                     after={"document": invoice.number, "to": customer.email})
        return item_id


def claim(channel: str, *, kinds: Sequence[str] | None = None, ids: Sequence[int] | None = None,
          kept: bool | None = None, limit: int | None = 1, now: dt.datetime | None = None) -> list[OutboxItem]:
    """Move up to `limit` queued rows that are due to sending, under this sender's name."""
    now = now or utcnow()
    with transaction():
        query = Outbox.select(Outbox.id).where(
            (Outbox.status == OutboxStatus.QUEUED) & (Outbox.channel == channel)
            & (Outbox.next_attempt_at.is_null() | (Outbox.next_attempt_at <= now))
            & (Outbox.document.is_null() | Outbox.document.not_in(InvoiceVoid.select(InvoiceVoid.invoice))))
        if kinds is not None:
            query = query.where(Outbox.kind.in_(list(kinds)))
        if ids is not None:
            query = query.where(Outbox.id.in_(list(ids)))
        if kept is not None:
            query = query.where(Outbox.delivery.is_null(not kept))
        query = query.order_by(Outbox.id)
        if limit is not None:
            query = query.limit(limit)
        if isinstance(database_proxy.obj, PostgresqlDatabase):
            query = query.for_update("FOR UPDATE SKIP LOCKED")  # type: ignore[arg-type]  # peewee takes the clause
        chosen = [r.id for r in query]
        if not chosen:
            return []
        Outbox.update(status=OutboxStatus.SENDING, claimed_by=sender_name(), claimed_at=utcnow()).where(
            Outbox.id.in_(chosen) & (Outbox.status == OutboxStatus.QUEUED)).execute()
        return [_item(r) for r in _query().where(Outbox.id.in_(chosen)).order_by(Outbox.id).objects()]


def _gone(claimed_by: str | None, claimed_at: dt.datetime | None, now: dt.datetime) -> bool:
    if claimed_at is None or now - claimed_at > LEASE:
        return True
    return process_gone(claimed_by)


def mark_uncertain_if_abandoned(now: dt.datetime | None = None) -> list[int]:
    """Rows left in sending by a sender that is gone become uncertain: never sent again by themselves."""
    now = now or utcnow()
    sending = list(Outbox.select(Outbox.id, Outbox.claimed_by, Outbox.claimed_at, Outbox.customer)
                   .where(Outbox.status == OutboxStatus.SENDING))
    gone = [r for r in sending if _gone(r.claimed_by, r.claimed_at, now)]
    if not gone:
        return []
    marked = []
    with transaction():
        for r in gone:
            changed = Outbox.update(status=OutboxStatus.UNCERTAIN, error="the sender stopped while sending").where(
                (Outbox.id == r.id) & (Outbox.status == OutboxStatus.SENDING)
                & (Outbox.claimed_by == r.claimed_by)).execute()
            if changed:
                record_event("outbox.uncertain", "outbox", r.id, customer_id=r.customer_id,
                             after={"claimed_by": r.claimed_by, "claimed_at": r.claimed_at})
                marked.append(r.id)
    return marked


def _attempt(item: OutboxItem, pdf: bytes, status: str, error: str = "", batch: str | None = None
             ) -> DeliveryAttempt:
    return DeliveryAttempt(item.number, item.account_no, item.kind, item.channel,
                           item.recipient if item.channel == "email" else item.customer_name, pdf, status,
                           message_id=item.message_id if status == "sent" else "", error=error, batch=batch)


def record_sent(item: OutboxItem, pdf: bytes | None, batch: str | None = None) -> None:
    """The server accepted it (or it is in a print batch on disk): the row is sent, its bytes kept."""
    with transaction():
        if item.delivery_id is not None:  # an earlier attempt failed and kept the bytes
            record_retry(item.delivery_id, "sent", message_id=item.message_id)
            delivery_id = item.delivery_id
        else:
            [delivery_id] = record_deliveries([_attempt(item, pdf or b"", "pending" if batch else "sent",
                                                        batch=batch)])
        Outbox.update(status=OutboxStatus.SENT, sent_at=utcnow(), batch=batch, delivery=delivery_id, error="",
                      attempts=Outbox.attempts + 1).where(Outbox.id == item.id).execute()
        if item.notice_id is not None:
            link_notice(item.notice_id, delivery_id)


def record_failed(item: OutboxItem, error: str, pdf: bytes | None) -> None:
    """Refused for good (a 5xx reply, or transient failures past the limit): kept with the reply."""
    with transaction():
        delivery_id = item.delivery_id
        if delivery_id is not None:
            record_retry(delivery_id, "failed", error=error)
        elif pdf is not None:
            [delivery_id] = record_deliveries([_attempt(item, pdf, "failed", error=error)])
        Outbox.update(status=OutboxStatus.FAILED, error=error[:500], delivery=delivery_id,
                      attempts=Outbox.attempts + 1).where(Outbox.id == item.id).execute()
        if item.notice_id is not None and delivery_id is not None:
            link_notice(item.notice_id, delivery_id)


def retry_later(item: OutboxItem, error: str, at: dt.datetime) -> None:
    """A transient failure: back in the queue, due again at `at`."""
    with transaction():
        Outbox.update(status=OutboxStatus.QUEUED, error=error[:500], next_attempt_at=at, claimed_by=None,
                      attempts=Outbox.attempts + 1).where(Outbox.id == item.id).execute()


def earliest_due(ids: Sequence[int]) -> dt.datetime | None:
    """When the first of these rows still queued for a retry is due again; None when none is."""
    if not ids:
        return None
    due = [r.next_attempt_at for r in Outbox.select(Outbox.next_attempt_at).where(
        Outbox.id.in_(list(ids)) & (Outbox.status == OutboxStatus.QUEUED))]
    return min((d for d in due if d is not None), default=None if not due else utcnow())


def _operator_change(item_id: int, allowed: tuple[OutboxStatus, ...], action: str, **values: object) -> OutboxItem:
    with transaction():
        row = Outbox.get_or_none(Outbox.id == item_id)
        if row is None:
            raise NotFound(f"outbox {item_id}: no such message")
        if row.status not in allowed:
            raise Conflict(f"outbox {item_id} is {row.status}; only {' or '.join(allowed)} can be {action}")
        Outbox.update(**values).where(Outbox.id == item_id).execute()
        record_event(f"outbox.{action.replace(' ', '_')}", "outbox", item_id, customer_id=row.customer_id,
                     before={"status": row.status}, after={"status": values["status"],
                                                           "message_id": row.message_id})
    return get_item(item_id)


def resend(item_id: int) -> OutboxItem:
    """An operator sends an uncertain or failed message again, with the same Message-ID."""
    return _operator_change(item_id, (OutboxStatus.UNCERTAIN, OutboxStatus.FAILED), "resent",
                            status=OutboxStatus.QUEUED, next_attempt_at=None, claimed_by=None, attempts=0)


def mark_sent(item_id: int) -> OutboxItem:
    """An operator knows an uncertain message arrived (the customer has it): it is not sent again."""
    return _operator_change(item_id, (OutboxStatus.UNCERTAIN,), "marked sent", status=OutboxStatus.SENT,
                            sent_at=utcnow(), error="marked sent by " + current_operator())


def requeue_failed(channel: str = "email") -> int:
    """Every failed message back in the queue (deliver --retry)."""
    with transaction():
        rows = list(Outbox.select(Outbox.id, Outbox.customer).where(
            (Outbox.status == OutboxStatus.FAILED) & (Outbox.channel == channel)))
        for r in rows:
            Outbox.update(status=OutboxStatus.QUEUED, next_attempt_at=None, attempts=0).where(
                Outbox.id == r.id).execute()
            record_event("outbox.resent", "outbox", r.id, customer_id=r.customer_id,
                         before={"status": "failed"}, after={"status": "queued"})
        return len(rows)


def delivery_log(status: str | None = None, limit: int = 1000) -> list[OutboxItem]:
    """The outbox, newest first; `status` one of queued, sending, sent, failed, uncertain."""
    if status is not None and status not in {s.value for s in OutboxStatus}:
        raise ValidationError("status", f"'{status}' is not one of {', '.join(s.value for s in OutboxStatus)}")
    mark_uncertain_if_abandoned()
    query = _query()
    if status is not None:
        query = query.where(Outbox.status == status)
    return [_item(r) for r in query.order_by(Outbox.id.desc()).limit(limit).objects()]


def notice_of(item: OutboxItem) -> tuple[int, dt.date, list[str]]:
    """The level, date and invoices of the dunning notice a row sends."""
    notice = DunningNotice.get_or_none(DunningNotice.id == item.notice_id)
    if notice is None:
        raise NotFound(f"outbox {item.id}: not a dunning notice")
    return notice.level, notice.notice_date, [i["invoice"] for i in notice.items]
