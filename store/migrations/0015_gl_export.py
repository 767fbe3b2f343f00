"""Ledger exports for the accountant: each export, and which journal entries it carried (issue 18)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import CharField, ForeignKeyField, IntegerField, Model, TextField

from store.fields import IsoDateTimeField, utcnow

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    class JournalEntry(Model):
        class Meta:
            database = db
            table_name = "journal_entry"

    class GlExport(Model):
        period = CharField()
        format = CharField()
        currency = CharField(max_length=3, null=True)
        kind = CharField()
        exported_by = CharField()
        exported_at = IsoDateTimeField(default=utcnow)
        entry_count = IntegerField()
        line_count = IntegerField()
        first_entry = IntegerField(null=True)
        last_entry = IntegerField(null=True)
        sha256 = CharField()
        file_name = TextField(default="")

        class Meta:
            database = db
            table_name = "gl_export"
            indexes = ((("period", "format"), False),)

    class GlExportEntry(Model):
        export = ForeignKeyField(GlExport)
        format = CharField()
        entry = ForeignKeyField(JournalEntry, index=False)
        currency = CharField(max_length=3)

        class Meta:
            database = db
            table_name = "gl_export_entry"
            # An entry goes out once per format (and currency): a second export of the month finds the rest.
            indexes = ((("entry", "format", "currency"), True),)

    db.create_tables([GlExport, GlExportEntry])
