"""Orders in for review, and the billing run (period end, reports F7: Orders).

The list shows each order with the invoice it would become; the pane below shows the highlighted
order's lines, totals and warnings (on hold, over the credit limit). Approving moves no money but
changes the order, so it is a function key: F10 approves the highlighted order and moves to the next
(one key per order); F7 approves every pending or held order the filter shows, after a confirmation.
F9 holds with a note, F8 rejects with a reason. F4 shows the billing run's counts and totals per
currency and bills only after F10 in that confirmation. Left/Right choose the status shown, / filters
by text, i imports a file. Enter shows the highlighted order whole.
"""
from __future__ import annotations

from typing import Any, ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from store.errors import BooksError
from store.money import format_amount
from tui.cells import cut, money_cell
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.approvals import DecisionConfirm
from tui.screens.notes import NotesScreen
from tui.screens.prompt import TextPrompt
from tui.widgets.footer import KeyFooter

FILTERS = ("review", "pending", "held", "approved", "rejected", "billed", "all")
REVIEW = ("pending", "held")  # what "review" shows, and what F7 approves
DETAIL_LINES = 7  # the highlighted order's pane, below its rule: 80x24 leaves the list 11 rows


def _count(n: int, thing: str) -> str:
    return f"{n:,} {thing}{'s' * (n != 1)}"


def order_in_full(o: Any) -> tuple[str, ...]:
    """Every fact of the order on its own line, nothing cut (the Enter view)."""
    head = (f"{o.order_id} {o.status}" + (f" {o.invoice}" if o.invoice else "")
            + f"\n{o.account} {o.customer_name}\nPO {o.po or '-'}  ordered {o.order_date:%Y-%m-%d}")
    lines = "\n".join(f"{ln.item or '-'}  {ln.description}\n    {ln.quantity.normalize():f} x "
                      f"{format_amount(ln.unit_price_minor, o.currency)} {ln.tax_code} = "
                      f"{format_amount(ln.net_minor, o.currency)}" for ln in o.lines)
    total = (f"net {format_amount(o.subtotal_minor, o.currency)}  tax {format_amount(o.tax_minor, o.currency)}"
             f"  total {format_amount(o.total_minor, o.currency)} {o.currency}")
    return tuple(t for t in (head, f"Note: {o.note}" if o.note else "", lines, total,
                             "\n".join(f"! {w}" for w in o.warnings)) if t)


def order_detail(o: Any) -> str:  # a store.orders.OrderView, as the pane shows it
    head = (f"{o.order_id} {o.status}" + (f" {o.invoice}" if o.invoice else "")
            + f"  {o.account} {o.customer_name[:24]}  PO {o.po or '-'}  {o.order_date:%Y-%m-%d}"
            + (f"  {o.note}" if o.note else ""))
    out = [escape(head[:79])]  # one line, however long the names and the note
    warnings = o.warnings[:2]
    room = DETAIL_LINES - 2 - len(warnings)  # the pane's lines less the head, the totals and the warnings
    shown = o.lines if len(o.lines) <= room else o.lines[:room - 1]
    for ln in shown:
        out.append(f" {escape((ln.item or '-')[:10]):<10} {escape(ln.description[:30]):<30} "
                   f"{ln.quantity.normalize():f} x {format_amount(ln.unit_price_minor, o.currency)} "
                   f"{ln.tax_code} = {format_amount(ln.net_minor, o.currency)}")
    if len(shown) < len(o.lines):
        out.append(f" ... {_count(len(o.lines) - len(shown), 'more line')} (billfold orders show {escape(o.order_id)})")
    out.append(f" net {format_amount(o.subtotal_minor, o.currency)}  tax {format_amount(o.tax_minor, o.currency)}"
               f"  [b]total {format_amount(o.total_minor, o.currency)} {o.currency}[/b]")
    out += [f" [b $warning]! {escape(w)}[/]" for w in warnings]
    return "\n".join(out)


def warnings_text(warnings: list[tuple[str, str]], most: int = 3) -> str:
    """The warnings themselves under a question (which order, and why), the first few and a count of the rest."""
    if not warnings:
        return ""
    orders = len({order for order, _w in warnings})
    lines = [f"  {cut(f'{order}: {why}', 70)}" for order, why in warnings[:most]]
    rest = len(warnings) - most
    return (f"\n{_count(orders, 'order')} with warnings:\n" + "\n".join(lines)
            + (f"\n  and {rest} more (each order's pane shows its own)" if rest > 0 else ""))

class OrdersScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("f10,ctrl+g", "approve", "Approve"),
        Binding("f9,ctrl+y", "hold", "Hold"),
        Binding("f8,ctrl+e", "reject", "Reject"),
        Binding("f7", "approve_shown", "Approve shown"),
        Binding("f4,ctrl+o", "bill", "Bill run"),
        Binding("left", "status(-1)", "Status", show=False),
        Binding("right", "status(1)", "Status", show=False),
        Binding("slash", "find", "Filter", show=False),
        Binding("i", "import_file", "Import", show=False),
    ]
    DEFAULT_CSS = """
    OrdersScreen #orders-filter { height: 1; }
    OrdersScreen #orders-find { height: 1; border: none; padding: 0; background: $boost; display: none; }
    OrdersScreen #orders-table { height: 1fr; }
    OrdersScreen #orders-detail { height: 8; border-top: solid $primary; }
    OrdersScreen #orders-status { height: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.filter = 0
        self.text = ""
        self.orders: list[Any] = []  # store.orders.OrderView, as shown

    @property
    def services(self) -> Any:
        return self.app.context.services  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield HeaderLine("Orders: review and bill")
        yield Static("", id="orders-filter")
        yield Input(placeholder="filter: order, account, customer or PO; Enter", id="orders-find")
        yield DataTable(id="orders-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="orders-detail")
        yield Static("Left/Right status, / filter, i import, Enter whole; F7 approves shown, F4 bills",
                     id="orders-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Order", "Status", "Account", "Customer", "Total", "Cur", "!")
        self.run_worker(self.load(), exclusive=True, group="load")

    def say(self, message: str) -> None:
        self.query_one("#orders-status", Static).update(message)

    async def load(self, keep: str | None = None) -> None:
        status = FILTERS[self.filter]
        rows = await in_db(self.services.list_orders, None if status in ("review", "all") else status)
        if status == "review":
            rows = [o for o in rows if o.status in REVIEW]
        if self.text:
            needle = self.text.lower()
            rows = [o for o in rows if needle in f"{o.order_id} {o.account} {o.customer_name} {o.po}".lower()]
        self.orders = rows
        table = self.query_one(DataTable)
        table.clear()
        for o in rows:
            table.add_row(o.order_id, o.status, o.account, cut(o.customer_name, 22),
                          money_cell(o.total_minor, o.currency), o.currency, "!" if o.warnings else "",
                          key=o.order_id)
        ids = [o.order_id for o in rows]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))
        shown = "  ".join(f"[reverse]{f}[/]" if n == self.filter else f for n, f in enumerate(FILTERS))
        find = f'  "{escape(self.text)}"' if self.text else ""
        self.query_one("#orders-filter", Static).update(f"{shown}{find}  ({_count(len(rows), 'order')})")
        self.show_detail()
        table.focus()

    def current(self) -> Any | None:
        table = self.query_one(DataTable)
        if not self.orders or table.cursor_row is None or table.cursor_row >= len(self.orders):
            return None
        return self.orders[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def show_detail(self) -> None:
        order = self.current()
        self.query_one("#orders-detail", Static).update(order_detail(order) if order else "No orders here.")

    @on(DataTable.RowSelected)
    def show_whole(self) -> None:
        """Enter: the order whole, where the pane cuts the names, the note and the line descriptions."""
        order = self.current()
        if order is not None:
            self.app.push_screen(NotesScreen(f"Order {order.order_id}", order_in_full(order)))

    def action_back(self) -> None:
        find = self.query_one("#orders-find", Input)
        if find.display:
            find.display = False
            self.query_one(DataTable).focus()
            return
        self.app.pop_screen()

    def action_status(self, step: int) -> None:
        self.filter = (self.filter + step) % len(FILTERS)
        self.run_worker(self.load(), exclusive=True, group="load")

    def action_find(self) -> None:
        find = self.query_one("#orders-find", Input)
        find.display = True
        find.value = self.text
        find.focus()

    @on(Input.Submitted, "#orders-find")
    def found(self, event: Input.Submitted) -> None:
        self.text = event.value.strip()
        event.input.display = False
        self.run_worker(self.load(), exclusive=True, group="load")

    async def _do(self, done: str, call: Any, *args: Any, keep: str | None = None) -> bool:
        try:
            await in_db(call, *args)
        except BooksError as exc:
            self.say(f"[b]Not done:[/b] {escape(str(exc))}")
            return False
        await self.load(keep)
        self.say(done)
        return True

    def action_approve(self) -> None:
        order = self.current()
        if order is None:
            return
        index = self.query_one(DataTable).cursor_row
        following = self.orders[index + 1].order_id if index + 1 < len(self.orders) else None
        self.run_worker(self._do(f"Approved {escape(order.order_id)}.", self.services.approve_orders,
                                 [order.order_id], keep=following), group="write")

    def action_approve_shown(self) -> None:
        waiting = [o for o in self.orders if o.status in REVIEW]
        if not waiting:
            self.say("No pending or held orders shown to approve.")
            return
        question = (f"Approve {_count(len(waiting), 'order')} shown ({FILTERS[self.filter]}"
                    f"{', ' + repr(self.text) if self.text else ''})?"
                    + warnings_text([(o.order_id, w) for o in waiting for w in o.warnings])
                    + "\nThe next billing run (F4) invoices them.")

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._do(f"Approved {_count(len(waiting), 'order')}.", self.services.approve_orders,
                                         [o.order_id for o in waiting]), group="write")

        self.app.push_screen(DecisionConfirm(question, "approve them"), answered)

    def _ask_then(self, question: str, call: Any, done: str) -> None:
        order = self.current()
        if order is None:
            return

        def typed(text: str | None) -> None:
            if text:
                self.run_worker(self._do(f"{done} {escape(order.order_id)}.", call, order.order_id, text,
                                         keep=order.order_id), group="write")

        self.app.push_screen(TextPrompt(question.format(order.order_id)), typed)

    def action_hold(self) -> None:
        self._ask_then("Hold order {}: the note (why it waits)", self.services.hold_order, "Held")

    def action_reject(self) -> None:
        self._ask_then("Reject order {}: the reason (it is never billed)", self.services.reject_order, "Rejected")

    def action_import_file(self) -> None:
        def typed(path: str | None) -> None:
            if path:
                self.run_worker(self._import(path), group="write")

        self.app.push_screen(TextPrompt("Import orders from file (CSV, or .json)"), typed)

    async def _import(self, path: str) -> None:
        from pathlib import Path

        try:
            result = await in_db(self.services.import_order_file, Path(path).expanduser())
        except BooksError as exc:
            self.say(f"[b]Nothing imported:[/b] {escape(str(exc))}")
            return
        self.filter = 0
        await self.load()
        self.say(f"Imported {_count(len(result.imported), 'order')}"
                 + (f"; {len(result.skipped)} already imported, not again." if result.skipped else "."))

    def action_bill(self) -> None:
        self.run_worker(self._preview(), group="write")

    async def _preview(self) -> None:
        preview = await in_db(self.services.preview_billing)
        if not preview.orders:
            self.say("No approved orders to bill.")
            return
        totals = "\n".join(f"  {t.currency}  {_count(t.invoices, 'invoice'):>14}  "
                           f"{format_amount(t.total_minor, t.currency):>16}" for t in preview.totals)
        question = (f"Bill {_count(preview.orders, 'approved order')} now?\n{totals}"
                    + warnings_text(preview.warnings)
                    + "\nEach invoice is posted, numbered and queued for delivery by the customer's channel.")

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._bill(), group="write")

        self.app.push_screen(DecisionConfirm(question, "bill"), answered)

    async def _bill(self) -> None:
        def progress(_billed: Any, done: int, total: int) -> None:
            self.app.call_from_thread(self.say, f"Billing: {done:,} of {total:,}")

        try:
            result = await in_db(self.services.bill_orders, progress)
        except BooksError as exc:
            self.say(f"[b]Not billed:[/b] {escape(str(exc))}")
            return
        await self.load()
        totals = ", ".join(f"{format_amount(t.total_minor, t.currency)} {t.currency}" for t in result.totals)
        skipped = (f"; not billed, still approved: {escape(', '.join(o for o, _why in result.skipped))[:30]}"
                   if result.skipped else "")
        self.say(f"Billed {_count(len(result.billed), 'invoice')}{' (' + totals + ')' if totals else ''}{skipped}")
