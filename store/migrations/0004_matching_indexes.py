"""Indexes for cash application: open balances by amount, and the queue of payments still to allocate."""


def up(migrator, db):
    db.execute_sql("CREATE INDEX open_item_amount ON open_item (currency, open_minor) WHERE open_minor > 0")
    db.execute_sql("CREATE INDEX payment_queue ON payment (received_date, id) "
                   "WHERE status = 'open' AND unallocated_minor > 0")
