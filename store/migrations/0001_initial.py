"""The first schema: every table of the books, frozen as it was (generated from a schema diff).

Python-side defaults (timestamps) live in store.models; the schema needs none of them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import BlobField, BooleanField, CharField, ForeignKeyField, IntegerField, Model, TextField

from store.fields import DecimalTextField, IsoDateField, IsoDateTimeField, JsonField, MinorField

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrate import SchemaMigrator



def up(migrator: SchemaMigrator, db: Database) -> None:
    class Account(Model):
        code = CharField(primary_key=True)
        name = TextField()
        kind = CharField()
        class Meta:
            database = db
            table_name = 'account'
    db.create_tables([Account])

    class Customer(Model):
        account_no = CharField(unique=True)
        name = TextField()
        contact_name = TextField(default='')
        address1 = TextField(default='')
        address2 = TextField(default='')
        city = TextField(default='')
        postcode = TextField(default='')
        country = CharField(default='GB')
        email = TextField(default='')
        phone = TextField(default='')
        currency = CharField(max_length=3)
        terms_days = IntegerField(default=30)
        credit_limit_minor = MinorField(default=0)
        tax_id = TextField(default='')
        status = CharField(default='active')
        hold_reason = TextField(default='')
        channel = CharField(default='email')
        notes = TextField(default='')
        name_key = TextField(index=True)
        phone_digits = CharField(index=True, default='')
        postcode_key = CharField(index=True, default='')
        email_key = TextField(index=True, default='')
        version = IntegerField(default=1)
        created_at = IsoDateTimeField()
        updated_at = IsoDateTimeField()
        updated_by = CharField(default='')
        class Meta:
            database = db
            table_name = 'customer'
    db.create_tables([Customer])

    class ImportBatch(Model):
        filename = TextField()
        file_sha256 = CharField(index=True)
        format = CharField()
        statement_account = TextField(default='')
        new_count = IntegerField(default=0)
        duplicate_count = IntegerField(default=0)
        skipped_count = IntegerField(default=0)
        skipped = JsonField(default=list)
        created_at = IsoDateTimeField()
        created_by = CharField()
        class Meta:
            database = db
            table_name = 'import_batch'
    db.create_tables([ImportBatch])

    class JournalEntry(Model):
        entry_date = IsoDateField(index=True)
        kind = CharField()
        memo = TextField(default='')
        created_at = IsoDateTimeField()
        created_by = CharField()
        class Meta:
            database = db
            table_name = 'journal_entry'
    db.create_tables([JournalEntry])

    class Payment(Model):
        number = CharField(unique=True)
        customer = ForeignKeyField(Customer, null=True)
        received_date = IsoDateField(index=True)
        method = CharField()
        amount_minor = MinorField()
        currency = CharField(max_length=3)
        reference = TextField(default='')
        payer = TextField(default='')
        payer_account = TextField(default='')
        bank_txn_id = CharField(unique=True, null=True)
        fingerprint = CharField(unique=True, null=True)
        import_batch = ForeignKeyField(ImportBatch, null=True)
        unallocated_minor = MinorField()
        status = CharField(default='open')
        note = TextField(default='')
        claimed_by = CharField(null=True)
        claimed_at = IsoDateTimeField(null=True)
        version = IntegerField(default=1)
        journal_entry = ForeignKeyField(JournalEntry)
        created_at = IsoDateTimeField()
        created_by = CharField()
        class Meta:
            database = db
            table_name = 'payment'
    db.create_tables([Payment])

    class Invoice(Model):
        kind = CharField(default='invoice')
        number = CharField(unique=True, null=True)
        series = CharField()
        seq = IntegerField(null=True)
        customer = ForeignKeyField(Customer)
        status = CharField(default='draft')
        issue_date = IsoDateField()
        due_date = IsoDateField()
        currency = CharField(max_length=3)
        reference = TextField(default='')
        memo = TextField(default='')
        tax_rounding = CharField(default='line')
        subtotal_minor = MinorField(default=0)
        tax_minor = MinorField(default=0)
        total_minor = MinorField(default=0)
        credited_invoice = ForeignKeyField('self', null=True)
        journal_entry = ForeignKeyField(JournalEntry, null=True)
        version = IntegerField(default=1)
        created_at = IsoDateTimeField()
        created_by = CharField()
        posted_at = IsoDateTimeField(null=True)
        posted_by = CharField(null=True)
        class Meta:
            database = db
            table_name = 'invoice'
            indexes = ((('customer', 'status', 'issue_date'), False),)
    db.create_tables([Invoice])

    class Refund(Model):
        number = CharField(unique=True)
        customer = ForeignKeyField(Customer)
        amount_minor = MinorField()
        currency = CharField(max_length=3)
        method = CharField()
        reference = TextField(default='')
        status = CharField(default='posted')
        requested_by = CharField()
        requested_at = IsoDateTimeField()
        approved_by = CharField(null=True)
        approved_at = IsoDateTimeField(null=True)
        journal_entry = ForeignKeyField(JournalEntry, null=True)
        class Meta:
            database = db
            table_name = 'refund'
    db.create_tables([Refund])

    class Allocation(Model):
        payment = ForeignKeyField(Payment, null=True)
        credit_note = ForeignKeyField(Invoice, null=True)
        invoice = ForeignKeyField(Invoice, null=True)
        refund = ForeignKeyField(Refund, null=True)
        amount_minor = MinorField()
        reverses = ForeignKeyField('self', null=True)
        journal_entry = ForeignKeyField(JournalEntry)
        created_at = IsoDateTimeField()
        created_by = CharField()
        class Meta:
            database = db
            table_name = 'allocation'
    db.create_tables([Allocation])

    class AuditEvent(Model):
        at = IsoDateTimeField()
        operator = CharField()
        action = CharField()
        entity = CharField()
        entity_id = CharField()
        customer = ForeignKeyField(Customer, null=True)
        before = JsonField(null=True)
        after = JsonField(null=True)
        prev_hash = CharField()
        hash = CharField(unique=True)
        class Meta:
            database = db
            table_name = 'audit_event'
    db.create_tables([AuditEvent])

    class AuditHead(Model):
        id = IntegerField(primary_key=True)
        last_hash = CharField()
        count = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'audit_head'
    db.create_tables([AuditHead])

    class CollectionCase(Model):
        customer = ForeignKeyField(Customer)
        status = CharField(default='open')
        agency = TextField(default='')
        note = TextField(default='')
        amount_minor = MinorField()
        currency = CharField(max_length=3)
        opened_at = IsoDateTimeField()
        opened_by = CharField()
        closed_at = IsoDateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'collection_case'
    db.create_tables([CollectionCase])

    class CsvMappingRecord(Model):
        name = CharField(primary_key=True)
        mapping = JsonField()
        class Meta:
            database = db
            table_name = 'csv_mapping_record'
    db.create_tables([CsvMappingRecord])

    class CustomerNote(Model):
        customer = ForeignKeyField(Customer)
        text = TextField()
        created_at = IsoDateTimeField()
        created_by = CharField()
        class Meta:
            database = db
            table_name = 'customer_note'
    db.create_tables([CustomerNote])

    class Delivery(Model):
        document = ForeignKeyField(Invoice, null=True)
        customer = ForeignKeyField(Customer)
        kind = CharField()
        channel = CharField()
        recipient = TextField(default='')
        status = CharField(default='pending')
        message_id = TextField(default='')
        error = TextField(default='')
        attempts = IntegerField(default=0)
        batch = CharField(index=True, null=True)
        pdf = BlobField(null=True)
        pdf_sha256 = CharField(null=True)
        created_at = IsoDateTimeField()
        sent_at = IsoDateTimeField(null=True)
        created_by = CharField()
        class Meta:
            database = db
            table_name = 'delivery'
    db.create_tables([Delivery])

    class Dispute(Model):
        invoice = ForeignKeyField(Invoice)
        amount_minor = MinorField()
        reason = TextField()
        note = TextField(default='')
        status = CharField(default='open')
        credit_note = ForeignKeyField(Invoice, null=True)
        opened_at = IsoDateTimeField()
        opened_by = CharField()
        resolved_at = IsoDateTimeField(null=True)
        resolved_by = CharField(null=True)
        resolution_note = TextField(default='')
        class Meta:
            database = db
            table_name = 'dispute'
    db.create_tables([Dispute])

    class DunningNotice(Model):
        customer = ForeignKeyField(Customer)
        level = IntegerField()
        notice_date = IsoDateField()
        items = JsonField()
        total_minor = MinorField()
        currency = CharField(max_length=3)
        channel = CharField()
        delivery = ForeignKeyField(Delivery, null=True)
        created_at = IsoDateTimeField()
        created_by = CharField()
        class Meta:
            database = db
            table_name = 'dunning_notice'
    db.create_tables([DunningNotice])

    class IdempotencyKey(Model):
        key = CharField(primary_key=True)
        service = CharField()
        request_sha256 = CharField()
        result = JsonField()
        created_at = IsoDateTimeField()
        class Meta:
            database = db
            table_name = 'idempotency_key'
    db.create_tables([IdempotencyKey])

    class TaxCode(Model):
        code = CharField(primary_key=True)
        name = TextField()
        rate = DecimalTextField()
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'tax_code'
    db.create_tables([TaxCode])

    class Item(Model):
        code = CharField(unique=True)
        description = TextField()
        unit_price_minor = MinorField()
        currency = CharField(max_length=3)
        tax_code = ForeignKeyField(TaxCode, column_name='tax_code')
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'item'
    db.create_tables([Item])

    class InvoiceLine(Model):
        invoice = ForeignKeyField(Invoice, on_delete='CASCADE')
        position = IntegerField()
        item = ForeignKeyField(Item, null=True)
        description = TextField()
        quantity = DecimalTextField()
        unit_price_minor = MinorField()
        discount_percent = DecimalTextField(default='0')
        tax_code = ForeignKeyField(TaxCode, column_name='tax_code')
        tax_rate = DecimalTextField()
        net_minor = MinorField()
        tax_minor = MinorField()
        credited_line = ForeignKeyField('self', null=True)
        class Meta:
            database = db
            table_name = 'invoice_line'
    db.create_tables([InvoiceLine])

    class InvoiceVoid(Model):
        invoice = ForeignKeyField(Invoice, unique=True)
        reason = TextField()
        journal_entry = ForeignKeyField(JournalEntry)
        created_at = IsoDateTimeField()
        created_by = CharField()
        class Meta:
            database = db
            table_name = 'invoice_void'
    db.create_tables([InvoiceVoid])

    class JournalLine(Model):
        entry = ForeignKeyField(JournalEntry)
        account = ForeignKeyField(Account, column_name='account')
        customer = ForeignKeyField(Customer, null=True)
        document = ForeignKeyField(Invoice, null=True)
        payment = ForeignKeyField(Payment, null=True)
        tax_code = CharField(null=True)
        currency = CharField(max_length=3)
        debit_minor = MinorField(default=0)
        credit_minor = MinorField(default=0)
        class Meta:
            database = db
            table_name = 'journal_line'
            indexes = ((('account', 'customer'), False),)
    db.create_tables([JournalLine])

    class NumberSeries(Model):
        code = CharField(primary_key=True)
        prefix = CharField()
        width = IntegerField(default=6)
        next_value = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'number_series'
    db.create_tables([NumberSeries])

    class OpenItem(Model):
        document = ForeignKeyField(Invoice, unique=True)
        customer = ForeignKeyField(Customer)
        currency = CharField(max_length=3)
        due_date = IsoDateField()
        open_minor = MinorField()
        class Meta:
            database = db
            table_name = 'open_item'
            indexes = ((('customer', 'due_date'), False),)
    db.create_tables([OpenItem])

    class Operator(Model):
        login = CharField(unique=True)
        name = TextField()
        role = CharField(default='clerk')
        created_at = IsoDateTimeField()
        class Meta:
            database = db
            table_name = 'operator'
    db.create_tables([Operator])

    class PromiseToPay(Model):
        customer = ForeignKeyField(Customer)
        promised_date = IsoDateField()
        amount_minor = MinorField()
        currency = CharField(max_length=3)
        note = TextField(default='')
        created_at = IsoDateTimeField()
        created_by = CharField()
        class Meta:
            database = db
            table_name = 'promise_to_pay'
    db.create_tables([PromiseToPay])

    class Setting(Model):
        key = CharField(primary_key=True)
        value = TextField()
        class Meta:
            database = db
            table_name = 'setting'
    db.create_tables([Setting])

    class WriteOff(Model):
        invoice = ForeignKeyField(Invoice)
        amount_minor = MinorField()
        reason = TextField()
        journal_entry = ForeignKeyField(JournalEntry)
        created_at = IsoDateTimeField()
        created_by = CharField()
        class Meta:
            database = db
            table_name = 'write_off'
    db.create_tables([WriteOff])


def down(migrator: SchemaMigrator, db: Database) -> None:
    migrator.migrate(migrator.drop_table('write_off'))
    migrator.migrate(migrator.drop_table('setting'))
    migrator.migrate(migrator.drop_table('promise_to_pay'))
    migrator.migrate(migrator.drop_table('operator'))
    migrator.migrate(migrator.drop_table('open_item'))
    migrator.migrate(migrator.drop_table('number_series'))
    migrator.migrate(migrator.drop_table('journal_line'))
    migrator.migrate(migrator.drop_table('invoice_void'))
    migrator.migrate(migrator.drop_table('invoice_line'))
    migrator.migrate(migrator.drop_table('item'))
    migrator.migrate(migrator.drop_table('tax_code'))
    migrator.migrate(migrator.drop_table('idempotency_key'))
    migrator.migrate(migrator.drop_table('dunning_notice'))
    migrator.migrate(migrator.drop_table('dispute'))
    migrator.migrate(migrator.drop_table('delivery'))
    migrator.migrate(migrator.drop_table('customer_note'))
    migrator.migrate(migrator.drop_table('csv_mapping_record'))
    migrator.migrate(migrator.drop_table('collection_case'))
    migrator.migrate(migrator.drop_table('audit_head'))
    migrator.migrate(migrator.drop_table('audit_event'))
    migrator.migrate(migrator.drop_table('allocation'))
    migrator.migrate(migrator.drop_table('refund'))
    migrator.migrate(migrator.drop_table('invoice'))
    migrator.migrate(migrator.drop_table('payment'))
    migrator.migrate(migrator.drop_table('journal_entry'))
    migrator.migrate(migrator.drop_table('import_batch'))
    migrator.migrate(migrator.drop_table('customer'))
    migrator.migrate(migrator.drop_table('account'))
