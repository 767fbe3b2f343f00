"""Opening the books: which database, with which settings, at which schema version.

SQLite is reached through APSW, which ships its own current SQLite: the one Python links here
(3.40) carries the WAL-reset corruption bug fixed in 3.51.3, which strikes exactly when several
operators write to one file at once. Every write transaction begins IMMEDIATE so that two writers
queue for the lock instead of deadlocking on a read-to-write upgrade.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import apsw
from peewee import Database, PostgresqlDatabase
from playhouse.apsw_ext import APSWDatabase
from playhouse.migrations import Runner

from store.errors import StorageError
from store.fields import IsoDateTimeField
from store.models import database_proxy

MIN_SQLITE = (3, 51, 3)
BUSY_TIMEOUT_S = 30.0
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": 2,  # FULL: a commit that returned survives a power cut
    "cache_size": -32000,
    "temp_store": 2,
}


def prefer_less_memory() -> None:
    """Books opened from now on sort and group in temporary files, not in memory (SQLite's temp_store).

    For the application, which stays up all day: a dunning run or an aging detail at a million
    invoices sorted in memory left the process 160 MiB larger for the rest of the session (the
    memory is freed, but the allocator keeps it). Commands end and keep the faster in-memory sorts.
    """
    SQLITE_PRAGMAS["temp_store"] = 1  # FILE: in the temporary directory, through the OS's page cache


def default_database_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("billfold", appauthor=False) / "billfold.db"


def resolve_target(target: str | None) -> str:
    """--db beats BILLFOLD_DB beats the file in the user data directory."""
    return target or os.environ.get("BILLFOLD_DB") or str(default_database_path())


def sqlite_version() -> tuple[int, ...]:
    return tuple(int(p) for p in apsw.sqlite_lib_version().split("."))


def _busy_handler(timeout: float) -> Callable[[int], bool]:
    """Wait for the write lock looking every 2 ms (SQLite's own busy timeout backs off to 100 ms
    between looks): a writer committing a chunk after a chunk (a long import) leaves the lock free
    for moments that a 100 ms sleeper misses again and again, and the operator waited 12 s."""
    since = [0.0]

    def handler(count: int) -> bool:
        now = time.monotonic()
        if count == 0:
            since[0] = now
        if now - since[0] > timeout:
            return False
        time.sleep(0.002)
        return True

    return handler


class BooksDatabase(APSWDatabase):  # playhouse has no types: subclassing Any is allowed here (pyproject.toml)
    """APSW with the quick-looking busy handler on every connection."""

    def _add_conn_hooks(self, conn: apsw.Connection) -> None:
        super()._add_conn_hooks(conn)
        conn.set_busy_handler(_busy_handler(BUSY_TIMEOUT_S))


def _open_sqlite(path: str) -> Database:
    if sqlite_version() < MIN_SQLITE:
        raise StorageError(
            f"SQLite {apsw.sqlite_lib_version()} has the WAL-reset corruption bug; "
            f"{'.'.join(map(str, MIN_SQLITE))} or newer is required (upgrade the apsw package)"
        )
    if path != ":memory:":
        Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        path = str(Path(path).expanduser())
    database: Database = BooksDatabase(path, pragmas=SQLITE_PRAGMAS, timeout=BUSY_TIMEOUT_S, lock_type="IMMEDIATE")
    return database


def _open_url(url: str) -> Database:
    scheme = url.split("://", 1)[0].lower()
    if scheme in ("sqlite", "apsw"):
        return _open_sqlite(url.split("://", 1)[1] or ":memory:")
    if scheme in ("postgres", "postgresql", "postgresql+psycopg2"):
        from playhouse.db_url import parse

        try:
            import psycopg2  # noqa: F401
        except ImportError:
            raise StorageError("PostgreSQL needs the psycopg2 package: pip install 'billfold[postgres]'") from None
        params = parse(url.replace("postgresql+psycopg2", "postgresql"))
        return PostgresqlDatabase(**params)
    raise StorageError(f"database URL scheme '{scheme}' is not supported (use a file path, sqlite:// or postgresql://)")


def open_database(target: str | None = None, migrate: bool = True) -> Database:
    """Open (and by default bring to the current schema) the database named by `target`."""
    target = resolve_target(target)
    database = _open_url(target) if "://" in target else _open_sqlite(target)
    database_proxy.initialize(database)
    _connect(database)
    if isinstance(database, APSWDatabase):
        mode = database.execute_sql("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            raise StorageError(f"{target}: could not switch to WAL journal mode (got {mode})")
    from store.session import set_database_login

    if isinstance(database, PostgresqlDatabase):
        from store.pg_roles import session_user

        set_database_login(session_user(database))  # on PostgreSQL the operator is the database login
    else:
        set_database_login(None)
    if migrate:
        migrate_database(database)
    return database


def _connect(database: Database) -> None:
    """Connect, or say in one line which server refused and why (psycopg2's message runs to several)."""
    if not isinstance(database, PostgresqlDatabase):
        database.connect(reuse_if_open=True)
        return
    try:
        database.connect(reuse_if_open=True)
    except Exception as exc:
        params = database.connect_params
        host, port = params.get("host") or "localhost (socket)", params.get("port") or 5432
        reason = " ".join(str(exc).split())
        raise StorageError(f"PostgreSQL at {host} port {port}, database {database.database}: {reason}") from None


class _Runner(Runner):
    """playhouse's runner, with its history timestamps stored as text: APSW binds no datetimes."""

    def __init__(self, database: Database, directory: str) -> None:
        super().__init__(database, directory)
        applied = self.History._meta.fields["applied"]
        applied.db_value = IsoDateTimeField().db_value
        applied.python_value = IsoDateTimeField().python_value


def migration_runner(database: Database) -> Runner:
    return _Runner(database, str(MIGRATIONS_DIR))


def migrate_database(database: Database, target: str | None = None) -> list[str]:
    """Apply pending schema migrations; returns their names."""
    runner = migration_runner(database)
    pending = [m for m in runner.status() if m.path and not m.applied]
    if not pending:
        return []
    applied: list[str] = runner.up(target)
    if isinstance(database, PostgresqlDatabase):
        grant_roles(database)
    return applied


def grant_roles(database: Database) -> None:
    """PostgreSQL: the group roles, their GRANTs on every table, and who may change each setting."""
    from store.pg_roles import APPEND_ONLY, apply_grants, sync_setting_rules
    from store.settings import SPECS

    with database.atomic():
        apply_grants(database, APPEND_ONLY)
        sync_setting_rules(database, [(spec.key, spec.role) for spec in SPECS])


def describe(database: Database) -> str:
    """A short label for the header line: the file name or the server/database."""
    if isinstance(database, PostgresqlDatabase):
        params = database.connect_params
        return f"pg:{params.get('host', 'localhost')}/{database.database}"
    return Path(str(database.database)).name


def current_label() -> str:
    return describe(database_proxy.obj)


def close_database() -> None:
    database = database_proxy.obj
    if database is not None and not database.is_closed():
        database.close()


def books_file() -> str | None:
    """The SQLite file the books are open in, for other processes (render workers) to read them from;
    None for PostgreSQL, an in-memory database, or inside a transaction (another process would not see
    what it has not committed yet)."""
    database = database_proxy.obj
    if isinstance(database, APSWDatabase) and database.database not in ("", ":memory:") \
            and Path(database.database).is_file() and not database.in_transaction():
        return str(Path(database.database).resolve())
    return None


def open_books_to_read(path: str) -> None:
    """In another process (a render worker): open the books' SQLite file to read, unless it is open already;
    no migrations, as the process that named the file has run them."""
    if getattr(database_proxy.obj, "database", None) != path:
        open_database(path, migrate=False)
