"""Account lookup: one input, results that refresh as the operator types, Enter opens the account."""
from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import WorkType

from store.kinds import CustomerStatus
from store.lookup import AccountHit, LookupPage
from store.money import format_amount
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.books_screen import UsesBooks
from tui.widgets.footer import KeyFooter
from tui.widgets.results import Column, ResultList

PAGE = 50
# At 80 columns: 1 + 7 + 22 + 9 + 12 + 12 + 9, a space between each, and the scrollbar. Wider: a wider name.
COLUMNS = (Column("Account", 7), Column("Name", 22, flex=3), Column("City", 9, flex=1),
           Column("Balance", 12, right=True), Column("Overdue", 12, right=True), Column("Flags", 9))
FLAG_TEXT: dict[str, str] = {CustomerStatus.ON_HOLD: "HOLD", CustomerStatus.IN_COLLECTIONS: "COLL",
                             CustomerStatus.CLOSED: "CLSD"}


def flags_of(status: str, disputed: bool) -> str:
    return " ".join(f for f in (FLAG_TEXT.get(status, ""), "DISP" if disputed else "") if f)


class AccountLookupScreen(UsesBooks, Screen[None]):
    """Find an account by number, name, e-mail, phone, postcode or invoice number."""

    CSS_PATH = "account_lookup.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Next", show=False, priority=True),
        Binding("up", "move(-1)", "Previous", show=False, priority=True),
        Binding("pagedown", "move(10)", "Page down", show=False, priority=True),
        Binding("pageup", "move(-10)", "Page up", show=False, priority=True),
        Binding("enter", "open", "Open account", priority=True),
        Binding("f7", "new_customer", "New customer"),
        Binding("escape", "clear", "Clear", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.page: LookupPage | None = None
        self.hits: list[AccountHit] = []

    def compose(self) -> ComposeResult:
        yield HeaderLine("Account lookup")
        with Horizontal(id="find-row"):
            yield Static("Find", id="find-label")
            yield Input(placeholder="account, name, e-mail, phone, postcode or invoice number", id="query")
        yield ResultList(COLUMNS, id="results")
        yield Static("Type to search.  Up/Down move, Enter opens, F7 new customer.", id="lookup-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()  # the keys stay in the input; Up/Down move the results

    @on(Input.Changed, "#query")
    def search(self, event: Input.Changed) -> None:
        work: WorkType[None] = partial(self._search, event.value)
        self.run_worker(work, exclusive=True, group="lookup")

    async def _search(self, text: str, offset: int = 0) -> None:
        page = await in_db(self.services.find_accounts, text, offset, PAGE)
        if text != self.query_one("#query", Input).value:
            return  # the operator has typed on; a newer search is on its way
        self.show(page, append=offset > 0)

    def show(self, page: LookupPage, append: bool = False) -> None:
        if not append:
            self.hits = []
        self.query_one(ResultList).set_rows(
            ((hit.account_no, hit.name, hit.city, format_amount(hit.balance_minor, hit.currency),
              format_amount(hit.overdue_minor, hit.currency) if hit.overdue_minor else "",
              flags_of(hit.status, hit.disputed)) for hit in page.hits), append=append)
        self.hits.extend(page.hits)
        self.page = page
        status = self.query_one("#lookup-status", Static)
        if not page.text.strip():
            status.update("Type to search.  Up/Down move, Enter opens, F7 new customer.")
        elif not page.total:
            status.update(f"No account matches '{escape(page.text)}'.  F7 adds a customer.")
        else:
            shown = len(self.hits)
            status.update(f"{page.total} found" + (f", {shown} shown (Down for more)" if shown < page.total else "")
                          + ".  Enter opens.")

    def action_move(self, step: int) -> None:
        table = self.query_one(ResultList)
        if not self.hits:
            return
        row = max(0, min(table.cursor_row + step, len(self.hits) - 1))
        table.move_cursor(row)
        page = self.page
        if page and row >= len(self.hits) - 5 and len(self.hits) < page.total:
            work: WorkType[None] = partial(self._search, page.text, len(self.hits))
            self.run_worker(work, exclusive=True, group="lookup")

    def selected(self) -> AccountHit | None:
        table = self.query_one(ResultList)
        if not self.hits or table.cursor_row < 0 or table.cursor_row >= len(self.hits):
            return None
        return self.hits[table.cursor_row]

    def action_open(self) -> None:
        hit = self.selected()
        if hit is None:
            self.notify("Nothing selected: type part of a name, number, e-mail, phone or postcode.", timeout=3)
            return
        from tui.screens.account_view import AccountViewScreen

        self.app.push_screen(AccountViewScreen(hit.account_no))

    def action_new_customer(self) -> None:
        from tui.screens.customer_form import CustomerFormScreen

        self.app.push_screen(CustomerFormScreen(None))

    async def action_clear(self) -> None:
        query = self.query_one("#query", Input)
        if query.value:
            query.value = ""
        else:
            await self.app.run_action("back")

    def reset_job(self) -> None:
        """F2: an empty search field with the cursor in it, whatever was on screen before."""
        query = self.query_one("#query", Input)
        query.value = ""
        self.set_focus(query)  # at once, not deferred: the next key typed lands in it

    def on_screen_resume(self) -> None:
        """Coming back from an account: refresh its balance and flags, keep the place."""
        query = self.query_one("#query", Input)
        query.focus()
        if query.value:
            row = self.query_one(ResultList).cursor_row
            work: WorkType[None] = partial(self._refresh, query.value, row)
            self.run_worker(work, exclusive=True, group="lookup")

    async def _refresh(self, text: str, row: int) -> None:
        page = await in_db(self.services.find_accounts, text, 0, max(PAGE, row + 1))
        self.show(page)
        self.query_one(ResultList).move_cursor(min(row, max(len(self.hits) - 1, 0)))
