"""The tables of the books. Only store/ imports this module.

Posted invoices and credit notes, their lines, allocations, journal entries and lines and audit
events are append-only: services never change them and database triggers (see migrations)
refuse it as well. What does change as money moves (how much of a document is still open,
how much of a payment is still unallocated) lives in small state columns kept apart from the
documents themselves, and `verify` recomputes each of them from the append-only rows.
"""
from __future__ import annotations

from enum import StrEnum

from peewee import (
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    DatabaseProxy,
    ForeignKeyField,
    IntegerField,
    Model,
    ModelSelect,
    TextField,
)

from store.fields import (
    DecimalTextField,
    IsoDateField,
    IsoDateTimeField,
    JsonField,
    MinorField,
    drop_controls_on_write,
    utcnow,
)
from store.kinds import PaymentStatus

database_proxy = DatabaseProxy()


class BaseModel(Model):
    # A model without a primary key of its own declares the `id = AutoField()` peewee would add, and each
    # foreign key's `<name>_id` attribute is annotated: what peewee makes at run time, said for the type checker.

    class Meta:
        database = database_proxy
        legacy_table_names = False


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


class Account(BaseModel):
    code = CharField(primary_key=True)
    name = TextField()
    kind = CharField()  # asset, liability, income, expense


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


class TaxCode(BaseModel):
    code = CharField(primary_key=True)
    name = TextField()
    rate = DecimalTextField()  # percent, e.g. 20
    active = BooleanField(default=True)


class Item(BaseModel):
    id = AutoField()
    code = CharField(unique=True)
    description = TextField()
    unit_price_minor = MinorField()
    currency = CharField(max_length=3)
    tax_code = ForeignKeyField(TaxCode, column_name="tax_code")
    tax_code_id: str
    active = BooleanField(default=True)


class ItemPrice(BaseModel):
    """An item's price in a currency other than its own (Item.unit_price_minor is the price in Item.currency)."""

    id = AutoField()
    item = ForeignKeyField(Item, backref="prices", on_delete="CASCADE")
    item_id: int
    currency = CharField(max_length=3)
    unit_price_minor = MinorField()

    class Meta:
        indexes = ((("item", "currency"), True),)


class JournalEntry(BaseModel):
    id = AutoField()
    entry_date = IsoDateField(index=True)
    kind = CharField()  # invoice, credit_note, void, payment, allocation, refund, write_off, ...
    memo = TextField(default="")
    created_at = IsoDateTimeField(default=utcnow)
    created_by = CharField()


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


# Aging and account views read only what is still open (created by migration 0002).
OpenItem.add_index(OpenItem.index(OpenItem.customer, OpenItem.due_date, name="open_item_open")
                   .where(OpenItem.open_minor != 0))


# Cash application looks open balances up by amount (migration 0004).
OpenItem.add_index(OpenItem.index(OpenItem.currency, OpenItem.open_minor, name="open_item_amount")
                   .where(OpenItem.open_minor > 0))


class InvoiceVoid(BaseModel):
    id = AutoField()
    invoice = ForeignKeyField(Invoice, unique=True, backref="void_rows")
    invoice_id: int
    reason = TextField()
    journal_entry = ForeignKeyField(JournalEntry)
    journal_entry_id: int
    created_at = IsoDateTimeField(default=utcnow)
    created_by = CharField()


class ImportBatch(BaseModel):
    id = AutoField()
    filename = TextField()
    file_sha256 = CharField(index=True)
    format = CharField()
    statement_account = TextField(default="")
    new_count = IntegerField(default=0)
    duplicate_count = IntegerField(default=0)
    skipped_count = IntegerField(default=0)
    skipped = JsonField(default=list)
    # An import writes a few hundred lines to a transaction: `running` until its last one, with
    # the lines written so far; a killed import is taken up again by the next run of the file.
    status = CharField(default="done")  # running, done
    lines_done = IntegerField(default=0)
    claimed_by = CharField(null=True)
    created_at = IsoDateTimeField(default=utcnow)
    created_by = CharField()


class Payment(BaseModel):
    id = AutoField()
    number = CharField(unique=True)
    customer = ForeignKeyField(Customer, null=True, backref="payments")
    customer_id: int | None
    received_date = IsoDateField(index=True)
    method = CharField()  # cash, cheque, card, bank_transfer, direct_debit, other
    amount_minor = MinorField()
    currency = CharField(max_length=3)
    reference = TextField(default="")
    payer = TextField(default="")
    payer_account = TextField(default="")
    bank_txn_id = CharField(null=True, unique=True)
    fingerprint = CharField(null=True, unique=True)
    import_batch = ForeignKeyField(ImportBatch, null=True, backref="payments")
    import_batch_id: int | None
    unallocated_minor = MinorField()
    status = CharField(default="open")  # open, returned
    note = TextField(default="")
    claimed_by = CharField(null=True)
    claimed_at = IsoDateTimeField(null=True)
    version = IntegerField(default=1)
    journal_entry = ForeignKeyField(JournalEntry)
    journal_entry_id: int
    created_at = IsoDateTimeField(default=utcnow)
    created_by = CharField()


# The matching queue: payments still to allocate, oldest first (migration 0004).
Payment.add_index(Payment.index(Payment.received_date, Payment.id, name="payment_queue")
                  .where((Payment.status == PaymentStatus.OPEN) & (Payment.unallocated_minor > 0)))


class Refund(BaseModel):
    id = AutoField()
    number = CharField(unique=True)
    customer = ForeignKeyField(Customer, backref="refunds")
    customer_id: int
    amount_minor = MinorField()
    currency = CharField(max_length=3)
    method = CharField()
    reference = TextField(default="")
    status = CharField(default="posted")  # requested, posted, rejected
    requested_by = CharField()
    requested_at = IsoDateTimeField(default=utcnow)
    approved_by = CharField(null=True)
    approved_at = IsoDateTimeField(null=True)
    journal_entry = ForeignKeyField(JournalEntry, null=True)
    journal_entry_id: int | None


class Allocation(BaseModel):
    """Money moved from a source (payment, credit note) to a target (invoice, refund).

    Append-only: undoing one adds a row with the opposite amount that `reverses` it.
    """

    id = AutoField()
    payment = ForeignKeyField(Payment, null=True, backref="allocations")
    payment_id: int | None
    credit_note = ForeignKeyField(Invoice, null=True, backref="applications")
    credit_note_id: int | None
    invoice = ForeignKeyField(Invoice, null=True, backref="allocations")
    invoice_id: int | None
    refund = ForeignKeyField(Refund, null=True, backref="sources")
    refund_id: int | None
    amount_minor = MinorField()
    reverses = ForeignKeyField("self", null=True)
    reverses_id: int | None
    journal_entry = ForeignKeyField(JournalEntry)
    journal_entry_id: int
    created_at = IsoDateTimeField(default=utcnow)
    created_by = CharField()


class WriteOff(BaseModel):
    id = AutoField()
    invoice = ForeignKeyField(Invoice, backref="write_offs")
    invoice_id: int
    amount_minor = MinorField()
    reason = TextField()
    journal_entry = ForeignKeyField(JournalEntry)
    journal_entry_id: int
    created_at = IsoDateTimeField(default=utcnow)
    created_by = CharField()


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


class IdempotencyKey(BaseModel):
    key = CharField(primary_key=True)
    service = CharField()
    request_sha256 = CharField()
    result = JsonField()
    created_at = IsoDateTimeField(default=utcnow)


class CsvMappingRecord(BaseModel):
    name = CharField(primary_key=True)
    mapping = JsonField()


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


ALL_MODELS: list[type[BaseModel]] = [
    Setting, Operator, PeriodLock, NumberSeries, Account, Customer, SearchToken, CustomerNote, TaxCode, Item,
    JournalEntry, Invoice, InvoiceLine, OpenItem, InvoiceVoid, ImportBatch, Payment, Refund,
    Allocation, WriteOff, JournalLine, Dispute, PromiseToPay, Delivery, DunningNotice,
    Outbox, CollectionCase, AuditEvent, AuditHead, IdempotencyKey, CsvMappingRecord, LedgerDay, ReceivableMove,
    ApprovalRequest, WorkAssignment, ItemPrice, SalesOrder, SalesOrderLine, GlExport, GlExportEntry,
    Contract, ContractCharge,
]


def _store_text_without_controls() -> None:
    """Every text column of the books drops control characters as it is written: one place, so an
    operator's form, the command line and a bank statement import all get it (issue 15)."""
    for model in ALL_MODELS:
        for field in model._meta.sorted_fields:
            if isinstance(field, (CharField, TextField)) and not isinstance(field, (JsonField, DecimalTextField)):
                drop_controls_on_write(field)


_store_text_without_controls()
