"""The same books on a real PostgreSQL server (127.0.0.1:5432). Skipped, saying so, where none runs.

Set BILLFOLD_PG_URL to point at another server; each run makes and drops its own database.
"""
from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator

import pytest

from store.db import close_database, open_database
from store.session import ensure_operator, set_operator

BASE = os.environ.get("BILLFOLD_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _admin():
    psycopg2 = pytest.importorskip("psycopg2")
    try:
        conn = psycopg2.connect(BASE, connect_timeout=3)
    except psycopg2.OperationalError as exc:
        pytest.skip(f"PostgreSQL tests skipped: no server at {BASE} ({str(exc).strip().splitlines()[0]})")
    conn.autocommit = True
    return conn


@pytest.fixture()
def pg_books(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    admin = _admin()
    name = f"billfold_test_{uuid.uuid4().hex[:10]}"
    admin.cursor().execute(f"CREATE DATABASE {name}")
    url = BASE.rsplit("/", 1)[0] + "/" + name
    try:
        open_database(url)
        ensure_operator("pat", "Pat", "supervisor")
        set_operator("pat")  # the server login is the superuser; the books' work is pat's
        yield url
    finally:
        set_operator(None)
        close_database()
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def test_services_verify_and_triggers_on_postgresql(pg_books: str) -> None:
    from store.customers import CustomerData, create_customer
    from store.invoices import credit_invoice, void_invoice
    from store.models import database_proxy
    from store.payments import PaymentInput, allocate_payment, record_payment, request_refund, write_off
    from store.queries import customer_view, invoice_view
    from store.verify import verify_books
    from tests.conftest import line, post

    account = create_customer(CustomerData(name="Postgres Pty", email="pg@example.com")).account_no
    first = post(account, line("a", "2", 1999), line("b", "1", 500, "Z")).number  # 39.98 + 8.00 tax + 5.00
    second = post(account, line(price=10000)).number
    third = post(account).number
    pay = record_payment(PaymentInput(60000, "GBP", "bank_transfer", dt.date(2026, 11, 3), account))
    allocate_payment(pay.number, [(first, invoice_view(first).total_minor), (second, 5000)])
    credit_invoice(second, "goodwill", amount_minor=1200)
    write_off(second, "rounding", 100)
    void_invoice(third, "keyed twice")
    request_refund(account, 1000, "bank_transfer")
    assert invoice_view(first).open_minor == 0
    assert customer_view(account).balance_minor == 12000 - 5000 - 1200 - 100 - (60000 - 5298 - 5000 - 1000)
    assert verify_books() == []
    # The lookup's own SQL (written once, not by peewee) runs on PostgreSQL too.
    from store.lookup import find_accounts

    hit = find_accounts("postgr").hits[0]
    assert (hit.account_no, hit.balance_minor) == (account, customer_view(account).balance_minor)
    assert find_accounts(first.lower()).hits[0].why == f"invoice {first}"
    with pytest.raises(Exception, match="never changed or deleted"), database_proxy.atomic():
        database_proxy.obj.execute_sql("UPDATE journal_line SET debit_minor = 0")
    with pytest.raises(Exception, match="never changed or deleted"), database_proxy.atomic():
        database_proxy.obj.execute_sql(f"UPDATE invoice SET memo = 'x' WHERE number = '{first}'")
