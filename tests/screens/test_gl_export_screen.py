"""Pilot test of the ledger export screen at 80x24: reached from period end, month/format/currency by keys,
the mapping and its check, F7 to map an account, F10 to export (and the question before a whole month again)."""
from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from store.gl_export import period_exports
from store.models import GlExport
from store.session import set_operator
from tests.gl_books import NOVEMBER, map_chart, month_of_books
from tests.screens.host import HostApp, settle
from tests.screens.host import text_of as text
from tui.screens.confirm import ConfirmScreen
from tui.screens.gl_export import GlExportScreen
from tui.screens.period_end import JOBS, PeriodEndScreen
from tui.screens.prompt import TextPrompt
from tui.screens.reports import ReportsScreen
from tui.widgets.report_table import ReportTable


async def answer(pilot, value: str) -> None:
    assert isinstance(pilot.app.screen, TextPrompt)
    pilot.app.screen.query_one(Input).value = value
    await pilot.press("enter")
    await settle(pilot)


async def test_reached_from_period_end_on_the_reports(books) -> None:
    app = HostApp(ReportsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, PeriodEndScreen)
        place = [job.key for job in JOBS].index("gl_export")  # the hub lists every team's run
        await pilot.press(*["down"] * place, "enter")
        await settle(pilot)
        assert isinstance(app.screen, GlExportScreen)
        assert "October 2026" in text(app, "#gl-choice")  # the month just ended (today is 22 November)
        assert "No journal entries are dated in October 2026" in text(app, "#gl-plan")


async def test_check_map_export_and_again(books, customer: str, tmp_path: Path) -> None:
    month_of_books(customer)
    map_chart({"1000": "Checking", "1100": "Accounts Receivable", "2100": "Customer Deposits",
               "2200": "Sales Tax Payable", "4000": "Sales Income"})
    app = HostApp(GlExportScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right")
        await settle(pilot)
        assert text(app, "#gl-choice").startswith("◀ November 2026 ▶   Format: beancount   Currency: all")
        assert "not yet exported as beancount: F10 writes the whole month" in text(app, "#gl-plan")
        assert "Unmapped in November 2026: 2150 Unidentified receipts" in text(app, "#gl-check")
        table = app.screen.query_one(ReportTable)
        assert [c.strip() for c in table.line(3).split("  ") if c.strip()][:3] == ["2150", "Unidentified receipts",
                                                                                  "(unmapped)"]
        await pilot.press("f10")
        await settle(pilot)
        assert "Not exported: map the accounts marked (unmapped) first (F7)" in text(app, "#gl-result")
        assert GlExport.select().count() == 0
        # F7 on the unmapped row: a clerk is refused (one line), a supervisor maps it.
        await pilot.press("down", "down", "down", "f7")
        await settle(pilot)
        await answer(pilot, "Customer Deposits")
        assert text(app, "#gl-result").startswith("Not saved: change settings needs a supervisor or admin")
        set_operator("bob")
        await pilot.press("f7")
        await settle(pilot)
        await answer(pilot, "Customer Deposits")
        assert text(app, "#gl-result") == "2150 Unidentified receipts -> Customer Deposits"
        assert text(app, "#gl-check") == "Mapping: every account November 2026 uses is mapped."
        await pilot.press("f10")
        await settle(pilot)
        await answer(pilot, str(tmp_path / "nov.beancount"))
        assert text(app, "#gl-result").startswith("Wrote nov.beancount: ")
        assert "full; = trial balance" in text(app, "#gl-result")
        assert (tmp_path / "nov.beancount").exists() and period_exports(NOVEMBER)[0].exported_by == "bob"
        assert "Exported as beancount by bob on 22 Nov 2026" in text(app, "#gl-plan")
        assert "nothing new since: F10 offers the whole month again" in text(app, "#gl-plan")
        # Nothing new: F10 asks first; n keeps things as they are.
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, GlExportScreen) and GlExport.select().count() == 1
        # Tab to IIF: one currency a file, the base one first; c steps to the other.
        await pilot.press("tab")
        await settle(pilot)
        assert "Format: quickbooks-iif   Currency: GBP" in text(app, "#gl-choice")
        await pilot.press("c")
        await settle(pilot)
        assert "Currency: EUR" in text(app, "#gl-choice")
        assert "not yet exported as quickbooks-iif" in text(app, "#gl-plan")
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        assert app.screen.query_one(Input).value.endswith("gl-2026-11-quickbooks-iif-EUR.iif")
        await answer(pilot, str(tmp_path / "no-such-folder" / "x.iif"))
        assert text(app, "#gl-result").startswith("Not exported: out: ")
        assert GlExport.select().count() == 1
    set_operator("alice")
