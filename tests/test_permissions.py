"""The permission table, walked whole: every action as clerk, supervisor and admin, on SQLite and PostgreSQL.

Allowed: the action succeeds and rows are written. Refused: PermissionDenied naming who may, and
not one row changes. On PostgreSQL each case connects as a real database login.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from store import clock
from store.errors import NeedsApproval
from store.permissions import ALLOWED, ROLES, Action, PermissionDenied, permission_table
from store.session import ensure_operator, set_operator
from tests.conftest import line, post, snapshot
from tests.permission_books import Books, books_factory, months_ago

TODAY = clock.today()  # the tests' pinned day (tests/conftest.py)


@dataclass
class World:
    account: str
    open_invoice: str
    spare_invoice: str
    payment: str
    refund: str
    new_login: str
    clerk: str
    order: str = ""


def prepare(books: Books) -> World:
    """A customer with an overdue invoice, a spare one, unallocated cash, a refund waiting and a closed month."""
    from store.customers import CustomerData, create_customer
    from store.payments import PaymentInput, record_payment, request_refund
    from store.periods import close_period

    set_operator(books.logins["admin"])
    account = create_customer(CustomerData(name="Table Walk Ltd", email="ap@walk.example")).account_no
    issued = TODAY - dt.timedelta(days=90)
    first = post(account, line(price=100000, tax="Z"), issue=issued).number
    spare = post(account, line(price=2000, tax="Z"), issue=issued).number
    payment = record_payment(PaymentInput(70000, "GBP", "bank_transfer", TODAY - dt.timedelta(days=5),
                                          account)).number
    ensure_operator("requester", "Someone else", "clerk")  # the refund is nobody's own to approve
    set_operator("requester")
    refund = request_refund(account, 60000, "bank_transfer").number  # over the 500.00 limit: waits
    set_operator(books.logins["admin"])
    close_period(months_ago(5))
    from store.order_files import RawLine, RawOrder
    from store.orders import import_orders

    order = RawOrder(2, "PERM-1", account, "", TODAY.isoformat(), [RawLine(2, "", "Walk", "1", "10.00", "")])
    import_orders([order], "walk.csv")
    map_whole_chart()
    return World(account, first, spare, payment, refund, f"{books.logins['clerk']}_new", books.logins["clerk"],
                 "PERM-1")


def _settings(key: str, value: str) -> Callable[[World], object]:
    def change(w: World) -> object:
        from store.settings import set_setting

        return set_setting(key, value)
    return change


def map_whole_chart() -> None:
    from store.gl_mapping import account_mapping, set_mapping

    for row in account_mapping():
        set_mapping(row.account, f"GL {row.account}")


def _export_ledger(w: World) -> object:
    from store.gl_export import export_journal

    return export_journal(f"{TODAY - dt.timedelta(days=90):%Y-%m}", "csv", lambda batch: ("(not written)", "-"))


def _do(action: Action) -> Callable[[World], object]:
    from store import (
        catalogue,
        collections,
        customers,
        deliveries,
        disputes,
        invoices,
        operators,
        orders,
        payments,
        periods,
        worklists,
    )
    from store.session import current_operator

    return {
        Action.POST: lambda w: post(w.account, line(price=500), issue=TODAY),
        Action.ALLOCATE: lambda w: payments.allocate_payment(w.payment, [(w.open_invoice, 1000)]),
        Action.VOID: lambda w: invoices.void_invoice(w.spare_invoice, "keyed twice"),
        Action.CREDIT: lambda w: invoices.credit_invoice(w.open_invoice, "goodwill", amount_minor=500),
        Action.WRITE_OFF: lambda w: payments.write_off(w.open_invoice, "rounding", 100),
        Action.REFUND: lambda w: payments.request_refund(w.account, 100, "bank_transfer"),
        Action.DISPUTE: lambda w: disputes.open_dispute(w.open_invoice, 500, "damaged"),
        Action.EDIT_ACCOUNTS: lambda w: customers.create_customer(customers.CustomerData(name="New One Ltd")),
        Action.DUNNING: lambda w: collections.record_promise(w.account, TODAY + dt.timedelta(days=14), 1000),
        Action.DELIVER: lambda w: deliveries.record_delivery(w.open_invoice, w.account, "invoice", "email",
                                                             "ap@walk.example", b"%PDF-1.4", "sent"),
        Action.EXPORT_LEDGER: _export_ledger,
        Action.APPROVE: lambda w: payments.approve_refund(w.refund),
        Action.CHANGE_SETTINGS: _settings("company_name", "Renamed Ltd"),
        Action.CHANGE_ADMIN_SETTINGS: _settings("refund_approval_minor", "90000"),
        Action.CATALOGUE: lambda w: catalogue.save_item("WIDGET", "Widget", 500, "GBP", "S"),
        Action.CLOSE_PERIOD: lambda w: periods.close_period(months_ago(1)),
        Action.REOPEN_PERIOD: lambda w: periods.reopen_period(months_ago(5), "a late invoice"),
        Action.SEND_TO_COLLECTIONS: lambda w: collections.send_to_collections(w.account, "Recover & Co"),
        Action.ASSIGN_WORK: lambda w: worklists.assign_account(w.account, "collections", w.clerk),
        Action.MANAGE_OPERATORS: lambda w: operators.add_operator(w.new_login, "clerk"),
        Action.ASSIGN_WORK: lambda w: worklists.assign_account(w.account, "collections", current_operator()),
        Action.REVIEW_ORDERS: lambda w: orders.approve_orders([w.order]),
        Action.POST_RECURRING: lambda w: _post_recurring(w.account),
    }[action]


def _post_recurring(account: str) -> object:
    """A contract, its December draft and the run posted, all or nothing (a refusal leaves no contract)."""
    from store.contracts import ContractInput, add_contract
    from store.recurring import draft_run, post_run
    from store.service import transaction

    with transaction():
        add_contract(ContractInput(account, "", Decimal(1), "monthly", "advance", dt.date(2026, 12, 1), "25.00",
                                   description="Hosting", tax_code="Z"))
        draft_run("2026-12")
        return post_run("2026-12")


@pytest.fixture(params=["sqlite", "postgresql"])
def new_books(request: pytest.FixtureRequest, template_db: Path, tmp_path: Path) -> Iterator[Callable[[], Books]]:
    yield from books_factory(request.param, template_db, tmp_path)


def test_every_action_is_in_the_table() -> None:
    assert set(ALLOWED) == set(Action)
    assert [a for a, _ in permission_table()] == [a.value for a in Action]


@pytest.mark.parametrize("role", ROLES)
def test_the_permission_table(new_books: Callable[[], Books], role: str) -> None:
    """Each action in fresh books: done when the table says yes, refused with nothing written when no."""
    for action in Action:
        books = new_books()
        world = prepare(books)
        books.act_as(role)
        before = snapshot()
        if role in ALLOWED[action]:
            _do(action)(world)
            assert snapshot() != before, f"{role} may {action.value}, but nothing was written"
        else:
            refusal = f"{action.value} needs an? .*; {books.logins[role]} is an? {role}"
            # A clerk sending an account to collections is told to ask for approval: refused all the same.
            with pytest.raises((PermissionDenied, NeedsApproval), match=refusal):
                _do(action)(world)
            assert snapshot() == before, f"{role} was refused {action.value} but the books changed"
        books.as_owner()


def test_approval_by_the_requester_is_refused(new_books: Callable[[], Books]) -> None:
    from store.errors import Conflict
    from store.payments import approve_refund, request_refund

    books = new_books()
    world = prepare(books)
    _settings("refund_approval_minor", "5000")(world)  # the owner is the admin; £100 is all the credit left
    books.act_as("supervisor")                         # that the waiting refund does not hold
    mine = request_refund(world.account, 10000, "cheque").number
    with pytest.raises(Conflict, match=r"was asked for by .*; someone else must approve it"):
        approve_refund(mine)
    books.as_owner()
