"""A customer's state, province or region: the part of a postal address many countries cannot do
without (a US, Canadian or Australian address names its state; a Japanese one its prefecture).

Empty for every existing account, which prints as before.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    db.execute_sql("ALTER TABLE customer ADD COLUMN region TEXT NOT NULL DEFAULT ''")
