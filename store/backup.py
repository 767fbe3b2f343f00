"""Backups that are whole while operators work, and restores that never overwrite books by accident.

SQLite: the online backup API (APSW's Connection.backup) copies every page in one step, inside
one read transaction of the source, so the copy is the books at one moment while writers carry on
(WAL readers do not block them). Copying the file itself while they write gave corrupt copies.
The copy is written under a temporary name, switched out of WAL so it is one self-contained file,
checked (PRAGMA integrity_check and every invariant `billfold verify` checks), and only then
renamed to the name asked for and summed (sha256).

PostgreSQL: `pg_dump --format=custom` (one repeatable-read snapshot; --serializable-deferrable
waits for a moment no concurrent transaction can make inconsistent), checked by reading its
table of contents back with `pg_restore --list`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import apsw
from peewee import PostgresqlDatabase
from playhouse.apsw_ext import APSWDatabase

from store.db import BUSY_TIMEOUT_S, SQLITE_PRAGMAS, migrate_database
from store.errors import Conflict, StorageError, ValidationError
from store.fields import utcnow
from store.models import database_proxy


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: str
    sha256: str
    size: int
    method: str
    taken_at: dt.datetime
    checks: list[str] = field(default_factory=list)  # what was checked on the copy


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def books_at(path: Path) -> Iterator[None]:
    """The services read the SQLite books at `path` for a while (to verify a copy), then the open ones again."""
    previous = database_proxy.obj
    other = APSWDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=BUSY_TIMEOUT_S, lock_type="IMMEDIATE")
    database_proxy.initialize(other)
    try:
        other.connect()
        yield
    finally:
        other.close()
        database_proxy.initialize(previous)


def check_copy(path: Path) -> list[str]:
    """Every problem PRAGMA integrity_check and verify find in the SQLite books at `path`."""
    from store.verify import verify_books

    with books_at(path):
        rows = [r[0] for r in database_proxy.obj.execute_sql("PRAGMA integrity_check").fetchall()]
        problems = [] if rows == ["ok"] else [f"integrity_check: {r}" for r in rows]
        return problems + verify_books()


def _is(test: str, path: Path, field: str) -> bool:
    """path.is_dir() / is_file(), with a name the system cannot take (too long, say) refused naming it."""
    try:
        return bool(getattr(path, test)())
    except OSError as exc:
        raise ValidationError(field, f"{str(path)[:60]}: {exc.strerror}") from None


def _destination(dest: Path, now: dt.datetime, suffix: str) -> Path:
    if _is("is_dir", dest, "DEST"):
        dest = dest / f"billfold-{now:%Y%m%d-%H%M%S}{suffix}"
    elif dest.suffix != suffix:
        raise ValidationError("DEST", f"'{str(dest)[:60]}' is neither a folder nor a file name ending {suffix}")
    if dest.exists():
        raise ValidationError("DEST", f"{dest} exists; name a new file (a backup never overwrites one)")
    if not _is("is_dir", dest.parent, "DEST"):
        raise ValidationError("DEST", f"{dest.parent} is not a folder")
    return dest


def _fsync(path: Path) -> None:
    with path.open("rb") as f:
        os.fsync(f.fileno())


def backup_books(dest: Path) -> BackupResult:
    """A consistent, checked copy of the open books at `dest` (a new file, or a folder to put it in)."""
    database = database_proxy.obj
    now = utcnow()
    if isinstance(database, PostgresqlDatabase):
        return _pg_dump(database, _destination(dest, now, ".dump"), now)
    target = _destination(dest, now, ".db")
    part = target.with_name(f".{target.name}.part")
    source: apsw.Connection = database.connection()
    copy = apsw.Connection(str(part))
    try:
        with copy.backup("main", source, "main") as step:
            step.step(-1)  # every page in one step: one snapshot of the source
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        copy.close()
    problems = check_copy(part)
    if problems:
        part.unlink()
        raise StorageError("the copy did not verify: " + "; ".join(problems[:5]))
    _fsync(part)
    os.replace(part, target)
    return BackupResult(str(target), file_sha256(target), target.stat().st_size, "sqlite online backup", now,
                        ["integrity_check ok", "verify ok"])


def _pg_env(database: PostgresqlDatabase) -> tuple[list[str], dict[str, str]]:
    params = database.connect_params
    env = dict(os.environ)
    for key, var in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("password", "PGPASSWORD")):
        if params.get(key):
            env[var] = str(params[key])
    return ["--dbname", str(database.database), "--no-password"], env


def _run(command: list[str], env: dict[str, str]) -> str:
    if shutil.which(command[0]) is None:
        raise StorageError(f"{command[0]} is not installed (the PostgreSQL client tools are needed)")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise StorageError(f"{command[0]} failed: {done.stderr.strip()[:500]}")
    return done.stdout


def _pg_dump(database: PostgresqlDatabase, target: Path, now: dt.datetime) -> BackupResult:
    connection, env = _pg_env(database)
    part = target.with_name(f".{target.name}.part")
    _run(["pg_dump", *connection, "--format=custom", "--serializable-deferrable", "--no-owner", "--no-privileges",
          f"--file={part}"], env)
    entries = [ln for ln in _run(["pg_restore", "--list", str(part)], env).splitlines() if ln and ln[0] != ";"]
    _fsync(part)
    os.replace(part, target)
    return BackupResult(str(target), file_sha256(target), target.stat().st_size,
                        "pg_dump --format=custom --serializable-deferrable --no-owner --no-privileges", now,
                        [f"pg_restore --list reads {len(entries)} entries"])


def _has_books() -> bool:
    row = database_proxy.obj.execute_sql(
        "SELECT (SELECT COUNT(*) FROM customer) + (SELECT COUNT(*) FROM invoice) + (SELECT COUNT(*) FROM payment)"
    ).fetchone()
    return bool(row and row[0])


def restore_books(source: Path, *, force: bool = False) -> BackupResult:
    """Put the backup at `source` in place of the open books, then check them; refused over live
    books (any customer, invoice or payment) unless `force`."""
    if not _is("is_file", source, "SRC"):
        raise ValidationError("SRC", f"'{str(source)[:60]}' is not a file")
    database = database_proxy.obj
    if _has_books() and not force:
        raise Conflict("these books are not empty; restoring would replace them: add --force if that is meant")
    if isinstance(database, PostgresqlDatabase):
        connection, env = _pg_env(database)
        _run(["pg_restore", *connection, "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", str(source)], env)
        checks = ["pg_restore --single-transaction"]
    else:
        problems = check_copy(source)
        if problems:
            raise StorageError(f"{source} does not verify; nothing was restored: " + "; ".join(problems[:5]))
        live: apsw.Connection = database.connection()
        backup = apsw.Connection(str(source), flags=apsw.SQLITE_OPEN_READONLY)
        try:
            with live.backup("main", backup, "main") as step:
                step.step(-1)
        finally:
            backup.close()
        checks = ["integrity_check ok before"]
    migrate_database(database)  # a backup from an older release comes up to this schema
    from store.verify import verify_books

    problems = verify_books()
    if problems:
        raise StorageError("restored, but verify finds: " + "; ".join(problems[:5]))
    return BackupResult(str(source), file_sha256(source), source.stat().st_size,
                        "pg_restore" if isinstance(database, PostgresqlDatabase) else "sqlite online backup",
                        utcnow(), [*checks, "verify ok after"])
