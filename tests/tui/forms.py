"""A small form of the reusable fields, for tests, snapshots and trying them in tmux (run_shell.py --form)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.widgets import AmountInput, DateInput, FieldInput, FieldRow

TODAY = dt.date(2026, 11, 22)


@dataclass(frozen=True)
class FormContext:
    today: dt.date = TODAY


class PaymentForm(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f10", "save", "Save"),
                                             Binding("ctrl+g", "save", "Save", show=False)]

    def compose(self) -> ComposeResult:
        yield Static("Record a payment (a form of the reusable fields)", id="form-title")
        yield FieldRow("Customer", FieldInput(id="customer", required=True))
        yield FieldRow("Received", DateInput(id="received", field="received", required=True))
        yield FieldRow("Due", DateInput(id="due", field="due date"))
        yield FieldRow("Amount", AmountInput(id="amount", currency="GBP", required=True))
        yield FieldRow("Fee (JPY)", AmountInput(id="fee", currency="JPY", field="fee"))
        yield Static("", id="form-status")
        yield Footer()

    def __init__(self) -> None:
        super().__init__()
        self.checked: list[tuple[str | None, str, object]] = []

    def on_field_input_checked(self, event: FieldInput.Checked) -> None:
        self.checked.append((event.field.id, event.error, event.value))

    def action_save(self) -> None:
        fields = list(self.query(FieldInput))
        bad = [f for f in fields if not f.check(final=True)]
        status = self.query_one("#form-status", Static)
        if bad:
            status.update(f"Not saved: {len(bad)} field(s) to correct")
            self.set_focus(bad[0])
            return
        status.update("Saved: " + ", ".join(f"{f.id}={f.parsed}" for f in fields))


class FormApp(App[None]):
    def __init__(self, today: dt.date = TODAY) -> None:
        super().__init__()
        self.context = FormContext(today)

    def on_mount(self) -> None:
        self.push_screen(PaymentForm())
