"""Chasing what is owed: disputes, promises to pay, dunning notices, collection cases."""
from __future__ import annotations

from peewee import AutoField, CharField, ForeignKeyField, TextField

from store.fields import IsoDateField, IsoDateTimeField, MinorField, utcnow
from store.models.base import BaseModel
from store.models.customers import Customer
from store.models.documents import Invoice


class Dispute(BaseModel):
    id = AutoField()
    invoice = ForeignKeyField(Invoice, backref="disputes")
    invoice_id: int
    amount_minor = MinorField()
    reason = TextField()
    note = TextField(default="")
    status = CharField(default="open")  # open, credited, rejected
    credit_note = ForeignKeyField(Invoice, null=True)
    credit_note_id: int | None
    opened_at = IsoDateTimeField(default=utcnow)
    opened_by = CharField()
    resolved_at = IsoDateTimeField(null=True)
    resolved_by = CharField(null=True)
    resolution_note = TextField(default="")

class PromiseToPay(BaseModel):
    id = AutoField()
    customer = ForeignKeyField(Customer, backref="promises")
    customer_id: int
    promised_date = IsoDateField()
    amount_minor = MinorField()
    currency = CharField(max_length=3)
    note = TextField(default="")
    created_at = IsoDateTimeField(default=utcnow)
    created_by = CharField()

class CollectionCase(BaseModel):
    id = AutoField()
    customer = ForeignKeyField(Customer, backref="collection_cases")
    customer_id: int
    status = CharField(default="open")  # open, closed
    agency = TextField(default="")
    note = TextField(default="")
    amount_minor = MinorField()
    currency = CharField(max_length=3)
    opened_at = IsoDateTimeField(default=utcnow)
    opened_by = CharField()
    closed_at = IsoDateTimeField(null=True)
