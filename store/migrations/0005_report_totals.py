"""Totals for reports: the journal summed per day, account, currency and kind; receivable moves by date.

Reports over a period (billing and collections, the trial balance, the control account) need
journal balances at a date. Summing millions of journal lines for every report is too slow, so
`ledger_day` holds the journal's debits and credits per (entry date, account, currency, entry
kind), filled here from the lines already written and kept by a trigger on every journal line
inserted afterwards. The journal stays append-only, so the totals only ever grow by inserts.

`receivable_move` repeats each journal line on receivables (1100) that carries a document, with
its entry date (which the journal line itself does not hold), so aging at a past date sums each
document's receivable moves after (or up to) that date from one index range. The same trigger
writes it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import CharField, IntegerField, Model, PostgresqlDatabase

from store.fields import IsoDateField, MinorField

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrate import SchemaMigrator


UPSERT = (
    "INSERT INTO ledger_day (entry_date, account, currency, kind, debit_minor, credit_minor, lines) "
    "SELECT je.entry_date, NEW.account, NEW.currency, je.kind, NEW.debit_minor, NEW.credit_minor, 1 "
    "FROM journal_entry je WHERE je.id = NEW.entry_id "
    "ON CONFLICT (entry_date, account, currency, kind) DO UPDATE SET "
    "debit_minor = ledger_day.debit_minor + excluded.debit_minor, "
    "credit_minor = ledger_day.credit_minor + excluded.credit_minor, "
    "lines = ledger_day.lines + 1"
)

BACKFILL = (
    "INSERT INTO ledger_day (entry_date, account, currency, kind, debit_minor, credit_minor, lines) "
    "SELECT je.entry_date, jl.account, jl.currency, je.kind, SUM(jl.debit_minor), SUM(jl.credit_minor), COUNT(*) "
    "FROM journal_line jl JOIN journal_entry je ON je.id = jl.entry_id "
    "GROUP BY je.entry_date, jl.account, jl.currency, je.kind"
)

MOVE = (
    "INSERT INTO receivable_move (entry_date, document_id, amount_minor) "
    "SELECT je.entry_date, NEW.document_id, NEW.debit_minor - NEW.credit_minor "
    "FROM journal_entry je WHERE je.id = NEW.entry_id"
)

MOVES_BACKFILL = (
    "INSERT INTO receivable_move (entry_date, document_id, amount_minor) "
    "SELECT je.entry_date, jl.document_id, jl.debit_minor - jl.credit_minor "
    "FROM journal_line jl JOIN journal_entry je ON je.id = jl.entry_id "
    "WHERE jl.account = '1100' AND jl.document_id IS NOT NULL ORDER BY je.entry_date, jl.id"
)


def up(migrator: SchemaMigrator, db: Database) -> None:
    class LedgerDay(Model):
        entry_date = IsoDateField()
        account = CharField()
        currency = CharField(max_length=3)
        kind = CharField()
        debit_minor = MinorField(default=0)
        credit_minor = MinorField(default=0)
        lines = IntegerField(default=0)

        class Meta:
            database = db
            table_name = "ledger_day"
            indexes = ((("entry_date", "account", "currency", "kind"), True),)

    class ReceivableMove(Model):
        entry_date = IsoDateField()
        document_id = IntegerField()
        amount_minor = MinorField()

        class Meta:
            database = db
            table_name = "receivable_move"
            indexes = ((("entry_date", "document_id", "amount_minor"), False),)

    db.create_tables([LedgerDay, ReceivableMove])
    db.execute_sql(BACKFILL)
    db.execute_sql(MOVES_BACKFILL)
    receivable = "NEW.account = '1100' AND NEW.document_id IS NOT NULL"
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(f"""CREATE FUNCTION billfold_report_totals() RETURNS trigger AS $$
            BEGIN
              {UPSERT};
              IF {receivable} THEN {MOVE}; END IF;
              RETURN NULL;
            END $$ LANGUAGE plpgsql""")
        db.execute_sql("CREATE TRIGGER journal_line_report_totals AFTER INSERT ON journal_line "
                       "FOR EACH ROW EXECUTE FUNCTION billfold_report_totals()")
    else:
        db.execute_sql(f"CREATE TRIGGER journal_line_ledger_day AFTER INSERT ON journal_line BEGIN {UPSERT}; END")
        db.execute_sql(f"CREATE TRIGGER journal_line_receivable_move AFTER INSERT ON journal_line "
                       f"WHEN {receivable} BEGIN {MOVE}; END")
