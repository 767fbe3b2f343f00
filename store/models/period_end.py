"""Period-end work: sales orders, recurring contracts, statement runs, ledger exports."""
from __future__ import annotations

from peewee import AutoField, CharField, ForeignKeyField, IntegerField, ModelSelect, TextField

from store.fields import DecimalTextField, IsoDateField, IsoDateTimeField, MinorField, utcnow
from store.models.base import BaseModel
from store.models.catalogue import Item, TaxCode
from store.models.customers import Customer
from store.models.delivery import Outbox
from store.models.documents import Invoice
from store.models.journal import JournalEntry


class SalesOrder(BaseModel):
    """An order imported for review; billed at most once (`invoice` is set in the posting transaction)."""

    id = AutoField()
    lines: ModelSelect[SalesOrderLine]  # a backref: peewee adds it with SalesOrderLine
    order_no = CharField(unique=True)  # the order_id of the file it came from
    customer = ForeignKeyField(Customer, backref="orders")
    customer_id: int
    po = TextField(default="")
    order_date = IsoDateField()
    currency = CharField(max_length=3)
    status = CharField(default="pending", index=True)  # store.kinds.OrderStatus
    note = TextField(default="")  # the hold note or the rejection reason
    source = TextField(default="")  # the file's name
    imported_by = CharField()
    imported_at = IsoDateTimeField(default=utcnow)
    decided_by = CharField(null=True)
    decided_at = IsoDateTimeField(null=True)
    invoice = ForeignKeyField(Invoice, null=True, unique=True)
    invoice_id: int | None

class SalesOrderLine(BaseModel):
    id = AutoField()
    order = ForeignKeyField(SalesOrder, backref="lines", on_delete="CASCADE")
    order_id: int
    position = IntegerField()
    item = ForeignKeyField(Item, null=True)
    item_id: int | None
    description = TextField()
    quantity = DecimalTextField()
    unit_price_minor = MinorField()  # from the file, or the catalogue's price in the order's currency at import
    tax_code = ForeignKeyField(TaxCode, column_name="tax_code")
    tax_code_id: str

class GlExport(BaseModel):
    """One ledger export for the accountant: a month's journal, or what was new in it, in one format."""

    id = AutoField()
    period = CharField()  # 2026-11
    format = CharField()  # beancount, quickbooks-iif, xero-csv, csv
    currency = CharField(max_length=3, null=True)  # the one currency of an IIF or Xero file; None: every currency
    kind = CharField()  # full (the first), difference (what was not exported yet), again (the whole month again)
    exported_by = CharField()
    exported_at = IsoDateTimeField(default=utcnow)
    entry_count = IntegerField()
    line_count = IntegerField()
    first_entry = IntegerField(null=True)
    last_entry = IntegerField(null=True)
    sha256 = CharField()
    file_name = TextField(default="")

    class Meta:
        indexes = ((("period", "format"), False),)

class GlExportEntry(BaseModel):
    """A journal entry's lines in one currency, carried by an export: the next export in that format leaves
    them out."""

    id = AutoField()
    export = ForeignKeyField(GlExport, backref="entries")
    export_id: int
    format = CharField()
    entry = ForeignKeyField(JournalEntry, index=False)
    entry_id: int
    currency = CharField(max_length=3)

    class Meta:
        indexes = ((("entry", "format", "currency"), True),)

class Contract(BaseModel):
    """A recurring charge to a customer (store/contracts.py). Billing it never changes it, and changing
    it never touches what it has already billed: each period billed is a ContractCharge."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="contracts")
    customer_id: int
    item = ForeignKeyField(Item, null=True)
    item_id: int | None
    description = TextField()
    quantity = DecimalTextField()
    price_minor = MinorField(null=True)  # None: the catalogue's price at billing time
    tax_code = ForeignKeyField(TaxCode, column_name="tax_code")
    tax_code_id: str
    period = CharField()  # monthly, quarterly, yearly
    billing = CharField()  # advance, arrears
    start_date = IsoDateField()
    end_date = IsoDateField(null=True)
    version = IntegerField(default=1)
    created_at = IsoDateTimeField(default=utcnow)
    created_by = CharField()
    updated_at = IsoDateTimeField(default=utcnow)
    updated_by = CharField(default="")

    class Meta:
        indexes = ((("customer", "start_date"), False),)

class ContractCharge(BaseModel):
    """One period of one contract, billed: written with its draft invoice in one transaction, unique per
    (contract, period), so no run, re-run or run killed midway bills a period twice. Discarding the
    draft deletes this row with it (the next run bills that period again)."""

    id = AutoField()
    contract = ForeignKeyField(Contract, backref="charges")
    contract_id: int
    period_start = IsoDateField()  # the calendar period's first day: the unique key with the contract
    covers_from = IsoDateField()
    covers_to = IsoDateField()
    run_month = CharField()  # YYYY-MM: the run that billed it
    invoice = ForeignKeyField(Invoice, backref="contract_charges", on_delete="CASCADE")
    invoice_id: int
    net_minor = MinorField()
    created_at = IsoDateTimeField(default=utcnow)
    created_by = CharField()

    class Meta:
        indexes = ((("contract", "period_start"), True), (("run_month",), False))

class StatementRun(BaseModel):
    """A customer's statement queued by a statement run, written in the transaction of its outbox row."""

    id = AutoField()
    customer = ForeignKeyField(Customer, backref="statement_runs")
    customer_id: int
    as_of = IsoDateField()
    date_from = IsoDateField()
    currency = CharField(max_length=3)
    closing_minor = MinorField()  # the balance the run saw at as_of (the PDF is printed from the journal)
    channel = CharField()  # email, post: as queued
    outbox = ForeignKeyField(Outbox, unique=True)
    outbox_id: int
    created_at = IsoDateTimeField(default=utcnow)
    created_by = CharField()

    class Meta:
        indexes = ((("customer", "as_of"), True), (("as_of",), False))
