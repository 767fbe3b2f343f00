"""Backups while eight processes write: whole, verified, summed, and restored to the same books."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from store.backup import backup_books, restore_books
from store.customers import CustomerData, create_customer
from store.db import close_database, open_database
from store.errors import Conflict, ValidationError
from store.models import database_proxy
from store.verify import verify_books
from tests.conftest import line, post

ROOT = Path(__file__).resolve().parents[1]
WRITERS = 8


def totals(up_to: dict[str, int] | None = None) -> dict[str, tuple[int, int]]:
    """Count and sum of invoices, payments and journal lines (those with ids up to `up_to`'s)."""
    out = {}
    for table, column in (("invoice", "total_minor"), ("payment", "amount_minor"), ("journal_line", "debit_minor")):
        where = f" WHERE id <= {up_to[table]}" if up_to else ""
        out[table] = tuple(database_proxy.obj.execute_sql(
            f"SELECT COUNT(*), COALESCE(SUM({column}), 0) FROM {table}{where}").fetchone())
    return out


def last_ids() -> dict[str, int]:
    return {t: database_proxy.obj.execute_sql(f"SELECT COALESCE(MAX(id), 0) FROM {t}").fetchone()[0]
            for t in ("invoice", "payment", "journal_line")}


def test_a_backup_taken_under_eight_writers_restores_to_the_books_at_that_moment(books, tmp_path) -> None:
    accounts = [create_customer(CustomerData(name=f"Writer {n}", email=f"w{n}@example.com")).account_no
                for n in range(WRITERS)]
    post(accounts[0], line(price=1000))
    close_database()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, str(ROOT / "tests" / "outbox_worker.py"), "post", str(books),
                               account, "25"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for account in accounts]
    for proc in procs:  # every writer has posted once: the load is on
        assert proc.stdout is not None and proc.stdout.readline().startswith("posted ")
    open_database(str(books))
    result = backup_books(tmp_path / "copy.db")
    for proc in procs:
        _out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    assert result.sha256 == hashlib.sha256(Path(result.path).read_bytes()).hexdigest()
    assert result.checks == ["integrity_check ok", "verify ok"]
    after = totals()
    close_database()
    open_database(str(tmp_path / "restored.db"))
    restore_books(Path(result.path))
    assert verify_books() == []
    at_backup = totals()
    moment = last_ids()
    assert 1 + WRITERS <= at_backup["invoice"][0] < after["invoice"][0]  # taken while they wrote
    close_database()
    open_database(str(books))
    assert totals(moment) == at_backup  # the source's books at the backup's moment, to the minor unit


def test_restore_refuses_live_books_without_force_and_a_backup_never_overwrites(books, tmp_path) -> None:
    account = create_customer(CustomerData(name="Kept Ltd", email="k@example.com")).account_no
    post(account, line(price=1234))
    copy = backup_books(tmp_path)  # a folder: named by the time
    assert Path(copy.path).parent == tmp_path and Path(copy.path).name.startswith("billfold-")
    with pytest.raises(ValidationError, match="exists; name a new file"):
        backup_books(Path(copy.path))
    with pytest.raises(ValidationError, match=r"neither a folder nor a file name ending \.db"):
        backup_books(tmp_path / "copy.txt")
    with pytest.raises(ValidationError, match="File name too long"):
        backup_books(tmp_path / ("9" * 400 + ".db"))
    post(account, line(price=999))
    with pytest.raises(Conflict, match="add --force"):
        restore_books(Path(copy.path))
    assert totals()["invoice"][0] == 2
    restored = restore_books(Path(copy.path), force=True)
    assert restored.checks[-1] == "verify ok after" and totals()["invoice"] == (1, 1481)


def test_a_corrupt_backup_is_refused_and_nothing_is_restored(books, tmp_path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    before = totals()
    with pytest.raises(Exception, match=r"not a database|does not verify|file is not"):
        restore_books(bad)
    assert totals() == before


def test_backup_and_restore_commands(books, tmp_path, capsys) -> None:
    from tui.cli import main

    post(create_customer(CustomerData(name="Cmd Ltd", email="c@example.com")).account_no, line())
    db = database_proxy.obj.database
    assert main(["--db", db, "backup", str(tmp_path / "b.db")]) == 0
    out = capsys.readouterr().out
    digest = hashlib.sha256((tmp_path / "b.db").read_bytes()).hexdigest()
    assert f"sha256 {digest}" in out and "checked: integrity_check ok, verify ok" in out
    assert main(["--db", db, "restore", str(tmp_path / "b.db")]) == 1  # refused by the books
    assert "add --force" in capsys.readouterr().err
    assert main(["--db", str(tmp_path / "fresh.db"), "restore", str(tmp_path / "b.db")]) == 0
    assert "verify ok after" in capsys.readouterr().out
