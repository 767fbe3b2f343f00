"""Recording a payment by hand (from the queue, n, or an account): allocated on the spot."""
from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Static

from store.dates import parse_date
from store.errors import BooksError, ValidationError
from store.money import format_amount, format_money, parse_amount
from store.payment_methods import DEFAULT_METHOD, METHODS, complete_method
from tui.cells import cut
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.books_screen import UsesBooks
from tui.screens.confirm import leave_asking
from tui.typeahead import FormScreen
from tui.widgets.footer import KeyFooter


class PaymentEntryScreen(UsesBooks, FormScreen):
    """A payment keyed by hand, allocated on the spot: oldest first by one key, or amounts typed."""

    CSS_PATH = "payment_entry.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10", "save", "Save"),
        Binding("ctrl+g", "save", "Save", show=False),
        Binding("f9", "oldest_first", "Oldest first"),
        Binding("f4", "pick_method", "Methods"),
        Binding("escape", "leave", "Back"),
    ]
    FIELDS = (("customer", "Customer", 9), ("date", "Date", 11), ("method", "Method", 14), ("amount", "Amount", 11),
              ("reference", "Reference", 14), ("payer", "Payer", 0))

    def __init__(self, account_no: str | None) -> None:
        super().__init__()
        self.account_no = account_no
        self.currency = "GBP"
        self.open: list[tuple[str, int]] = []
        self.initial: dict[str, str] = {}  # what the screen filled in itself

    def compose(self) -> ComposeResult:
        yield HeaderLine("Record a payment")
        for key, label, _width in self.FIELDS:
            with Horizontal(classes="prow"):
                yield Static(label, classes="plabel")
                yield Input(id=f"p-{key}", classes="pinput")
                yield Static("", id=f"pe-{key}", classes="perror")
        yield Static("Open invoices: type an amount against each, or F9 for oldest first", id="open-title")
        yield Horizontal(id="alloc-rows")
        yield Static("", id="left-to-allocate")
        yield KeyFooter()

    async def on_mount(self) -> None:
        today = self.app.context.today
        self.query_one("#p-date", Input).value = today.isoformat()
        method = self.query_one("#p-method", Input)
        method.value = DEFAULT_METHOD
        method.check = self.complete_method  # type: ignore[attr-defined]  # FormScreen asks it on Enter
        if self.account_no:
            self.query_one("#p-customer", Input).value = self.account_no
            await self.load_open(self.account_no)
            self.query_one("#p-amount", Input).focus()
        else:
            self.query_one("#p-customer", Input).focus()
        self.initial = self.typed()

    def typed(self) -> dict[str, str]:
        return {field.id or "": field.value.strip() for field in self.query(Input) if field.value.strip()}

    def has_unsaved_work(self) -> bool:
        """Anything typed beyond what the screen filled in itself (Esc and Ctrl+Q ask before losing it)."""
        typed = self.typed()
        return any(value != self.initial.get(key) for key, value in typed.items())

    async def load_open(self, account: str) -> None:
        try:
            view = await in_db(self.services.customer_view, account)
        except BooksError as exc:
            self.query_one("#pe-customer", Static).update(str(exc))
            return
        self.query_one("#pe-customer", Static).update(cut(view.name, 43))  # the room right of the field
        self.currency = view.currency
        method = self.query_one("#p-method", Input)
        if method.value.strip() in ("", DEFAULT_METHOD, self.initial.get("p-method")):  # not typed by the operator
            method.value = await in_db(self.services.usual_method, view.id)
            self.initial["p-method"] = method.value
        docs = [d for d in await in_db(self.services.open_documents, view.id) if d.open_minor > 0]
        self.open = [(d.number, d.open_minor) for d in docs]
        container = self.query_one("#alloc-rows")
        await container.remove_children()
        rows = []
        for d in docs[:8]:
            label = f"{d.number}  due {d.due_date}  open {format_amount(d.open_minor, view.currency):>10}"
            rows.append(Horizontal(Static(label, classes="alabel"), Input(id=f"a-{d.number}", classes="ainput"),
                                   classes="arow"))
        await container.mount_all(rows)
        self.update_left()

    def entered(self, field: Widget | None) -> None:
        if isinstance(field, Input) and field.id == "p-customer" and field.value.strip():
            self.run_worker(self.load_open(field.value.strip()), exclusive=True, group="open")

    def complete_method(self) -> bool:
        """Enter on the method: 'ch' becomes cheque; a method that is none of the list (or the start of
        several) keeps the cursor there, typing held, and the message says which there are."""
        field = self.query_one("#p-method", Input)
        try:
            field.value = complete_method(field.value)
        except ValidationError as exc:
            self.query_one("#pe-method", Static).update(exc.message)
            return False
        self.query_one("#pe-method", Static).update("")
        return True

    def action_pick_method(self) -> None:
        """F4: the methods as a list (type to narrow, Enter picks); the cursor goes on to the amount."""
        from tui.screens.picker import PickCodeScreen

        def picked(method: str | None) -> None:
            if method:
                self.query_one("#p-method", Input).value = method
                self.query_one("#pe-method", Static).update("")
                self.query_one("#p-amount", Input).focus()

        labels = [(m, m.replace("_", " ").capitalize()) for m in METHODS]
        self.app.push_screen(PickCodeScreen("Pick the payment method", labels), picked)

    @on(Input.Blurred)
    def update_left(self) -> None:
        amount, allocations, _errors = self.read()
        left = (amount or 0) - sum(a for _n, a in allocations)
        self.query_one("#left-to-allocate", Static).update(
            f"Left to allocate: [b]{format_money(left, self.currency)}[/b]"
            + ("  (stays as credit)" if left > 0 else ""))

    def read(self) -> tuple[int | None, list[tuple[str, int]], dict[str, str]]:
        errors: dict[str, str] = {}
        amount = None
        try:
            amount = parse_amount(self.query_one("#p-amount", Input).value, self.currency, "amount")
        except ValidationError as exc:
            errors["amount"] = exc.message
        allocations = []
        for number, _open in self.open[:8]:
            text = self.query_one(f"#a-{number}", Input).value.strip()
            if text:
                try:
                    allocations.append((number, parse_amount(text, self.currency, number)))
                except ValidationError as exc:
                    errors["amount"] = f"{number}: {exc.message}"
        return amount, allocations, errors

    def action_oldest_first(self) -> None:
        amount, _allocations, _errors = self.read()
        left = amount or 0
        for number, open_minor in self.open[:8]:
            take = min(left, open_minor)
            self.query_one(f"#a-{number}", Input).value = format_amount(take, self.currency) if take > 0 else ""
            left -= max(take, 0)
        self.update_left()

    def action_save(self) -> None:
        from store.payments import PaymentInput

        amount, allocations, errors = self.read()
        value = {k: self.query_one(f"#p-{k}", Input).value.strip() for k, _l, _w in self.FIELDS}
        date = None
        try:
            date = parse_date(value["date"], "date", self.app.context.today)
        except ValidationError as exc:
            errors["date"] = exc.message
        if not value["customer"]:
            errors["customer"] = "type the account number"
        try:
            value["method"] = complete_method(value["method"])
        except ValidationError as exc:
            errors["method"] = exc.message
        for key, _l, _w in self.FIELDS:
            self.query_one(f"#pe-{key}", Static).update(errors.get(key, "") if key != "customer" or
                                                         "customer" in errors else
                                                         str(self.query_one("#pe-customer", Static).render()))
        if errors or amount is None or date is None:
            return
        data = PaymentInput(amount, self.currency, value["method"], date, value["customer"], value["reference"],
                            value["payer"])
        self.run_worker(self._save(data, allocations), exclusive=True)

    async def _save(self, data, allocations: list[tuple[str, int]]) -> None:
        try:
            result = await in_db(self.services.record_and_allocate, data, allocations)
        except BooksError as exc:
            self.query_one("#left-to-allocate", Static).update(f"[b]Not saved:[/b] {escape(str(exc))}")
            return
        self.notify(f"Recorded {result.payment}: allocated {format_money(result.allocated_minor, data.currency)}, "
                    f"{format_money(result.unallocated_minor, data.currency)} left as credit", timeout=5)
        self.dismiss(True)

    def action_leave(self) -> None:
        leave_asking(self, lambda: self.dismiss(False), "Discard the payment you are typing?")

