"""A customer's default tax code: a free-text line on their invoices takes it when none is typed.

Empty means no default (the line needs its own, as before), so existing accounts keep working.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    db.execute_sql("ALTER TABLE customer ADD COLUMN tax_code VARCHAR(255) NOT NULL DEFAULT ''")
