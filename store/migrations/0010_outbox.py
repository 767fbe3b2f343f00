"""The outbox: every e-mail and print-batch entry is a row first, written with what caused it.

Documents posted before the outbox and not yet delivered (no sent, printed or batched delivery,
none failed, not voided) are queued here so `deliver --pending` still finds them. Import batches
get the columns that let a killed import be taken up again.
"""
from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from peewee import CharField, IntegerField, Model, Table, TextField

from store.fields import IsoDateTimeField, utcnow

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    class Outbox(Model):
        kind = CharField()
        channel = CharField()
        document_id = IntegerField(null=True)
        notice_id = IntegerField(null=True)
        customer_id = IntegerField()
        recipient = TextField(default="")
        message_id = CharField(unique=True)
        status = CharField(default="queued")
        attempts = IntegerField(default=0)
        next_attempt_at = IsoDateTimeField(null=True)
        claimed_by = CharField(null=True)
        claimed_at = IsoDateTimeField(null=True)
        batch = CharField(null=True)
        delivery_id = IntegerField(null=True)
        error = TextField(default="")
        created_at = IsoDateTimeField(default=utcnow)
        created_by = CharField()
        sent_at = IsoDateTimeField(null=True)

        class Meta:
            database = db
            table_name = "outbox"
            # the model's foreign keys are indexed, as peewee indexes them
            indexes = ((("status", "channel", "id"), False), (("customer_id",), False), (("document_id",), False),
                       (("notice_id",), False), (("delivery_id",), False))

    db.create_tables([Outbox])
    db.execute_sql("ALTER TABLE import_batch ADD COLUMN status VARCHAR(255) NOT NULL DEFAULT 'done'")
    db.execute_sql("ALTER TABLE import_batch ADD COLUMN lines_done INTEGER NOT NULL DEFAULT 0")
    db.execute_sql("ALTER TABLE import_batch ADD COLUMN claimed_by VARCHAR(255)")
    setting = db.execute_sql("SELECT value FROM setting WHERE key = 'smtp_from'").fetchone()
    domain = (setting[0] if setting else "").partition("@")[2] or "billfold.invalid"
    pending = db.execute_sql(
        "SELECT i.id, i.kind, i.customer_id, c.channel, c.email FROM invoice i JOIN customer c ON c.id = i.customer_id "
        "WHERE i.status = 'posted' AND i.id NOT IN (SELECT invoice_id FROM invoice_void) AND i.id NOT IN "
        "(SELECT document_id FROM delivery WHERE document_id IS NOT NULL) ORDER BY i.id").fetchall()
    rows = [{"kind": kind, "channel": "email" if channel == "email" and email else "post", "document_id": doc,
             "customer_id": customer, "recipient": email if channel == "email" and email else "",
             "message_id": f"<{uuid.uuid4().hex}@{domain}>", "created_by": "migration"}
            for doc, kind, customer, channel, email in pending]
    table = Table("outbox", tuple(rows[0]) if rows else ("kind",)).bind(db)
    for start in range(0, len(rows), 2000):
        table.insert(rows[start:start + 2000]).execute()
