"""Money in and out: statement imports, payments, refunds, allocations, write-offs."""
from __future__ import annotations

from peewee import AutoField, CharField, ForeignKeyField, IntegerField, TextField

from store.fields import IsoDateField, IsoDateTimeField, JsonField, MinorField, utcnow
from store.kinds import PaymentStatus
from store.models.base import BaseModel
from store.models.customers import Customer
from store.models.documents import Invoice
from store.models.journal import JournalEntry


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

class CsvMappingRecord(BaseModel):
    name = CharField(primary_key=True)
    mapping = JsonField()


# The matching queue: payments still to allocate, oldest first (migration 0004).
Payment.add_index(Payment.index(Payment.received_date, Payment.id, name="payment_queue")
                  .where((Payment.status == PaymentStatus.OPEN) & (Payment.unallocated_minor > 0)))
