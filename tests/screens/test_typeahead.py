"""Type-ahead at full speed through the whole application (issue 16): keys handed over in one burst,
as a fast typist, a paste or one SSH packet delivers them, with no pause for any screen to open.

Each test asserts what must not have happened (no row written, no prompt opened, no question
answered by a key typed before it appeared) and that no character was lost (field values).
"""
from __future__ import annotations

import datetime as dt

import pytest
from textual import events
from textual.app import App
from textual.screen import ModalScreen
from textual.widgets import Input

from store.customers import CustomerData, create_customer
from store.models import AuditEvent, Invoice, Payment
from store.queries import customer_view, invoice_view
from tests.conftest import line, post
from tests.screens.host import settle
from tui.app import BillfoldApp
from tui.context import AppContext
from tui.screens.account_lookup import AccountLookupScreen
from tui.screens.account_view import AccountViewScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.invoice_entry import InvoiceEntryScreen
from tui.screens.matching_queue import PaymentsScreen
from tui.screens.prompt import TextPrompt


def make_app() -> BillfoldApp:
    return BillfoldApp(AppContext("alice", "books.db"))


def burst(app: App[object], keys: list[str]) -> None:
    """Every key posted at once: nothing waits for a screen to open or a query to finish."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


def books_written() -> tuple[int, int, int]:
    return Invoice.select().count(), Payment.select().count(), AuditEvent.select().count()


def bells(app: App[object]) -> list[int]:
    rung: list[int] = []
    app.bell = lambda: rung.append(1)  # type: ignore[method-assign]
    return rung


@pytest.fixture()
def heron(books) -> str:
    account = create_customer(CustomerData(name="Heron Supplies Ltd", email="h@heron.example")).account_no
    post(account, line(price=5000))
    return account


async def open_account(pilot, account: str) -> None:
    await pilot.press(*account)
    await settle(pilot, 4)
    await pilot.press("enter")
    await settle(pilot, 4)
    assert isinstance(pilot.app.screen, AccountViewScreen)


async def test_heron_after_f2_on_an_account_lands_in_the_search(heron: str) -> None:
    """The reported bug: "heron" typed after F2 reached the account view, where h opened the hold prompt."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_account(pilot, heron)
        before = books_written()
        burst(app, ["f2", *"heron"])
        await settle(pilot, 4)
        assert isinstance(app.screen, AccountLookupScreen)
        assert app.screen.query_one("#query", Input).value == "heron"
        assert not any(isinstance(s, ModalScreen) for s in app.screen_stack)
    assert books_written() == before and customer_view(heron).status == "active"


async def test_letters_on_the_account_view_change_nothing(heron: str) -> None:
    """Every letter typed on an account (a search typed into the wrong place) moves no money and changes no state."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_account(pilot, heron)
        before = books_written()
        burst(app, [*"hdtkuflmvcwxyzgjbqos", *"0123456789"])
        await settle(pilot, 4)
        assert not any(isinstance(s, (TextPrompt, ConfirmScreen)) for s in app.screen_stack)
    assert books_written() == before and customer_view(heron).status == "active"


async def test_every_job_key_at_full_speed(heron: str) -> None:
    """Through every job key, each followed at once by what was meant for its first field."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_account(pilot, heron)
        before = books_written()
        burst(app, ["f3", *heron, "f6", "ctrl+r", "f5", "down", "ctrl+b", "f2", *"her", "ctrl+f", *"on"])
        await settle(pilot, 4)
        assert isinstance(app.screen, AccountLookupScreen)
        assert app.screen.query_one("#query", Input).value == "on"
        entry = app._screen_stacks["invoice"][0]  # the invoice job, the account typed above in its field
        assert isinstance(entry, InvoiceEntryScreen) and entry.query_one("#f-customer", Input).value == heron
        assert not any(isinstance(s, (TextPrompt, ConfirmScreen)) for s in app.screen_stack)
    assert books_written() == before


async def test_keys_typed_while_the_application_starts_are_kept(books) -> None:
    class Early(BillfoldApp):
        def on_load(self) -> None:
            burst(self, list("acme"))  # before any screen exists

    app = Early(AppContext("alice", "books.db"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 4)
        assert app.screen.query_one("#query", Input).value == "acme"


async def test_a_month_end_typed_while_the_application_starts_reaches_the_statement_date(books) -> None:
    """Job keys, list moves, Enter and a date, all before the first screen is up (over ssh, the terminal is
    still in line mode then and turns each Enter into a newline, which was lost): the job opens and the
    date lands in the statement run's date field."""
    from tui.screens.period_end import JOBS
    from tui.screens.statement_run import StatementRunScreen

    downs = ["down"] * [job.key for job in JOBS].index("statements")

    class Early(BillfoldApp):
        def on_load(self) -> None:
            # Enter as the terminal hands it over before the application has it in raw mode: a newline.
            burst(self, ["f6", "f7", *downs, "ctrl+j", *"2026-10-31", "ctrl+j"])

    app = Early(AppContext("alice", "books.db"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 6)
        assert isinstance(app.screen, StatementRunScreen)
        assert app.screen.query_one("#statement-as-of", Input).value == "2026-10-31"


async def test_a_question_never_takes_a_key_typed_before_it_appeared(heron: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", *heron)
        await settle(pilot, 4)
        rung = bells(app)
        burst(app, ["f3", "y"])  # F3 asks before a half-typed invoice no draft can hold goes; y came first
        await settle(pilot, 4)
        assert isinstance(app.screen, ConfirmScreen) and rung == [1]
        await pilot.press("n")
        await settle(pilot, 4)
        assert isinstance(app.screen, InvoiceEntryScreen)
        assert app.screen.query_one("#f-customer", Input).value == heron
        burst(app, ["ctrl+q", "y"])  # quit asks too: the y typed ahead does not quit
        await settle(pilot, 4)
        assert isinstance(app.screen, ConfirmScreen) and app.return_code is None


async def test_a_prompt_drops_the_keys_typed_before_it(heron: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_account(pilot, heron)
        burst(app, ["f7", *"oops", "enter"])  # the hold prompt; "oops" and Enter were typed before it showed
        await settle(pilot, 4)
        assert isinstance(app.screen, TextPrompt)
        assert app.screen.query_one(Input).value == ""
        await pilot.press(*"cheque bounced", "enter")
        await settle(pilot, 4)
    view = customer_view(heron)
    assert view.status == "on_hold" and view.hold_reason == "cheque bounced"


async def on_a_quantity(pilot, account: str) -> Input:
    """Invoice entry, a free-text line, the cursor in its quantity."""
    await pilot.press("f3", *account, "enter", "enter", "enter", *"Thing", "enter")
    await settle(pilot, 4)
    quantity = pilot.app.focused
    assert isinstance(quantity, Input) and quantity.name == "quantity"
    return quantity


async def test_a_refused_field_holds_the_keys_until_it_is_fixed(heron: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        quantity = await on_a_quantity(pilot, heron)
        rung = bells(app)
        burst(app, [*"1x", "enter", *"abc", "enter"])
        await settle(pilot, 4)
        assert app.focused is quantity and quantity.value == "1x" and rung == [1]  # abc discarded, one bell
        assert "quantity" in str(app.screen.query_one("#field-error").render()).lower()
        burst(app, ["ctrl+u", "2", "enter", *"9"])  # fixed: the cursor moves on, typing goes on
        await settle(pilot, 4)
        assert quantity.value == "2" and app.focused is not quantity
        assert app.focused.name == "unit_price" and app.focused.value == "9"  # type: ignore[union-attr]


async def test_esc_lifts_the_hold_and_keeps_the_field(heron: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        quantity = await on_a_quantity(pilot, heron)
        burst(app, [*"xx", "enter", "q", "escape", "1"])
        await settle(pilot, 4)
        assert app.focused is quantity and quantity.value == "xx1"


async def test_enter_typed_ahead_applies_to_the_payment_it_was_typed_for(heron: str) -> None:
    from store.payments import PaymentInput, record_payment

    inv2 = post(heron, line(price=2500)).number  # 30.00
    p1 = record_payment(PaymentInput(3000, "GBP", "bank_transfer", dt.date(2026, 11, 2), reference=inv2)).number
    record_payment(PaymentInput(4444, "GBP", "bank_transfer", dt.date(2026, 11, 3), payer="Nobody"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, ["f5", "enter", "enter"])  # the queue opens at p1 (sure); the second Enter meets the unsure one
        await settle(pilot, 4)
        assert isinstance(app.screen, PaymentsScreen)
    assert invoice_view(inv2).open_minor == 0 and invoice_view("INV-000001").open_minor == 6000
    assert Payment.get(Payment.number == p1).unallocated_minor == 0
    assert Payment.select().where(Payment.unallocated_minor == 0).count() == 1


async def test_f12_on_the_account_view_asks_for_collections_elsewhere_opens_operators(heron) -> None:
    """F12 is the account view's 'to collections'; the application's F12 (operators) yields to it there."""
    from tui.screens.operators import OperatorsScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 4)
        await open_account(pilot, heron)
        await pilot.press("f12")
        await settle(pilot, 4)
        assert isinstance(app.screen, TextPrompt)
        assert "to collections" in str(app.screen.query("Static").first().render())
        await pilot.press("escape")
        await settle(pilot, 4)
        await pilot.press("f2")
        await settle(pilot, 4)
        await pilot.press("f12")
        await settle(pilot, 4)
        assert isinstance(app.screen, OperatorsScreen)
