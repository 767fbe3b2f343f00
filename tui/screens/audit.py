"""The audit trail on screen: who did what, when, and the values before and after.

/ filters (operator, a first day, a document number), Enter shows the event in full, Esc goes back.
The chain's head hash is on the first line: write it down, and `billfold verify --anchor HASH` proves later
that the trail still passes through it.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from store.audit_trail import AuditRow, change_text
from store.dates import parse_date
from store.errors import ValidationError
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.books_screen import UsesBooks
from tui.screens.notes import NotesScreen
from tui.screens.prompt import TextPrompt
from tui.widgets.footer import KeyFooter

FILTER_HELP = "operator=LOGIN since=DATE document=NUMBER (any of them; empty: everything)"


def parse_filter(text: str, today: dt.date) -> dict[str, Any]:
    """'operator=bob since=-7 document=INV-000001' -> keyword arguments of audit_events."""
    out: dict[str, Any] = {}
    for part in text.split():
        key, sep, value = part.partition("=")
        if not sep or key not in ("operator", "since", "document"):
            raise ValidationError("filter", f"'{part}' is not one of {FILTER_HELP}")
        out[key] = parse_date(value, "since", today) if key == "since" else value
    return out


def described(row: AuditRow) -> str:
    return f"{row.at} {row.operator} {row.action} {row.entity} {row.entity_id}\n{change_text(row.before, row.after)}"


class AuditScreen(UsesBooks, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("slash", "filter", "Filter"),
    ]
    # The table takes what the detail leaves: as tall as its rows, it pushed the detail off an 80x24 screen.
    DEFAULT_CSS = """
    AuditScreen #audit-head { height: 1; padding: 0 1; color: $text-muted; }
    AuditScreen #audit-detail { height: 3; padding: 0 1; }
    AuditScreen #audit { height: 1fr; }
    """

    def __init__(self, document: str | None = None) -> None:
        super().__init__()
        self.filters: dict[str, Any] = {"document": document} if document else {}
        self.rows: dict[str, AuditRow] = {}

    def compose(self) -> ComposeResult:
        yield HeaderLine("Audit trail")
        yield Static("", id="audit-head", markup=False)
        yield DataTable(id="audit", cursor_type="row", zebra_stripes=True)
        yield Static("", id="audit-detail", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#audit", DataTable).add_columns("When", "Who", "What", "Ref", "Acct", "Change")
        self.query_one("#audit", DataTable).focus()
        self.run_worker(self._load(), exclusive=True)

    async def _load(self) -> None:
        services = self.services
        events = await in_db(services.audit_events, **self.filters)
        head = await in_db(services.chain_head)
        shown = " ".join(f"{k}={v}" for k, v in self.filters.items()) or "everything"
        self.query_one("#audit-head", Static).update(
            f"{len(events)} events ({shown}); chain head {head.hash[:16]}... of {head.count}; Enter: whole")
        table = self.query_one("#audit", DataTable)
        table.clear()
        self.rows = {str(e.id): e for e in events}
        for e in events:
            table.add_row(e.at[5:16], e.operator, e.action, e.entity_id[:12], e.account_no or "",
                          change_text(e.before, e.after)[:30], key=str(e.id))
        if events:
            table.move_cursor(row=len(events) - 1)  # the newest at the bottom, as a log reads

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self.rows.get(event.row_key.value or "")
        if row is not None:
            self.query_one("#audit-detail", Static).update(described(row))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter: the whole change, where the detail lines show its start."""
        row = self.rows.get(event.row_key.value or "")
        if row is not None:
            self.app.push_screen(NotesScreen(f"Audit event {row.id}", (described(row),)))

    def action_filter(self) -> None:
        current = " ".join(f"{k}={v}" for k, v in self.filters.items())
        self.app.push_screen(TextPrompt(f"Show events for: {FILTER_HELP}", current, required=False),
                             self._filtered)

    def _filtered(self, text: str | None) -> None:
        if text is None:
            return
        try:
            self.filters = parse_filter(text, self.app.context.today)
        except ValidationError as exc:
            self.query_one("#audit-detail", Static).update(str(exc))
            return
        self.run_worker(self._load(), exclusive=True)
