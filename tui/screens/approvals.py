"""Four eyes on screen: the approvals queue, and the confirmation every decision passes through.

Approving posts money, so it takes a function key (or its Ctrl twin), never a printable key, and
then a confirmation that says what will happen. The confirmation drops every key that was typed
before it appeared: a second F10 already in the type-ahead (a bounce, an impatient double press
over a slow link) must not answer a question nobody has read yet.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any, ClassVar

from rich.markup import escape
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from store.approvals import ApprovalRow
from store.errors import BooksError, NeedsApproval
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.books_screen import UsesBooks
from tui.screens.prompt import TextPrompt
from tui.widgets.footer import KeyFooter

APPROVE_KEYS, REJECT_KEYS = "f10,ctrl+g", "f9,ctrl+y"
CONFIRM_KEYS = ("f10", "ctrl+g")

# What approving each kind does to the books, said before it is done.
EFFECT = {
    "refund": "pays the refund out now: the customer's credit is used and the bank is credited",
    "write_off": "writes the amount off now: bad debts are debited, receivables credited",
    "credit_note": "posts the credit note now and applies it to the invoice",
    "collections": "sends the account to collections now: no more invoices or reminders",
    "period_reopen": "reopens the closed period: documents dated in it can be posted again",
}


def describe(row: ApprovalRow) -> str:
    return (f"{row.what()}\nasked by {row.requested_by} at {row.requested_at}\n"
            f"reason: {row.reason}")


class DecisionConfirm(ModalScreen[bool]):
    """Yes only by F10 / Ctrl+G pressed after the question appeared; Esc (or n) is no."""

    DEFAULT_CSS = """
    DecisionConfirm { align: center middle; }
    DecisionConfirm > Vertical { width: 76; height: auto; border: heavy $warning; background: $surface;
                                 padding: 0 1; }
    DecisionConfirm #decision-keys { color: $text-muted; }
    """

    def __init__(self, question: str, yes_label: str) -> None:
        super().__init__()
        self.question, self.yes_label = question, yes_label
        self.shown_at = math.inf  # nothing counts until the question is on screen

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="decision-question", markup=False)
            yield Static(f"F10 / Ctrl+G {self.yes_label}    Esc / n cancel", id="decision-keys")

    def on_mount(self) -> None:
        self.call_after_refresh(self._shown)

    def _shown(self) -> None:
        self.shown_at = time.monotonic()

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        if event.time < self.shown_at:  # typed before the question could be read
            return
        if event.key in CONFIRM_KEYS:
            self.dismiss(True)
        elif event.key in ("escape", "n", "N"):
            self.dismiss(False)
        else:
            self.app.bell()


class Decides(UsesBooks, Screen[None]):
    """A screen that approves / rejects the request it has selected (the approvals queue, My work)."""

    def selected_request(self) -> int | None:
        raise NotImplementedError

    def decided(self, message: str) -> None:
        raise NotImplementedError

    def refresh_requests(self) -> None:
        raise NotImplementedError

    def action_approve(self) -> None:
        request_id = self.selected_request()
        if request_id is not None:
            self.run_worker(self._ask(request_id, approve=True))

    def action_reject(self) -> None:
        request_id = self.selected_request()
        if request_id is None:
            return
        def reasoned(reason: str | None) -> None:
            if reason:
                self.run_worker(self._ask(request_id, reason=reason))

        self.app.push_screen(TextPrompt(f"Reject request {request_id}: the reason (the requester sees it)"), reasoned)

    async def _ask(self, request_id: int, approve: bool = False, reason: str = "") -> None:
        services = self.services
        try:
            row = await in_db(services.get_request, request_id)
        except BooksError as exc:
            self.decided(f"Not done: {exc}")
            return
        if approve:
            question = (f"Approve request {row.id}?\n{describe(row)}\n\n"
                        f"Approving {EFFECT.get(row.kind, 'carries it out now')}.")
            call: Callable[[], Any] = lambda: services.approve_request(row.id)  # noqa: E731
        else:
            question = (f"Reject request {row.id}?\n{describe(row)}\n\n"
                        f"Nothing is posted; {row.requested_by} sees why: {reason}")
            call = lambda: services.reject_request(row.id, reason)  # noqa: E731
        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._decide(call))

        self.app.push_screen(DecisionConfirm(question, "approve" if approve else "reject"), answered)

    async def _decide(self, call: Callable[[], ApprovalRow]) -> None:
        try:
            row = await in_db(call)
        except BooksError as exc:
            self.decided(f"Not done: {exc}")
            return
        if row.status == "approved":
            self.decided(f"Request {row.id} approved: {row.outcome}.")
        else:
            self.decided(f"Request {row.id} rejected.")
        self.refresh_requests()


def offer_request(screen: Any, refusal: NeedsApproval, report: Callable[[str], None]) -> None:
    """A service said "not alone": ask for the reason and file the request instead of failing."""
    async def file(reason: str) -> None:
        try:
            row = await in_db(screen.app.context.services.request_from, refusal, reason)
        except BooksError as exc:
            report(f"Not done: {exc}")
            return
        report(f"Request {row.id} filed: {row.what()} waits for a supervisor's approval.")

    def reasoned(reason: str | None) -> None:
        if reason:
            screen.run_worker(file(reason))

    screen.app.push_screen(TextPrompt(f"{refusal}. Ask for approval: your reason (Esc: do not ask)"), reasoned)


def request_cells(row: ApprovalRow) -> tuple[str, ...]:
    return (str(row.id), row.kind.replace("_", " "), row.subject, row.what().rsplit(" ", 1)[-1]
            if row.amount_minor else "", row.requested_by, row.requested_at[5:], row.reason[:24])


REQUEST_COLUMNS = ("#", "Kind", "About", "Amount", "Asked by", "When", "Reason")


class ApprovalsScreen(Decides):
    """Every pending request (supervisors decide; everyone may look), oldest first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding(APPROVE_KEYS, "approve", "Approve"),
        Binding(REJECT_KEYS, "reject", "Reject"),
    ]
    DEFAULT_CSS = """
    ApprovalsScreen #approvals-detail { height: 4; padding: 0 1; color: $text-muted; }
    ApprovalsScreen #approvals-status { height: 1; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield HeaderLine("Approvals")
        yield DataTable(id="approvals", cursor_type="row", zebra_stripes=True)
        yield Static("", id="approvals-detail", markup=False)
        yield Static("", id="approvals-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#approvals", DataTable).add_columns(*REQUEST_COLUMNS)
        self.query_one("#approvals", DataTable).focus()
        self.refresh_requests()

    def refresh_requests(self) -> None:
        self.run_worker(self._load(), exclusive=True, group="approvals")

    async def _load(self) -> None:
        rows = await in_db(self.services.list_requests)
        self.rows = {str(r.id): r for r in rows}
        table = self.query_one("#approvals", DataTable)
        table.clear()
        for row in rows:
            table.add_row(*request_cells(row), key=str(row.id))
        if not rows:
            self.query_one("#approvals-detail", Static).update("Nothing waits for approval.")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = getattr(self, "rows", {}).get(event.row_key.value or "")
        if row is not None:
            self.query_one("#approvals-detail", Static).update(describe(row))

    def selected_request(self) -> int | None:
        table = self.query_one("#approvals", DataTable)
        if table.row_count == 0:
            self.decided("Nothing to decide.")
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or 0)

    def decided(self, message: str) -> None:
        self.query_one("#approvals-status", Static).update(escape(message))
