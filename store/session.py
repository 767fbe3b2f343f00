"""Who is working: the operator is the OS login, known to the books as an Operator row."""
from __future__ import annotations

import getpass
import os

from store.errors import Conflict
from store.kinds import OperatorRole
from store.models import Operator

ROLES = tuple(OperatorRole)  # in rank order
_RANK = {role: i for i, role in enumerate(ROLES)}
_current: str | None = None


def current_operator() -> str:
    """The login every service records; BILLFOLD_OPERATOR overrides it (tests, shared service accounts)."""
    if _current:
        return _current
    return os.environ.get("BILLFOLD_OPERATOR") or getpass.getuser()


def set_operator(login: str | None) -> None:
    global _current
    _current = login


def operator_role(login: str | None = None) -> str:
    login = login or current_operator()
    row = Operator.get_or_none(Operator.login == login)
    return row.role if row else OperatorRole.CLERK


def require_role(role: str, action: str) -> str:
    """The current login, if its role is at least `role`; otherwise a refusal naming the action."""
    login = current_operator()
    have = operator_role(login)
    if _RANK[OperatorRole(have)] < _RANK[OperatorRole(role)]:
        raise Conflict(f"{action} needs a {role}; {login} is a {have}")
    return login


def ensure_operator(login: str, name: str | None = None, role: str = OperatorRole.CLERK) -> Operator:
    if role not in ROLES:
        raise ValueError(role)
    # peewee's stubs leave get_or_create untyped; it returns (the row, whether it was created).
    found: tuple[Operator, bool] = Operator.get_or_create(  # type: ignore[no-untyped-call]
        login=login, defaults={"name": name or login, "role": role})
    row, created = found
    if not created and row.role != role:
        Operator.update(role=role).where(Operator.id == row.id).execute()
        row.role = role
    return row
