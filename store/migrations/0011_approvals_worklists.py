"""The approvals queue (four eyes) and work assignments (delegation and worklists)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import CharField, ForeignKeyField, Model, TextField

from store.fields import IsoDateTimeField, JsonField, MinorField

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    class Customer(Model):
        class Meta:
            database = db
            table_name = "customer"

    class Payment(Model):
        class Meta:
            database = db
            table_name = "payment"

    class ApprovalRequest(Model):
        kind = CharField()
        subject = CharField()
        customer = ForeignKeyField(Customer, null=True)
        amount_minor = MinorField(null=True)
        currency = CharField(max_length=3, null=True)
        params = JsonField()
        reason = TextField()
        status = CharField(default="pending")
        requested_by = CharField()
        requested_at = IsoDateTimeField()
        decided_by = CharField(null=True)
        decided_at = IsoDateTimeField(null=True)
        decision_reason = TextField(default="")
        outcome = TextField(default="")

        class Meta:
            database = db
            table_name = "approval_request"
            indexes = ((("status", "requested_at"), False),)

    class WorkAssignment(Model):
        topic = CharField()
        customer = ForeignKeyField(Customer, null=True)
        payment = ForeignKeyField(Payment, null=True)
        note = TextField(default="")
        assigned_to = CharField()
        assigned_by = CharField()
        assigned_at = IsoDateTimeField()
        status = CharField(default="open")
        done_at = IsoDateTimeField(null=True)

        class Meta:
            database = db
            table_name = "work_assignment"
            indexes = ((("assigned_to", "status"), False),)

    db.create_tables([ApprovalRequest, WorkAssignment])
