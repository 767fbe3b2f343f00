"""Split a payment across invoices with amounts typed: the account's open invoices, one field each."""
from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from store.errors import BooksError, ValidationError
from store.money import format_amount, format_money, parse_amount
from tui.dbwork import in_db


class SplitScreen(ModalScreen[list[tuple[str, int]] | None]):
    DEFAULT_CSS = """
    SplitScreen { align: center middle; }
    SplitScreen > Vertical { width: 70; height: 20; border: round $accent; background: $surface; padding: 0 1; }
    SplitScreen .srow { height: 1; }
    SplitScreen .slabel { width: 44; }
    SplitScreen Input { border: none; height: 1; padding: 0; width: 14; background: $boost; }
    SplitScreen #split-list { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f10", "done", "Apply"),
                                             Binding("ctrl+g", "done", "Apply", show=False),
                                             Binding("escape", "cancel", "Cancel")]

    def __init__(self, payment: str, amount_minor: int, currency: str, account_no: str | None) -> None:
        super().__init__()
        self.payment, self.amount, self.currency, self.account_no = payment, amount_minor, currency, account_no
        self.open: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Split {self.payment} ({format_money(self.amount, self.currency)}): account")
            yield Input(self.account_no or "", id="split-account")
            yield VerticalScroll(id="split-list")
            yield Static("", id="split-left")
            yield Static("Enter: next.  F10: apply.  Esc: cancel.")

    async def on_mount(self) -> None:
        if self.account_no:
            await self.load(self.account_no)
        else:
            self.query_one("#split-account", Input).focus()

    async def load(self, account: str) -> None:
        services = self.app.context.services  # type: ignore[attr-defined]
        listing = self.query_one("#split-list")
        await listing.remove_children()
        try:
            view = await in_db(services.customer_view, account)
        except BooksError as exc:
            self.query_one("#split-left", Static).update(str(exc))
            return
        docs = [d for d in await in_db(services.open_documents, view.id) if d.open_minor > 0]
        self.open = [d.number for d in docs]
        await listing.mount_all([
            Horizontal(Static(f"{d.number}  due {d.due_date}  open {format_amount(d.open_minor, view.currency):>10}",
                              classes="slabel"), Input(id=f"s-{d.number}"), classes="srow") for d in docs])
        if docs:
            self.query_one(f"#s-{docs[0].number}", Input).focus()
        self.show_left()

    @on(Input.Submitted)
    async def next_field(self, event: Input.Submitted) -> None:
        if event.input.id == "split-account":
            await self.load(event.input.value.strip())
            return
        self.show_left()
        self.focus_next()

    def read(self) -> tuple[list[tuple[str, int]], str]:
        out = []
        for number in self.open:
            text = self.query_one(f"#s-{number}", Input).value.strip()
            if not text:
                continue
            try:
                out.append((number, parse_amount(text, self.currency, number)))
            except ValidationError as exc:
                return [], str(exc)
        return out, ""

    def show_left(self) -> None:
        allocations, error = self.read()
        left = self.amount - sum(a for _n, a in allocations)
        self.query_one("#split-left", Static).update(
            error or f"Left to allocate {format_money(left, self.currency)}"
            + (" (stays as credit)" if left > 0 else " - more than the payment!" if left < 0 else ""))

    def action_done(self) -> None:
        allocations, error = self.read()
        if error or not allocations:
            self.query_one("#split-left", Static).update(error or "Type an amount against at least one invoice.")
            return
        self.dismiss(allocations)

    def action_cancel(self) -> None:
        self.dismiss(None)
