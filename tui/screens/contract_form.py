"""A new recurring contract: one small form (F10 saves, Esc cancels); the run bills it from its start."""
from __future__ import annotations

from typing import Any, ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from store.contracts import parse_contract_fields
from store.errors import BooksError
from tui.dbwork import in_db
from tui.keyorder import shown_now
from tui.typeahead import caught_up

FIELDS: tuple[tuple[str, str, str], ...] = (
    ("account", "Account", ""), ("item", "Item code", "blank: a free-text line"),
    ("description", "Description", "blank: the item's"), ("quantity", "Quantity", ""),
    ("price", "Unit price", "blank: the catalogue's at billing"), ("tax_code", "Tax code", "blank: the item's"),
    ("period", "Period", "monthly, quarterly, yearly"), ("billing", "Billing", "advance or arrears"),
    ("start", "Start", "2026-12-01, 15/11, t"), ("end", "End", "blank: open-ended"),
)


class ContractFormScreen(ModalScreen[Any]):
    """Answers the saved store.contracts.ContractRow, or None (Esc)."""

    DEFAULT_CSS = """
    ContractFormScreen { align: center middle; }
    ContractFormScreen > Vertical { width: 76; height: auto; border: round $accent; background: $surface; }
    ContractFormScreen Horizontal { height: 1; }
    ContractFormScreen .label { width: 13; }
    ContractFormScreen Input { width: 26; border: none; height: 1; padding: 0; background: $boost; }
    ContractFormScreen Input:focus { background: $accent 30%; }
    ContractFormScreen .hint { width: 1fr; padding: 0 0 0 1; color: $text-muted; }
    ContractFormScreen #contract-status { height: auto; color: $error; }
    """
    DISCARDS_TYPE_AHEAD = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "next_field", "Next field", show=False, priority=True),
        Binding("f10", "save", "Save"),
        Binding("ctrl+g", "save", "Save", show=False),
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "app.focus_next", "Next field", show=False),
        Binding("up", "app.focus_previous", "Previous field", show=False),
    ]

    def __init__(self, account_no: str = "") -> None:
        super().__init__()
        self.defaults = {"account": account_no, "quantity": "1", "period": "monthly", "billing": "advance"}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("New recurring contract  (Enter next field, F10 save, Esc cancel)")
            for key, label, hint in FIELDS:
                with Horizontal():
                    yield Static(label, classes="label")
                    yield Input(self.defaults.get(key, ""), id=f"c-{key}")
                    yield Static(hint, classes="hint")
            yield Static("", id="contract-status")

    def on_mount(self) -> None:
        self.query_one("#c-account" if not self.defaults["account"] else "#c-item", Input).focus()
        shown_now(self)

    async def action_next_field(self) -> None:
        await caught_up(self.focused)  # keys typed ahead go to the field they were typed for
        self.focus_next()

    def values(self) -> dict[str, str]:
        return {key: self.query_one(f"#c-{key}", Input).value for key, _label, _hint in FIELDS}

    def action_save(self) -> None:
        self.run_worker(self.save(), exclusive=True)

    async def save(self) -> None:
        await caught_up(self.focused)
        status = self.query_one("#contract-status", Static)
        services = self.app.context.services  # type: ignore[attr-defined]
        try:
            data = parse_contract_fields(self.values(), self.app.context.today)  # type: ignore[attr-defined]
            row = await in_db(services.add_contract, data)
        except BooksError as exc:
            status.update(escape(f"Not saved: {exc}"))
            return
        self.dismiss(row)

    def action_cancel(self) -> None:
        self.dismiss(None)
