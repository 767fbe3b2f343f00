"""Indexes for cash application: open balances by amount, and the queue of payments still to allocate."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    db.execute_sql("CREATE INDEX open_item_amount ON open_item (currency, open_minor) WHERE open_minor > 0")
    db.execute_sql("CREATE INDEX payment_queue ON payment (received_date, id) "
                   "WHERE status = 'open' AND unallocated_minor > 0")
