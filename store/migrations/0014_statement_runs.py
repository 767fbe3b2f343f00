"""Statement runs: one row per customer statement a run queued, written with its outbox row.

The unique (customer, as_of) pair is what makes a run safe to repeat or to resume after a kill:
a customer's statement for a date is queued once, whoever runs it and however often.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import CharField, ForeignKeyField, Model

from store.fields import IsoDateField, IsoDateTimeField, MinorField, utcnow

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    class Customer(Model):
        class Meta:
            database = db
            table_name = "customer"

    class Outbox(Model):
        class Meta:
            database = db
            table_name = "outbox"

    class StatementRun(Model):
        customer = ForeignKeyField(Customer)
        as_of = IsoDateField()
        date_from = IsoDateField()
        currency = CharField(max_length=3)
        closing_minor = MinorField()
        channel = CharField()
        outbox = ForeignKeyField(Outbox, unique=True)
        created_at = IsoDateTimeField(default=utcnow)
        created_by = CharField()

        class Meta:
            database = db
            table_name = "statement_run"
            indexes = ((("customer", "as_of"), True), (("as_of",), False))

    db.create_tables([StatementRun])
