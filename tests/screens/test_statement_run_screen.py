"""The statement run screen at 80x24: the preview for a date, F10 asks, queues and sends once."""
from __future__ import annotations

from exports.pdf.pool import start_helpers
from store.models import StatementRun
from tests import test_delivery, test_statement_runs
from tests.screens.host import HostApp, settle, text_of
from tui.screens.period_end import JOBS, PeriodEndScreen
from tui.screens.statement_run import StatementRunScreen
from tui.widgets.fields import DateInput
from tui.widgets.report_table import ReportTable

smtp, accounts = test_delivery.smtp, test_statement_runs.accounts  # fixtures


async def type_date(app: HostApp, pilot, day: str) -> None:
    if app.focused is not app.screen.query_one(DateInput):  # Enter moved on to the list: back by keyboard
        await pilot.press("shift+tab")
    assert app.focused is app.screen.query_one(DateInput)
    await pilot.press("end", *["backspace"] * 12, *day, "enter")
    await settle(pilot)


async def test_the_screen_previews_a_date_then_f10_queues_and_sends_each_statement_once(
        smtp, accounts, books, tmp_path, monkeypatch) -> None:
    inbox, _running = smtp
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    start_helpers()  # as tui.launch does before the application starts
    app = HostApp(PeriodEndScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        at = [job.key for job in JOBS].index("statements")  # a job of the period-end list (reports F7)
        await pilot.press(*["down"] * at, "enter")
        await settle(pilot)
        assert isinstance(app.screen, StatementRunScreen)
        assert text_of(app, "#statement-summary") == (
            "Period 2026-10-23 to 2026-11-22: 3 statements, 2 by e-mail, 1 by post.\nBalances: GBP 348.00 (3)")
        table = app.screen.query_one(ReportTable)
        assert [table.get_row_at(n) for n in range(table.row_count)] == [
            (accounts["active"], "Kestrel Trading", "email", "228.00", "GBP", "yes"),
            (accounts["owing"], "Heron Granite", "post", "120.00", "GBP", ""),
            (accounts["paid_in"], "Settled Ltd", "email", "0.00", "GBP", "yes")]
        await type_date(app, pilot, "2026-10-22")
        assert text_of(app, "#statement-summary").startswith("Period 2026-09-23 to 2026-10-22: 2 statements")
        await type_date(app, pilot, "t")
        assert "3 statements" in text_of(app, "#statement-summary")
        await pilot.press("f10", "n")  # asked first: n queues nothing
        await settle(pilot)
        assert StatementRun.select().count() == 0
        await pilot.press("f10", "y")
        for _ in range(100):
            await pilot.pause(0.1)
            if "queued." in text_of(app, "#statement-result"):
                break
        await settle(pilot)
        assert text_of(app, "#statement-result").startswith("3 queued. Statements: 2 e-mailed, 1 in print batch PB-")
        summary = text_of(app, "#statement-summary")
        assert "0 statements" in summary and "3 already queued on 2026-11-22 " in summary and "by alice." in summary
        await pilot.press("f10")  # nothing left to send for the date
        await settle(pilot)
        assert StatementRun.select().count() == 3
    assert sorted(to[0] for to, _m in inbox.messages) == ["ap@kestrel.example", "ap@settled.example"]


async def test_a_date_typed_while_the_screen_opens_lands_in_the_date_field(accounts, books) -> None:
    app = HostApp(PeriodEndScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        at = [job.key for job in JOBS].index("statements")
        # Typed ahead at full speed: the job, then the month-end date, with no wait for the screen.
        await pilot.press(*["down"] * at, "enter", *"2026-10-31", "enter")
        await settle(pilot)
        assert isinstance(app.screen, StatementRunScreen)
        assert app.screen.query_one(DateInput).value == "2026-10-31"
        assert text_of(app, "#statement-summary").startswith("Period 2026-10-01 to 2026-10-31: ")
        assert StatementRun.select().count() == 0  # Enter showed the run; nothing was queued
