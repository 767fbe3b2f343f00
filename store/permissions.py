"""Who may do what: the one table of actions and the roles allowed each, checked by every service.

Roles are ranked (clerk < supervisor < admin) but the table names the roles of each action
explicitly, so the README's permission table and the tests read straight from it. On
PostgreSQL the database enforces the same split with group roles (see migration 0009).
"""
from __future__ import annotations

import enum

from store.errors import BooksError

ROLES: tuple[str, ...] = ("clerk", "supervisor", "admin")
EVERYONE = frozenset(ROLES)
SUPERVISORS = frozenset(("supervisor", "admin"))
ADMINS = frozenset(("admin",))


class PermissionDenied(BooksError):
    """The operator's role does not allow the action (or the login is not an operator at all)."""


class Action(enum.Enum):
    """Everything the books let an operator do; the value is how the README and refusals name it."""

    POST = "post invoices and payments"
    ALLOCATE = "allocate and unallocate payments"
    VOID = "void an invoice"
    CREDIT = "issue a credit note"
    WRITE_OFF = "write off a balance"
    REFUND = "refund customer credit"
    DISPUTE = "open or reject a dispute"
    EDIT_ACCOUNTS = "add and edit customer accounts"
    DUNNING = "record dunning notices and promises"
    DELIVER = "deliver documents"
    EXPORT_LEDGER = "export the ledger for the accountant"
    APPROVE = "approve a request"
    CHANGE_SETTINGS = "change settings"
    CHANGE_ADMIN_SETTINGS = "change limits and delivery destinations"
    CATALOGUE = "change items and tax codes"
    CLOSE_PERIOD = "close a period"
    REOPEN_PERIOD = "reopen a closed period"
    SEND_TO_COLLECTIONS = "send an account to collections"
    ASSIGN_WORK = "assign and reassign work"
    MANAGE_OPERATORS = "manage operators"
    REVIEW_ORDERS = "approve, hold or reject orders"
    POST_RECURRING = "post a recurring billing run"


# Limits (refund_approval_minor, ...) and where documents go are admin-only settings: see store/settings.
ALLOWED: dict[Action, frozenset[str]] = {
    Action.POST: EVERYONE,
    Action.ALLOCATE: EVERYONE,
    Action.VOID: EVERYONE,
    Action.CREDIT: EVERYONE,
    Action.WRITE_OFF: EVERYONE,
    Action.REFUND: EVERYONE,
    Action.DISPUTE: EVERYONE,
    Action.EDIT_ACCOUNTS: EVERYONE,
    Action.DUNNING: EVERYONE,
    Action.DELIVER: EVERYONE,
    Action.EXPORT_LEDGER: EVERYONE,
    Action.APPROVE: SUPERVISORS,
    Action.CHANGE_SETTINGS: SUPERVISORS,
    Action.CHANGE_ADMIN_SETTINGS: ADMINS,
    Action.CATALOGUE: SUPERVISORS,
    Action.CLOSE_PERIOD: SUPERVISORS,
    Action.REOPEN_PERIOD: ADMINS,
    Action.SEND_TO_COLLECTIONS: SUPERVISORS,
    Action.ASSIGN_WORK: SUPERVISORS,
    Action.MANAGE_OPERATORS: ADMINS,
    Action.REVIEW_ORDERS: SUPERVISORS,
    # A run posts hundreds of invoices at once: a clerk drafts it, a supervisor reviews and posts it.
    Action.POST_RECURRING: SUPERVISORS,
}


def allows(role: str, action: Action) -> bool:
    return role in ALLOWED[action]


def roles_for(action: Action) -> tuple[str, ...]:
    return tuple(r for r in ROLES if r in ALLOWED[action])


def permission_table() -> list[tuple[str, dict[str, bool]]]:
    """Each action with yes/no per role, in declaration order (the README's table)."""
    return [(a.value, {r: allows(r, a) for r in ROLES}) for a in Action]
