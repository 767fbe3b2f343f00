"""Recurring billing (period end, F7 on reports): the contracts, and the month's run with its preview.

The summary is the run's preview: how many charges the month still owes, as how many invoices, with
totals per currency, and what earlier runs of the month drafted and posted. F10 drafts them (to
review in invoice entry's drafts, Ctrl+O); F9 posts the month's drafts (a supervisor). Both ask first.
"""
from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from store.contract_periods import month_text, parse_month, shift_month
from store.dates import parse_date
from store.errors import BooksError
from store.money import format_amount
from tui.answers import answered
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.confirm import ConfirmScreen
from tui.screens.contract_form import ContractFormScreen
from tui.screens.prompt import TextPrompt
from tui.widgets.footer import KeyFooter
from tui.widgets.report_table import ReportTable
from tui.widgets.results import Column

# 69 columns of cells: the table fits 80 with its separators and a scroll bar.
COLUMNS = (Column("Id", 3, right=True), Column("Acct", 6), Column("Customer", 10, flex=1), Column("Item", 10, flex=1),
           Column("Qty", 3, right=True), Column("Price", 9, right=True), Column("Every", 5), Column("Bil", 3),
           Column("Start", 10), Column("End", 10))
EVERY = {"monthly": "month", "quarterly": "qtr", "yearly": "year"}
BILL = {"advance": "adv", "arrears": "arr"}


def contract_cells(c: Any) -> tuple[str, ...]:  # a store.contracts.ContractRow
    price = "catalogue" if c.price_minor is None else format_amount(c.price_minor, c.currency)
    return (str(c.id), c.account_no, c.customer_name, c.description, str(c.quantity), price,
            EVERY.get(c.period, c.period), BILL.get(c.billing, c.billing), c.start.isoformat(),
            c.end.isoformat() if c.end else "")


def _count(n: int, thing: str) -> str:
    return f"{n:,} {thing}{'s' * (n != 1)}"


def plan_summary(plan: Any) -> str:  # a store.recurring_plan.RunPlan
    totals = "; ".join(f"{t.currency} {_count(t.invoices, 'invoice')} {format_amount(t.total_minor, t.currency)}"
                       for t in plan.totals) or "nothing to draft"
    skipped = f" {len(plan.skipped):,} skipped (see billfold bill --preview)." if plan.skipped else ""
    return (f"Run {plan.month}: {_count(plan.charges, 'charge')} to draft: {totals}.{skipped}\n"
            f"Already billed {plan.already_billed:,}; drafts waiting {plan.drafts_waiting:,}; posted "
            f"{plan.posted:,}.  [ ] month")


class ContractsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("left_square_bracket", "month(-1)", "Month before", show=False),
        Binding("right_square_bracket", "month(1)", "Month after", show=False),
        # Each F-key has the Ctrl key the other period-end screens give the same kind of step.
        Binding("f7", "new_contract", "New"),
        Binding("ctrl+o", "new_contract", "New", show=False),
        Binding("f8", "end_contract", "End"),
        Binding("ctrl+e", "end_contract", "End", show=False),
        Binding("f10", "draft", "Draft run"),
        Binding("ctrl+g", "draft", "Draft run", show=False),
        Binding("f9", "post", "Post drafts"),
        Binding("ctrl+y", "post", "Post drafts", show=False),
    ]
    DEFAULT_CSS = """
    ContractsScreen #rec-summary { height: auto; }
    ContractsScreen #rec-table { height: 1fr; }
    ContractsScreen #rec-result { height: auto; max-height: 4; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.month = ""
        self.plan: Any = None
        self.contracts: list[Any] = []

    @property
    def services(self) -> Any:
        return self.app.context.services  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield HeaderLine("Recurring billing")
        yield Static("Working out the run...", id="rec-summary")
        yield ReportTable(id="rec-table")
        yield Static("", id="rec-result")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.month = f"{self.app.context.today:%Y-%m}"  # type: ignore[attr-defined]
        self.query_one(ReportTable).focus()
        self.run_worker(self.load(), exclusive=True, group="recurring")

    async def load(self) -> None:
        self.contracts = await in_db(self.services.list_contracts)
        self.plan = await in_db(self.services.plan_recurring_run, self.month)
        self.query_one(ReportTable).show_rows(COLUMNS, self.contracts, contract_cells)
        self.query_one("#rec-summary", Static).update(escape(plan_summary(self.plan)))

    def say(self, text: str) -> None:
        self.query_one("#rec-result", Static).update(escape(text))

    def action_month(self, step: int) -> None:
        self.month = month_text(shift_month(parse_month(self.month), step))
        self.run_worker(self.load(), exclusive=True, group="recurring")

    def selected(self) -> Any:
        table = self.query_one(ReportTable)
        return self.contracts[table.cursor_row] if self.contracts else None

    def action_new_contract(self) -> None:
        current = self.selected()

        def saved(row: Any) -> None:
            self.say(f"Added contract {row.id} for {row.account_no}: {row.description}, {row.period} "
                     f"in {row.billing} from {row.start.isoformat()}")
            self.run_worker(self.load(), exclusive=True, group="recurring")

        self.app.push_screen(ContractFormScreen(current.account_no if current else ""), answered(saved))

    def action_end_contract(self) -> None:
        contract = self.selected()
        if contract is None:
            return

        async def end(answer: str) -> None:
            try:
                on = parse_date(answer, "end", self.app.context.today)  # type: ignore[attr-defined]
                row = await in_db(self.services.end_contract, contract.id, on)
            except BooksError as exc:
                self.say(f"Not ended: {exc}")
                return
            billed = (f"; already billed through {row.billed_through.isoformat()} (posted invoices are not changed)"
                      if row.billed_through and row.billed_through > on else "")
            self.say(f"Contract {row.id} ends on {on.isoformat()}{billed}")
            await self.load()

        self.app.push_screen(TextPrompt(f"Contract {contract.id} ({contract.account_no}, {contract.description}): "
                                        "the last day it charges for", hint="a date (2026-12-31, 31/12, t); "
                                                                            "Esc cancels"),
                             answered(lambda text: self.run_worker(end(text), group="recurring")))

    def ask_then(self, question: str, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
        self.app.push_screen(ConfirmScreen(question),
                             answered(lambda yes: self.run_worker(work(), exclusive=True, group="recurring")))

    async def attempt(self, doing: str, not_done: str, service: Callable[[str], Any], month: str) -> Any:
        """The run's step in the database thread; None (and the refusal shown) when the books refuse it."""
        self.say(doing)
        try:
            return await in_db(service, month)
        except BooksError as exc:
            self.say(f"{not_done}: {exc}")
            return None

    def action_draft(self) -> None:
        plan = self.plan
        if plan is None:
            return
        if not plan.charges:
            self.say(f"Nothing left to draft for {plan.month}.")
            return
        self.ask_then(f"Draft {_count(len(plan.invoices), 'invoice')} for {_count(plan.charges, 'charge')} of "
                      f"{plan.month}?", lambda: self.draft(plan.month))

    async def draft(self, month: str) -> None:
        result = await self.attempt("Drafting...", "Not drafted", self.services.draft_recurring_run, month)
        if result is not None:
            self.say(f"Drafted {_count(result.drafts, 'invoice')} for {month}: review them (Ctrl+O in invoice "
                     "entry), then F9 posts them.")
            await self.load()

    def action_post(self) -> None:
        plan = self.plan
        if plan is None:
            return
        if not plan.drafts_waiting:
            self.say(f"No drafts of the {plan.month} run are waiting to be posted.")
            return
        self.ask_then(f"Post {_count(plan.drafts_waiting, 'draft')} of the {plan.month} run?",
                      lambda: self.post(plan.month))

    async def post(self, month: str) -> None:
        result = await self.attempt("Posting...", "Not posted", self.services.post_recurring_run, month)
        if result is not None:
            numbers = f" ({result.first} to {result.last})" if result.posted else ""
            refused = (f"; {len(result.refused):,} refused, still drafts: {result.refused[0].reason}"
                       if result.refused else "")
            self.say(f"Posted {_count(result.posted, 'invoice')}{numbers}{refused}")
            await self.load()
