"""A bare host application for testing one screen at a time with the real services."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from textual.screen import Screen

from store import clock
from tui.keyorder import KeysInOrder
from tui.services import Services


@dataclass(frozen=True)
class HostContext:
    operator: str = "alice"
    database_label: str = "test.db"
    services: Services = field(default_factory=Services)

    @property
    def today(self) -> dt.date:
        return clock.today()  # pinned to 2026-11-22 by tests/conftest.py


class HostApp(KeysInOrder[None]):
    """Keys go through the application's own type-ahead handling (tui/keyorder.py), as in Billfold."""

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.context = HostContext()
        self.first = screen
        self.opened: list[tuple[str, str]] = []

    def on_mount(self) -> None:
        self.push_screen(self.first)

    def open_invoice_entry(self, account_no: str | None = None) -> None:
        self.opened.append(("invoice", account_no or ""))

    def open_payment_entry(self, account_no: str | None = None) -> None:
        self.opened.append(("payment", account_no or ""))

    def action_back(self) -> None:
        self.pop_screen()


async def settle(pilot: Any, rounds: int = 3) -> None:
    """Let a screen's workers finish and the screen repaint; `rounds` covers workers that start workers."""
    for _ in range(rounds):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def text_of(app: Any, selector: str) -> str:
    """What a Static on the current screen shows."""
    from textual.widgets import Static

    return str(app.screen.query_one(selector, Static).render())
