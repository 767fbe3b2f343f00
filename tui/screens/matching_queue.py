"""Payments (F5): the matching queue, where each incoming payment is applied to what it pays.

The queue lists every payment not yet fully allocated, oldest first. The selected payment (the
queue's cursor) shows its ranked suggestions, each with how sure it is and why. Money moves only
by Enter on the chosen suggestion (marked ▶ and highlighted) of the payment on screen: a sure
(high) top suggestion is chosen for you; a medium or low one only by its number, 1-9. After a
filter change nothing is selected until the operator moves. Leaving as credit, returning and
auto-match take function keys; Ctrl+Z takes back this session's allocations, last first. w shows
the payment and every suggestion's reasons whole (the screen has one line for them).
While the queue or a payment's suggestions are loading, keys wait (tui/keyorder.py), so an Enter
typed ahead applies to the payment it was typed for, never to the one that was there before.
"""
from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static
from textual.worker import WorkerState, WorkType

from store.dates import parse_date
from store.errors import BooksError, ValidationError
from store.matching import QueueFilter, QueueRow, Suggestion
from store.money import format_amount, format_money, parse_amount
from tui.cells import money_cell
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens import queue_actions
from tui.screens.books_screen import UsesBooks
from tui.screens.notes import NotesScreen
from tui.screens.statement_import import StatementImport
from tui.widgets.footer import KeyFooter

FILTERS = (("from", "From", 11), ("to", "To", 11), ("min", "Min", 9), ("max", "Max", 9), ("method", "Method", 9),
           ("text", "Text", 0))
BUSY_GROUPS = frozenset({"queue", "select", "apply", "import"})  # keys wait while these run
SURE = {"high": "high", "medium": "med", "low": "low"}
QUEUE_PAGE = 200  # payments on screen at once; the next page comes in as these are placed


def describe(s: Suggestion, currency: str) -> str:
    if not s.allocations:
        return "leave as credit"
    return ", ".join(f"{n} {format_amount(a, currency)}" for n, a in s.allocations)


class PaymentsScreen(UsesBooks, StatementImport, Screen[None]):
    CSS_PATH = "matching_queue.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: run as the key is read, so the next key typed waits for this one's work.
        Binding("enter", "apply", "Apply ▶", priority=True),
        *[Binding(str(n), f"choose({n - 1})", f"Choose #{n}", show=False) for n in range(1, 10)],
        Binding("down", "move(1)", "Next payment", show=False, priority=True),
        Binding("up", "move(-1)", "Previous payment", show=False, priority=True),
        Binding("k", "move(1)", "Skip", show=False),
        Binding("s", "split", "Split"),
        Binding("slash", "filter", "Filter"),
        Binding("n", "new_payment", "New payment", show=False),
        Binding("i", "import_statement", "Import", show=False),
        Binding("w", "why", "Why, whole", show=False),
        Binding("f7", "credit", "As credit"),
        Binding("f8", "return_payment", "Return"),
        Binding("f9", "auto_match", "Auto-match"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("escape", "leave_filter", "Queue", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[QueueRow] = []
        self.more = False  # the queue holds more payments than the page on screen
        self.suggestions: list[Suggestion] = []
        self.current: str | None = None  # the selected payment; None: nothing selected
        self.shown_for: str | None = None  # the payment whose suggestions are on screen
        self.chosen: int | None = None  # the suggestion Enter applies
        self.selecting = True  # False after a filter change, until the operator moves
        self.taken_by: str | None = None
        self.claimed: str | None = None  # the payment this operator holds (others see it taken)
        self.filter = QueueFilter()
        self.undo: list[tuple[str, tuple[tuple[str, int], ...], str]] = []  # this session's allocations

    def compose(self) -> ComposeResult:
        yield HeaderLine("Payments: matching queue")
        with Horizontal(id="filter-row"):
            for key, label, width in FILTERS:
                yield Static(label, classes="flabel")
                yield Input(id=f"q-{key}", classes="finput" + ("" if width else " wide"))
        yield DataTable(id="queue", cursor_type="row", zebra_stripes=True)
        yield Static("", id="payment-detail")
        yield DataTable(id="suggestions", cursor_type="row")
        yield Static("", id="reasons")
        yield Static("", id="queue-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        queue = self.query_one("#queue", DataTable)
        for label in ("Payment", "Received", "Method", "Left", "Payer / reference", "Taken"):
            queue.add_column(label, key=label.split()[0].lower())
        table = self.query_one("#suggestions", DataTable)
        table.add_columns("#", "Account", "Name", "Apply", "Sure")
        table.can_focus = False
        self.set_focus(queue)
        self.reload(0, select=True)  # opened at its first payment

    def holds_keys(self) -> bool:
        """Keys wait while the queue, a payment's suggestions or an allocation are on their way."""
        return any(w.node is self and w.group in BUSY_GROUPS and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
                   for w in self.app.workers)

    def reset_job(self) -> None:
        """F5: the whole queue, no filter, its first payment selected."""
        for key, _label, _width in FILTERS:
            self.query_one(f"#q-{key}", Input).value = ""
        self.filter = QueueFilter()
        self.set_focus(self.query_one("#queue", DataTable))
        self.reload(0, select=True)

    # ------------------------------------------------------------ the queue

    def reload(self, keep_index: int | None = None, keep_status: bool = False, select: bool | None = None) -> None:
        """Read the queue again; `select` False leaves nothing selected (after a filter change)."""
        if select is not None:
            self.selecting = select
        # A callable, not a coroutine: a worker cancelled before it starts leaves no coroutine un-awaited.
        self.run_worker(partial(self._reload, keep_index, keep_status, self.selecting),  # type: ignore[arg-type]
                        exclusive=True, group="queue")

    async def _reload(self, keep_index: int | None, keep_status: bool = False, select: bool = True) -> None:
        rows = await in_db(self.services.match_queue, self.filter, QUEUE_PAGE + 1)
        rows, self.more = rows[:QUEUE_PAGE], len(rows) > QUEUE_PAGE
        self.rows = rows
        queue = self.query_one("#queue", DataTable)
        queue.clear()
        for r in rows:
            queue.add_row(r.number, str(r.received_date), r.method.replace("_", " ")[:8],
                          money_cell(r.unallocated_minor, r.currency), (r.payer or r.reference)[:24],
                          r.claimed_by or "", key=r.number)
        status = self.query_one("#queue-status", Static)
        if not keep_status or not str(status.render()).strip():
            status.update(f"{self.to_go()} payment(s) to allocate." + ("" if select or not rows else
                                                                     "  Down selects the first.")
                          if rows else "The queue is clear.")
        if rows and select:
            queue.show_cursor = True
            queue.move_cursor(row=min(keep_index or 0, len(rows) - 1))
            await self._select(rows[queue.cursor_row].number)
        else:
            await self._unselect()

    async def _unselect(self) -> None:
        previous, self.claimed, self.current, self.shown_for, self.chosen = self.claimed, None, None, None, None
        self.query_one("#queue", DataTable).show_cursor = False
        self.suggestions = []
        self.query_one("#suggestions", DataTable).clear()
        self.query_one("#payment-detail", Static).update("No payment selected." if self.rows else "")
        self.query_one("#reasons", Static).update("")
        if previous:
            await in_db(self.services.release_payment, previous)

    @on(DataTable.RowHighlighted, "#queue")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        number = event.row_key.value
        if number and number != self.current and event.data_table.show_cursor:
            self.select_now(number)

    def select_now(self, number: str) -> None:
        """The payment under the cursor is the one keys act on from this moment; its suggestions follow."""
        self.current, self.shown_for, self.chosen = number, None, None
        work: WorkType[None] = partial(self._select, number)
        self.run_worker(work, exclusive=True, group="select")

    def action_move(self, step: int) -> None:
        """Up/Down (k skips): the first move after a filter change selects the first payment."""
        queue = self.query_one("#queue", DataTable)
        if not self.rows:
            return
        if not queue.show_cursor:
            self.selecting = queue.show_cursor = True
            index = 0
        else:
            index = (queue.cursor_row + step) % len(self.rows)
        queue.move_cursor(row=index)
        self.select_now(self.rows[index].number)

    async def _select(self, number: str) -> None:
        previous = self.claimed if self.claimed != number else None
        self.current, self.shown_for, self.chosen = number, None, None
        row = next((r for r in self.rows if r.number == number), None)
        if row is None:
            return
        self.taken_by, suggestions = await in_db(self.services.work_on, previous, number)
        self.claimed = number if not self.taken_by else None
        if self.current != number:
            return  # the operator moved on meanwhile
        self.suggestions, self.shown_for = suggestions, number
        # A sure top suggestion is chosen for the operator; anything less waits for a number key.
        self.chosen = 0 if suggestions and suggestions[0].confidence == "high" else None
        detail = (f"{row.number}  {row.received_date}  {row.method.replace('_', ' ')}  "
                  f"{format_money(row.amount_minor, row.currency)} "
                  f"(left {format_money(row.unallocated_minor, row.currency)})"
                  f"  {row.account_no or 'unidentified'}\nPayer: {escape(row.payer) or '-'}   "
                  f"Ref: {escape(row.reference) or '-'}")
        if self.taken_by:
            detail += f"   [reverse] taken by {self.taken_by} [/reverse]"
        self.query_one("#payment-detail", Static).update(detail)
        self.show_suggestions()

    def show_suggestions(self) -> None:
        row = self.selected_row()
        table = self.query_one("#suggestions", DataTable)
        table.clear()
        currency = row.currency if row else ""
        for n, s in enumerate(self.suggestions, 1):
            mark = "▶" if self.chosen == n - 1 else " "
            table.add_row(f"{mark}{n}", s.account_no, s.customer_name[:20], describe(s, currency)[:30],
                          SURE[s.confidence.value])
        table.show_cursor = self.chosen is not None
        if self.chosen is not None:
            table.move_cursor(row=self.chosen)
        reasons = self.query_one("#reasons", Static)
        if not self.suggestions:
            reasons.update("No suggestion: s splits by hand, F7 leaves it as credit on an account, F8 returns it.")
        elif self.chosen is None:
            top = self.suggestions[0]
            reasons.update(f"Not sure ({top.confidence.value}): 1-9 chooses, then Enter.  #1: "
                           + escape("; ".join(top.reasons)))
        else:
            why = "; ".join(self.suggestions[self.chosen].reasons)
            reasons.update(f"Enter applies ▶{self.chosen + 1}: " + escape(why))

    def action_why(self) -> None:
        """w: the payment and every suggestion with all its reasons; the screen has one line for the chosen one."""
        row = self.selected_row()
        if row is None or self.shown_for != self.current:
            self.refuse("Select a payment first (Down).")
            return
        head = (f"{row.number}  {row.received_date}  {format_money(row.amount_minor, row.currency)}  "
                f"{row.account_no or 'unidentified'}\nPayer: {row.payer or '-'}\nRef: {row.reference or '-'}")
        each = tuple(f"#{n} {s.account_no} {s.customer_name}: {describe(s, row.currency)} ({s.confidence.value})\n"
                     + "; ".join(s.reasons) for n, s in enumerate(self.suggestions, 1))
        self.app.push_screen(NotesScreen(f"Payment {row.number}: why", (head, *each)))

    def action_choose(self, index: int) -> None:
        if self.current is None or self.shown_for != self.current or index >= len(self.suggestions):
            self.refuse("No such suggestion." if self.current else "Select a payment first (Down).")
            return
        self.chosen = index
        self.show_suggestions()

    def to_go(self) -> str:
        return f"{len(self.rows)}{'+' if self.more else ''}"

    def selected_row(self) -> QueueRow | None:
        return next((r for r in self.rows if r.number == self.current), None)

    def refuse(self, why: str) -> None:
        self.query_one("#queue-status", Static).update(why)
        self.app.bell()

    # ------------------------------------------------------------ decisions

    async def _apply(self, call, *args, done: str, undo: tuple[tuple[str, int], ...] = ()) -> None:
        queue = self.query_one("#queue", DataTable)
        index, number = queue.cursor_row, self.current
        try:
            await in_db(call, *args)
            after = await in_db(self.services.queue_row, number) if number else None
        except BooksError as exc:
            self.refuse(f"[b]Not applied:[/b] {escape(str(exc))}")
            return
        if undo and number:
            self.undo.append((number, undo, done))
        self.notify(done, timeout=3, markup=False)
        # (Not selected_row(): coming back from a question may have reloaded the queue meanwhile.)
        row = next((r for r in self.rows if r.number == number), None)
        # Only this payment changed: take its row out (or show what is left of it) and go on from
        # the same place, rather than read and redraw the whole queue.
        if row is not None and after is not None:
            self.rows[self.rows.index(row)] = after
            queue.update_cell(row.number, "left", money_cell(after.unallocated_minor, after.currency))
            self.current = None
            await self._select(row.number)
        elif row is not None:
            self.rows.remove(row)
            queue.remove_row(row.number)
            self.current = None
            if self.more and len(self.rows) <= QUEUE_PAGE // 2:
                await self._reload(index, keep_status=True)  # the next page of the queue comes in
            elif self.rows:
                following = min(index, len(self.rows) - 1)  # the table's own cursor is updated later
                queue.move_cursor(row=following)
                await self._select(self.rows[following].number)
            else:
                await self._reload(0)
        self.query_one("#queue-status", Static).update(
            f"{escape(done)}.  " + (f"{self.to_go()} to go." if self.rows else "The queue is clear."))

    def action_apply(self) -> None:
        """Enter: the chosen (▶) suggestion of the payment on screen, and nothing else."""
        if isinstance(self.focused, Input):
            self.apply_filter()  # Enter in a filter field applies the filter
            return
        number, row = self.current, self.selected_row()
        if number is None or row is None or not self.query_one("#queue", DataTable).show_cursor:
            self.refuse("No payment selected: Down selects one.")
            return
        if self.shown_for != number:
            self.refuse("Its suggestions are still loading.")
            return
        if self.taken_by:
            self.refuse(f"{number} is being worked by {self.taken_by}.")
            return
        if self.chosen is None or self.chosen >= len(self.suggestions):
            self.refuse("Nothing chosen: no suggestion is sure enough for Enter alone; 1-9 chooses one."
                        if self.suggestions else "No suggestion: s splits it by hand.")
            return
        s = self.suggestions[self.chosen]
        self.run_worker(self._apply(self.services.accept_suggestion, number, s, undo=s.allocations,
                                    done=f"{number}: {describe(s, row.currency)} ({s.account_no})"),
                        exclusive=True, group="apply")

    # The other ways to place a payment (tui/screens/queue_actions.py).
    def action_undo(self) -> None:
        """Ctrl+Z: take back this session's last allocation (reversing entries; never a deletion)."""
        queue_actions.undo_last(self)

    def action_split(self) -> None:
        queue_actions.split_selected(self)

    def action_credit(self) -> None:
        queue_actions.leave_as_credit(self)

    def action_return_payment(self) -> None:
        queue_actions.return_selected(self)

    def action_new_payment(self) -> None:
        queue_actions.new_payment(self)

    def action_auto_match(self) -> None:
        queue_actions.auto_match(self)

    # ------------------------------------------------------------ filters

    def action_filter(self) -> None:
        self.set_focus(self.query_one("#q-text", Input))

    def action_leave_filter(self) -> None:
        self.set_focus(self.query_one("#queue", DataTable))

    def apply_filter(self) -> None:
        def value(key: str) -> str:
            return self.query_one(f"#q-{key}", Input).value.strip()

        try:
            today = self.app.context.today
            self.filter = QueueFilter(
                date_from=parse_date(value("from"), "from", today) if value("from") else None,
                date_to=parse_date(value("to"), "to", today) if value("to") else None,
                amount_min=parse_amount(value("min"), "GBP", "min") if value("min") else None,
                amount_max=parse_amount(value("max"), "GBP", "max") if value("max") else None,
                method=value("method").replace(" ", "_").lower() or None, text=value("text"))
        except ValidationError as exc:
            self.refuse(f"Filter: {exc}")
            return
        self.set_focus(self.query_one("#queue", DataTable))
        self.reload(select=False)  # a new list: nothing is selected until the operator moves

    def on_screen_suspend(self) -> None:
        if self.claimed:
            self.run_worker(in_db(self.services.release_payment, self.claimed))
            self.claimed = None

    def on_screen_resume(self) -> None:
        # Back from a prompt or another screen: refresh the queue, keep the place and the last message.
        self.reload(self.query_one("#queue", DataTable).cursor_row, keep_status=True)
