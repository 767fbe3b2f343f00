"""The statement run (period end, reports F7): who gets a statement as of a date, then F10 sends them.

The preview says how many statements, by which channel, and the balances per currency; the
list shows each customer still to get one. F10 asks once, then queues every statement (none
twice: a customer already queued for the date is left out and said so) and sends them by each
customer's channel through the outbox, printed on every core, with a progress line. The same
service as `billfold statements --send`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import ProgressBar, Static

from store.errors import BooksError
from store.money import format_amount
from tui.answers import answered
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.confirm import ConfirmScreen
from tui.widgets.fields import DateInput, FieldInput, FieldRow
from tui.widgets.footer import KeyFooter
from tui.widgets.report_table import ReportTable
from tui.widgets.results import Column

COLUMNS = (Column("Account", 7), Column("Customer", 30), Column("By", 5), Column("Balance", 13, right=True),
           Column("Cur", 3), Column("Moved", 5))


def statement_cells(c: Any) -> tuple[str, ...]:  # a store.statement_runs.StatementCandidate
    return (c.account_no, c.customer_name, c.channel, format_amount(c.closing_minor, c.currency), c.currency,
            "yes" if c.moved else "")


def _count(n: int, thing: str) -> str:
    return f"{n:,} {thing}{'s' * (n != 1)}"


def preview_text(preview: Any) -> str:  # a store.statement_runs.StatementRunPreview
    channels = preview.by_channel()
    totals = "; ".join(f"{cur} {format_amount(total, cur)} ({n:,})" for cur, (n, total) in preview.totals().items())
    text = (f"Period {preview.date_from.isoformat()} to {preview.as_of.isoformat()}: "
            f"{_count(len(preview.to_queue), 'statement')}, {channels['email']:,} by e-mail, {channels['post']:,} "
            f"by post.\n{'Balances: ' + totals if totals else 'Nothing to send.'}")
    if preview.already:
        text += f"\n{preview.already_line()}."
    return text


class StatementRunScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f10", "send", "Send statements"),
    ]
    DEFAULT_CSS = """
    StatementRunScreen #statement-as-of-row { margin: 0 1; }
    StatementRunScreen #statement-as-of-row > .field-label { width: 8; }
    StatementRunScreen #statement-summary { height: auto; padding: 0 1; }
    StatementRunScreen #statement-table { height: 1fr; }
    StatementRunScreen #statement-bar { display: none; }
    StatementRunScreen.sending #statement-bar { display: block; }
    StatementRunScreen #statement-result { height: auto; max-height: 5; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.preview: Any = None  # store.statement_runs.StatementRunPreview
        self.shown: dt.date | None = None  # the date whose run is shown (or being worked out)
        self.sending = False

    @property
    def services(self):
        return self.app.context.services

    def compose(self) -> ComposeResult:
        today = self.app.context.today  # type: ignore[attr-defined]
        yield HeaderLine("Statement run")
        yield FieldRow("As of", DateInput(today.isoformat(), field="as of", id="statement-as-of", required=True),
                       id="statement-as-of-row")
        yield Static("Working out who gets a statement...", id="statement-summary")
        yield ReportTable(id="statement-table")
        yield ProgressBar(id="statement-bar", show_eta=False)
        yield Static("Enter after the date shows its run; F10 queues and sends the statements.",
                     id="statement-result")
        yield KeyFooter()

    def on_mount(self) -> None:
        # The date first: at month end the run is usually for the last day of the month just gone, and
        # what is typed on arrival must land there (Enter shows that date's run; Tab goes to the list).
        self.query_one(DateInput).focus()
        self.load_preview()

    def on_field_input_checked(self, message: FieldInput.Checked) -> None:
        # Enter and then leaving the field both check it: one run of the preview per date.
        if not message.error and message.value is not None and not self.sending and message.value != self.shown:
            self.load_preview()

    def load_preview(self) -> None:
        self.shown = self.query_one(DateInput).date or self.app.context.today  # type: ignore[attr-defined]
        self.run_worker(self.load(), exclusive=True, group="statements")

    async def load(self) -> None:
        try:
            self.preview = await in_db(self.services.preview_statements, self.shown)
        except BooksError as exc:
            self.preview = None
            self.query_one("#statement-summary", Static).update(escape(str(exc)))
            self.query_one(ReportTable).show_rows(COLUMNS, [], statement_cells)
            return
        self.query_one(ReportTable).show_rows(COLUMNS, self.preview.to_queue, statement_cells)
        self.query_one("#statement-summary", Static).update(escape(preview_text(self.preview)))

    def action_send(self) -> None:
        if self.preview is None or self.sending:
            return
        if not self.preview.to_queue:
            self.notify("No statements to send for this date.", timeout=4)
            return
        ask = f"Queue and send {_count(len(self.preview.to_queue), 'statement')} as of {self.preview.as_of}?"
        self.app.push_screen(ConfirmScreen(ask), answered(lambda yes: self.run_worker(
            self.send(), exclusive=True, group="statements")))

    def progress(self, done: int, total: int, what: str) -> None:
        """Called from the sending thread: hand the news to the screen's own thread."""
        self.app.call_from_thread(self._show_progress, done, total, what)

    def _show_progress(self, done: int, total: int, what: str) -> None:
        self.query_one(ProgressBar).update(total=total, progress=done)
        self.query_one("#statement-result", Static).update(escape(f"{done:,} of {total:,}: {what}"))

    async def send(self) -> None:
        result = self.query_one("#statement-result", Static)
        result.update("Queuing and sending...")
        self.sending = True
        self.add_class("sending")
        try:
            queued, summary = await in_db(self.services.send_statements, self.preview.as_of, None, None,
                                          self.progress)
        except BooksError as exc:
            result.update(f"Not sent: {escape(str(exc))}")
            return
        finally:
            self.sending = False
            self.remove_class("sending")
        result.update(escape(f"{queued.queued:,} queued. Statements: {summary.outcome(failures=2)}"))
        await self.load()
