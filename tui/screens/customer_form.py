"""Customer entry: one keyboard form to create or edit an account.

Each field is checked as it is left, with the message beside it; F10 saves only when every field
is right. Saving over someone else's change since the form opened is refused, naming who and when.
"""
from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Static

from store.customers import CustomerData
from store.errors import BooksError
from store.money import plain_amount
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.books_screen import UsesBooks
from tui.typeahead import FormScreen
from tui.widgets.footer import KeyFooter

FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Name"), ("contact_name", "Contact"), ("address1", "Address"), ("address2", ""),
    ("city", "City"), ("region", "State/region"), ("postcode", "Postcode"), ("country", "Country"),
    ("email", "E-mail"), ("phone", "Phone"),
    ("currency", "Currency"), ("terms_days", "Terms (days)"), ("credit_limit_minor", "Credit limit"),
    ("tax_id", "Tax id"), ("tax_code", "Tax code"), ("channel", "Send by"), ("notes", "Notes"),
)


def field_texts(data: CustomerData) -> dict[str, str]:
    """A customer as the text an operator edits (amounts as plain decimals)."""
    texts = {key: str(getattr(data, key)) for key, _ in FIELDS}
    limit = data.credit_limit_minor
    texts["credit_limit_minor"] = plain_amount(limit, data.currency) if limit else ""
    return texts


class FieldRow(Horizontal):
    DEFAULT_CSS = """
    FieldRow { height: 1; }
    FieldRow > .label { width: 14; }
    FieldRow > Input { width: 36; border: none; height: 1; padding: 0; background: $boost; }
    FieldRow > Input:focus { border: none; background: $accent 30%; }
    FieldRow > .error { width: 1fr; padding: 0 0 0 1; color: $error; text-style: bold; }
    """

    def __init__(self, key: str, label: str, value: str) -> None:
        super().__init__(id=f"row-{key}")
        self.key, self.label, self.value = key, label, value

    def compose(self) -> ComposeResult:
        yield Static(self.label, classes="label")
        yield Input(self.value, id=f"f-{self.key}")
        yield Static("", classes="error", id=f"e-{self.key}")


class CustomerFormScreen(UsesBooks, FormScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10", "save", "Save"),
        Binding("ctrl+g", "save", "Save", show=False),
        Binding("escape", "leave", "Back"),
        Binding("down", "app.focus_next", "Next field", show=False),
        Binding("up", "app.focus_previous", "Previous field", show=False),
    ]
    DEFAULT_CSS = """
    CustomerFormScreen #form-title { height: 1; text-style: bold; }
    CustomerFormScreen #form-status { height: 1; color: $text-muted; }
    """

    def __init__(self, account_no: str | None) -> None:
        super().__init__()
        self.account_no = account_no
        self.version: int | None = None
        self.original: dict[str, str] = {}
        self.base: CustomerData | None = None  # the account as read: what it already holds is not re-checked
        self.errors: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield HeaderLine("Customer")
        title = f"Edit account {self.account_no}" if self.account_no else "New customer"
        yield Static(title, id="form-title")
        with VerticalScroll(id="form"):
            for key, label in FIELDS:
                yield FieldRow(key, label, "")
        yield Static("Enter: next field.  F10: save.  Esc: back.", id="form-status")
        yield KeyFooter()

    async def on_mount(self) -> None:
        if self.account_no:
            view = await in_db(self.services.customer_view, self.account_no)
            data = await in_db(self.services.customer_data, self.account_no)
            self.version = view.version
            self.base = data
            self.original = field_texts(data)
        else:
            self.original = field_texts(CustomerData(name=""))
        for key, value in self.original.items():
            self.query_one(f"#f-{key}", Input).value = value
        self.query_one("#f-name", Input).focus()

    def values(self) -> dict[str, str]:
        return {key: self.query_one(f"#f-{key}", Input).value for key, _ in FIELDS}

    @on(Input.Blurred)
    def check_field(self, event: Input.Blurred) -> None:
        self.check(self.values())

    def check(self, values: dict[str, str]) -> CustomerData | None:
        """Show each field's message beside it; the data when all are right."""
        data, errors = self.services.parse_customer_fields(values, self.base)
        self.errors = errors
        for key, _ in FIELDS:
            # Beside the field its text need not be quoted again: "is not an e-mail address" fits.
            message = errors.get(key, "").removeprefix(f"'{values[key].strip()}' ")
            self.query_one(f"#e-{key}", Static).update(escape(message))
        return data

    def action_save(self) -> None:
        data = self.check(self.values())
        if data is None:
            first = next(iter(self.errors))
            self.query_one("#form-status", Static).update(f"Not saved: {len(self.errors)} field(s) to correct.")
            self.query_one(f"#f-{first}", Input).focus()
            return
        self.run_worker(self._save(data), exclusive=True, group="save")

    async def _save(self, data: CustomerData) -> None:
        status = self.query_one("#form-status", Static)
        try:
            if self.account_no:
                row = await in_db(self.services.update_customer, self.account_no, data, self.version)
                message = f"Saved {row.account_no}."
            else:
                row = await in_db(self.services.create_customer, data)
                message = f"Created account {row.account_no}."
        except BooksError as exc:
            status.update(f"Not saved: {escape(str(exc))}")
            return
        self.notify(message, timeout=3)
        self.dismiss(True)

    def action_leave(self) -> None:
        if self.values() == self.original:
            self.dismiss(False)
            return
        from tui.screens.confirm import ConfirmScreen

        self.app.push_screen(ConfirmScreen("Discard what you typed?"), lambda yes: yes and self.dismiss(False))
