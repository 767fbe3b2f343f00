"""The chart and the journal: accounts, entries, lines, and the totals derived from them."""
from __future__ import annotations

from peewee import AutoField, CharField, TextField

from store.fields import IsoDateField, IsoDateTimeField, utcnow
from store.models.base import BaseModel


class Account(BaseModel):
    code = CharField(primary_key=True)
    name = TextField()
    kind = CharField()  # asset, liability, income, expense

class JournalEntry(BaseModel):
    id = AutoField()
    entry_date = IsoDateField(index=True)
    kind = CharField()  # invoice, credit_note, void, payment, allocation, refund, write_off, ...
    memo = TextField(default="")
    created_at = IsoDateTimeField(default=utcnow)
    created_by = CharField()
