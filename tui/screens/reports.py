"""Report previews (F6): pick a report and a period by keys, scroll it, export it.

1-9 and 0 pick a report ([ and ] step through them), Left and Right step the period, q switches
between months and quarters, Up/Down/PgUp/PgDn scroll, and p, c and t export what is shown as
PDF, CSV or text. r computes it again (the title says when it was computed). n shows the notes
in full, F9 delivers documents and d opens the dunning run.
"""
from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from store import clock
from store.errors import BooksError
from tui.answers import answered
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.books_screen import UsesBooks
from tui.screens.prompt import TextPrompt
from tui.widgets.footer import KeyFooter
from tui.widgets.report_fit import fit_columns
from tui.widgets.report_table import ReportTable
from tui.widgets.results import Column

if TYPE_CHECKING:
    from store.reports import Period, PeriodKind, Report

REPORTS = (
    ("ar_aging", "Aging"), ("ar_aging_detail", "Aging detail"), ("billing_collections", "Billing & collections"),
    ("payments_received", "Payments received"), ("unapplied_credits", "Unapplied credit"),
    ("open_disputes", "Open disputes"), ("accounts_on_hold", "Holds & collections"), ("dunning_log", "Dunning log"),
    ("control_account", "Balance the books"), ("trial_balance", "Trial balance"),
)


class ReportsScreen(UsesBooks, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *[Binding(str((n + 1) % 10), f"pick({n})", label, show=False) for n, (_k, label) in enumerate(REPORTS)],
        Binding("right_square_bracket", "step_report(1)", "Next report"),
        Binding("left_square_bracket", "step_report(-1)", "Prev report", show=False),
        # Left/Right belong to the period (the table would take them for sideways scrolling first);
        # Shift+Left/Right scroll a wide report sideways instead (ReportTable).
        Binding("left", "step_period(-1)", "Earlier", priority=True),
        Binding("right", "step_period(1)", "Later", priority=True),
        Binding("q", "toggle_quarter", "Month/quarter"),
        Binding("p", "export('pdf')", "PDF"),
        Binding("c", "export('csv')", "CSV"),
        Binding("t", "export('txt')", "Text"),
        Binding("f7", "period_end", "Period end"),
        Binding("f9", "deliver", "Deliver documents"),
        Binding("d", "dunning", "Dunning run"),
        Binding("n", "notes", "Notes in full", show=False),
        Binding("r", "refresh_report", "Refresh"),
    ]
    DEFAULT_CSS = """
    ReportsScreen #report-menu { height: 2; color: $text-muted; }
    ReportsScreen #report-title { height: 2; text-style: bold; }
    ReportsScreen #report-table { height: 1fr; }
    ReportsScreen #report-chart { height: auto; max-height: 7; }
    ReportsScreen #report-notes { height: auto; max-height: 4; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.index = 0
        self.kind: PeriodKind = "month"
        self.period: Period  # set on mount, from the application's today
        self.report: Report | None = None
        self.computed: dt.datetime | None = None
        self.lock_date: dt.date | None = None

    def compose(self) -> ComposeResult:
        yield HeaderLine("Reports")
        yield Static(self.menu(), id="report-menu")
        yield Static("", id="report-title")
        yield ReportTable(id="report-table")
        yield Static("", id="report-chart")
        yield Static("", id="report-notes")
        yield KeyFooter()

    def menu(self) -> str:
        items = []
        for n, (_key, label) in enumerate(REPORTS):
            text = f"{(n + 1) % 10} {label}"
            items.append(f"[reverse]{escape(text)}[/reverse]" if n == self.index else escape(text))
        return "  ".join(items)

    def on_mount(self) -> None:
        from store.reports import Period

        self.period = Period.containing(self.app.context.today)
        self.query_one(ReportTable).focus()
        self.refresh_report()

    def refresh_report(self) -> None:
        self.query_one("#report-menu", Static).update(self.menu())
        self.query_one("#report-title", Static).update(f"{REPORTS[self.index][1]} · {self.period.label} (running...)")
        self.run_worker(self.load(), exclusive=True, group="report")

    async def load(self) -> None:
        name = REPORTS[self.index][0]
        try:
            report = await in_db(self.services.run_report, name, self.period)
        except BooksError as exc:
            self.query_one("#report-title", Static).update(f"{REPORTS[self.index][1]}: {escape(str(exc))}")
            return
        columns = await asyncio.to_thread(self.columns_of, report)  # a pass over every row: off the screen's loop
        self.lock_date = await in_db(self.services.lock_date)
        self.report = report
        self.computed = clock.now().astimezone()
        self.show(report, columns)

    @staticmethod
    def columns_of(report) -> list[Column]:
        from exports.reports_out import NUMERIC_KINDS, column_widths

        return [Column(c.heading, width, right=c.kind in NUMERIC_KINDS)
                for c, width in zip(report.columns, column_widths(report), strict=False)]

    def show(self, report, columns: list[Column]) -> None:
        from exports.reports_out import cell_text, chart_text

        indexes = range(len(report.columns))
        table = self.query_one(ReportTable)
        # The table's own width less its scrollbar; before the first layout, the terminal's.
        columns, wider = fit_columns(columns, (table.size.width or self.app.size.width) - 3)
        table.show_rows(columns, report.rows, lambda row: [cell_text(report, row, i) for i in indexes], report.totals)
        computed = f"{self.computed:%H:%M}" if self.computed else ""
        self.query_one("#report-title", Static).update(
            f"{escape(report.title)} · {escape(report.period_label)} · {len(report.rows):,} rows"
            f"\n[dim]computed {computed} · r computes again" + (" · Shift+→ more columns" if wider else "") + "[/dim]")
        # At 24 rows the chart (the totals row again, drawn) would leave the rows themselves too little room.
        roomy = self.app.size.height >= 30
        chart = chart_text(report.chart, report.currency or "GBP", 30) if report.chart and roomy else ""
        self.query_one("#report-chart", Static).update(Text(chart))
        # The lock date first: a closed period's figures no longer change (nothing can be dated on or before it).
        locked = [f"Books closed up to {self.lock_date.isoformat()}: figures to that day no longer change."] \
            if self.lock_date else []
        self.query_one("#report-notes", Static).update(Text("\n".join([*locked, *report.notes][:4])))

    def action_refresh_report(self) -> None:
        """r: the same report and period computed again from the books as they are now."""
        self.refresh_report()

    def action_pick(self, index: int) -> None:
        self.index = index
        self.refresh_report()

    def action_step_report(self, step: int) -> None:
        self.index = (self.index + step) % len(REPORTS)
        self.refresh_report()

    def action_step_period(self, step: int) -> None:
        self.period = self.period.next() if step > 0 else self.period.previous()
        self.refresh_report()

    def action_deliver(self) -> None:
        from tui.screens.deliver import DeliverScreen

        self.app.push_screen(DeliverScreen())

    def action_period_end(self) -> None:
        from tui.screens.period_end import PeriodEndScreen

        self.app.push_screen(PeriodEndScreen())

    def action_notes(self) -> None:
        from tui.screens.notes import NotesScreen

        if self.report is not None:
            self.app.push_screen(NotesScreen(f"{self.report.title} · {self.report.period_label}", self.report.notes))

    def action_dunning(self) -> None:
        from tui.screens.dunning import DunningScreen

        self.app.push_screen(DunningScreen())

    def action_toggle_quarter(self) -> None:
        from store.reports import Period

        self.kind = "quarter" if self.kind == "month" else "month"
        self.period = Period.containing(self.period.start, self.kind)
        self.refresh_report()

    def action_export(self, fmt: str) -> None:
        if self.report is None:
            return
        name = f"{REPORTS[self.index][0]}-{self.period.code}.{fmt}"
        self.app.push_screen(TextPrompt(f"Write {REPORTS[self.index][1]} as {fmt.upper()} to:",
                                        str(Path.home() / name)),
                             answered(lambda path: self.run_worker(self.write(fmt, path.strip()), exclusive=True)))

    async def write(self, fmt: str, path: str) -> None:
        from exports import reports_out
        from exports.pdf import RenderError
        from exports.pdf.pool import render_in_worker

        report = self.report
        if report is None:
            return
        # Off the screen's loop and off the database thread: a long report takes seconds to write.
        try:
            if fmt == "pdf":
                reports_out.check_pdf_rows(report)
            self.notify(f"Writing {len(report.rows):,} rows as {fmt.upper()}...", timeout=3)
            company = await in_db(self.services.company_name)
            data = await asyncio.to_thread(reports_out.export_report, report, fmt, company,
                                           lambda html: render_in_worker("html", html, None))
            Path(path).expanduser().write_bytes(data)
        except (BooksError, OSError, RenderError) as exc:
            self.notify(f"Not written: {exc}", severity="error", markup=False)
            return
        self.notify(f"Wrote {path}", markup=False, timeout=4)

