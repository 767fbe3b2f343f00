"""The ledger export (period end, F7 on the reports): a month's journal for the accountant, in their package's format.

Left/Right pick the month (the month before today's to begin with: the one just ended), Tab the
format, c the currency (IIF and Xero files hold one). The screen says what F10 would write: the
whole month, only what was posted into it since its last export in that format, or (nothing being
new) the whole month again after a question. The account mapping is shown with its check for the
month; F7 (Ctrl+O) maps the highlighted account (a setting: supervisors and admins). F10 (Ctrl+G) asks where
to write.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from store.errors import BooksError
from store.gl_export import FORMATS, ONE_CURRENCY
from store.reports import Period
from tui.answers import answered, answered_at_all
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.books_screen import UsesBooks
from tui.screens.confirm import ConfirmScreen
from tui.screens.prompt import TextPrompt
from tui.widgets.footer import KeyFooter
from tui.widgets.report_table import ReportTable
from tui.widgets.results import Column

MAPPING_COLUMNS = (Column("Account", 7), Column("Name", 32, flex=1), Column("Company account", 30, flex=1),
                   Column("Used", 4))


def _entries(n: int) -> str:
    return f"{n:,} entr{'y' if n == 1 else 'ies'}"


def plan_text(plan: Any) -> str:  # a store.gl_export.GlPlan
    scope = f" in {plan.currency}" if plan.currency else ""
    if not plan.entries:
        return f"No journal entries{scope} are dated in {plan.period.label}: nothing to export."
    if not plan.previous:
        return f"{_entries(plan.entries)}{scope}, not yet exported as {plan.format}: F10 writes the whole month."
    last = plan.previous[-1]
    said = f"Exported as {plan.format} by {last.exported_by} on {last.exported_at:%d %b %Y %H:%M} UTC"
    if len(plan.previous) > 1:
        said += f" (export {len(plan.previous)} of the month)"
    if plan.new_entries:
        return f"{said}; {_entries(plan.new_entries)} posted into it since: F10 writes only those."
    return f"{said}; nothing new since: F10 offers the whole month again."


def check_text(period: Period, rows: list[Any], used: set[str]) -> str:
    missing = [f"{r.account} {r.name}" for r in rows if r.account in used and not r.mapped]
    if missing:
        return f"Unmapped in {period.label}: {', '.join(missing)}. F7 maps the highlighted account."
    return f"Mapping: every account {period.label} uses is mapped."


def mapping_cells(row: Any, used: set[str]) -> tuple[str, ...]:  # a store.gl_mapping.MappingRow
    return row.account, row.name, row.target or "(unmapped)", "yes" if row.account in used else ""


class GlExportScreen(UsesBooks, Screen[None]):
    DEFAULT_CSS = """
    GlExportScreen #gl-choice { height: 1; text-style: bold; padding: 0 1; }
    GlExportScreen #gl-plan { height: 2; padding: 0 1; }
    GlExportScreen #gl-check { height: 2; padding: 0 1; color: $warning; }
    GlExportScreen #gl-check.ok { color: $success; }
    GlExportScreen #gl-mapping { height: 1fr; }
    GlExportScreen #gl-result { height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        # Left/Right are the month's (the table would take them for sideways scrolling first).
        Binding("left", "step_period(-1)", "Earlier", priority=True),
        Binding("right", "step_period(1)", "Later", priority=True),
        Binding("tab", "step_format(1)", "Format", priority=True),
        Binding("shift+tab", "step_format(-1)", "Format", show=False, priority=True),
        Binding("c", "step_currency", "Currency"),
        Binding("f7,ctrl+o", "map_account", "Map account"),
        Binding("f10,ctrl+g", "export", "Export"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.period: Period | None = None
        self.format = FORMATS[0]
        self.currency: str | None = None
        self.state: Any = None  # (plan, mapping rows, used accounts, currency) from services.gl_overview

    def compose(self) -> ComposeResult:
        yield HeaderLine("Ledger export")
        yield Static("", id="gl-choice", markup=False)
        yield Static("Reading the month...", id="gl-plan", markup=False)
        yield Static("", id="gl-check", markup=False)
        yield ReportTable(id="gl-mapping")
        yield Static("Left/Right month, Tab format, c currency, F7 map, F10 export", id="gl-result", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        today: dt.date = self.app.context.today
        self.period = Period.containing(today.replace(day=1) - dt.timedelta(days=1))
        self.query_one(ReportTable).focus()
        self.reload()

    def reload(self) -> None:
        self.run_worker(self.load(), exclusive=True, group="gl")

    async def load(self) -> None:
        assert self.period is not None
        self.show_choice()
        try:
            self.state = await in_db(self.services.gl_overview, self.period.code, self.format, self.currency)
        except BooksError as exc:
            self.state = None
            self.query_one("#gl-plan", Static).update(f"Cannot export: {exc}")
            return
        plan, rows, used, self.currency = self.state
        self.show_choice()
        self.query_one("#gl-plan", Static).update(plan_text(plan))
        check = self.query_one("#gl-check", Static)
        check.update(check_text(self.period, rows, used))
        check.set_class(all(r.mapped for r in rows if r.account in used), "ok")
        table = self.query_one(ReportTable)
        cursor = table.cursor_row
        table.show_rows(MAPPING_COLUMNS, rows, lambda r: mapping_cells(r, used))
        table.cursor_row = min(cursor, max(len(rows) - 1, 0))

    def show_choice(self) -> None:
        assert self.period is not None
        self.query_one("#gl-choice", Static).update(
            f"◀ {self.period.label} ▶   Format: {self.format}   Currency: {self.currency or 'all'}")

    def say(self, text: str) -> None:
        self.query_one("#gl-result", Static).update(" ".join(text.split()))

    def action_step_period(self, step: int) -> None:
        assert self.period is not None
        day = self.period.start - dt.timedelta(days=1) if step < 0 else self.period.end + dt.timedelta(days=1)
        self.period = Period.containing(day)
        self.currency = None  # the month's currencies differ; one-currency formats get the base one first
        self.reload()

    def action_step_format(self, step: int) -> None:
        self.format = FORMATS[(FORMATS.index(self.format) + step) % len(FORMATS)]
        self.currency = None
        self.reload()

    def action_step_currency(self) -> None:
        if self.state is None:
            return
        options: list[str | None] = list(self.state[0].currencies)
        if self.format not in ONE_CURRENCY:
            options.insert(0, None)
        if len(options) > 1:
            self.currency = options[(options.index(self.currency) + 1) % len(options)] \
                if self.currency in options else options[0]
            self.reload()

    def action_map_account(self) -> None:
        if self.state is None:
            return
        rows = self.state[1]
        table = self.query_one(ReportTable)
        if not rows or table.cursor_row >= len(rows):
            return
        row = rows[table.cursor_row]
        self.app.push_screen(TextPrompt(f"Company account for {row.account} {row.name}:", row.target,
                                        "A Xero code, a QuickBooks name or Assets:...; Enter saves, Esc cancels",
                                        required=False),
                             answered_at_all(lambda target: self.run_worker(self.save_mapping(row.account, target))))

    async def save_mapping(self, account: str, target: str) -> None:
        try:
            saved = await in_db(self.services.set_gl_mapping, account, target)
        except BooksError as exc:
            self.say(f"Not saved: {exc}")
            return
        self.say(f"{saved.account} {saved.name} -> {saved.target or '(unmapped)'}")
        self.reload()

    def action_export(self) -> None:
        if self.state is None or self.period is None:
            return
        plan, rows, used, currency = self.state
        if not plan.entries:
            self.say(plan_text(plan))
            return
        if any(r.account in used and not r.mapped for r in rows):
            self.say("Not exported: map the accounts marked (unmapped) first (F7).")
            return
        if plan.previous and not plan.new_entries:
            self.app.push_screen(ConfirmScreen(f"{plan.period.code} was exported as {plan.format} by "
                                               f"{plan.previous[-1].exported_by}; nothing is new. Write the whole "
                                               "month again?"),
                                 answered(lambda _yes: self.ask_path(plan, currency, again=True)))
            return
        self.ask_path(plan, currency, again=False)

    def ask_path(self, plan: Any, currency: str | None, *, again: bool) -> None:
        name = self.services.gl_default_file(plan.period.code, plan.format, currency, len(plan.previous) + 1)
        what = "the whole month" if again or not plan.previous else "what is new in the month"
        self.app.push_screen(TextPrompt(f"Write {what} as {plan.format} to:", str(Path.home() / name)),
                             answered(lambda path: self.run_worker(self.write(plan, currency, path.strip(), again),
                                                                   exclusive=True, group="gl-write")))

    async def write(self, plan: Any, currency: str | None, path: str, again: bool) -> None:
        self.say(f"Exporting {plan.period.label} as {plan.format}...")
        try:
            result = await in_db(self.services.export_ledger, plan.period.code, plan.format, path, currency, again)
        except BooksError as exc:
            self.say(f"Not exported: {exc}")
            return
        record = result.record
        agrees = "; = trial balance" if result.trial_balance_checked else ""
        self.say(f"Wrote {Path(record.file_name).name}: {_entries(record.entry_count)}, {record.kind}{agrees}")
        self.reload()
