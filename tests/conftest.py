"""Shared fixtures: every test gets its own real SQLite file, migrated once per session and copied."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest

from store import clock
from store.customers import CustomerData, create_customer
from store.db import close_database, open_database
from store.models import ALL_MODELS, database_proxy
from store.session import ensure_operator, set_operator

OPERATOR = "alice"

# The day every test runs on: no test depends on the calendar. Pinned when this file is imported, so
# that module-level dates in test files (T = clock.today()) are this day too, and again per test.
TODAY = dt.date(2026, 11, 22)
clock.set_source(clock.ticking_from(clock.noon_of(TODAY)))


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[dt.date]:
    """store.clock reads TODAY (ticking from its noon) for the whole test."""
    with clock.pinned(TODAY):
        yield TODAY


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    open_database(str(path))
    database_proxy.obj.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    close_database()
    return path


@pytest.fixture()
def db_path(template_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "books.db"
    shutil.copy(template_db, path)
    return path


@pytest.fixture()
def books(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An open, empty, current-schema database: alice (a clerk, acting), bob and carol (supervisors), ada (admin)."""
    monkeypatch.setenv("BILLFOLD_LOG", str(db_path.parent / "billfold.log"))
    open_database(str(db_path))
    ensure_operator("alice", "Alice Clerk", "clerk")
    ensure_operator("bob", "Bob Supervisor", "supervisor")
    ensure_operator("carol", "Carol Supervisor", "supervisor")
    ensure_operator("ada", "Ada Admin", "admin")
    set_operator(OPERATOR)
    yield db_path
    set_operator(None)
    close_database()


@contextmanager
def acting_as(login: str) -> Iterator[None]:
    """Act as another operator for a moment (the in-process seam), then as alice again."""
    set_operator(login)
    try:
        yield
    finally:
        set_operator(OPERATOR)


def admin_setting(key: str, value: str) -> None:
    """Change a setting as the admin ada (settings are not a clerk's to change)."""
    from store.settings import set_setting

    with acting_as("ada"):
        set_setting(key, value)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table: to prove a refused request wrote nothing."""
    state = {}
    for model in ALL_MODELS:
        table = model._meta.table_name
        state[table] = sorted(map(tuple, database_proxy.obj.execute_sql(f'SELECT * FROM "{table}"').fetchall()),
                              key=repr)
    return state


@pytest.fixture()
def customer(books: Path) -> str:
    return create_customer(CustomerData(name="Harbour Supplies Ltd", email="ap@harbour.example",
                                        phone="+44 20 7946 0123", city="Bristol", postcode="BS1 4DJ",
                                        terms_days=30)).account_no


def line(desc: str = "Widget", qty: str = "1", price: int = 1000, tax: str = "S", discount: str = "0"):
    from store.invoices import LineInput

    return LineInput(desc, Decimal(qty), price, tax, Decimal(discount))


def post(account: str, *lines, issue: dt.date = dt.date(2026, 11, 1), **kw):
    from store.invoices import DraftInput, create_and_post

    return create_and_post(DraftInput(account, issue, tuple(lines) or (line(),)), **kw)


@pytest.fixture()
def cli(books: Path, capsys: pytest.CaptureFixture[str]):
    """`billfold ARGS` in process on the test's books: (exit status, stdout, stderr)."""
    from tui.cli import main

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--db", str(books), *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def run_json(cli, *argv: str):
    """A command with --json that must succeed: its parsed output."""
    code, out, err = cli(*argv, "--json")
    assert code == 0, err + out
    return json.loads(out)
