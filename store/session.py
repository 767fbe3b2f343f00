"""Who is working: the OS login of the real uid (on PostgreSQL the database's session_user).

No environment variable names the operator: whoever can set one could be anyone. Tests (and
only tests) use the in-process seam `set_operator`.
"""
from __future__ import annotations

import os
import pwd
from collections.abc import Iterator
from contextlib import contextmanager

from store.errors import BooksError
from store.models import Operator
from store.permissions import ROLES, Action, PermissionDenied, allows, roles_for

_current: str | None = None
_database_login: str | None = None


def os_login() -> str:
    """The login of the real uid (not $USER, which anyone can set)."""
    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid{uid}"


def current_operator() -> str:
    """The login every service records and checks."""
    return _current or _database_login or os_login()


def set_operator(login: str | None) -> None:
    """Test seam: act as `login` in this process (None: back to the real identity)."""
    global _current
    _current = login


@contextmanager
def operating_as(login: str) -> Iterator[None]:
    """Work done by Billfold itself under a name of its own (the demo builder), then back to who it was."""
    global _current
    previous, _current = _current, login
    try:
        yield
    finally:
        _current = previous


def set_database_login(login: str | None) -> None:
    """Called when a PostgreSQL connection opens: the operator is the database's session_user."""
    global _database_login
    _database_login = login


def operator_role(login: str | None = None) -> str | None:
    """The role of an enabled operator; None for a login that is not one (or is disabled)."""
    row = Operator.get_or_none(Operator.login == (login or current_operator()))
    return row.role if row is not None and row.disabled_at is None else None


def admin_logins() -> list[str]:
    query = (Operator.select(Operator.login).where((Operator.role == "admin") & Operator.disabled_at.is_null())
             .order_by(Operator.login))
    return [o.login for o in query]


def not_an_operator(login: str) -> PermissionDenied:
    row = Operator.get_or_none(Operator.login == login)
    state = "is disabled in these books" if row is not None else "is not an operator of these books"
    admins = ", ".join(admin_logins()) or "nobody (run billfold init as the first admin)"
    return PermissionDenied(f"{login} {state}; an admin can add it with "
                            f"`billfold operator add {login} --role clerk` (admins: {admins})")


def require(action: Action) -> str:
    """The current login if its role allows `action`; otherwise a refusal naming who may."""
    login = current_operator()
    role = operator_role(login)
    if role is None:
        raise not_an_operator(login)
    if not allows(role, action):
        who = " or ".join(roles_for(action))
        raise PermissionDenied(f"{action.value} needs {'an' if who[0] in 'aeiou' else 'a'} {who}; "
                               f"{login} is {'an' if role == 'admin' else 'a'} {role}")
    return login


def check_operator() -> str:
    """At startup: the current login, if it is an enabled operator of these books."""
    login = current_operator()
    if operator_role(login) is None:
        raise not_an_operator(login)
    return login


def ensure_operator(login: str, name: str | None = None, role: str = "clerk") -> Operator:
    """Fixtures and the demo: the operator row, created or given `role` (no checks, no audit)."""
    if role not in ROLES:
        raise BooksError(f"role must be one of {', '.join(ROLES)}")
    row: Operator | None = Operator.get_or_none(Operator.login == login)
    if row is None:
        return Operator.create(login=login, name=name or login, role=role)
    if row.role != role or row.disabled_at is not None:
        Operator.update(role=role, disabled_at=None).where(Operator.login == login).execute()
        row.role = role
    return row


def ensure_demo_admin() -> str:
    """The demo books: whoever runs `billfold --demo` is an admin of them, so the Quick start just works."""
    login = current_operator()
    if operator_role(login) != "admin":
        ensure_operator(login, login, "admin")
    return login
