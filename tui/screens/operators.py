"""Operators: who works on these books, with which role; an admin adds, grants a role and disables here.

F12 (or Ctrl+P "Operators") from anywhere. Up/Down pick a login; F7 / Ctrl+O adds one (login and
role in the form below, F10 / Ctrl+G saves), F8 / Ctrl+T gives the selected login another role,
F9 / Ctrl+Y disables it (asks first). Only function and Ctrl keys change anything; the books
refuse anyone but an admin, and the refusal is shown in one line.
"""
from __future__ import annotations

from typing import Any, ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from store.errors import BooksError
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.widgets.footer import KeyFooter

ROLES = ("clerk", "supervisor", "admin")


class OperatorsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f7,ctrl+o", "new", "Add", priority=True),
        Binding("f8,ctrl+t", "grant", "Role", priority=True),
        Binding("f9,ctrl+y", "disable", "Disable", priority=True),
        Binding("f10,ctrl+g", "save", "Save", priority=True),
    ]
    DEFAULT_CSS = """
    OperatorsScreen #op-lock { height: 1; color: $text-muted; }
    OperatorsScreen #op-table { height: 1fr; }
    OperatorsScreen #op-form { height: 1; }
    OperatorsScreen #op-form > Input { border: none; height: 1; padding: 0; margin: 0 1 0 0; background: $boost; }
    OperatorsScreen #op-status { height: 2; }
    """

    @property
    def services(self) -> Any:
        return self.app.context.services  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield HeaderLine("Operators")
        yield Static("", id="op-lock")
        yield DataTable(id="op-table", cursor_type="row")
        with Horizontal(id="op-form"):
            login = Input(placeholder="login (F7 to add)", id="op-login")
            login.styles.width = "1fr"
            yield login
            role = Input(placeholder="role: clerk, supervisor or admin", id="op-role")
            role.styles.width = 34
            yield role
        yield Static("F7 add  F8 role  F9 disable  F10 save  (admins only)", id="op-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.run_worker(self.load(), exclusive=True)

    async def load(self, select: str | None = None) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns("Login", "Name", "Role", "State")
        rows = await in_db(self.services.list_operators)
        for o in rows:
            table.add_row(o.login, o.name, o.role, "disabled" if o.disabled else "active", key=o.login)
        admins = ", ".join(o.login for o in rows if o.role == "admin" and not o.disabled)
        self.query_one("#op-lock", Static).update(f"{len(rows)} operators; admins: {escape(admins) or 'none'}")
        if select is not None:
            table.move_cursor(row=[o.login for o in rows].index(select))
        table.focus()

    def _selected(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return str(table.get_row_at(table.cursor_row)[0])

    def _say(self, text: str) -> None:
        self.query_one("#op-status", Static).update(text)

    def action_new(self) -> None:
        self.query_one("#op-login", Input).value = ""
        self.query_one("#op-role", Input).value = "clerk"
        self.query_one("#op-login", Input).focus()
        self._say("Type the OS login, Enter, the role, then F10 (or Ctrl+G) to add it.")

    @on(Input.Submitted, "#op-login")
    def to_role(self) -> None:
        self.query_one("#op-role", Input).focus()

    def action_save(self) -> None:
        login = self.query_one("#op-login", Input).value.strip()
        role = self.query_one("#op-role", Input).value.strip().lower()
        if not login:
            self._say("Nothing to save: F7 starts a new operator.")
            return
        self.run_worker(self._change(self.services.add_operator, login, role), exclusive=True)

    def action_grant(self) -> None:
        login = self._selected()
        if login is None:
            return
        from tui.screens.prompt import TextPrompt

        def chosen(role: str | None) -> None:
            if role:
                self.run_worker(self._change(self.services.grant_operator, login, role.strip().lower()),
                                exclusive=True)

        self.app.push_screen(TextPrompt(f"New role for {login} (clerk, supervisor or admin):"), chosen)

    def action_disable(self) -> None:
        login = self._selected()
        if login is None:
            return
        from tui.screens.confirm import ConfirmScreen

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._change(self.services.disable_operator, login), exclusive=True)

        self.app.push_screen(ConfirmScreen(f"Disable {login}? It can no longer use these books."), confirmed)

    async def _change(self, service: Any, *args: str) -> None:
        try:
            row = await in_db(service, *args)
        except BooksError as exc:
            self._say(f"[b]Not done:[/b] {escape(str(exc))}")
            return
        state = "disabled" if row.disabled else f"{'an' if row.role == 'admin' else 'a'} {row.role}"
        self._say(f"{escape(row.login)} is now {state}.")
        for field in self.query("#op-form Input"):
            field.value = ""  # type: ignore[attr-defined]
        await self.load(select=row.login)
