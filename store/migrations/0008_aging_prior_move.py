"""Aging items carry the document's open amount before its latest move (prior_on, prior_minor).

Aging at a past day needs each document's open amount on that day. 0007 found the documents
moved since the day and took today's amount back by summing their later moves: a GROUP BY over
every move after the day, sorted by document (half the moves, six months back), then a sort of
the result by account. At a million invoices that was 1.0-1.3 s.

Most documents move on one or two days (posted; paid). So besides the date of the latest move
(moved_on) each aging item now keeps the date of the move day before it (prior_on) and what
was open after that day (prior_minor: the sum of the moves dated before moved_on). On a day X:
moved_on <= X: today's amount; prior_on <= X < moved_on: prior_minor; no prior_on: nothing was
open yet; and only before the last two move days are the moves summed, from the new index on
receivable_move by document.

All three are worked out again from receivable_move whenever a move is written, whatever its
date (a move may be dated before the latest one) and whichever comes first, the open item or
the move; `check_report_totals` compares them with the moves.

Open documents stay in aging_item_open (report order); settled ones get aging_item_closed,
ordered by moved_on, so a day back reads only the documents settled since.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import IntegerField, Model, PostgresqlDatabase

from store.fields import IsoDateField, MinorField

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrate import SchemaMigrator



def _latest(document: str, alias: str) -> str:
    return f"(SELECT MAX({alias}.entry_date) FROM receivable_move {alias} WHERE {alias}.document_id = {document})"


def _before_latest(what: str, document: str) -> str:
    """`what` over the moves of `document` dated before its latest move day."""
    return (f"(SELECT {what} FROM receivable_move m WHERE m.document_id = {document} "
            f"AND m.entry_date < {_latest(document, 'l')})")


def _figures(document: str) -> str:
    """moved_on, prior_on, prior_minor of `document`, from its receivable moves."""
    return (f"{_latest(document, 'n')}, {_before_latest('MAX(m.entry_date)', document)}, "
            f"{_before_latest('CAST(COALESCE(SUM(m.amount_minor), 0) AS BIGINT)', document)}")


INSERT = (
    "INSERT INTO aging_item (document_id, customer_id, currency, due_date, issue_date, kind, number, open_minor, "
    "moved_on, prior_on, prior_minor) SELECT NEW.document_id, NEW.customer_id, NEW.currency, NEW.due_date, "
    f"i.issue_date, i.kind, i.number, NEW.open_minor, {_figures('NEW.document_id')} "
    "FROM invoice i WHERE i.id = NEW.document_id"
)

MOVED = (f"UPDATE aging_item SET (moved_on, prior_on, prior_minor) = (SELECT {_figures('NEW.document_id')}) "
         "WHERE document_id = NEW.document_id")

BACKFILL = (f"UPDATE aging_item SET (moved_on, prior_on, prior_minor) = (SELECT {_figures('aging_item.document_id')})")

_COVERING = "kind, open_minor, moved_on, prior_on, prior_minor, document_id"
# Every open document in report order; the columns after the key make it covering.
OPEN_INDEX = (f"CREATE INDEX aging_item_open ON aging_item (customer_id, currency, due_date, number, issue_date, "
              f"{_COVERING}) WHERE open_minor <> 0")
# Every settled document by the day of its last move: those settled after a day were (maybe) open on it.
CLOSED_INDEX = (f"CREATE INDEX aging_item_closed ON aging_item (moved_on, issue_date, currency, customer_id, "
                f"due_date, number, {_COVERING}) WHERE open_minor = 0")


def up(migrator: SchemaMigrator, db: Database) -> None:
    class ReceivableMove(Model):
        entry_date = IsoDateField()
        document_id = IntegerField()
        amount_minor = MinorField()

        class Meta:
            database = db
            table_name = "receivable_move"
            indexes = ((("entry_date", "document_id", "amount_minor"), False),
                       (("document_id", "entry_date", "amount_minor"), False))

    ReceivableMove._schema.create_indexes(safe=True)  # type: ignore[attr-defined]  # peewee's stubs omit Model._schema
    db.execute_sql("ALTER TABLE aging_item ADD COLUMN prior_on DATE")
    db.execute_sql("ALTER TABLE aging_item ADD COLUMN prior_minor BIGINT NOT NULL DEFAULT 0")
    db.execute_sql(BACKFILL)
    db.execute_sql("DROP INDEX aging_item_open")
    db.execute_sql(OPEN_INDEX)
    db.execute_sql(CLOSED_INDEX)
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(f"""CREATE OR REPLACE FUNCTION billfold_aging_item() RETURNS trigger AS $$
            BEGIN
              IF TG_OP = 'INSERT' THEN {INSERT};
              ELSIF TG_OP = 'UPDATE' THEN
                UPDATE aging_item SET customer_id = NEW.customer_id, currency = NEW.currency,
                  due_date = NEW.due_date, open_minor = NEW.open_minor WHERE document_id = OLD.document_id;
              ELSE DELETE FROM aging_item WHERE document_id = OLD.document_id;
              END IF;
              RETURN NULL;
            END $$ LANGUAGE plpgsql""")
        db.execute_sql(f"""CREATE OR REPLACE FUNCTION billfold_aging_moved_on() RETURNS trigger AS $$
            BEGIN {MOVED}; RETURN NULL; END $$ LANGUAGE plpgsql""")
    else:
        db.execute_sql("DROP TRIGGER open_item_aging_insert")
        db.execute_sql("DROP TRIGGER receivable_move_aging_item")
        db.execute_sql(f"CREATE TRIGGER open_item_aging_insert AFTER INSERT ON open_item BEGIN {INSERT}; END")
        db.execute_sql(f"CREATE TRIGGER receivable_move_aging_item AFTER INSERT ON receivable_move BEGIN {MOVED}; END")
