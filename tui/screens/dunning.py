"""The dunning run (d on the report previews): who gets which reminder today, who is left out and why.

One reminder per customer, listing every overdue item that is not disputed; accounts on hold,
in collections, with a promise to pay in force, with credit that covers what is overdue or
reminded at this level lately are left out, each with its reason (store.dunning). Tab
switches between the reminders and those left out; F10 asks once, then records each notice and
sends it by the customer's channel (e-mail, or a print batch), rendering on every core.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import ProgressBar, Static

from store.errors import BooksError
from store.kinds import Channel
from store.money import format_amount
from tui.answers import answered
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.books_screen import UsesBooks
from tui.screens.confirm import ConfirmScreen
from tui.screens.notes import NotesScreen
from tui.widgets.footer import KeyFooter
from tui.widgets.report_table import ReportTable
from tui.widgets.results import Column

REMINDER_COLUMNS = (Column("Account", 7), Column("Customer", 26), Column("Lvl", 3, right=True),
                    Column("Items", 5, right=True), Column("Overdue", 13, right=True), Column("By", 5),
                    Column("Credit", 11, right=True))
LEFT_OUT_COLUMNS = (Column("Account", 7), Column("Customer", 26), Column("Lvl", 3, right=True), Column("Why", 60))


def reminder_cells(p: Any) -> tuple[str, ...]:  # a store.dunning.DunningProposal
    return (p.account_no, p.customer_name, str(p.level), str(len(p.items)), format_amount(p.total_minor, p.currency),
            p.channel, format_amount(p.credit_minor, p.currency) if p.credit_minor else "")


def left_out_cells(s: Any) -> tuple[str, ...]:  # a store.dunning.DunningSkip
    return (s.account_no, s.customer_name, str(s.level), s.reason)


def _count(n: int, thing: str) -> str:
    return f"{n:,} {thing}{'s' * (n != 1)}"


class DunningScreen(UsesBooks, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("tab", "switch_list", "Reminders / left out"),
        Binding("f10", "send", "Send reminders"),
        Binding("enter", "show_whole", "In full"),
    ]
    DEFAULT_CSS = """
    DunningScreen #dunning-summary { height: auto; }
    DunningScreen #dunning-table { height: 1fr; }
    DunningScreen #dunning-bar { display: none; }
    DunningScreen.sending #dunning-bar { display: block; }
    DunningScreen #dunning-result { height: auto; max-height: 6; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.run: Any = None  # store.dunning.DunningRun
        self.left_out = False

    def compose(self) -> ComposeResult:
        yield HeaderLine("Dunning run")
        yield Static("Working out today's run...", id="dunning-summary")
        yield ReportTable(id="dunning-table")
        yield ProgressBar(id="dunning-bar", show_eta=False)
        yield Static("", id="dunning-result")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(ReportTable).focus()
        self.run_worker(self.load(), exclusive=True, group="dunning")

    async def load(self) -> None:
        self.run = await in_db(self.services.dunning_run, self.app.context.today)
        self.show()

    def show(self) -> None:
        run, table = self.run, self.query_one(ReportTable)
        if self.left_out:
            table.show_rows(LEFT_OUT_COLUMNS, run.skipped, left_out_cells)
        else:
            table.show_rows(REMINDER_COLUMNS, run.proposals, reminder_cells)
        self.query_one("#dunning-summary", Static).update(self.summary())

    def summary(self) -> str:
        run = self.run
        levels = Counter(p.level for p in run.proposals)
        by_email = sum(1 for p in run.proposals if p.channel == Channel.EMAIL)
        text = (f"As of {run.as_of.isoformat()}: {_count(len(run.proposals), 'reminder')} ("
                + ", ".join(f"level {lv}: {n:,}" for lv, n in sorted(levels.items())) + f"); {by_email:,} by e-mail, "
                f"{len(run.proposals) - by_email:,} to print. {_count(len(run.skipped), 'account')} left out.\n")
        showing = "who is left out and why" if not self.left_out else "the reminders"
        return escape(text + f"Tab shows {showing}; F10 records and sends the reminders.")

    def action_switch_list(self) -> None:
        if self.run is not None:
            self.left_out = not self.left_out
            self.show()

    def action_show_whole(self) -> None:
        """Enter: the row under the cursor whole; a reason for leaving an account out is wider than the screen."""
        rows = (self.run.skipped if self.left_out else self.run.proposals) if self.run is not None else ()
        table = self.query_one(ReportTable)
        if not 0 <= table.cursor_row < len(rows):
            return
        row = rows[table.cursor_row]
        cells = left_out_cells(row) if self.left_out else reminder_cells(row)
        heads = LEFT_OUT_COLUMNS if self.left_out else REMINDER_COLUMNS
        facts = "\n".join(f"{column.title}: {cell}" for column, cell in zip(heads, cells, strict=True) if cell)
        self.app.push_screen(NotesScreen(f"Dunning {row.account_no}", (facts,)))

    def action_send(self) -> None:
        if self.run is None:
            return
        if not self.run.proposals:
            self.notify("No reminders to send today.", timeout=4)
            return
        self.app.push_screen(ConfirmScreen(f"Record and send {_count(len(self.run.proposals), 'reminder')} now?"),
                             answered(lambda yes: self.run_worker(self.send(), exclusive=True, group="dunning")))

    def progress(self, done: int, total: int, what: str) -> None:
        """Called from the sending thread: hand the news to the screen's own thread."""
        self.app.call_from_thread(self._show_progress, done, total, what)

    def _show_progress(self, done: int, total: int, what: str) -> None:
        self.query_one(ProgressBar).update(total=total, progress=done)
        self.query_one("#dunning-result", Static).update(escape(what))

    async def send(self) -> None:
        result = self.query_one("#dunning-result", Static)
        result.update("Recording and sending...")
        self.add_class("sending")
        try:
            summary = await in_db(self.services.send_dunning, self.run.as_of, None, self.progress)
        except BooksError as exc:
            result.update(f"Not sent: {escape(str(exc))}")
            return
        finally:
            self.remove_class("sending")
        result.update(escape(f"Reminders: {summary.outcome(failures=3)}"))
        await self.load()
