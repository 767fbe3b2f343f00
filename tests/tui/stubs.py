"""Stand-in job screens for testing the shell alone: no books, and failures on demand.

`StubApp` is the real BillfoldApp (keys, help, palette, error handling) with each job's screen
replaced by a `JobStub`: a header, a text field, and keys that fail in each way Textual knows.
"""
from __future__ import annotations

import datetime as dt

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from tui.app import BillfoldApp
from tui.chrome import HeaderLine
from tui.context import AppContext
from tui.screens.confirm import leave_asking

TODAY = dt.date(2026, 11, 22)


class Boom(RuntimeError):
    """The unexpected error the stubs raise."""


class JobStub(Screen[None]):
    """A job's screen: one field; F9 fails in an action, F8 in a worker, F7 in a thread, 'boom' typed in
    a handler; F12 (the application's key) fails the application's own message loop."""

    PLACE = "Job"
    fail_on_mount = False
    BINDINGS = [
        Binding("f9", "fail", "Fail"),
        Binding("f8", "fail_in_worker", "Fail in worker"),
        Binding("f7", "fail_in_thread", "Fail in thread"),
        Binding("f4", "open_detail", "Detail"),
        Binding("escape", "leave", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield HeaderLine(self.PLACE)
        yield Static(f"{self.PLACE} stand-in", id="stub-title")
        yield Input(id="stub-field")
        yield Footer()

    def on_mount(self) -> None:
        if type(self).fail_on_mount:
            raise Boom(f"{self.PLACE} could not open")

    def has_unsaved_work(self) -> bool:
        return bool(self.query_one("#stub-field", Input).value)

    def action_fail(self) -> None:
        raise Boom("in an action")

    @work(group="stub")
    async def action_fail_in_worker(self) -> None:
        raise Boom("in a worker")

    @work(thread=True, group="stub")
    def action_fail_in_thread(self) -> None:
        raise Boom("in a thread")

    def action_open_detail(self) -> None:
        self.app.push_screen(DetailStub())

    def action_leave(self) -> None:
        leave_asking(self, leave=lambda: self.query_one("#stub-field", Input).clear())

    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        if event.value == "boom":
            raise Boom("in a handler")


class DetailStub(JobStub):
    """A screen pushed on top of a job's own screen."""

    PLACE = "Detail"

    def action_leave(self) -> None:
        leave_asking(self)


def stub(place: str) -> type[JobStub]:
    return type(f"{place.replace(' ', '')}Stub", (JobStub,), {"PLACE": place})


LookupStub, InvoiceStub, PaymentsStub, ReportsStub = (stub(p) for p in ("Lookup", "Invoice", "Payments", "Reports"))


class Explode(Message):
    """Handled by the application itself, which fails: its own message loop ends."""


class StubApp(BillfoldApp):
    MODES = {"lookup": LookupStub, "invoice": InvoiceStub, "payments": PaymentsStub, "reports": ReportsStub}
    BINDINGS = [*BillfoldApp.BINDINGS, Binding("f12", "explode", "Fail the application", show=False)]

    def action_explode(self) -> None:
        self.post_message(Explode())

    def on_explode(self, _message: Explode) -> None:
        raise Boom("in the application's handler")


def stub_app() -> StubApp:
    return StubApp(AppContext("alice", "books.db", services=object()))
