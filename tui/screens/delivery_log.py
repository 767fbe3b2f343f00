"""The delivery log: the outbox, newest first, and the operator's choice for an uncertain message.

An uncertain message may or may not have reached the server (its sender stopped while sending):
F7 sends it again with the same Message-ID, F9 marks it sent (the customer has it). Each asks
first, saying exactly what will happen. F4 shows one state after another (all, uncertain, failed,
queued, sending, sent). (F2, F5 and F6 are the application's own keys on every screen.)
"""
from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from store.errors import BooksError
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.books_screen import UsesBooks
from tui.screens.confirm import ConfirmScreen
from tui.screens.notes import NotesScreen
from tui.widgets.footer import KeyFooter

FILTERS: tuple[str | None, ...] = (None, "uncertain", "failed", "queued", "sending", "sent")


class DeliveryLogScreen(UsesBooks, Screen[None]):
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f4", "next_filter", "Show"),
        Binding("f7", "resend", "Resend"),
        Binding("f9", "mark_sent", "Mark sent"),
    ]
    DEFAULT_CSS = """
    DeliveryLogScreen #log-table { height: 1fr; }
    DeliveryLogScreen #log-status { height: auto; }
    """

    def __init__(self, status: str | None = None) -> None:
        super().__init__()
        self.filter = status
        self.rows: list = []  # store.outbox.OutboxItem, in table order

    def compose(self) -> ComposeResult:
        yield HeaderLine("Delivery log")
        yield Static("", id="log-filter")
        yield DataTable(id="log-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="log-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("id", "state", "document", "account", "to", "n", "when")
        self.run_worker(self.reload(), exclusive=True)

    async def reload(self, keep: int | None = None) -> None:
        self.rows = await in_db(self.services.delivery_log, self.filter)
        table = self.query_one(DataTable)
        table.clear()
        for r in self.rows:
            when = r.sent_at or r.claimed_at or r.created_at
            table.add_row(str(r.id), r.status, r.number or r.kind, r.account_no, (r.recipient or "post")[:20],
                          str(r.attempts), f"{when:%d/%m %H:%M}" if when else "")
        uncertain = sum(r.status == "uncertain" for r in self.rows)
        shown = self.filter or "every state"
        self.query_one("#log-filter", Static).update(
            f"{len(self.rows)} messages ({shown}); {uncertain} uncertain. F4 shows another state; "
            "Enter shows one in full; F7 resends, F9 marks sent.")
        if keep is not None and 0 <= keep < table.row_count:
            table.move_cursor(row=keep)
        table.focus()

    def action_next_filter(self) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self.run_worker(self.reload(), exclusive=True)

    def _current(self):
        table = self.query_one(DataTable)
        return self.rows[table.cursor_row] if self.rows and 0 <= table.cursor_row < len(self.rows) else None

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        """Enter: the message whole, with the server's reply a failed one got (no column has room for it)."""
        item = self._current()
        if item is None:
            return
        when = item.sent_at or item.claimed_at or item.created_at
        facts = (f"{item.number or item.kind} to {item.recipient or 'the print batch'} ({item.channel})\n"
                 f"{item.account_no} {item.customer_name}\n"
                 f"{item.status}, {item.attempts} attempt(s), {when:%Y-%m-%d %H:%M}; Message-ID {item.message_id}")
        self.app.push_screen(NotesScreen(f"Outbox {item.id}", (facts, item.error or "No error recorded.")))

    def _say(self, text: str) -> None:
        self.query_one("#log-status", Static).update(text)

    def action_resend(self) -> None:
        item = self._current()
        if item is None or item.status not in ("uncertain", "failed"):
            self._say("Only an uncertain or failed message can be sent again.")
            return
        what = f"{item.number or item.kind} to {item.recipient or 'the print batch'}"
        warning = " It may have arrived already: the customer could get it twice." if item.status == "uncertain" \
            else ""
        question = f"Send {what} again now, with the same Message-ID {item.message_id}?{warning}"
        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._resend(item.id), exclusive=True)

        self.app.push_screen(ConfirmScreen(question), answered)

    async def _resend(self, item_id: int) -> None:
        keep = self.query_one(DataTable).cursor_row
        self._say("Sending...")
        try:
            summary = await in_db(self.services.resend_message, item_id)
        except BooksError as exc:
            self._say(f"Not sent: {escape(str(exc))}")
            return
        self._say(escape(summary.outcome(failures=3)))
        await self.reload(keep)

    def action_mark_sent(self) -> None:
        item = self._current()
        if item is None or item.status != "uncertain":
            self._say("Only an uncertain message can be marked sent.")
            return
        question = (f"Mark {item.number or item.kind} to {item.recipient or 'the print batch'} as sent? "
                    "It will never be sent again; do this only if the customer has it.")
        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._mark_sent(item.id), exclusive=True)

        self.app.push_screen(ConfirmScreen(question), answered)

    async def _mark_sent(self, item_id: int) -> None:
        keep = self.query_one(DataTable).cursor_row
        try:
            await in_db(self.services.mark_message_sent, item_id)
        except BooksError as exc:
            self._say(f"Not marked: {escape(str(exc))}")
            return
        self._say(f"Outbox {item_id} marked sent.")
        await self.reload(keep)
