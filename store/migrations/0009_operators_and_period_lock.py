"""Operators can be disabled (their name stays in the history); periods close with a lock date.

period_lock is append-only history: its latest row holds the lock date. A journal entry dated
on or before the lock date is refused by a trigger, so a script or a psql session cannot post
into a closed period either. On PostgreSQL the permission table is enforced by group roles
(store.pg_roles, given again after every migration) and by triggers for what GRANTs cannot
say: which setting keys only an admin may change, and that only an admin reopens a period.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import PostgresqlDatabase

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrate import SchemaMigrator

LOCKED = "the books are closed on or before this date: ask an admin to reopen the period (billfold period reopen)"
REFUSAL = "posted records of the books are never changed or deleted: credit, void or reverse them"
LATEST_LOCK = "(SELECT lock_date FROM period_lock ORDER BY id DESC LIMIT 1)"


def _sqlite(db: Database) -> None:
    db.execute_sql("ALTER TABLE operator ADD COLUMN disabled_at TEXT")
    db.execute_sql(
        "CREATE TABLE period_lock (id INTEGER NOT NULL PRIMARY KEY, month VARCHAR(255) NOT NULL, lock_date DATE, "
        "action VARCHAR(255) NOT NULL, reason TEXT NOT NULL, by VARCHAR(255) NOT NULL, at DATETIME NOT NULL)")
    for op in ("UPDATE", "DELETE"):
        db.execute_sql(f"CREATE TRIGGER period_lock_no_{op.lower()} BEFORE {op} ON period_lock "
                       f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END")
    db.execute_sql(f"CREATE TRIGGER journal_entry_locked BEFORE INSERT ON journal_entry "
                   f"WHEN NEW.entry_date <= {LATEST_LOCK} BEGIN SELECT RAISE(ABORT, '{LOCKED}'); END")


def _postgres(db: Database) -> None:
    db.execute_sql("ALTER TABLE operator ADD COLUMN disabled_at TIMESTAMP")
    db.execute_sql(
        "CREATE TABLE period_lock (id SERIAL PRIMARY KEY, month VARCHAR(255) NOT NULL, lock_date DATE, "
        "action VARCHAR(255) NOT NULL, reason TEXT NOT NULL, by VARCHAR(255) NOT NULL, at TIMESTAMP NOT NULL)")
    db.execute_sql("CREATE TRIGGER period_lock_append_only BEFORE UPDATE OR DELETE ON period_lock "
                   "FOR EACH ROW EXECUTE FUNCTION billfold_refuse()")
    db.execute_sql(f"""CREATE FUNCTION billfold_period_locked() RETURNS trigger AS $$
        BEGIN
          IF NEW.entry_date <= {LATEST_LOCK} THEN
            RAISE EXCEPTION '{LOCKED} (%%)', {LATEST_LOCK};
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql""")
    db.execute_sql("CREATE TRIGGER journal_entry_locked BEFORE INSERT ON journal_entry "
                   "FOR EACH ROW EXECUTE FUNCTION billfold_period_locked()")
    # Who may change each setting key: filled from store.settings after every migration.
    db.execute_sql("CREATE TABLE setting_rule (key VARCHAR(255) PRIMARY KEY, role VARCHAR(255) NOT NULL)")
    db.execute_sql("""CREATE FUNCTION billfold_setting_rule() RETURNS trigger AS $$
        DECLARE needed text;
        BEGIN
          SELECT role INTO needed FROM setting_rule WHERE key = NEW.key;
          IF needed IS NULL THEN
            RAISE EXCEPTION 'setting %% is not a Billfold setting', NEW.key;
          END IF;
          IF needed = 'admin' AND NOT pg_has_role(current_user, 'billfold_admin', 'MEMBER') THEN
            RAISE EXCEPTION 'setting %% is changed by an admin only', NEW.key;
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql""")
    db.execute_sql("CREATE TRIGGER setting_rule_check BEFORE INSERT OR UPDATE ON setting "
                   "FOR EACH ROW EXECUTE FUNCTION billfold_setting_rule()")
    db.execute_sql("""CREATE FUNCTION billfold_reopen_by_admin() RETURNS trigger AS $$
        BEGIN
          IF NEW.action = 'reopen' AND NOT pg_has_role(current_user, 'billfold_admin', 'MEMBER') THEN
            RAISE EXCEPTION 'only an admin reopens a closed period';
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql""")
    db.execute_sql("CREATE TRIGGER period_lock_reopen BEFORE INSERT ON period_lock "
                   "FOR EACH ROW EXECUTE FUNCTION billfold_reopen_by_admin()")


def up(migrator: SchemaMigrator, db: Database) -> None:
    if isinstance(db, PostgresqlDatabase):
        _postgres(db)
    else:
        _sqlite(db)
