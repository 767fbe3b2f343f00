"""The shell around the real screens: every job from every job by its F-key and its plain key,
F1 built from the live bindings, the palette, and the one-row header."""
from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable, Static

from tui.app import BillfoldApp
from tui.context import AppContext
from tui.keys import GLOBAL_KEYS, key_label
from tui.screens.account_lookup import AccountLookupScreen
from tui.screens.help import HelpScreen
from tui.screens.invoice_entry import InvoiceEntryScreen
from tui.screens.matching_queue import PaymentsScreen
from tui.screens.reports import ReportsScreen

SCREENS = {"lookup": AccountLookupScreen, "invoice": InvoiceEntryScreen, "payments": PaymentsScreen,
           "reports": ReportsScreen}
JOB_KEYS = {k.action[4:-2]: k.keys.split(",") for k in GLOBAL_KEYS if k.action.startswith("go(")}
# Every ordered pair of jobs once: lookup -> invoice -> payments -> reports -> lookup -> payments ...
TOUR = ["invoice", "payments", "reports", "lookup", "payments", "invoice", "reports", "payments", "lookup",
        "reports", "invoice", "lookup"]


def make_app() -> BillfoldApp:
    return BillfoldApp(AppContext("alice", "books.db"))


@pytest.mark.parametrize("which", [0, 1], ids=["function-key", "plain-key"])
async def test_every_job_from_every_job(books: Path, which: int) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        visited = {("lookup", "lookup")}
        here = "lookup"
        for job in TOUR:
            await pilot.press(JOB_KEYS[job][which])
            await pilot.pause()
            assert isinstance(app.screen, SCREENS[job]), f"{JOB_KEYS[job][which]} from {here}"
            visited.add((here, job))
            here = job
        assert len(visited) == 13  # the 12 ordered pairs, and the start


@pytest.mark.parametrize("job", list(SCREENS))
async def test_f1_lists_every_key_of_the_screen_from_its_bindings(books: Path, job: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(JOB_KEYS[job][0])
        await pilot.pause()
        screen = app.screen
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        rows = {str(table.get_row_at(r)[1]): str(table.get_row_at(r)[0]) for r in range(table.row_count)}
        for key in GLOBAL_KEYS:
            if key.show:
                assert key_label(key.keys) in rows[key.description], (key, rows)
        shown = {b.binding.description for b in screen.active_bindings.values() if b.binding.description}
        assert shown - {"Focus Next", "Focus Previous"} <= set(rows)  # the screen's own keys too
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_the_palette_finds_a_job_by_name(books: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"payments")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, PaymentsScreen)


@pytest.mark.parametrize("job", list(SCREENS))
async def test_the_header_is_one_row_with_who_which_books_and_the_day(books: Path, job: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(JOB_KEYS[job][0])
        await pilot.pause()
        header = app.screen.query_one("#header-line", Static)
        text = str(header.render())
        assert header.region.height == 1 and header.region.y == 0
        assert "alice" in text and "books.db" in text and "Sun 22 Nov 2026" in text
