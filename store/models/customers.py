"""The accounts: customers, their search words, notes, disputes, promises and collection cases."""
from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import AutoField, CharField, ForeignKeyField, IntegerField, ModelSelect, TextField

from store.fields import IsoDateTimeField, MinorField, utcnow

if TYPE_CHECKING:
    from store.models.documents import Invoice
    from store.models.money_in import Payment
from store.models.base import BaseModel


class Customer(BaseModel):
    id = AutoField()
    invoices: ModelSelect[Invoice]  # backrefs: peewee adds them with the related models
    payments: ModelSelect[Payment]
    account_no = CharField(unique=True)
    name = TextField()
    contact_name = TextField(default="")
    address1 = TextField(default="")
    address2 = TextField(default="")
    city = TextField(default="")
    postcode = TextField(default="")
    region = TextField(default="")  # state, province, prefecture (migration 0020)
    country = CharField(default="GB")
    email = TextField(default="")
    phone = TextField(default="")
    currency = CharField(max_length=3)
    terms_days = IntegerField(default=30)
    credit_limit_minor = MinorField(default=0)  # 0: no limit
    tax_id = TextField(default="")
    tax_code = CharField(default="")  # the default for a line typed without one (migration 0018)
    status = CharField(default="active")  # active, on_hold, in_collections, closed
    hold_reason = TextField(default="")
    channel = CharField(default="email")  # email, post
    notes = TextField(default="")
    # Normalised copies for lookup; written by the customer services only.
    name_key = TextField(index=True)
    phone_digits = CharField(default="", index=True)
    postcode_key = CharField(default="", index=True)
    email_key = TextField(default="", index=True)
    version = IntegerField(default=1)
    created_at = IsoDateTimeField(default=utcnow)
    updated_at = IsoDateTimeField(default=utcnow)
    updated_by = CharField(default="")

class SearchToken(BaseModel):
    """A word an account is found by (see store.search_tokens); rewritten with the customer."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="search_tokens", on_delete="CASCADE")
    customer_id: int
    token = CharField()

    class Meta:
        indexes = ((("token", "customer"), True),)

class CustomerNote(BaseModel):
    id = AutoField()
    customer = ForeignKeyField(Customer, backref="note_rows")
    customer_id: int
    text = TextField()
    created_at = IsoDateTimeField(default=utcnow)
    created_by = CharField()
