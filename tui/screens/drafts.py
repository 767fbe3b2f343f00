"""Drafts waiting to be finished: Enter reopens one in invoice entry, x discards it."""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from store.errors import BooksError
from store.money import format_amount
from tui.answers import answered
from tui.cells import cut, right
from tui.dbwork import in_db
from tui.screens.confirm import ConfirmScreen


class DraftsScreen(ModalScreen[int | None]):
    DEFAULT_CSS = """
    DraftsScreen { align: center middle; }
    DraftsScreen > Vertical { width: 78; height: 20; border: round $accent; background: $surface; }
    DraftsScreen DataTable { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close"),
        Binding("enter", "reopen", "Reopen", priority=True),
        Binding("x", "discard", "Discard"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Drafts  (Enter reopens, x discards, Esc closes)", id="drafts-title")
            yield DataTable(id="drafts", cursor_type="row")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Draft", "Account", "Customer", "Date", "Lines", "Total", "By")
        self.query_one(DataTable).focus()
        self.run_worker(self.load(), exclusive=True)

    async def load(self) -> None:
        drafts = await in_db(self.app.context.services.list_drafts)  # type: ignore[attr-defined]
        table = self.query_one(DataTable)
        table.clear()
        for d in drafts:
            table.add_row(str(d.id), d.account_no, cut(d.customer_name, 17), str(d.issue_date), str(d.lines),
                          right(format_amount(d.total_minor, d.currency)), d.created_by, key=str(d.id))
        if not drafts:
            self.query_one("#drafts-title", Static).update("No drafts.  (Esc closes)")

    def selected(self) -> int | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or 0)

    def action_reopen(self) -> None:
        self.dismiss(self.selected())

    def action_discard(self) -> None:
        draft = self.selected()
        if draft is None:
            return

        async def discard() -> None:
            try:
                await in_db(self.app.context.services.delete_draft, draft)  # type: ignore[attr-defined]
            except BooksError as exc:
                self.notify(str(exc), severity="error", markup=False)
            await self.load()

        self.app.push_screen(ConfirmScreen(f"Discard draft {draft}?"), answered(lambda yes: self.run_worker(discard())))

    def action_cancel(self) -> None:
        self.dismiss(None)
