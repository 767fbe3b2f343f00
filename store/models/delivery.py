"""What leaves the books: dunning notices, the outbox and each delivery's kept bytes."""
from __future__ import annotations

from enum import StrEnum

from peewee import AutoField, BlobField, CharField, ForeignKeyField, IntegerField, TextField

from store.fields import IsoDateField, IsoDateTimeField, JsonField, MinorField, utcnow
from store.models.base import BaseModel
from store.models.customers import Customer
from store.models.documents import Invoice


class Delivery(BaseModel):
    """A document sent: how, to whom, the result, and the exact bytes that went."""

    id = AutoField()
    document = ForeignKeyField(Invoice, null=True, backref="deliveries")
    document_id: int | None
    customer = ForeignKeyField(Customer, backref="deliveries")
    customer_id: int
    kind = CharField()  # invoice, credit_note, statement, reminder, collections_packet
    channel = CharField()  # email, post
    recipient = TextField(default="")
    status = CharField(default="pending")  # pending, sent, failed, printed
    message_id = TextField(default="")
    error = TextField(default="")
    attempts = IntegerField(default=0)
    batch = CharField(null=True, index=True)
    pdf = BlobField(null=True)
    pdf_sha256 = CharField(null=True)
    created_at = IsoDateTimeField(default=utcnow)
    sent_at = IsoDateTimeField(null=True)
    created_by = CharField()

class OutboxStatus(StrEnum):
    """Where an outbox row is: see store/outbox.py for who moves it and when."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNCERTAIN = "uncertain"

class DunningNotice(BaseModel):
    id = AutoField()
    customer = ForeignKeyField(Customer, backref="dunning_notices")
    customer_id: int
    level = IntegerField()
    notice_date = IsoDateField()
    items = JsonField()  # [{"invoice": number, "days_overdue": n, "amount_minor": n}]
    total_minor = MinorField()
    currency = CharField(max_length=3)
    channel = CharField()
    delivery = ForeignKeyField(Delivery, null=True)
    delivery_id: int | None
    created_at = IsoDateTimeField(default=utcnow)
    created_by = CharField()

class Outbox(BaseModel):
    """A message to send (an e-mail or a print-batch entry), written in the transaction that caused it."""

    id = AutoField()
    kind = CharField()  # invoice, credit_note, reminder, statement
    channel = CharField()  # email, post
    document = ForeignKeyField(Invoice, null=True)
    document_id: int | None
    notice = ForeignKeyField(DunningNotice, null=True)
    notice_id: int | None
    customer = ForeignKeyField(Customer)
    customer_id: int
    recipient = TextField(default="")
    message_id = CharField(unique=True)  # fixed when queued, so a resend is recognisable
    status = CharField(default=OutboxStatus.QUEUED.value)
    attempts = IntegerField(default=0)
    next_attempt_at = IsoDateTimeField(null=True)
    claimed_by = CharField(null=True)  # host:pid of the sender holding it
    claimed_at = IsoDateTimeField(null=True)
    batch = CharField(null=True)
    delivery = ForeignKeyField(Delivery, null=True)
    delivery_id: int | None
    error = TextField(default="")
    created_at = IsoDateTimeField(default=utcnow)
    created_by = CharField()
    sent_at = IsoDateTimeField(null=True)

    class Meta:
        indexes = ((("status", "channel", "id"), False),)
