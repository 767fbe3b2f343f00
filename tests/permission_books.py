"""Books for walking the permission table: on a SQLite file, or on PostgreSQL as real database logins.

On SQLite the operator is the in-process seam; on PostgreSQL every case connects as a real
LOGIN role (session_user), so both Billfold's check and the database's GRANTs are exercised.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from store.db import close_database, open_database
from store.session import ensure_operator, set_operator

PG_BASE = os.environ.get("BILLFOLD_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
ROLE_NAMES = {"clerk": "alice", "supervisor": "bob", "admin": "ada"}


def pg_admin():  # type: ignore[no-untyped-def]
    psycopg2 = pytest.importorskip("psycopg2")
    try:
        conn = psycopg2.connect(PG_BASE, connect_timeout=3)
    except psycopg2.OperationalError as exc:
        pytest.skip(f"PostgreSQL tests skipped: no server at {PG_BASE} ({str(exc).strip().splitlines()[0]})")
    conn.autocommit = True
    return conn


def pg_url(database: str, login: str | None = None) -> str:
    scheme, rest = PG_BASE.split("://", 1)
    user_host = rest.rsplit("/", 1)[0]
    if login:
        user_host = f"{login}@{user_host.split('@', 1)[-1]}"
    return f"{scheme}://{user_host}/{database}"


@dataclass
class Books:
    """One fresh set of books and how to act in it as a given role."""

    backend: str
    logins: dict[str, str]  # role -> login
    owner_url: str
    urls: dict[str, str]  # login -> URL to connect as it (PostgreSQL)

    def act_as(self, role: str) -> None:
        login = self.logins[role]
        if self.backend == "sqlite":
            set_operator(login)
            return
        set_operator(None)
        close_database()
        open_database(self.urls[login])  # the operator is now the database's session_user

    def as_owner(self) -> None:
        if self.backend == "postgresql":
            close_database()
            open_database(self.owner_url)
        set_operator(self.logins["admin"])


class PgServer:
    """A migrated template database, copied for each case; roles and databases dropped afterwards."""

    def __init__(self) -> None:
        self.admin = pg_admin()
        self.suffix = uuid.uuid4().hex[:8]
        self.template = f"billfold_perm_{self.suffix}"
        self.created: list[str] = []
        self.roles: list[str] = [f"bf{self.suffix}_alice_new"]  # made by the manage-operators case
        self.admin.cursor().execute(f"CREATE DATABASE {self.template}")
        open_database(pg_url(self.template))
        close_database()

    def new_books(self) -> Books:
        name = f"{self.template}_{len(self.created)}"
        self.admin.cursor().execute(f"CREATE DATABASE {name} TEMPLATE {self.template}")
        self.created.append(name)
        logins = {role: f"bf{self.suffix}_{who}" for role, who in ROLE_NAMES.items()}
        urls = {login: pg_url(name, login) for login in logins.values()}
        books = Books("postgresql", logins, pg_url(name), urls)
        open_database(books.owner_url)
        from store.models import database_proxy
        from store.pg_roles import grant_login

        for role, login in logins.items():
            ensure_operator(login, login, role)
            grant_login(database_proxy.obj, login, role)
            if login not in self.roles:
                self.roles.append(login)
        return books

    def role(self, name: str) -> str:
        self.roles.append(name)
        return name

    def drop(self) -> None:
        set_operator(None)
        close_database()
        cursor = self.admin.cursor()
        for name in [*self.created, self.template]:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        for role in self.roles:
            cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
        self.admin.close()


def books_factory(backend: str, template_db: Path, tmp_path: Path) -> Iterator[Callable[[], Books]]:
    """Yields a function making fresh books (each case gets its own)."""
    if backend == "sqlite":
        count = [0]

        def sqlite_books() -> Books:
            count[0] += 1
            path = tmp_path / f"books{count[0]}.db"
            shutil.copy(template_db, path)
            close_database()
            open_database(str(path))
            for role, login in ROLE_NAMES.items():
                ensure_operator(login, login, role)
            return Books("sqlite", dict(ROLE_NAMES), str(path), {})

        yield sqlite_books
        set_operator(None)
        close_database()
        return
    server = PgServer()
    try:
        yield server.new_books
    finally:
        server.drop()


def months_ago(n: int, today: dt.date | None = None) -> str:
    from store import clock

    first = (today or clock.today()).replace(day=1)
    for _ in range(n):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return f"{first:%Y-%m}"
