"""Payments (F5): the matching queue, where each incoming payment is applied to what it pays.

The queue lists every payment not yet fully allocated, oldest first. The selected payment shows
its ranked suggestions with the reasons for each. Enter accepts the top one (or 1-9 a numbered
one) and the next payment is selected at once, in the same place in the queue.
"""
from __future__ import annotations

from functools import partial

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from store.dates import parse_date
from store.errors import BooksError, ValidationError
from store.matching import QueueFilter, QueueRow, Suggestion
from store.money import format_amount, format_money, parse_amount
from tui.cells import money_cell
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.confirm import ConfirmScreen
from tui.screens.prompt import TextPrompt
from tui.widgets.footer import KeyFooter

FILTERS = (("from", "From", 11), ("to", "To", 11), ("min", "Min", 9), ("max", "Max", 9), ("method", "Method", 9),
           ("text", "Text", 0))


def describe(s: Suggestion, currency: str) -> str:
    if not s.allocations:
        return "leave as credit"
    return ", ".join(f"{n} {format_amount(a, currency)}" for n, a in s.allocations)


QUEUE_PAGE = 200  # payments on screen at once; the next page comes in as these are placed


class PaymentsScreen(Screen[None]):
    CSS_PATH = "matching_queue.tcss"
    BINDINGS = [
        Binding("enter", "accept(0)", "Accept top"),
        *[Binding(str(n), f"accept({n - 1})", f"Accept #{n}", show=False) for n in range(1, 10)],
        Binding("s", "split", "Split"),
        Binding("c", "credit", "As credit"),
        Binding("r", "return_payment", "Return"),
        Binding("k", "skip", "Skip"),
        Binding("slash", "filter", "Filter"),
        Binding("m", "auto_match", "Auto-match"),
        Binding("n", "new_payment", "New payment"),
        Binding("i", "import_statement", "Import"),
        Binding("escape", "leave_filter", "Queue", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[QueueRow] = []
        self.more = False  # the queue holds more payments than the page on screen
        self.suggestions: list[Suggestion] = []
        self.current: str | None = None
        self.taken_by: str | None = None
        self.filter = QueueFilter()

    @property
    def services(self):  # noqa: ANN201
        return self.app.context.services  # type: ignore[attr-defined]

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
        self.query_one("#suggestions", DataTable).add_columns("#", "Account", "Name", "Apply", "Score")
        self.query_one("#suggestions", DataTable).can_focus = False
        queue.focus()
        self.reload()

    # ------------------------------------------------------------ the queue

    def reload(self, keep_index: int | None = None, keep_status: bool = False) -> None:
        self.run_worker(partial(self._reload, keep_index, keep_status), exclusive=True, group="queue")

    async def _reload(self, keep_index: int | None, keep_status: bool = False) -> None:
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
            status.update(
                f"{self.to_go()} payment(s) to allocate." if rows else "The queue is clear.")
        if rows:
            queue.move_cursor(row=min(keep_index or 0, len(rows) - 1))
            await self._select(rows[queue.cursor_row].number)
        else:
            self.current = None
            self.suggestions = []
            self.query_one("#suggestions", DataTable).clear()
            self.query_one("#payment-detail", Static).update("")
            self.query_one("#reasons", Static).update("")

    @on(DataTable.RowSelected, "#queue")
    def selected_by_enter(self) -> None:
        """Enter on the queue (the table takes Enter itself) accepts the top suggestion."""
        self.action_accept(0)

    @on(DataTable.RowHighlighted, "#queue")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        number = event.row_key.value
        if number and number != self.current:
            self.run_worker(partial(self._select, number), exclusive=True, group="select")

    async def _select(self, number: str) -> None:
        previous, self.current = self.current, number
        row = next((r for r in self.rows if r.number == number), None)
        if row is None:
            return
        self.taken_by, self.suggestions = await in_db(self.services.work_on, previous, number)
        if self.current != number:
            return  # the operator moved on meanwhile
        detail = (f"{row.number}  {row.received_date}  {row.method.replace('_', ' ')}  "
                  f"{format_money(row.amount_minor, row.currency)} (left {format_money(row.unallocated_minor, row.currency)})"
                  f"  {row.account_no or 'unidentified'}\nPayer: {escape(row.payer) or '-'}   "
                  f"Ref: {escape(row.reference) or '-'}")
        if self.taken_by:
            detail += f"   [reverse] taken by {self.taken_by} [/reverse]"
        self.query_one("#payment-detail", Static).update(detail)
        table = self.query_one("#suggestions", DataTable)
        table.clear()
        for n, s in enumerate(self.suggestions, 1):
            table.add_row(str(n), s.account_no, s.customer_name[:20], describe(s, row.currency)[:30], str(s.score))
        self.query_one("#reasons", Static).update(
            ("Why #1: " + escape("; ".join(self.suggestions[0].reasons))) if self.suggestions else
            "No suggestion: s to split by hand, c to leave as credit on an account, r to return it.")

    def to_go(self) -> str:
        return f"{len(self.rows)}{'+' if self.more else ''}"

    def selected_row(self) -> QueueRow | None:
        return next((r for r in self.rows if r.number == self.current), None)

    # ------------------------------------------------------------ decisions

    async def _apply(self, call, *args, done: str) -> None:  # noqa: ANN001
        queue = self.query_one("#queue", DataTable)
        index, number = queue.cursor_row, self.current
        try:
            await in_db(call, *args)
            after = await in_db(self.services.queue_row, number) if number else None
        except BooksError as exc:
            self.query_one("#queue-status", Static).update(f"[b]Not applied:[/b] {escape(str(exc))}")
            self.bell()
            return
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
            f"{done}.  " + (f"{self.to_go()} to go." if self.rows else "The queue is clear."))

    def action_accept(self, index: int) -> None:
        number = self.current
        if number is None or index >= len(self.suggestions):
            self.query_one("#queue-status", Static).update("No such suggestion.")
            return
        if self.taken_by:
            self.query_one("#queue-status", Static).update(f"{number} is being worked by {self.taken_by}.")
            return
        s = self.suggestions[index]
        self.run_worker(self._apply(self.services.accept_suggestion, number, s,
                                    done=f"{number}: {describe(s, self.selected_row().currency)} ({s.account_no})"),
                        exclusive=True, group="apply")

    def action_split(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        from tui.screens.split import SplitScreen

        account = row.account_no or (self.suggestions[0].account_no if self.suggestions else None)

        def split(allocations: list[tuple[str, int]] | None) -> None:
            if allocations:
                self.run_worker(self._apply(self.services.split_payment, row.number, allocations,
                                            done=f"{row.number} split over {len(allocations)} invoice(s)"))

        self.app.push_screen(SplitScreen(row.number, row.unallocated_minor, row.currency, account), split)

    def action_credit(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        default = row.account_no or (self.suggestions[0].account_no if self.suggestions else "")

        def credit(account: str | None) -> None:
            if account:
                s = Suggestion(account.strip(), "", (), 0, ())
                self.run_worker(self._apply(self.services.accept_suggestion, row.number, s,
                                            done=f"{row.number} left as credit on {account.strip()}"))

        self.app.push_screen(TextPrompt(f"Leave {row.number} as credit on which account?", default), credit)

    def action_return_payment(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        self.app.push_screen(TextPrompt(f"Return {row.number} to the sender (not ours). Note:"),
                             lambda note: note and self.run_worker(self._apply(
                                 self.services.return_payment, row.number, note, done=f"{row.number} returned")))

    def action_skip(self) -> None:
        queue = self.query_one("#queue", DataTable)
        if self.rows:
            queue.move_cursor(row=(queue.cursor_row + 1) % len(self.rows))

    def action_import_statement(self) -> None:
        self.app.push_screen(TextPrompt("Import a bank statement (CSV, OFX or camt.053): the file's path"),
                             lambda answer: answer and self.run_worker(self._import(answer.strip()), exclusive=True))

    async def _import(self, answer: str) -> None:
        """Read the file; a CSV is read with the saved mapping that fits it, or one the operator makes now."""
        from pathlib import Path

        path = Path(answer).expanduser()
        status = self.query_one("#queue-status", Static)
        try:
            data = path.read_bytes()
            kind, saved, guess = await in_db(self.services.statement_mapping, data, path.name)
        except OSError as exc:
            status.update(f"Not imported: {escape(str(path))}: {escape(exc.strerror or str(exc))}")
            return
        except BooksError as exc:
            status.update(f"[b]Not imported:[/b] {escape(str(exc))}")
            return
        if kind == "csv" and saved is None:
            from tui.screens.csv_mapping import CsvMappingScreen

            def mapped(mapping: object) -> None:
                if mapping is not None:
                    self.run_worker(self._import_with(data, path.name, mapping, save=True), exclusive=True)

            self.app.push_screen(CsvMappingScreen(data, path.name, guess), mapped)
            return
        await self._import_with(data, path.name, saved)

    async def _import_with(self, data: bytes, filename: str, mapping: object, save: bool = False) -> None:
        status = self.query_one("#queue-status", Static)
        try:
            if save:
                await in_db(self.services.save_mapping, mapping)
            result = await in_db(self.services.import_statement, data, filename, mapping)
        except BooksError as exc:
            status.update(f"[b]Not imported:[/b] {escape(str(exc))} (nothing from the file was kept)")
            return
        await self._reload(0)
        read_with = f" (mapping {escape(mapping.name)})" if mapping is not None else ""  # type: ignore[attr-defined]
        status.update(f"{escape(filename)}{read_with}: {result.new} new, {result.duplicate} duplicates, "
                      f"{result.skipped} skipped (money out or zero). {self.to_go()} to allocate.")

    def action_new_payment(self) -> None:
        from tui.screens.payment_entry import PaymentEntryScreen

        self.app.push_screen(PaymentEntryScreen(None), lambda _r: self.reload())

    def action_auto_match(self) -> None:
        self.run_worker(self._auto_match(), exclusive=True, group="apply")

    async def _auto_match(self) -> None:
        dry = await in_db(self.services.auto_match, True)
        if not dry:
            self.query_one("#queue-status", Static).update("Auto-match: no certain matches.")
            return
        listing = "\n".join(f"  {m.payment} -> {m.invoice}" for m in dry[:6]) + (
            f"\n  and {len(dry) - 6} more" if len(dry) > 6 else "")

        def apply(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._apply_auto(), exclusive=True, group="apply")

        self.app.push_screen(ConfirmScreen(f"Auto-match would apply {len(dry)}, one transaction each:\n{listing}\n"
                                           "Apply them?"), apply)

    async def _apply_auto(self) -> None:
        done = await in_db(self.services.auto_match, False)
        applied = sum(m.applied for m in done)
        await self._reload(0)
        self.query_one("#queue-status", Static).update(
            f"Auto-match applied {applied} of {len(done)}" + (f"; left: {done[0].error}" if applied < len(done) else ""))

    # ------------------------------------------------------------ filters

    def action_filter(self) -> None:
        self.query_one("#q-text", Input).focus()

    def action_leave_filter(self) -> None:
        self.query_one("#queue", DataTable).focus()

    @on(Input.Submitted)
    def apply_filter(self) -> None:
        def value(key: str) -> str:
            return self.query_one(f"#q-{key}", Input).value.strip()

        try:
            today = self.app.context.today  # type: ignore[attr-defined]
            self.filter = QueueFilter(
                date_from=parse_date(value("from"), "from", today) if value("from") else None,
                date_to=parse_date(value("to"), "to", today) if value("to") else None,
                amount_min=parse_amount(value("min"), "GBP", "min") if value("min") else None,
                amount_max=parse_amount(value("max"), "GBP", "max") if value("max") else None,
                method=value("method").replace(" ", "_").lower() or None, text=value("text"))
        except ValidationError as exc:
            self.query_one("#queue-status", Static).update(f"Filter: {exc}")
            return
        self.query_one("#queue", DataTable).focus()
        self.reload()

    def on_screen_suspend(self) -> None:
        if self.current:
            self.run_worker(in_db(self.services.release_payment, self.current))

    def on_screen_resume(self) -> None:
        # Back from a prompt or another screen: refresh the queue, keep the place and the last message.
        self.reload(self.query_one("#queue", DataTable).cursor_row, keep_status=True)
