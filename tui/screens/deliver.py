"""Deliver every undelivered posted document by its customer's channel, with a progress bar.

Rendering runs in worker processes on every core; the screen only shows what happened.
"""
from __future__ import annotations

from collections import deque
from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import ProgressBar, Static

from store.errors import BooksError
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.widgets.footer import KeyFooter

SHOWN_LINES = 200


class DeliverScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back"),
                                             Binding("f10", "start", "Deliver now"),
                                             Binding("f8", "log", "Delivery log")]
    DEFAULT_CSS = """
    DeliverScreen #deliver-log { height: 1fr; }
    DeliverScreen #deliver-summary { height: auto; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield HeaderLine("Deliver documents")
        yield Static("", id="deliver-pending")
        yield ProgressBar(id="deliver-bar", show_eta=False)
        with VerticalScroll(id="deliver-log"):
            yield Static("", id="deliver-lines")
        yield Static("", id="deliver-summary")
        yield KeyFooter()

    def on_mount(self) -> None:
        # The last lines only: a run of a million documents must not keep a million lines.
        self.lines: deque[str] = deque(maxlen=SHOWN_LINES)
        self.run_worker(self.count(), exclusive=True)

    async def count(self) -> None:
        pending = await in_db(self.app.context.services.pending_counts)  # type: ignore[attr-defined]
        self.query_one("#deliver-pending", Static).update(
            f"{pending.total} documents not yet delivered: {pending.by_email} by e-mail, {pending.by_post} by post. "
            "F10 delivers them all; F8 shows the delivery log.")

    def action_log(self) -> None:
        from tui.screens.delivery_log import DeliveryLogScreen

        self.app.push_screen(DeliveryLogScreen())

    def action_start(self) -> None:
        self.run_worker(self.deliver(), exclusive=True, group="deliver")

    def progress(self, done: int, total: int, what: str) -> None:
        """Called from the delivery thread: hand the news to the screen's own thread."""
        self.app.call_from_thread(self._show_progress, done, total, what)

    def _show_progress(self, done: int, total: int, what: str) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=total, progress=done)
        self.lines.append(what)
        self.query_one("#deliver-lines", Static).update(escape("\n".join(self.lines)))

    async def deliver(self) -> None:
        summary_line = self.query_one("#deliver-summary", Static)
        summary_line.update("Delivering...")
        try:
            summary = await in_db(self.app.context.services.deliver_pending, None,  # type: ignore[attr-defined]
                                  self.progress)
        except BooksError as exc:
            summary_line.update(f"Not delivered: {escape(str(exc))}")
            return
        summary_line.update(escape(summary.outcome(failures=8)))
        await self.count()
