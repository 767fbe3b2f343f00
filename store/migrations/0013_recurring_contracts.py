"""Recurring contracts, and the record of each period a contract has billed (unique per contract and period)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import AutoField, CharField, ForeignKeyField, IntegerField, Model, TextField

from store.fields import DecimalTextField, IsoDateField, IsoDateTimeField, MinorField, utcnow

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    class Customer(Model):
        class Meta:
            database = db
            table_name = "customer"

    class Item(Model):
        class Meta:
            database = db
            table_name = "item"

    class TaxCode(Model):
        code = CharField(primary_key=True)

        class Meta:
            database = db
            table_name = "tax_code"

    class Invoice(Model):
        class Meta:
            database = db
            table_name = "invoice"

    class Contract(Model):
        id = AutoField()
        customer = ForeignKeyField(Customer)
        item = ForeignKeyField(Item, null=True)
        description = TextField()
        quantity = DecimalTextField()
        price_minor = MinorField(null=True)
        tax_code = ForeignKeyField(TaxCode, column_name="tax_code")
        period = CharField()
        billing = CharField()
        start_date = IsoDateField()
        end_date = IsoDateField(null=True)
        version = IntegerField(default=1)
        created_at = IsoDateTimeField(default=utcnow)
        created_by = CharField()
        updated_at = IsoDateTimeField(default=utcnow)
        updated_by = CharField(default="")

        class Meta:
            database = db
            table_name = "contract"
            indexes = ((("customer", "start_date"), False),)

    class ContractCharge(Model):
        id = AutoField()
        contract = ForeignKeyField(Contract)
        period_start = IsoDateField()
        covers_from = IsoDateField()
        covers_to = IsoDateField()
        run_month = CharField()
        invoice = ForeignKeyField(Invoice, on_delete="CASCADE")
        net_minor = MinorField()
        created_at = IsoDateTimeField(default=utcnow)
        created_by = CharField()

        class Meta:
            database = db
            table_name = "contract_charge"
            indexes = ((("contract", "period_start"), True), (("run_month",), False))

    db.create_tables([Contract, ContractCharge])
