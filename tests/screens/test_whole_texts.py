"""Where a screen at 80x24 cuts a long text (a name, a reason, a server's reply, a line's description),
one key shows it whole: Pilot tests on the long books of the 80x24 snapshots (tests/screens/long_books.py)."""
from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, TabbedContent

from tests.conftest import acting_as
from tests.screens.host import HostApp, settle, text_of
from tests.screens.long_books import (
    APPROVAL,
    ASSIGNMENT,
    BOUNCE,
    DISPUTE,
    HOLD,
    LINE,
    NAME,
    ORDER_HOLD,
    PAYER,
    LongBooks,
    build_long_books,
)
from tui.screens.audit import AuditScreen
from tui.screens.catalogue import CatalogueScreen
from tui.screens.delivery_log import DeliveryLogScreen
from tui.screens.document_view import DocumentScreen
from tui.screens.dunning import DunningScreen
from tui.screens.matching_queue import PaymentsScreen
from tui.screens.my_work import MyWorkScreen
from tui.screens.notes import NotesScreen
from tui.screens.orders import OrdersScreen


@pytest.fixture()
def long_books(books: Path) -> LongBooks:
    return build_long_books()


def flat(text: str) -> str:
    """Wrapped text as one line, so a sentence is found whatever the width broke it at."""
    return " ".join(text.split())


async def shown_whole(screen: Screen, *keys: str, login: str = "alice") -> str:
    """What the full view says after `keys` (the last of them opens it) on `screen` at 80x24."""
    with acting_as(login):
        app = HostApp(screen)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            assert isinstance(app.screen, NotesScreen)
            return flat(text_of(app, "#notes-text"))


async def test_my_work_shows_a_request_and_its_reason_whole(long_books: LongBooks) -> None:
    text = await shown_whole(MyWorkScreen(), "right", "enter", login="bob")
    assert flat(APPROVAL) in text and "refund 100001 £123,456.78" in text


async def test_my_work_shows_an_assignments_note_whole_and_right_still_reaches_the_tabs(long_books: LongBooks) -> None:
    with acting_as("bob"):
        app = HostApp(MyWorkScreen())
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert flat(f"{NAME}: {ASSIGNMENT}") in flat(text_of(app, "#mywork-status"))
            await pilot.press("right")  # the assignments table is wider than the screen: Right still changes tab
            await settle(pilot)
            assert app.screen.query_one("#mywork-tabs", TabbedContent).active == "approve"


async def test_the_audit_shows_an_event_whole(long_books: LongBooks) -> None:
    text = await shown_whole(AuditScreen(), *["up"] * 11, "enter", login="ada")  # the hold: eleven events came after
    assert "customer.hold" in text and flat(HOLD) in text


async def test_the_delivery_log_shows_the_servers_reply_whole(long_books: LongBooks) -> None:
    text = await shown_whole(DeliveryLogScreen(), "down", "down", "enter")  # the failed message, the oldest
    assert flat(BOUNCE) in text and NAME in text


async def test_orders_show_the_note_and_the_line_whole(long_books: LongBooks) -> None:
    text = await shown_whole(OrdersScreen(), "enter", login="bob")
    assert flat(ORDER_HOLD) in text and flat(LINE) in text and "1,234,567.89" in text


async def test_dunning_shows_why_an_account_is_left_out_whole(long_books: LongBooks) -> None:
    text = await shown_whole(DunningScreen(), "tab", "enter", login="bob")
    assert "Why: credit on account (£1,200,000.00) covers the £1,185,185.18 overdue: allocate it" in text


async def test_the_document_wraps_a_long_line_description(long_books: LongBooks) -> None:
    app = HostApp(DocumentScreen(long_books.invoice))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = text_of(app, "#doc-preview").splitlines()
        first = next(n for n, line in enumerate(lines) if line.startswith(" 1 "))
        described = [lines[first][3:37], *(line[3:] for line in lines[first + 1:first + 4])]
        assert flat(" ".join(described)) == flat(LINE)
        assert lines[first].endswith("1 1,234,567.89    S 1,234,567.89")


async def test_the_catalogue_cuts_a_description_but_edits_it_whole(long_books: LongBooks) -> None:
    with acting_as("bob"):
        app = HostApp(CatalogueScreen())
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen.query_one("#i-description", Input).value == LINE[:80].strip()


async def test_the_documents_history_scrolls_to_the_dispute_reason(long_books: LongBooks) -> None:
    app = HostApp(DocumentScreen(long_books.invoice))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        scroll = app.screen.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0 and scroll.scroll_y == 0  # the wrapped lines pushed the history down
        await pilot.press("end")
        await settle(pilot)
        assert scroll.scroll_y == scroll.max_scroll_y
        assert flat(DISPUTE) in flat(text_of(app, "#doc-history"))


async def test_the_payments_queue_shows_the_match_reasons_whole(long_books: LongBooks) -> None:
    text = await shown_whole(PaymentsScreen(), "w")
    assert PAYER in text and f"REMITTANCE {long_books.invoice} AND PO-2026-0001147 THANK YOU" in text
    assert f"#1 {long_books.account} {NAME}: {long_books.invoice} 1,234,567.89 (high)" in text
    assert "invoice INV-000001 is in the reference;" in text
