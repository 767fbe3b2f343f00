"""Operators, settings, period locks, number series, the audit chain, approvals and work assignments."""
from __future__ import annotations

from peewee import AutoField, CharField, ForeignKeyField, IntegerField, TextField

from store.fields import IsoDateField, IsoDateTimeField, JsonField, MinorField, utcnow
from store.models.base import BaseModel
from store.models.customers import Customer
from store.models.money_in import Payment


class Setting(BaseModel):
    key = CharField(primary_key=True)
    value = TextField()

class Operator(BaseModel):
    id = AutoField()
    login = CharField(unique=True)
    name = TextField()
    role = CharField(default="clerk")  # clerk, supervisor, admin
    created_at = IsoDateTimeField(default=utcnow)
    disabled_at = IsoDateTimeField(null=True)  # a disabled login is refused; its name stays in the history

class PeriodLock(BaseModel):
    """Append-only history of period closes and reopenings; the latest row holds the lock date."""

    id = AutoField()
    month = CharField()  # YYYY-MM closed or reopened
    lock_date = IsoDateField(null=True)  # nothing dated on or before it may be written; None: nothing locked
    action = CharField()  # close, reopen
    reason = TextField(default="")
    by = CharField()
    at = IsoDateTimeField(default=utcnow)

class NumberSeries(BaseModel):
    """One counter row per series; taken inside the posting transaction, so numbers are gapless."""

    code = CharField(primary_key=True)
    prefix = CharField()
    width = IntegerField(default=6)
    next_value = IntegerField(default=1)

class AuditEvent(BaseModel):
    id = AutoField()
    at = IsoDateTimeField(default=utcnow)
    operator = CharField()
    action = CharField()
    entity = CharField()
    entity_id = CharField()
    customer = ForeignKeyField(Customer, null=True, backref="audit_events")
    customer_id: int | None
    before = JsonField(null=True)
    after = JsonField(null=True)
    prev_hash = CharField()
    hash = CharField(unique=True)

class AuditHead(BaseModel):
    """The end of the audit chain: one row, updated first so writers queue for it in order."""

    id = IntegerField(primary_key=True)
    last_hash = CharField()
    count = IntegerField(default=0)

class ApprovalRequest(BaseModel):
    """Something one person asked for that a second person must approve (four eyes).

    `params` holds what the action needs to run when approved; `subject` names what it is about
    (a refund, an invoice, an account, a period) so the queue reads without looking anything up.
    """

    id = AutoField()
    kind = CharField()  # refund, write_off, credit_note, collections, period_reopen
    subject = CharField()
    customer = ForeignKeyField(Customer, null=True, backref="approval_requests")
    customer_id: int | None
    amount_minor = MinorField(null=True)
    currency = CharField(max_length=3, null=True)
    params = JsonField()
    reason = TextField()
    status = CharField(default="pending")  # pending, approved, rejected
    requested_by = CharField()
    requested_at = IsoDateTimeField(default=utcnow)
    decided_by = CharField(null=True)
    decided_at = IsoDateTimeField(null=True)
    decision_reason = TextField(default="")
    outcome = TextField(default="")  # what approval posted, e.g. "refund RF-000002 posted"

    class Meta:
        indexes = ((("status", "requested_at"), False),)

class WorkAssignment(BaseModel):
    """An account (collections follow-up, a dispute) or an unmatched payment given to an operator."""

    id = AutoField()
    topic = CharField()  # collections, dispute, payment
    customer = ForeignKeyField(Customer, null=True, backref="assignments")
    customer_id: int | None
    payment = ForeignKeyField(Payment, null=True, backref="assignments")
    payment_id: int | None
    note = TextField(default="")
    assigned_to = CharField()
    assigned_by = CharField()
    assigned_at = IsoDateTimeField(default=utcnow)
    status = CharField(default="open")  # open, done
    done_at = IsoDateTimeField(null=True)

    class Meta:
        indexes = ((("assigned_to", "status"), False),)

class IdempotencyKey(BaseModel):
    key = CharField(primary_key=True)
    service = CharField()
    request_sha256 = CharField()
    result = JsonField()
    created_at = IsoDateTimeField(default=utcnow)
