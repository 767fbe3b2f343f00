"""A hypothesis state machine drives random sequences of every service and checks the books after each step.

Requests that should be refused (over-allocation, voiding a paid invoice, refunding more than the
credit) are generated too: they must be refused and must leave every table exactly as it was.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from store import customers, invoices, payments
from store.db import close_database, open_database
from store.errors import BooksError
from store.invoices import DraftInput, LineInput
from store.queries import customer_view
from store.session import ensure_operator, set_operator
from store.verify import verify_books
from tests.conftest import snapshot

_TEMPLATE: str | None = None


def template() -> str:
    global _TEMPLATE
    if _TEMPLATE is None:
        _TEMPLATE = os.path.join(tempfile.mkdtemp(prefix="billfold-sm-"), "template.db")
        open_database(_TEMPLATE)
        close_database()
    return _TEMPLATE


amounts = st.integers(min_value=1, max_value=200_000)
lines = st.lists(st.tuples(st.sampled_from(["1", "2", "0.5", "3.25"]), st.integers(0, 50_000),
                           st.sampled_from(["S", "R", "Z"]), st.sampled_from(["0", "10", "33.33"])),
                 min_size=1, max_size=3)


class Books(RuleBasedStateMachine):
    @initialize()
    def open_books(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="billfold-sm-")
        path = os.path.join(self.dir, "books.db")
        shutil.copy(template(), path)
        open_database(path)
        ensure_operator("sam", role="supervisor")
        set_operator("sam")
        self.accounts: list[str] = []
        self.invoices: list[str] = []
        self.payments: list[str] = []
        self.refused = 0

    def teardown(self) -> None:
        set_operator("alice")
        close_database()
        shutil.rmtree(getattr(self, "dir", ""), ignore_errors=True)

    def attempt(self, action, *args, **kwargs):
        """Run a service; a refusal must leave every row as it was."""
        before = snapshot()
        try:
            return action(*args, **kwargs)
        except BooksError:
            self.refused += 1
            assert snapshot() == before, f"{action.__name__} was refused but changed the books"
            return None

    @rule(name=st.text(alphabet="abcdefgh xyzÄÖÜé", min_size=1, max_size=12))
    def add_customer(self, name: str) -> None:
        if not name.strip():
            return
        row = customers.create_customer(customers.CustomerData(name=name, email="x@example.com"))
        self.accounts.append(row.account_no)

    @precondition(lambda self: self.accounts)
    @rule(data=st.data(), spec=lines, rounding=st.sampled_from(["line", "invoice"]))
    def post_invoice(self, data, spec, rounding: str) -> None:
        from store.settings import set_setting

        set_setting("tax_rounding", rounding)
        account = data.draw(st.sampled_from(self.accounts))
        draft = DraftInput(account, dt.date(2026, 11, 1), tuple(
            LineInput("thing", Decimal(q), price, tax, Decimal(disc)) for q, price, tax, disc in spec))
        result = self.attempt(invoices.create_and_post, draft)
        if result:
            self.invoices.append(result.number)

    @rule(data=st.data(), amount=amounts, known=st.booleans())
    def record_payment(self, data, amount: int, known: bool) -> None:
        account = data.draw(st.sampled_from(self.accounts)) if known and self.accounts else None
        result = payments.record_payment(payments.PaymentInput(amount, "GBP", "bank_transfer", dt.date(2026, 11, 2),
                                                               account))
        self.payments.append(result.number)

    @precondition(lambda self: self.payments and self.invoices)
    @rule(data=st.data(), amount=amounts)
    def allocate(self, data, amount: int) -> None:
        payment = data.draw(st.sampled_from(self.payments))
        targets = data.draw(st.lists(st.sampled_from(self.invoices), min_size=1, max_size=2, unique=True))
        self.attempt(payments.allocate_payment, payment, [(t, amount // len(targets) or 1) for t in targets])

    @precondition(lambda self: self.payments and self.invoices)
    @rule(data=st.data())
    def unallocate(self, data) -> None:
        self.attempt(payments.unallocate_payment, data.draw(st.sampled_from(self.payments)),
                     data.draw(st.sampled_from(self.invoices)))

    @precondition(lambda self: self.invoices)
    @rule(data=st.data(), amount=st.one_of(st.none(), amounts), positions=st.one_of(st.none(), st.lists(
        st.integers(1, 3), min_size=1, max_size=2, unique=True)))
    def credit(self, data, amount, positions) -> None:
        self.attempt(invoices.credit_invoice, data.draw(st.sampled_from(self.invoices)), "property",
                     positions=None if amount else positions, amount_minor=amount)

    @precondition(lambda self: self.invoices)
    @rule(data=st.data())
    def void(self, data) -> None:
        self.attempt(invoices.void_invoice, data.draw(st.sampled_from(self.invoices)), "property")

    @precondition(lambda self: self.invoices)
    @rule(data=st.data(), amount=st.one_of(st.none(), amounts))
    def write_off(self, data, amount) -> None:
        self.attempt(payments.write_off, data.draw(st.sampled_from(self.invoices)), "property", amount)

    @precondition(lambda self: self.accounts)
    @rule(data=st.data(), amount=amounts)
    def refund(self, data, amount: int) -> None:
        self.attempt(payments.request_refund, data.draw(st.sampled_from(self.accounts)), amount, "bank_transfer")

    @precondition(lambda self: self.payments)
    @rule(data=st.data())
    def return_payment(self, data) -> None:
        self.attempt(payments.return_payment, data.draw(st.sampled_from(self.payments)), "not ours")

    @invariant()
    def books_are_sound(self) -> None:
        if hasattr(self, "accounts"):
            assert verify_books() == []

    @invariant()
    def balance_is_what_is_open_less_what_is_unapplied(self) -> None:
        from store.queries import customer_payments, open_documents

        for account in getattr(self, "accounts", [])[:3]:
            view = customer_view(account)
            unapplied = sum(p.unallocated_minor for p in customer_payments(account) if p.status == "open")
            assert view.balance_minor == sum(d.open_minor for d in open_documents(view.id)) - unapplied
            assert view.balance_minor == sum(view.aging.values()) - unapplied


Books.TestCase.settings = settings(max_examples=int(os.environ.get("BILLFOLD_SM_EXAMPLES", "20")),
                                   stateful_step_count=20, deadline=None,
                                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
TestBooks = Books.TestCase
