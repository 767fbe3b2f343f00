"""Pilot test of the report preview: pick by number, step the period, export."""
from __future__ import annotations

from pypdf import PdfReader
from textual.widgets import Static

from exports import reports_out
from exports.pdf.pool import start_helpers
from store.customers import CustomerData, create_customer
from tests.conftest import line, post
from tests.screens.host import HostApp, settle
from tui.screens.reports import ReportsScreen
from tui.widgets.report_table import ReportTable


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


async def test_pdf_export_reads_back_and_a_report_too_long_for_a_pdf_is_refused(books, tmp_path, monkeypatch) -> None:
    account = create_customer(CustomerData(name="Kestrel Trading", email="k@example.com")).account_no
    post(account, line(price=10000))
    start_helpers()  # as tui.launch does before the application takes stderr over
    app = HostApp(ReportsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        out = tmp_path / "aging.pdf"
        await pilot.press("p", "ctrl+u", *str(out), "enter")
        for _ in range(100):  # rendered in a worker process
            await settle(pilot)
            if out.exists():
                break
        text = " ".join(page.extract_text() for page in PdfReader(out).pages)
        assert "Kestrel Trading" in text and "120.00" in text and "Accounts receivable aging by customer" in text
        monkeypatch.setattr(reports_out, "MAX_PDF_ROWS", 0)
        refused = tmp_path / "refused.pdf"
        await pilot.press("p", "ctrl+u", *str(refused), "enter")
        await settle(pilot)
        assert not refused.exists()
        assert any("Not written: format: Accounts receivable aging by customer has 1 rows and a PDF holds at most 0"
                   in n.message for n in app._notifications)


async def test_n_shows_every_note_of_the_report_in_full(books) -> None:
    from tui.screens.notes import NotesScreen

    account = create_customer(CustomerData(name="Kestrel Trading", email="k@example.com")).account_no
    post(account, line(price=10000))
    app = HostApp(ReportsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, NotesScreen)
        text = str(app.screen.query_one("#notes-text", Static).render())
        assert "1 open documents on 1 accounts" in text
        assert "aging total £120.00; difference £0.00 (must be zero)" in text
        await pilot.press("escape")
        assert isinstance(app.screen, ReportsScreen)


async def test_aging_at_80_columns_keeps_every_money_column_and_r_computes_again(books) -> None:
    long_name = "Riverside Davies Engineering and Fabrication Limited"
    account = create_customer(CustomerData(name=long_name, email="r@example.com")).account_no
    post(account, line(price=123456))
    app = HostApp(ReportsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(ReportTable)
        header = table.header
        assert [h for h in ("Account", "Customer", "Current", "1-30", "31-60", "61-90", "Over 90", "Total")
                if h in header] == ["Account", "Customer", "Current", "1-30", "31-60", "61-90", "Over 90", "Total"]
        assert len(header) <= table.size.width - 1  # no column past the right edge
        first = table.line(0)
        assert first.split()[0] == account and "Riverside Davi" in first and "…" in first
        assert first.rstrip().endswith("1,481.47")  # the total, 1,234.56 + 20% tax, in view
        assert "computed " in title(app) and "Shift+→" not in title(app)
        post(account, line(price=1000))
        assert first == table.line(0)  # computed once: the new invoice is not in it yet
        await pilot.press("r")
        await settle(pilot)
        assert table.line(0).rstrip().endswith("1,493.47")


async def test_f7_opens_period_end_and_enter_opens_the_highlighted_run(books, monkeypatch) -> None:
    from textual.screen import Screen

    from tui.screens import period_end

    class Opened(Screen[None]):
        def compose(self):
            yield Static("the statement run", id="opened")

    import sys
    import types

    module = types.ModuleType("tests_period_end_fake")
    module.Opened = Opened  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tests_period_end_fake", module)
    monkeypatch.setattr(period_end, "JOBS", (
        period_end.Job("orders", "Orders", "review and bill", "tests_period_end_fake:Missing"),
        period_end.Job("statements", "Statements", "send every statement", "tests_period_end_fake:Opened")))
    app = HostApp(ReportsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, period_end.PeriodEndScreen)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert str(app.screen.query_one("#opened", Static).render()) == "the statement run"
