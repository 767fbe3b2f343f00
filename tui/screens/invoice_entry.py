"""Invoice entry, built for heads-down keying from a pile of orders.

Every field is one row, so a whole invoice fits 80x24 and a keystroke redraws little over SSH.
Enter moves to the next field; Enter on a line's last field opens the next line. Lines are checked
against a catalogue loaded once, so leaving a field costs no query. Posting clears the form at
once, with the cursor in the customer field, and posts in the background: whatever is typed
meanwhile goes into the next invoice.
"""
from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Static

from store.dates import parse_date
from store.errors import ValidationError
from tui.answers import answered
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.confirm import ConfirmScreen
from tui.screens.entry_keys import LineKeys
from tui.screens.entry_lines import HEADER_FIELDS, LABELS, LINE_FIELDS, POOL, LineRow, LinesArea, Pending  # noqa: F401  (tests and bench import these here)
from tui.screens.entry_posting import EntryPosting
from tui.widgets.cell import Cell
from tui.widgets.footer import KeyFooter


class InvoiceEntryScreen(EntryPosting, LineKeys):
    CSS_PATH = "invoice_entry.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10", "post", "Post", priority=True),
        Binding("f7", "save_draft", "Draft", priority=True),
        Binding("f8", "dup", "Dup", priority=True),
        Binding("shift+f8", "dup_line", "Dup line", show=False, priority=True),
        Binding("f9", "delete_line", "Del line"),
        Binding("f4", "prompt", "List"),
        Binding("ctrl+o", "drafts", "Drafts"),
        Binding("ctrl+t", "catalogue", "Items & tax", show=False),
        Binding("ctrl+up", "move_line(-1)", "Line up", show=False),
        Binding("ctrl+down", "move_line(1)", "Line down", show=False),
        Binding("alt+up", "move_line(-1)", "Line up", show=False),
        Binding("alt+down", "move_line(1)", "Line down", show=False),
        Binding("escape", "leave", "Back"),
        Binding("enter", "next_field", "Next field", show=False, priority=True),
    ]

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield HeaderLine("Invoice entry")
        yield Static("New invoice", id="inv-title")
        with Horizontal(classes="head"):
            yield Static("Customer", classes="lbl")
            yield Input(id="f-customer", classes="w-customer")
            yield Static("", id="cust-info")
        with Horizontal(classes="head"):
            yield Static("Date", classes="lbl")
            yield Input(id="f-date", classes="w-date")
            yield Static("Due", classes="lbl2")
            yield Input(id="f-due", classes="w-date")
            yield Static("Ref", classes="lbl2")
            yield Input(id="f-reference", classes="w-ref")
            yield Static("Memo", classes="lbl2")
            yield Input(id="f-memo", classes="w-memo")
        yield Static(" #  Item     Description" + " " * 10 + "Qty     Price      Disc  Tax         Net",
                     id="grid-head")
        yield LinesArea(*(LineRow() for _ in range(POOL)), id="lines")
        yield Cell("", id="field-error")
        yield Cell("", id="totals")
        yield KeyFooter()

    async def on_mount(self) -> None:
        self.catalogue = await in_db(self.services.load_catalogue)
        self.suggest_items()
        self.rounding = await in_db(self.services.tax_rounding)
        self.query_one("#f-date", Input).value = self.today.isoformat()
        self.renumber()
        if self.start_draft:
            await self.load_document(await in_db(self.services.draft_view, self.start_draft), as_draft=True)
        elif self.copy_of:
            await self.load_document(await in_db(self.services.invoice_view, self.copy_of), as_draft=False)
        elif self.start_account:
            self.query_one("#f-customer", Input).value = self.start_account
            await self.load_customer(self.start_account)
            self.set_focus(self.query_one("#f-reference", Input))
            return
        self.set_focus(self.query_one("#f-customer", Input))

    @on(Input.Blurred)
    def field_left(self, event: Input.Blurred) -> None:
        field = event.input
        if field.parent is None or not self.is_attached or getattr(field.parent, "gone", False):
            return  # the field went with a cleared form
        if field.id == "f-customer":
            account = field.value.strip()
            if account and (self.customer is None or self.customer.account_no != account):
                self.run_worker(self.load_customer(account), exclusive=True, group="customer")
            return
        if field.id in ("f-date", "f-due") and field.value.strip():
            try:
                field.value = parse_date(field.value, "date", self.today).isoformat()
            except ValidationError as exc:
                self.show_error(str(exc))
                return
        if field.name == "item" and field.value.strip() and self.catalogue:
            self.fill_from_item(field)
        self.show_totals()
        _lines, errors = self.parse_lines()
        if self.keep_message:
            self.keep_message = False
            return
        self.show_error(next(iter(errors.values()), ""))

    @on(Input.Changed)
    def count_typing(self) -> None:
        self.touched = True

    def action_catalogue(self) -> None:
        from tui.screens.catalogue import CatalogueScreen

        async def reload_catalogue(_result: object = None) -> None:
            self.catalogue = await in_db(self.services.load_catalogue)
            self.suggest_items()

        def reload(_result: object) -> None:
            self.run_worker(reload_catalogue())

        self.app.push_screen(CatalogueScreen(), reload)

    def action_drafts(self) -> None:
        from tui.screens.drafts import DraftsScreen

        def reopen(draft_id: int | None) -> None:
            if draft_id is not None:
                self.run_worker(self._reopen(draft_id))

        self.app.push_screen(DraftsScreen(), reopen)

    async def _reopen(self, draft_id: int) -> None:
        await self.load_document(await in_db(self.services.draft_view, draft_id), as_draft=True)
        self.set_focus(self.query_one("#f-customer", Input))

    def has_unsaved_work(self) -> bool:
        """Typed since the form was last empty (Ctrl+Q and Esc ask before losing it)."""
        values = self.form_values()
        return self.touched and bool(values["lines"] or any(v for k, v in values.items() if k not in ("date", "lines")))

    WORK_NAME = "the invoice you are typing"

    def reset_job(self) -> None:
        """F3: a new invoice. One in progress is kept as a draft (Ctrl+O lists it); one that cannot be
        a draft yet (no customer, say) is discarded only if the operator says so."""
        if not self.has_unsaved_work():
            self.clear_form()
            self.query_one("#inv-title", Static).update("New invoice")
            return
        data, errors = self.collect()
        if data is not None:
            self.submit(post=False)  # saved as a draft in the background; the form is new at once
            return
        reason = next(iter(errors.values()), "")

        def discard(yes: bool | None) -> None:
            if yes:
                self.clear_form()
                self.query_one("#inv-title", Static).update("New invoice")

        self.app.push_screen(ConfirmScreen(f"The invoice on screen cannot be kept as a draft ({reason}).\n"
                                           "Discard it for a new one? n keeps it."), discard)

    def action_leave(self) -> None:
        """Esc: back, or (where this is the job's own screen) a blank form; asks first if typing would be lost."""

        def leave() -> None:
            if len(self.app.screen_stack) > 1:
                self.app.pop_screen()
            else:
                self.clear_form()
                self.query_one("#inv-title", Static).update("New invoice")

        if not self.has_unsaved_work():
            leave()
            return
        self.app.push_screen(ConfirmScreen("Discard the invoice you are typing?"), answered(lambda _yes: leave()))
