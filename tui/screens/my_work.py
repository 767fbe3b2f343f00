"""My work: the first screen after login. What is assigned to me, what waits for my approval, what
happened to my own requests, and (supervisors) the team's day and every open assignment.

The counts are in the tab titles so they are the first thing read. Approve F10 / Ctrl+G and reject
F9 / Ctrl+Y work on the "To approve" tab; reassign F7 / Ctrl+O on an assignment; F8 / Ctrl+E the
audit trail; F4 / Ctrl+K the whole approvals queue; Enter opens the account or payment of an assignment, or shows a
request whole.
"""
from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from store.errors import BooksError
from store.worklists import MyWork, WorkItem
from tui.cells import refill
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.approvals import APPROVE_KEYS, REJECT_KEYS, REQUEST_COLUMNS, Decides, describe, request_cells
from tui.screens.notes import NotesScreen
from tui.screens.prompt import TextPrompt
from tui.widgets.footer import KeyFooter

TABS = ("assigned", "approve", "requests", "team", "all")
TITLES = {"assigned": "Assigned", "approve": "To approve", "requests": "My requests", "team": "Team today",
          "all": "All work"}
COLUMNS = {
    "assigned": ("#", "Topic", "About", "Name", "From", "Since", "Note"),
    "approve": REQUEST_COLUMNS,
    "requests": ("#", "Kind", "About", "Status", "Decided by", "Outcome / reason"),
    "team": ("Operator", "Role", "Invoices posted", "Payments applied", "Still assigned"),
    "all": ("#", "To", "Topic", "About", "Name", "Since"),
}


def work_cells(item: WorkItem, with_owner: bool = False) -> tuple[str, ...]:
    if with_owner:
        return (str(item.id), item.assigned_to, item.topic, item.subject, item.name[:24], item.assigned_at[5:])
    return (str(item.id), item.topic, item.subject, item.name[:22], item.assigned_by, item.assigned_at[5:],
            item.note[:16])


class MyWorkScreen(Decides):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(APPROVE_KEYS, "approve", "Approve"),
        Binding(REJECT_KEYS, "reject", "Reject"),
        Binding("f7,ctrl+o", "reassign", "Reassign"),
        Binding("f8,ctrl+e", "audit", "Audit"),
        Binding("f4,ctrl+k", "queue", "Queue"),
        # Priority: a table wider than 80 columns took Left/Right to scroll, and the tabs could not be reached.
        Binding("left", "tab(-1)", "Tab", show=False, priority=True),
        Binding("right", "tab(1)", "Tab", show=False, priority=True),
        Binding("r", "refresh", "Refresh", show=False),
    ]
    DEFAULT_CSS = """
    MyWorkScreen #mywork-summary { height: 1; padding: 0 1; }
    MyWorkScreen TabbedContent { height: 1fr; }
    MyWorkScreen #mywork-status { height: auto; min-height: 2; max-height: 4; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.work: MyWork | None = None

    def compose(self) -> ComposeResult:
        yield HeaderLine("My work")
        yield Static("Loading...", id="mywork-summary", markup=False)
        with TabbedContent(id="mywork-tabs", initial="assigned"):
            for tab in TABS:
                with TabPane(TITLES[tab], id=tab):
                    yield DataTable(id=f"w-{tab}", cursor_type="row", zebra_stripes=True)
        yield Static("", id="mywork-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        for tab, heads in COLUMNS.items():
            self.query_one(f"#w-{tab}", DataTable).add_columns(*heads)
        self.query_one("#w-assigned", DataTable).focus()
        self.action_refresh()

    def on_screen_resume(self) -> None:
        if self.work is not None:
            self.action_refresh()

    def action_refresh(self) -> None:
        self.run_worker(self._load(), exclusive=True, group="mywork")

    def refresh_requests(self) -> None:
        self.action_refresh()

    async def _load(self) -> None:
        work = await in_db(self.services.my_work)
        supervisor = work.role in ("supervisor", "admin")
        team = await in_db(self.services.team_today) if supervisor else []
        everyone = await in_db(self.services.open_assignments) if supervisor else []
        self.work = work
        counts = work.counts
        self.query_one("#mywork-summary", Static).update(
            f"{work.login} ({work.role}): {counts['assigned']} assigned, {counts['to_approve']} to approve, "
            f"{counts['my_requests_pending']} of your requests waiting")
        tabs = self.query_one(TabbedContent)
        tabs.get_tab("assigned").label = f"Assigned ({counts['assigned']})"
        tabs.get_tab("approve").label = f"To approve ({counts['to_approve']})"
        tabs.get_tab("requests").label = f"My requests ({counts['my_requests_pending']})"
        for tab in ("team", "all"):
            tabs.get_tab(tab).display = supervisor
        self._fill("assigned", [work_cells(w) for w in work.assigned], [str(w.id) for w in work.assigned])
        self._fill("approve", [request_cells(r) for r in work.to_approve], [str(r.id) for r in work.to_approve])
        self._fill("requests", [(str(r.id), r.kind.replace("_", " "), r.subject, r.status, r.decided_by or "",
                                 (r.outcome or r.decision_reason)[:36]) for r in work.my_requests],
                   [str(r.id) for r in work.my_requests])
        self._fill("team", [(d.login, d.role, str(d.invoices_posted), str(d.payments_applied), str(d.still_assigned))
                            for d in team], None)
        self._fill("all", [work_cells(w, with_owner=True) for w in everyone], [str(w.id) for w in everyone])

    def _fill(self, tab: str, rows: list[tuple[object, ...]], keys: list[str] | None) -> None:
        refill(self.query_one(f"#w-{tab}", DataTable), rows, keys)

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        shown = [t for t in TABS if tabs.get_tab(t).display]
        index = (shown.index(tabs.active) + step) % len(shown) if tabs.active in shown else 0
        tabs.active = shown[index]
        self.query_one(f"#w-{shown[index]}", DataTable).focus()
        self.decided("")

    def _selected(self, tab: str) -> str | None:
        table = self.query_one(f"#w-{tab}", DataTable)
        if self.query_one(TabbedContent).active != tab or table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def selected_request(self) -> int | None:
        key = self._selected("approve")
        if key is None:
            self.decided("Go to the To approve tab (Right arrow) and pick a request first.")
            return None
        return int(key)

    def decided(self, message: str) -> None:
        self.query_one("#mywork-status", Static).update(escape(message))

    def action_reassign(self) -> None:
        key = self._selected("assigned") or self._selected("all")
        if key is None:
            self.decided("Pick an assignment (Assigned or All work tab) first.")
            return
        def chosen(login: str | None) -> None:
            if login and key is not None:
                self.run_worker(self._reassign(int(key), login.strip()))

        self.app.push_screen(TextPrompt(f"Reassign assignment {key} to which operator (login)?"), chosen)

    async def _reassign(self, assignment_id: int, login: str) -> None:
        try:
            item = await in_db(self.services.reassign, assignment_id, login)
        except BooksError as exc:
            self.decided(f"Not done: {exc}")
            return
        self.decided(f"Assignment {item.id} ({item.topic} {item.subject}) is now {item.assigned_to}'s.")
        await self._load()

    @on(DataTable.RowSelected, "#w-assigned, #w-all")
    def open_work(self, event: DataTable.RowSelected) -> None:
        items = {str(w.id): w for w in (self.work.assigned if self.work else [])}
        item = items.get(event.row_key.value or "")
        if item is None:
            return
        if item.topic == "payment":
            self.app.action_go("payments")
        else:
            from tui.screens.account_view import AccountViewScreen

            self.app.push_screen(AccountViewScreen(item.subject))

    @on(DataTable.RowHighlighted, "#w-assigned, #w-all")
    def show_note(self, event: DataTable.RowHighlighted) -> None:
        """The assignment's note whole under the table: the Note column has room for its start only."""
        items = {str(w.id): w for w in (self.work.assigned if self.work else [])}
        item = items.get(event.row_key.value or "")
        if item is not None and item.note:
            self.decided(f"{item.subject} {item.name}: {item.note}")

    @on(DataTable.RowSelected, "#w-approve, #w-requests")
    def open_request(self, event: DataTable.RowSelected) -> None:
        """Enter: the request whole; the table has room for the start of its reason only."""
        rows = [*self.work.to_approve, *self.work.my_requests] if self.work else []
        row = next((r for r in rows if str(r.id) == event.row_key.value), None)
        if row is None:
            return
        decided = f"{row.status} by {row.decided_by}: {row.outcome or row.decision_reason}" if row.decided_by else ""
        self.app.push_screen(NotesScreen(f"Request {row.id}", tuple(t for t in (describe(row), decided) if t)))

    def action_queue(self) -> None:
        from tui.screens.approvals import ApprovalsScreen

        self.app.push_screen(ApprovalsScreen())

    def action_audit(self) -> None:
        from tui.screens.audit import AuditScreen

        self.app.push_screen(AuditScreen())
