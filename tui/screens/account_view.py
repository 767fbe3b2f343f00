"""One account: who, terms, balance and aging at the top; its documents, payments, activity and notes below."""
from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from store.dates import parse_date
from store.errors import BooksError, NeedsApproval, ValidationError
from store.kinds import CustomerStatus, DocumentKind, PaymentStatus
from store.money import format_amount, format_money, parse_amount
from store.queries import CustomerView, OpenDocument, open_key
from tui.answers import answered, answered_at_all
from tui.cells import money_cell, refill, right
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.approvals import offer_request
from tui.screens.books_screen import UsesBooks
from tui.screens.prompt import TextPrompt
from tui.widgets.footer import KeyFooter

STATUS_TEXT: dict[str, str] = {CustomerStatus.ACTIVE: "", CustomerStatus.ON_HOLD: "ON HOLD",
               CustomerStatus.IN_COLLECTIONS: "IN COLLECTIONS",
               CustomerStatus.CLOSED: "CLOSED"}
TABS = ("open", "documents", "payments", "activity", "notes")
OPEN_PAGE = 40  # open items read at a time: about three screens of them
OPEN_AHEAD = 15  # the next page is read when the cursor comes this near the last row read


def header_lines(v: CustomerView) -> list[str]:
    cur = v.currency
    flags = " ".join(f for f in (STATUS_TEXT.get(v.status, ""), "DISPUTED" if v.disputed else "") if f)
    aging = "  ".join(f"{k} {format_amount(a, cur)}" for k, a in v.aging.items())
    limit = format_money(v.credit_limit_minor, cur) if v.credit_limit_minor else "none"
    e = escape  # every customer field is the operator's text, never markup
    return [
        f"[b]{v.account_no}  {e(v.name)}[/b]" + (f"  [reverse] {flags} [/reverse]" if flags else "")
        + (f"  {e(v.hold_reason)}" if v.status == CustomerStatus.ON_HOLD and v.hold_reason else ""),
        e(f"{v.contact_name or '-'}  {v.email or '-'}  {v.phone or '-'}  "
          f"{', '.join(p for p in (v.city, v.region, v.postcode) if p)}"),
        f"Terms {v.terms_days}d  Limit {limit}  Balance [b]{format_money(v.balance_minor, cur)}[/b]  "
        f"Overdue {format_money(v.overdue_minor, cur)}  Credit {format_money(v.credit_minor, cur)}",
        f"Aging  {aging}",
    ]


class AccountViewScreen(UsesBooks, Screen[None]):
    CSS_PATH = "account_view.tcss"
    # Printable keys only open forms, move or refresh; whatever changes the account or moves money
    # takes a function key (the palette, Ctrl+P, finds each by name too): typed ahead, a letter
    # meant for a search field must never put an account on hold.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("n", "new_invoice", "New invoice"),
        Binding("p", "record_payment", "Payment"),
        Binding("a", "add_note", "Note"),
        Binding("e", "edit", "Edit"),
        Binding("f7", "toggle_hold", "Hold/release"),
        Binding("f8", "dispute", "Dispute"),
        Binding("f9", "promise", "Promise"),
        Binding("f10", "allocate", "Allocate", show=False),
        Binding("f4", "unallocate", "Unallocate", show=False),
        Binding("f11", "refund", "Refund credit", show=False),
        Binding("f12", "collections", "To collections", show=False),
        Binding("left", "tab(-1)", "Tab", show=False),
        Binding("right", "tab(1)", "Tab", show=False),
        Binding("r", "refresh", "Refresh", show=False),
    ]

    def __init__(self, account_no: str) -> None:
        super().__init__()
        self.account_no = account_no
        self.view: CustomerView | None = None
        self.last_open: OpenDocument | None = None  # the last open item read; None: no more to read
        self.reading_open = False

    def compose(self) -> ComposeResult:
        yield HeaderLine("Account")
        yield Static("Loading...", id="account-header")
        with TabbedContent(id="tabs", initial="open"):
            for tab, title in zip(TABS, ("Open items", "Documents", "Payments", "Activity", "Notes"), strict=False):
                with TabPane(title, id=tab):
                    yield DataTable(id=f"t-{tab}", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        columns = {
            "open": ("Document", "Issued", "Due", "Total", "Open", "Late", ""),
            "documents": ("Document", "Kind", "Status", "Issued", "Due", "Total", "Open"),
            "payments": ("Payment", "Received", "Method", "Amount", "Unalloc.", "Allocated to"),
            "activity": ("When", "Who", "What", "Ref", "Detail"),
            "notes": ("When", "Who", "Note"),
        }
        for tab, heads in columns.items():
            self.query_one(f"#t-{tab}", DataTable).add_columns(*heads)
        self.query_one("#t-open", DataTable).focus()
        self.action_refresh()

    def action_refresh(self) -> None:
        self.run_worker(self._load(), exclusive=True, group="account")

    async def _load(self) -> None:
        s, acc = self.services, self.account_no
        view = await in_db(s.customer_view, acc)
        opens = await in_db(s.open_documents_page, view.id, None, OPEN_PAGE)
        self.view = view
        cur = view.currency
        self.query_one("#account-header", Static).update("\n".join(header_lines(view)))
        self._fill("open", [self._open_cells(d, cur) for d in opens], [d.number for d in opens])
        self.last_open = opens[-1] if len(opens) == OPEN_PAGE else None
        # The open items are on screen now; the other tabs follow (each capped by its query).
        docs = await in_db(s.customer_documents, acc)
        pays = await in_db(s.customer_payments, acc)
        acts = await in_db(s.customer_activity, acc)
        notes = await in_db(s.customer_notes, acc)
        self._fill("documents", [(d.number, "credit" if d.kind == DocumentKind.CREDIT_NOTE else "invoice", d.status,
                                  str(d.issue_date), str(d.due_date), money_cell(d.total_minor, cur),
                                  money_cell(d.open_minor, cur)) for d in docs], [d.number for d in docs])
        self._fill("payments", [(p.number, str(p.received_date), p.method.replace("_", " "),
                                 money_cell(p.amount_minor, cur), money_cell(p.unallocated_minor, cur),
                                 ", ".join(f"{n} {format_amount(a, cur)}" for n, a in p.allocations) or
                                 ("returned" if p.status == PaymentStatus.RETURNED else "")) for p in pays],
                   [p.number for p in pays])
        self._fill("activity", [(f"{a.at:%Y-%m-%d %H:%M}", a.operator, a.action, a.entity_id, a.detail[:60])
                                for a in acts], None)
        self._fill("notes", [(f"{n.at:%Y-%m-%d %H:%M}", n.operator, n.text) for n in notes], None)

    @staticmethod
    def _open_cells(d: OpenDocument, cur: str) -> tuple[object, ...]:
        return (d.number, str(d.issue_date), str(d.due_date), money_cell(d.total_minor, cur),
                money_cell(d.open_minor, cur), right(d.days_past_due) if d.open_minor > 0 and d.days_past_due > 0
                else "", "DISP" if d.disputed else "")

    @on(DataTable.RowHighlighted, "#t-open")
    def _read_ahead(self, event: DataTable.RowHighlighted) -> None:
        """The next page of open items, read when the cursor nears the last row read (keyset: from the
        last row's due date and number, so a page never repeats or skips a row, whatever was added)."""
        if (self.last_open is not None and not self.reading_open
                and event.cursor_row >= event.data_table.row_count - OPEN_AHEAD):
            self.reading_open = True
            self.run_worker(self._more_open(self.last_open), group="account-open")

    async def _more_open(self, after: OpenDocument) -> None:
        try:
            if self.view is None:
                return
            page = await in_db(self.services.open_documents_page, self.view.id, open_key(after), OPEN_PAGE)
            if self.last_open is not after:  # reloaded meanwhile: this page follows rows no longer shown
                return
            table = self.query_one("#t-open", DataTable)
            for d in page:
                table.add_row(*self._open_cells(d, self.view.currency), key=d.number)
            self.last_open = page[-1] if len(page) == OPEN_PAGE else None
        finally:
            self.reading_open = False

    def _fill(self, tab: str, rows: list[tuple[object, ...]], keys: list[str] | None) -> None:
        refill(self.query_one(f"#t-{tab}", DataTable), rows, keys)

    @on(DataTable.RowSelected, "#t-open, #t-documents")
    def open_document(self, event: DataTable.RowSelected) -> None:
        from tui.screens.document_view import DocumentScreen

        if event.row_key.value:
            self.app.push_screen(DocumentScreen(event.row_key.value))

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        index = (TABS.index(tabs.active) + step) % len(TABS)
        tabs.active = TABS[index]
        self.query_one(f"#t-{TABS[index]}", DataTable).focus()

    async def _act(self, fn, *args, done: str, **kwargs) -> None:
        try:
            await in_db(fn, *args, **kwargs)
        except NeedsApproval as refusal:  # not alone: file the request instead of failing
            offer_request(self, refusal, lambda text: self.notify(text, markup=False, timeout=6))
            return
        except BooksError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=6)
            return
        self.notify(done, timeout=3, markup=False)
        await self._load()

    def action_add_note(self) -> None:
        def save(text: str | None) -> None:
            if text:
                self.run_worker(self._act(self.services.add_note, self.account_no, text, done="Note added."))

        self.app.push_screen(TextPrompt(f"Note for {self.account_no}:"), save)

    def action_toggle_hold(self) -> None:
        view = self.view
        if view is None:
            return
        if view.status == CustomerStatus.ON_HOLD:
            self.app.push_screen(TextPrompt(f"Release the hold on {view.account_no}? Reason (optional):",
                                            required=False),
                                 answered_at_all(lambda r: self.run_worker(
                                     self._act(self.services.release_hold, view.account_no, r, done="Hold released."))))
        else:
            self.app.push_screen(TextPrompt(f"Put {view.account_no} on hold. Reason:"),
                                 answered(lambda r: self.run_worker(
                                     self._act(self.services.put_on_hold, view.account_no, r, done="On hold."))))

    def action_unallocate(self) -> None:
        table = self.query_one("#t-payments", DataTable)
        if self.query_one(TabbedContent).active != "payments" or table.row_count == 0:
            self.notify("Go to the Payments tab (Right arrow) and pick a payment first.", timeout=4)
            return
        number = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self.app.push_screen(TextPrompt(f"Take {number} back off which invoice?"),
                             answered(lambda inv: self.run_worker(self._act(
                                 self.services.unallocate_payment, number, inv.strip(),
                                 done=f"{number} taken off {inv.strip().upper()}."))))

    def _selected_open_item(self) -> str | None:
        table = self.query_one("#t-open", DataTable)
        if self.query_one(TabbedContent).active != "open" or table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_dispute(self) -> None:
        number = self._selected_open_item()
        if number is None:
            self.notify("Pick the invoice in the Open items tab first.", timeout=4)
            return
        self.app.push_screen(TextPrompt(f"Dispute {number}: amount and reason, e.g. '25.00 damaged' "
                                        "(no amount: the whole invoice)"),
                             answered(lambda text: self.run_worker(self._dispute(number, text))))

    async def _dispute(self, number: str, text: str) -> None:
        first, _sep, rest = text.strip().partition(" ")
        try:
            amount = parse_amount(first, self.view.currency, "amount") if self.view else None
            reason = rest
        except ValidationError:
            amount, reason = None, text.strip()
        if amount is None:
            amount = (await in_db(self.services.invoice_view, number)).total_minor
        await self._act(self.services.open_dispute, number, amount, reason or "no reason given",
                        done=f"Dispute opened on {number}; it leaves the dunning run while open.")

    def action_promise(self) -> None:
        self.app.push_screen(TextPrompt("Promise to pay: date and amount, e.g. '+14 250.00'"),
                             answered(lambda text: self.run_worker(self._promise(text))))

    async def _promise(self, text: str) -> None:
        when, _sep, amount = text.strip().partition(" ")
        try:
            day = parse_date(when, "date", self.app.context.today)
            minor = parse_amount(amount, self.view.currency if self.view else "GBP", "amount")
        except ValidationError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        await self._act(self.services.record_promise, self.account_no, day, minor, "",
                        done=f"Promise recorded: {format_money(minor, self.view.currency if self.view else 'GBP')} "
                             f"by {day}.")

    def action_collections(self) -> None:
        self.app.push_screen(TextPrompt(f"Send {self.account_no} to collections (supervisor). Agency:"),
                             answered(lambda agency: self.run_worker(self._act(
                                 self.services.send_to_collections, self.account_no, agency,
                                 done="Sent to collections (it leaves the dunning run); the packet is in the "
                                      "print folder."))))

    def action_allocate(self) -> None:
        """Re-allocate: apply a payment's unallocated money (Payments tab) to this account's invoices."""
        table = self.query_one("#t-payments", DataTable)
        if self.query_one(TabbedContent).active != "payments" or table.row_count == 0 or self.view is None:
            self.notify("Go to the Payments tab (Right arrow) and pick a payment with money left first.", timeout=4)
            return
        number = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if number is not None:
            self.run_worker(self._allocate(number))

    async def _allocate(self, number: str) -> None:
        from tui.screens.split import SplitScreen

        payment = await in_db(self.services.payment_view, number)
        if payment.unallocated_minor <= 0:
            self.notify(f"{number} has nothing left to allocate.", timeout=4)
            return
        self.app.push_screen(SplitScreen(number, payment.unallocated_minor, payment.currency, self.account_no),
                             answered(lambda allocations: self.run_worker(self._act(
                                 self.services.allocate_payment, number, allocations,
                                 done=f"{number} allocated to {len(allocations)} invoice(s)."))))

    def action_refund(self) -> None:
        view = self.view
        if view is None or view.credit_minor <= 0:
            self.notify("There is no credit on this account to refund.", timeout=4)
            return
        self.app.push_screen(TextPrompt(f"Refund from {format_money(view.credit_minor, view.currency)} credit: "
                                        "amount, method and reference, e.g. '25.00 bank_transfer RF note'"),
                             answered(lambda text: self.run_worker(self._refund(text))))

    async def _refund(self, text: str) -> None:
        amount, _s, rest = text.strip().partition(" ")
        method, _s, reference = rest.strip().partition(" ")
        currency = self.view.currency if self.view else "GBP"
        try:
            minor = parse_amount(amount, currency, "amount")
        except ValidationError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        limit = await in_db(self.services.refund_limit)
        if minor <= limit:
            await self._act(self.services.request_refund, self.account_no, minor, method or "bank_transfer", reference,
                            done=f"Refund of {format_money(minor, currency)} posted.")
            return
        self.app.push_screen(TextPrompt(f"{format_money(minor, currency)} is over the {format_money(limit, currency)} "
                                        "refund limit: a supervisor approves it. Your reason:"),
                             lambda reason: self._request_refund(reason, minor, currency, method, reference))

    def _request_refund(self, reason: str | None, minor: int, currency: str, method: str, reference: str) -> None:
        if reason:
            self.run_worker(self._act(
                self.services.request_refund, self.account_no, minor, method or "bank_transfer", reference,
                reason=reason, done=f"Refund of {format_money(minor, currency)} requested: it waits in the "
                                    "approvals queue (My work shows when it is posted)."))

    def action_edit(self) -> None:
        from tui.screens.customer_form import CustomerFormScreen

        self.app.push_screen(CustomerFormScreen(self.account_no), lambda _r: self.action_refresh())

    def action_new_invoice(self) -> None:
        self.app.open_invoice_entry(self.account_no)

    def action_record_payment(self) -> None:
        self.app.open_payment_entry(self.account_no)

    def on_screen_resume(self) -> None:
        # Textual resumes a screen when it is first shown too; on_mount loads it then. Loading twice at
        # once drew the open items with columns at header width now and then.
        if self.view is not None:
            self.action_refresh()
