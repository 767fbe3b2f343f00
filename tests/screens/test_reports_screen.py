"""Pilot test of the report preview: pick by number, step the period, export."""
from __future__ import annotations

from textual.widgets import Static

from store.customers import CustomerData, create_customer
from tests.conftest import line, post
from tests.screens.host import HostApp
from tui.screens.reports import ReportsScreen
from tui.widgets.report_table import ReportTable


async def settle(pilot) -> None:
    for _ in range(2):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def title(app) -> str:
    return str(app.screen.query_one("#report-title", Static).render())


async def test_pick_step_and_export(books, tmp_path) -> None:
    account = create_customer(CustomerData(name="Kestrel Trading", email="k@example.com")).account_no
    post(account, line(price=10000))
    app = HostApp(ReportsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Accounts receivable aging by customer" in title(app)
        table = app.screen.query_one(ReportTable)
        assert [str(c) for c in table.get_row_at(0)][:2] == [account, "Kestrel Trading"]
        await pilot.press("3")
        await settle(pilot)
        assert "Billing and collections" in title(app) and "November 2026" in title(app)
        await pilot.press("left")
        await settle(pilot)
        assert "October 2026" in title(app)
        await pilot.press("q")
        await settle(pilot)
        assert "Q4 2026" in title(app)
        await pilot.press("9")
        await settle(pilot)
        assert "Balance the books" in title(app)
        out = tmp_path / "control.csv"
        await pilot.press("c", "ctrl+u", *str(out), "enter")
        await settle(pilot)
    assert "Receivables: account 1100 vs open documents" in out.read_text()
