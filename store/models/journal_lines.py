"""Journal lines (they name documents and payments) and the totals derived from them."""
from __future__ import annotations

from peewee import AutoField, CharField, ForeignKeyField, IntegerField

from store.fields import IsoDateField, MinorField
from store.models.base import BaseModel
from store.models.customers import Customer
from store.models.documents import Invoice
from store.models.journal import Account, JournalEntry
from store.models.money_in import Payment


class JournalLine(BaseModel):
    id = AutoField()
    entry = ForeignKeyField(JournalEntry, backref="lines")
    entry_id: int
    account = ForeignKeyField(Account, column_name="account")
    account_id: str
    customer = ForeignKeyField(Customer, null=True)
    customer_id: int | None
    document = ForeignKeyField(Invoice, null=True)
    document_id: int | None
    payment = ForeignKeyField(Payment, null=True)
    payment_id: int | None
    tax_code = CharField(null=True)
    currency = CharField(max_length=3)
    debit_minor = MinorField(default=0)
    credit_minor = MinorField(default=0)

    class Meta:
        indexes = ((("account", "customer"), False),)

class LedgerDay(BaseModel):
    """The journal summed per entry date, account, currency and entry kind (for reports).

    Written only by a database trigger on journal_line inserts (migration 0005); never by services.
    """

    id = AutoField()
    entry_date = IsoDateField()
    account = CharField()
    currency = CharField(max_length=3)
    kind = CharField()
    debit_minor = MinorField(default=0)
    credit_minor = MinorField(default=0)
    lines = IntegerField(default=0)

    class Meta:
        indexes = ((("entry_date", "account", "currency", "kind"), True),)

class ReceivableMove(BaseModel):
    """A journal line on receivables (1100) of a document, with its entry date (for aging at a past date).

    Written only by a database trigger on journal_line inserts (migration 0005); never by services.
    """

    id = AutoField()
    entry_date = IsoDateField()
    document_id = IntegerField()
    amount_minor = MinorField()  # debit minus credit

    class Meta:
        indexes = ((("entry_date", "document_id", "amount_minor"), False),
                   (("document_id", "entry_date", "amount_minor"), False))  # a document's moves (0008)
