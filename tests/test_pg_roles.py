"""PostgreSQL refuses what Billfold refuses: a clerk (or supervisor) with psql gets no further."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.permission_books import Books, books_factory

LOCKED = "the books are closed on or before this date"


@pytest.fixture()
def pg(template_db: Path, tmp_path: Path) -> Iterator[Books]:
    factory = books_factory("postgresql", template_db, tmp_path)
    new_books = next(factory)
    books = new_books()
    from store.periods import close_period
    from store.session import set_operator

    set_operator(books.logins["admin"])
    close_period("2026-10", today=dt.date(2026, 11, 15))
    yield books
    next(factory, None)


def _psql(books: Books, role: str) -> Any:
    import psycopg2

    conn = psycopg2.connect(books.urls[books.logins[role]])
    conn.autocommit = True
    return conn


def _refused(conn: Any, sql: str, match: str) -> None:
    import psycopg2

    with pytest.raises(psycopg2.Error, match=match):
        conn.cursor().execute(sql)


def test_a_clerk_with_psql_cannot_do_what_billfold_refuses(pg: Books) -> None:
    clerk = _psql(pg, "clerk")
    cur = clerk.cursor()
    cur.execute("SELECT session_user")
    assert cur.fetchone()[0] == pg.logins["clerk"]
    _refused(clerk, "INSERT INTO setting (key, value) VALUES ('company_name', 'Mine Ltd')", "permission denied")
    _refused(clerk, "UPDATE setting SET value = '99999999' WHERE key = 'refund_approval_minor'", "permission denied")
    _refused(clerk, f"UPDATE operator SET role = 'admin' WHERE login = '{pg.logins['clerk']}'", "permission denied")
    _refused(clerk, "INSERT INTO operator (login, name, role, created_at) VALUES ('x', 'x', 'admin', now())",
             "permission denied")
    _refused(clerk, "INSERT INTO period_lock (month, lock_date, action, reason, by, at) "
                    "VALUES ('2026-10', '2026-09-30', 'reopen', '', 'me', now())", "permission denied")
    _refused(clerk, "INSERT INTO collection_case (customer_id, agency, note, amount_minor, currency, opened_by, "
                    "opened_at) VALUES (1, 'x', '', 1, 'GBP', 'me', now())", "permission denied")
    _refused(clerk, "UPDATE approval_request SET status = 'approved'", "permission denied")  # files, never decides
    _refused(clerk, "UPDATE journal_line SET debit_minor = 0", "permission denied")
    _refused(clerk, "DELETE FROM audit_event", "permission denied")
    _refused(clerk, "INSERT INTO journal_entry (entry_date, kind, memo, created_by, created_at) "
                    "VALUES ('2026-10-15', 'payment', '', 'me', now())", LOCKED)
    clerk.close()


def test_a_supervisor_changes_settings_but_not_limits_nor_reopens(pg: Books) -> None:
    sup = _psql(pg, "supervisor")
    sup.cursor().execute("UPDATE setting SET value = 'Renamed Ltd' WHERE key = 'company_name'")
    _refused(sup, "INSERT INTO setting (key, value) VALUES ('smtp_host', 'evil.example')", "admin only")
    _refused(sup, "UPDATE setting SET value = '99999999' WHERE key = 'refund_approval_minor'", "admin only")
    _refused(sup, "INSERT INTO setting (key, value) VALUES ('smtp_password', 'hunter2')", "not a Billfold setting")
    _refused(sup, "INSERT INTO period_lock (month, lock_date, action, reason, by, at) "
                  "VALUES ('2026-10', '2026-09-30', 'reopen', 'x', 'me', now())", "only an admin reopens")
    _refused(sup, f"UPDATE operator SET role = 'admin' WHERE login = '{pg.logins['supervisor']}'",
             "permission denied")
    sup.close()


def test_append_only_tables_refuse_even_the_owner_and_admins(pg: Books) -> None:
    from store.models import database_proxy

    admin = _psql(pg, "admin")
    _refused(admin, "UPDATE period_lock SET lock_date = NULL", "permission denied|never changed")
    admin.close()
    pg.as_owner()
    with pytest.raises(Exception, match="never changed or deleted"), database_proxy.atomic():
        database_proxy.obj.execute_sql("DELETE FROM period_lock")
    with pytest.raises(Exception, match=LOCKED), database_proxy.atomic():
        database_proxy.obj.execute_sql("INSERT INTO journal_entry (entry_date, kind, memo, created_by, "
                                       "created_at) VALUES ('2026-10-31', 'x', '', 'me', now())")


def test_operator_add_and_disable_make_and_unmake_the_database_login(pg: Books) -> None:
    import psycopg2

    from store.operators import add_operator, disable_operator

    pg.act_as("admin")  # an admin login (CREATEROLE) adds another through Billfold
    login = f"{pg.logins['clerk']}_new"
    add_operator(login, "clerk")
    url = pg.urls[pg.logins["clerk"]].replace(pg.logins["clerk"], login)
    conn = psycopg2.connect(url)
    cur = conn.cursor()
    cur.execute("SELECT pg_has_role(session_user, 'billfold_clerk', 'MEMBER'), "
                "pg_has_role(session_user, 'billfold_supervisor', 'MEMBER')")
    assert cur.fetchone() == (True, False)
    conn.close()
    disable_operator(login)
    with pytest.raises(psycopg2.OperationalError, match="not permitted to log in"):
        psycopg2.connect(url)
    pg.as_owner()
