"""Invoices and credit notes, their lines and open amounts, voids."""
from __future__ import annotations

from peewee import AutoField, CharField, ForeignKeyField, IntegerField, ModelSelect, TextField

from store.fields import DecimalTextField, IsoDateField, IsoDateTimeField, MinorField, utcnow
from store.models.base import BaseModel
from store.models.catalogue import Item, TaxCode
from store.models.customers import Customer
from store.models.journal import JournalEntry


class Invoice(BaseModel):
    """An invoice or a credit note (kind). Drafts change freely; posted ones never change."""

    id = AutoField()
    lines: ModelSelect[InvoiceLine]  # a backref: peewee adds it with InvoiceLine
    kind = CharField(default="invoice")  # invoice, credit_note
    number = CharField(null=True, unique=True)
    series = CharField()
    seq = IntegerField(null=True)
    customer = ForeignKeyField(Customer, backref="invoices")
    customer_id: int
    status = CharField(default="draft")  # draft, posted
    issue_date = IsoDateField()
    due_date = IsoDateField()
    currency = CharField(max_length=3)
    reference = TextField(default="")
    memo = TextField(default="")
    tax_rounding = CharField(default="line")  # line, invoice
    subtotal_minor = MinorField(default=0)
    tax_minor = MinorField(default=0)
    total_minor = MinorField(default=0)
    credited_invoice = ForeignKeyField("self", null=True, backref="credit_notes")
    credited_invoice_id: int | None
    journal_entry = ForeignKeyField(JournalEntry, null=True)
    journal_entry_id: int | None
    version = IntegerField(default=1)

    @property
    def posted_number(self) -> str:
        """The number of a posted document. A draft has none yet: asking for it is a bug, said at once."""
        if self.number is None:
            raise AssertionError(f"document #{self.id} is a draft: it has no number yet")
        return self.number
    created_at = IsoDateTimeField(default=utcnow)
    created_by = CharField()
    posted_at = IsoDateTimeField(null=True)
    posted_by = CharField(null=True)

    class Meta:
        indexes = ((("customer", "status", "issue_date"), False),)

class InvoiceLine(BaseModel):
    id = AutoField()
    invoice = ForeignKeyField(Invoice, backref="lines", on_delete="CASCADE")
    invoice_id: int
    position = IntegerField()
    item = ForeignKeyField(Item, null=True)
    item_id: int | None
    description = TextField()
    quantity = DecimalTextField()
    unit_price_minor = MinorField()
    discount_percent = DecimalTextField(default="0")
    tax_code = ForeignKeyField(TaxCode, column_name="tax_code")
    tax_code_id: str
    tax_rate = DecimalTextField()  # the rate as it was when the line was keyed
    net_minor = MinorField()
    tax_minor = MinorField()
    credited_line = ForeignKeyField("self", null=True)
    credited_line_id: int | None

class OpenItem(BaseModel):
    """What is still open on a posted document: + owed on an invoice, - unapplied on a credit note."""

    id = AutoField()
    document = ForeignKeyField(Invoice, unique=True, backref="open_item")
    document_id: int
    customer = ForeignKeyField(Customer, backref="open_items")
    customer_id: int
    currency = CharField(max_length=3)
    due_date = IsoDateField()
    open_minor = MinorField()

    class Meta:
        indexes = ((("customer", "due_date"), False),)

class InvoiceVoid(BaseModel):
    id = AutoField()
    invoice = ForeignKeyField(Invoice, unique=True, backref="void_rows")
    invoice_id: int
    reason = TextField()
    journal_entry = ForeignKeyField(JournalEntry)
    journal_entry_id: int
    created_at = IsoDateTimeField(default=utcnow)
    created_by = CharField()


# Aging and account views read only what is still open (created by migration 0002).
OpenItem.add_index(OpenItem.index(OpenItem.customer, OpenItem.due_date, name="open_item_open")
                   .where(OpenItem.open_minor != 0))


# Cash application looks open balances up by amount (migration 0004).
OpenItem.add_index(OpenItem.index(OpenItem.currency, OpenItem.open_minor, name="open_item_amount")
                   .where(OpenItem.open_minor > 0))


# Open credit (credit notes not yet applied) summed without reading every open item (migration 0016).
OpenItem.add_index(OpenItem.index(OpenItem.currency, OpenItem.open_minor, name="open_item_credit")
                   .where(OpenItem.open_minor < 0))
