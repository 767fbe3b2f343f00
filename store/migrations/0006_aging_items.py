"""Aging items: each posted document's open amount beside what aging shows of the document.

Aging, its detail and the dunning run read every open document with its number, kind and issue
date, customer by customer. Those live in two tables (open_item: what is open; invoice: the
document), so at a million documents every open one cost a random read of the invoice table
(about 2 s for half a million). `aging_item` repeats open_item with the invoice's number, kind
and issue date, and its partial index holds every open document in the order the reports show
them (customer, currency, due date, number), so a report reads one index range per customer.

Triggers on open_item keep it with every insert, update and delete (the invoice's columns never
change once it is posted, and its open item is made after that); `check_report_totals` (run by
`billfold verify`) compares it with open_item and invoice.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import CharField, IntegerField, Model, PostgresqlDatabase

from store.fields import IsoDateField, MinorField

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrate import SchemaMigrator


COLUMNS = "document_id, customer_id, currency, due_date, issue_date, kind, number, open_minor"

INSERT = (
    f"INSERT INTO aging_item ({COLUMNS}) "
    "SELECT NEW.document_id, NEW.customer_id, NEW.currency, NEW.due_date, i.issue_date, i.kind, i.number, "
    "NEW.open_minor FROM invoice i WHERE i.id = NEW.document_id"
)

UPDATE = (
    "UPDATE aging_item SET customer_id = NEW.customer_id, currency = NEW.currency, due_date = NEW.due_date, "
    "open_minor = NEW.open_minor WHERE document_id = OLD.document_id"
)

DELETE = "DELETE FROM aging_item WHERE document_id = OLD.document_id"

BACKFILL = (
    f"INSERT INTO aging_item ({COLUMNS}) "
    "SELECT o.document_id, o.customer_id, o.currency, o.due_date, i.issue_date, i.kind, i.number, o.open_minor "
    "FROM open_item o JOIN invoice i ON i.id = o.document_id ORDER BY o.document_id"
)

# Every open document in report order; the columns after the key make it covering.
INDEX = ("CREATE INDEX aging_item_open ON aging_item (customer_id, currency, due_date, number, kind, issue_date, "
         "open_minor, document_id) WHERE open_minor <> 0")


def up(migrator: SchemaMigrator, db: Database) -> None:
    class AgingItem(Model):
        document_id = IntegerField(primary_key=True)
        customer_id = IntegerField()
        currency = CharField(max_length=3)
        due_date = IsoDateField()
        issue_date = IsoDateField(null=True)
        kind = CharField(null=True)
        number = CharField(null=True)
        open_minor = MinorField()

        class Meta:
            database = db
            table_name = "aging_item"

    db.create_tables([AgingItem])
    db.execute_sql(BACKFILL)
    db.execute_sql(INDEX)
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(f"""CREATE FUNCTION billfold_aging_item() RETURNS trigger AS $$
            BEGIN
              IF TG_OP = 'INSERT' THEN {INSERT};
              ELSIF TG_OP = 'UPDATE' THEN {UPDATE};
              ELSE {DELETE};
              END IF;
              RETURN NULL;
            END $$ LANGUAGE plpgsql""")
        db.execute_sql("CREATE TRIGGER open_item_aging_item AFTER INSERT OR UPDATE OR DELETE ON open_item "
                       "FOR EACH ROW EXECUTE FUNCTION billfold_aging_item()")
    else:
        db.execute_sql(f"CREATE TRIGGER open_item_aging_insert AFTER INSERT ON open_item BEGIN {INSERT}; END")
        db.execute_sql(f"CREATE TRIGGER open_item_aging_update AFTER UPDATE ON open_item BEGIN {UPDATE}; END")
        db.execute_sql(f"CREATE TRIGGER open_item_aging_delete AFTER DELETE ON open_item BEGIN {DELETE}; END")
