"""Append-only rules enforced by the database itself, the open-items index, and the chart of accounts.

Services already refuse to change posted documents; the triggers make the same promise hold for
anything else that can reach the file (a script, a mistaken SQL console session).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import PostgresqlDatabase, Table

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrate import SchemaMigrator


REFUSAL = "posted records of the books are never changed or deleted: credit, void or reverse them"

# Tables whose rows, once written, are history.
APPEND_ONLY = ("journal_entry", "journal_line", "audit_event", "allocation", "invoice_void", "write_off")

ACCOUNTS = [
    ("1000", "Bank", "asset"),
    ("1100", "Trade receivables", "asset"),
    ("2100", "Unapplied cash (customer credit)", "liability"),
    ("2150", "Unidentified receipts", "liability"),
    ("2200", "Sales tax payable", "liability"),
    ("4000", "Sales", "income"),
    ("6900", "Bad debts written off", "expense"),
]
SERIES = [
    ("INV", "INV-", 6, 1),
    ("CN", "CN-", 6, 1),
    ("PAY", "PAY-", 7, 1),
    ("RF", "RF-", 6, 1),
    ("CUST", "", 6, 100001),
]
TAX_CODES = [
    ("S", "Standard rate", "20", True),
    ("R", "Reduced rate", "5", True),
    ("Z", "Zero rate", "0", True),
    ("E", "Exempt", "0", True),
]
SETTINGS = [
    ("tax_rounding", "line"),
    ("base_currency", "GBP"),
    ("refund_approval_minor", "50000"),
    ("company_name", "Billfold Demo Ltd"),
]
GENESIS = "0" * 64


def _sqlite_triggers() -> list[str]:
    sql = []
    for table in APPEND_ONLY:
        for op in ("UPDATE", "DELETE"):
            sql.append(
                f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            )
    for op in ("UPDATE", "DELETE"):
        sql.append(
            f"CREATE TRIGGER invoice_posted_no_{op.lower()} BEFORE {op} ON invoice "
            f"WHEN OLD.status = 'posted' BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
        )
    for op, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
        sql.append(
            f"CREATE TRIGGER invoice_line_posted_no_{op.lower()} BEFORE {op} ON invoice_line "
            f"WHEN (SELECT status FROM invoice WHERE id = {row}.invoice_id) = 'posted' "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
        )
    sql.append(f"CREATE TRIGGER payment_no_delete BEFORE DELETE ON payment BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END")
    return sql


def _postgres_triggers() -> list[str]:
    # psycopg2 reads '%' as a parameter marker, so PL/pgSQL's own '%' is written '%%'.
    sql = [
        f"""CREATE FUNCTION billfold_refuse() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{REFUSAL} (%%)', TG_TABLE_NAME; END $$ LANGUAGE plpgsql""",
        f"""CREATE FUNCTION billfold_refuse_posted_line() RETURNS trigger AS $$
            DECLARE parent_status text;
            BEGIN
              SELECT status INTO parent_status FROM invoice
               WHERE id = (CASE WHEN TG_OP = 'INSERT' THEN NEW.invoice_id ELSE OLD.invoice_id END);
              IF parent_status = 'posted' THEN
                RAISE EXCEPTION '{REFUSAL} (invoice_line)';
              END IF;
              IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql""",
    ]
    for table in APPEND_ONLY:
        sql.append(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION billfold_refuse()"
        )
    sql.append(
        "CREATE TRIGGER invoice_posted_frozen BEFORE UPDATE OR DELETE ON invoice "
        "FOR EACH ROW WHEN (OLD.status = 'posted') EXECUTE FUNCTION billfold_refuse()"
    )
    sql.append(
        "CREATE TRIGGER invoice_line_posted_frozen BEFORE INSERT OR UPDATE OR DELETE ON invoice_line "
        "FOR EACH ROW EXECUTE FUNCTION billfold_refuse_posted_line()"
    )
    sql.append(
        "CREATE TRIGGER payment_no_delete BEFORE DELETE ON payment "
        "FOR EACH ROW EXECUTE FUNCTION billfold_refuse()"
    )
    return sql


def up(migrator: SchemaMigrator, db: Database) -> None:
    statements = _postgres_triggers() if isinstance(db, PostgresqlDatabase) else _sqlite_triggers()
    statements.append("CREATE INDEX open_item_open ON open_item (customer_id, due_date) WHERE open_minor <> 0")
    for statement in statements:
        db.execute_sql(statement)
    Table("account", ("code", "name", "kind")).bind(db).insert(ACCOUNTS).execute()
    Table("number_series", ("code", "prefix", "width", "next_value")).bind(db).insert(SERIES).execute()
    Table("tax_code", ("code", "name", "rate", "active")).bind(db).insert(TAX_CODES).execute()
    Table("setting", ("key", "value")).bind(db).insert(SETTINGS).execute()
    Table("audit_head", ("id", "last_hash", "count")).bind(db).insert(id=1, last_hash=GENESIS, count=0).execute()
