"""Backup and restore on PostgreSQL: pg_dump of live books, refused over live books, restored into new ones.

Skipped, saying so, where no server runs (tests/test_postgres.py's fixture); pg_dump and pg_restore of
the server's version must be on PATH.
"""
from __future__ import annotations

import datetime as dt
import shutil
import uuid
from pathlib import Path

import pytest

from store.backup import backup_books, restore_books
from store.customers import CustomerData, create_customer
from store.db import close_database, open_database
from store.errors import Conflict
from store.payments import PaymentInput, allocate_payment, record_payment
from store.queries import customer_view, invoice_view
from store.session import ensure_operator, set_operator
from store.verify import verify_books
from tests.conftest import line, post
from tests.test_postgres import BASE, _admin, pg_books  # noqa: F401 - the server fixture

pytestmark = pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")


def test_a_postgres_backup_restores_into_new_books_with_the_same_figures(pg_books: str, tmp_path) -> None:  # noqa: F811
    account = create_customer(CustomerData(name="Dump Pty", email="d@example.com")).account_no
    first = post(account, line(price=10000)).number
    second = post(account, line(price=2500)).number
    paid = record_payment(PaymentInput(5000, "GBP", "bank_transfer", dt.date(2026, 11, 10), account)).number
    allocate_payment(paid, [(first, 5000)])
    before = (customer_view(account).balance_minor, invoice_view(first).open_minor, invoice_view(second).open_minor)
    assert before == (10000, 7000, 3000)  # 120.00 - 50.00 paid, and 30.00

    done = backup_books(tmp_path)
    assert done.path.endswith(".dump") and "pg_restore --list reads" in " ".join(done.checks)
    with pytest.raises(Conflict, match="add --force"):
        restore_books(Path(done.path))  # over the live books: refused

    admin = _admin()
    other = f"billfold_restore_{uuid.uuid4().hex[:10]}"
    admin.cursor().execute(f"CREATE DATABASE {other}")
    try:
        close_database()
        open_database(BASE.rsplit("/", 1)[0] + "/" + other)
        ensure_operator("pat", "Pat", "supervisor")
        set_operator("pat")
        restored = restore_books(Path(done.path))
        assert restored.checks == ["pg_restore --single-transaction", "verify ok after"]
        after = (customer_view(account).balance_minor, invoice_view(first).open_minor,
                 invoice_view(second).open_minor)
        assert after == before
        assert verify_books() == []
    finally:
        close_database()
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {other} WITH (FORCE)")
        admin.close()
