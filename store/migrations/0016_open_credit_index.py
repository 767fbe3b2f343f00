"""Open credit (negative open items: credit notes not yet applied) found by an index of its own.

The control account report sums open items below zero per currency; with only the index of
non-zero items it read every open item of the books (0.94 s of `billfold report control_account`
at a million invoices). Few items are negative, so the index is small and the sum reads only them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    db.execute_sql("CREATE INDEX IF NOT EXISTS open_item_credit ON open_item (currency, open_minor) "
                   "WHERE open_minor < 0")
