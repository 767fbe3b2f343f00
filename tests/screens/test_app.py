"""The shell: every job by F-key and by its plain alternative, help, the palette, and errors."""
from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from tests.conftest import post
from tui.app import BillfoldApp
from tui.context import AppContext
from tui.screens.account_lookup import AccountLookupScreen
from tui.screens.help import HelpScreen
from tui.screens.invoice_entry import InvoiceEntryScreen
from tui.screens.matching_queue import PaymentsScreen
from tui.screens.reports import ReportsScreen


def make_app() -> BillfoldApp:
    return BillfoldApp(AppContext("alice", "books.db"))


@pytest.mark.parametrize("keys,screen", [
    (("f3",), InvoiceEntryScreen), (("ctrl+n",), InvoiceEntryScreen), (("f5",), PaymentsScreen),
    (("ctrl+b",), PaymentsScreen), (("f6",), ReportsScreen), (("ctrl+r",), ReportsScreen),
    (("f3", "f2"), AccountLookupScreen), (("f3", "ctrl+f"), AccountLookupScreen),
])
async def test_every_job_by_function_key_and_plain_key(books, keys, screen) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        assert isinstance(app.screen, screen)
        header = str(app.screen.query_one("#header-line", Static).render())
        assert "alice" in header and "books.db" in header and "Sun 22 Nov 2026" in header


async def test_each_job_key_opens_its_job_afresh(books) -> None:
    """F2 is an empty search, F3 a new invoice: typed-ahead keys land in a known field (issue 16)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"harb", "f3", *"100001", "f2")
        await pilot.pause()
        assert app.screen.query_one("#query", Input).value == ""
        assert app.focused is app.screen.query_one("#query", Input)
        await pilot.press("f3")  # a customer and no line: no draft can hold it, so F3 asks first
        await pilot.pause()
        assert "cannot be kept as a draft" in str(app.screen.query_one("#confirm-question", Static).render())
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#f-customer", Input).value == "100001"
        await pilot.press("f3", "y")
        await pilot.pause()
        assert app.screen.query_one("#f-customer", Input).value == ""


async def test_f1_shows_the_keys_of_the_screen(books) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        rows = {str(table.get_row_at(r)[1]): str(table.get_row_at(r)[0]) for r in range(table.row_count)}
        assert rows["Post"] == "F10" and rows["Dup"] == "F8" and rows["Lookup"] == "F2 / Ctrl+F"
        assert rows["Del line"] == "F9" and "Esc" in rows.values()
        await pilot.press("escape")
        assert isinstance(app.screen, InvoiceEntryScreen)


async def test_question_mark_is_help_only_outside_text_fields(customer: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("?")
        assert app.screen.query_one("#query", Input).value == "?"
        post(customer)
        await pilot.press("backspace", *customer)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("?")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_escape_asks_before_typed_work_is_lost(customer: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        app.push_screen(InvoiceEntryScreen())
        await pilot.pause()
        await pilot.press(*customer, "enter")
        await pilot.press("escape")
        await pilot.pause()
        assert "Discard the invoice" in str(app.screen.query_one(Static).render())
        await pilot.press("n", "enter")
        await pilot.pause()
        assert isinstance(app.screen, InvoiceEntryScreen) and app.screen.query_one("#f-customer", Input).value
        await pilot.press("escape", "y", "enter")
        await pilot.pause()
        assert isinstance(app.screen, InvoiceEntryScreen) and not app.screen.query_one("#f-customer", Input).value


async def test_an_unexpected_error_is_one_line_and_logged(books: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        def boom(*_a, **_k):
            raise RuntimeError("disk on fire")

        app.context.services.find_accounts = boom  # type: ignore[method-assign]
        await pilot.press(*"x")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any(m.startswith("Unexpected error: RuntimeError: disk on fire. Details in ") for m in shown)
        assert isinstance(app.screen, AccountLookupScreen)  # still running
    log = (books.parent / "billfold.log").read_text()
    assert "Traceback" in log and "disk on fire" in log
    from tui.services import Services

    assert Services.find_accounts is not boom


async def test_the_palette_offers_the_screen_actions(books) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Post (F10)" in titles and "Draft (F7)" in titles and "Lookup (F2 / Ctrl+F)" in titles
