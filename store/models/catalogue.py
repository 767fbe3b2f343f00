"""What is sold: tax codes, items and their prices per currency."""
from __future__ import annotations

from peewee import AutoField, BooleanField, CharField, ForeignKeyField, TextField

from store.fields import DecimalTextField, MinorField
from store.models.base import BaseModel


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
