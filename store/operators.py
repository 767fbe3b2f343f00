"""Managing who works on these books: add, grant a role, disable; the first admin at init.

Every change is an admin's, audited, and on PostgreSQL mirrored in the database's own roles
(store.pg_roles) so that the database refuses what Billfold refuses. A disabled operator keeps
its row: the history names it, and it can never sign in again unless an admin adds it back.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from store.audit import record_event
from store.errors import Conflict, NotFound, ValidationError
from store.fields import utcnow
from store.models import Operator, database_proxy
from store.permissions import ROLES, Action
from store.pg_roles import check_login, grant_login, is_postgres, revoke_login
from store.service import transaction
from store.session import current_operator, require


@dataclass(frozen=True)
class OperatorRow:
    login: str
    name: str
    role: str
    disabled: bool
    created_at: dt.datetime
    disabled_at: dt.datetime | None


def _row(o: Operator) -> OperatorRow:
    return OperatorRow(o.login, o.name, o.role, o.disabled_at is not None, o.created_at, o.disabled_at)


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError("role", f"'{role}' is not a role; roles are {', '.join(ROLES)}")
    return role


def _get(login: str) -> Operator:
    row = Operator.get_or_none(Operator.login == login)
    if row is None:
        raise NotFound(f"{login} is not an operator of these books (billfold operator list)")
    return row


def _other_admins(login: str) -> int:
    return int(Operator.select().where((Operator.role == "admin") & Operator.disabled_at.is_null()
                                       & (Operator.login != login)).count())


def _mirror(login: str, role: str | None) -> None:
    database = database_proxy.obj
    if is_postgres(database):
        if role is None:
            revoke_login(database, login)
        else:
            grant_login(database, login, role)


def list_operators() -> list[OperatorRow]:
    return [_row(o) for o in Operator.select().order_by(Operator.disabled_at.is_null(False), Operator.login)]


def add_operator(login: str, role: str, name: str = "") -> OperatorRow:
    """Make `login` an operator with `role` (an admin's job); a disabled login is enabled again."""
    login, role = check_login(login.strip()), _check_role(role)
    with transaction():
        require(Action.MANAGE_OPERATORS)
        row = Operator.get_or_none(Operator.login == login)
        if row is not None and row.disabled_at is None:
            raise Conflict(f"{login} is already an operator ({row.role}); "
                           f"to change the role: billfold operator grant {login} ROLE")
        if row is None:
            row = Operator.create(login=login, name=name.strip() or login, role=role)
        else:
            Operator.update(role=role, disabled_at=None, name=name.strip() or row.name).where(
                Operator.id == row.id).execute()
        record_event("operator.add", "operator", login, before=None if row is None else {"disabled": True},
                     after={"role": role})
        _mirror(login, role)
        return _row(Operator.get_by_id(row.id))


def grant_operator(login: str, role: str) -> OperatorRow:
    """Give an operator another role; the last admin cannot be demoted."""
    role = _check_role(role)
    with transaction():
        require(Action.MANAGE_OPERATORS)
        row = _get(login)
        if row.disabled_at is not None:
            raise Conflict(f"{login} is disabled; to bring it back: billfold operator add {login} --role {role}")
        if row.role == "admin" and role != "admin" and not _other_admins(login):
            raise Conflict(f"{login} is the last admin of these books; make another admin first")
        Operator.update(role=role).where(Operator.id == row.id).execute()
        record_event("operator.grant", "operator", login, before={"role": row.role}, after={"role": role})
        _mirror(login, role)
        return _row(Operator.get_by_id(row.id))


def disable_operator(login: str) -> OperatorRow:
    """Refuse `login` from now on; its name stays on everything it did. Never the last admin."""
    with transaction():
        require(Action.MANAGE_OPERATORS)
        row = _get(login)
        if row.disabled_at is not None:
            raise Conflict(f"{login} is already disabled")
        if row.role == "admin" and not _other_admins(login):
            raise Conflict(f"{login} is the last admin of these books; make another admin first")
        Operator.update(disabled_at=utcnow()).where(Operator.id == row.id).execute()
        record_event("operator.disable", "operator", login, before={"role": row.role}, after={"disabled": True})
        _mirror(login, None)
        return _row(Operator.get_by_id(row.id))


def make_first_admin() -> str | None:
    """`billfold init`: on books with no admin, the login running it becomes the first admin."""
    login = current_operator()
    with transaction():
        if Operator.select().where((Operator.role == "admin") & Operator.disabled_at.is_null()).exists():
            return None
        row = Operator.get_or_none(Operator.login == login)
        if row is None:
            Operator.create(login=login, name=login, role="admin")
        else:
            Operator.update(role="admin", disabled_at=None).where(Operator.id == row.id).execute()
        record_event("operator.add", "operator", login, after={"role": "admin", "first_admin": True})
        _mirror(login, "admin")
    return login
