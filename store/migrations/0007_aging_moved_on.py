"""Aging items carry the date of their document's latest receivable move (moved_on).

Aging at a past day takes today's open amounts back by the moves after that day. Which open
documents have such a move was a NOT IN over every move after the day: at a million documents
and half a year back, half a million moves to collect and sort before the first row (about 0.7 s).
With moved_on in the index, "no move after the day" is a test on each index entry.

moved_on starts as the date of the document's posting entry (the only receivable move a document
has when its open item is made) and a trigger on receivable_move raises it with every later move,
whatever date an allocation, credit or write-off carries. `check_report_totals` compares it with
the moves themselves.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import PostgresqlDatabase

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrate import SchemaMigrator


POSTED_ON = "(SELECT je.entry_date FROM journal_entry je WHERE je.id = i.journal_entry_id)"

INSERT = (
    "INSERT INTO aging_item (document_id, customer_id, currency, due_date, issue_date, kind, number, open_minor, "
    "moved_on) SELECT NEW.document_id, NEW.customer_id, NEW.currency, NEW.due_date, i.issue_date, i.kind, i.number, "
    f"NEW.open_minor, {POSTED_ON} FROM invoice i WHERE i.id = NEW.document_id"
)

UPDATE = (
    "UPDATE aging_item SET customer_id = NEW.customer_id, currency = NEW.currency, due_date = NEW.due_date, "
    "open_minor = NEW.open_minor WHERE document_id = OLD.document_id"
)

DELETE = "DELETE FROM aging_item WHERE document_id = OLD.document_id"

MOVED = ("UPDATE aging_item SET moved_on = NEW.entry_date WHERE document_id = NEW.document_id "
         "AND (moved_on IS NULL OR moved_on < NEW.entry_date)")

BACKFILL = (
    "UPDATE aging_item SET moved_on = m.last FROM (SELECT document_id, MAX(entry_date) AS last "
    "FROM receivable_move GROUP BY document_id) m WHERE m.document_id = aging_item.document_id"
)

# Every open document in report order; the columns after the key make it covering.
INDEX = ("CREATE INDEX aging_item_open ON aging_item (customer_id, currency, due_date, number, kind, issue_date, "
         "open_minor, moved_on, document_id) WHERE open_minor <> 0")


def up(migrator: SchemaMigrator, db: Database) -> None:
    db.execute_sql("ALTER TABLE aging_item ADD COLUMN moved_on DATE")
    db.execute_sql(BACKFILL)
    db.execute_sql("DROP INDEX aging_item_open")
    db.execute_sql(INDEX)
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(f"""CREATE OR REPLACE FUNCTION billfold_aging_item() RETURNS trigger AS $$
            BEGIN
              IF TG_OP = 'INSERT' THEN {INSERT};
              ELSIF TG_OP = 'UPDATE' THEN {UPDATE};
              ELSE {DELETE};
              END IF;
              RETURN NULL;
            END $$ LANGUAGE plpgsql""")
        db.execute_sql(f"""CREATE FUNCTION billfold_aging_moved_on() RETURNS trigger AS $$
            BEGIN {MOVED}; RETURN NULL; END $$ LANGUAGE plpgsql""")
        db.execute_sql("CREATE TRIGGER receivable_move_aging_item AFTER INSERT ON receivable_move "
                       "FOR EACH ROW EXECUTE FUNCTION billfold_aging_moved_on()")
    else:
        db.execute_sql("DROP TRIGGER open_item_aging_insert")
        db.execute_sql(f"CREATE TRIGGER open_item_aging_insert AFTER INSERT ON open_item BEGIN {INSERT}; END")
        db.execute_sql(f"CREATE TRIGGER receivable_move_aging_item AFTER INSERT ON receivable_move BEGIN {MOVED}; END")
