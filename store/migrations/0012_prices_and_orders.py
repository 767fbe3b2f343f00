"""Prices per currency (item_price) and imported orders awaiting review and billing (sales_order, its lines).

Existing items keep their own price and currency (item.unit_price_minor, item.currency): that stays the
item's price in its own currency, so a single-currency catalogue needs no data moved. item_price holds
the prices in every other currency.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import CharField, ForeignKeyField, IntegerField, Model, TextField

from store.fields import DecimalTextField, IsoDateField, IsoDateTimeField, MinorField

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    class Item(Model):
        class Meta:
            database = db
            table_name = "item"

    class Customer(Model):
        class Meta:
            database = db
            table_name = "customer"

    class Invoice(Model):
        class Meta:
            database = db
            table_name = "invoice"

    class TaxCode(Model):
        code = CharField(primary_key=True)

        class Meta:
            database = db
            table_name = "tax_code"

    class ItemPrice(Model):
        item = ForeignKeyField(Item, on_delete="CASCADE")
        currency = CharField(max_length=3)
        unit_price_minor = MinorField()

        class Meta:
            database = db
            table_name = "item_price"
            indexes = ((("item", "currency"), True),)

    class SalesOrder(Model):
        order_no = CharField(unique=True)
        customer = ForeignKeyField(Customer)
        po = TextField(default="")
        order_date = IsoDateField()
        currency = CharField(max_length=3)
        status = CharField(default="pending", index=True)
        note = TextField(default="")
        source = TextField(default="")
        imported_by = CharField()
        imported_at = IsoDateTimeField()
        decided_by = CharField(null=True)
        decided_at = IsoDateTimeField(null=True)
        invoice = ForeignKeyField(Invoice, null=True, unique=True)

        class Meta:
            database = db
            table_name = "sales_order"

    class SalesOrderLine(Model):
        order = ForeignKeyField(SalesOrder, on_delete="CASCADE")
        position = IntegerField()
        item = ForeignKeyField(Item, null=True)
        description = TextField()
        quantity = DecimalTextField()
        unit_price_minor = MinorField()
        tax_code = ForeignKeyField(TaxCode, column_name="tax_code")

        class Meta:
            database = db
            table_name = "sales_order_line"

    db.create_tables([ItemPrice, SalesOrder, SalesOrderLine])
