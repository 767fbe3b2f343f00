"""The outbox and backups on a real PostgreSQL server: claims with FOR UPDATE SKIP LOCKED, pg_dump."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests import test_delivery, test_postgres

pg_books = test_postgres.pg_books  # fixture


def test_two_sessions_never_claim_the_same_row(pg_books: str) -> None:
    import psycopg2

    from store import outbox
    from store.customers import CustomerData, create_customer
    from tests.conftest import line, post

    account = create_customer(CustomerData(name="Pg Mail", email="pg@mail.example")).account_no
    for n in range(3):
        post(account, line(price=100 + n))
    other = psycopg2.connect(pg_books)
    cur = other.cursor()  # another session holds the oldest queued row locked, as a claiming sender would
    cur.execute("SELECT id FROM outbox WHERE status = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")
    [(held,)] = cur.fetchall()
    claimed = outbox.claim("email", limit=5)
    assert held not in [i.id for i in claimed] and len(claimed) == 2  # skipped, not waited for
    assert {i.status for i in claimed} == {"sending"}
    other.rollback()
    other.close()
    [last] = outbox.claim("email", limit=5)
    assert last.id == held and outbox.claim("email") == []


def test_deliver_and_backup_on_postgresql(pg_books: str, tmp_path: Path) -> None:
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    from aiosmtpd.controller import Controller

    from exports.deliver import deliver_pending
    from store.backup import backup_books
    from store.customers import CustomerData, create_customer
    from store.session import ensure_operator, set_operator
    from store.settings import set_setting
    from tests.conftest import line, post

    inbox, port = test_delivery.Inbox(), test_delivery.free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        ensure_operator("ada", "Ada Admin", "admin")
        set_operator("ada")  # delivery destinations are an admin's to set
        for key, value in (("smtp_host", "127.0.0.1"), ("smtp_port", str(port)), ("smtp_security", "none"),
                           ("smtp_from", "billing@pg.example")):
            set_setting(key, value)
        set_operator("pat")
        account = create_customer(CustomerData(name="Pg Mail", email="pg@mail.example")).account_no
        number = post(account, line(price=4200)).number
        summary = deliver_pending(processes=1, print_dir=tmp_path)
    finally:
        controller.stop()
    assert summary.emailed == 1 and inbox.messages[0][1]["Subject"].endswith(number)
    result = backup_books(tmp_path)
    assert result.method.startswith("pg_dump --format=custom") and Path(result.path).stat().st_size > 1000
    assert result.checks[0].startswith("pg_restore --list reads")
