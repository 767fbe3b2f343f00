"""Period end: the month's runs in one list (orders, recurring billing, statements, the ledger export).

Reached from the reports screen (F7). Each run is one entry of `JOBS`; its screen module is imported
only when the operator opens it, so the list costs nothing at start.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.chrome import HeaderLine
from tui.widgets.footer import KeyFooter


@dataclass(frozen=True)
class Job:
    key: str
    title: str
    what: str
    screen: str  # "module:Class", a Screen taking no arguments


# One line per run; each team adds its own (kept in the order a month end is worked).
JOBS: tuple[Job, ...] = (
    Job("orders", "Orders", "review imported orders, bill the approved", "tui.screens.orders:OrdersScreen"),
    Job("recurring", "Recurring billing", "contracts: draft the month's charges, then post",
        "tui.screens.contracts:ContractsScreen"),
    Job("gl_export", "Ledger export", "the month's journal for the accountant", "tui.screens.gl_export:GlExportScreen"),
)


class PeriodEndScreen(Screen[None]):
    DEFAULT_CSS = """
    PeriodEndScreen OptionList { height: 1fr; border: none; }
    PeriodEndScreen #period-end-help { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", priority=True),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield HeaderLine("Period end")
        yield OptionList(*[Option(f"{job.title:<22} {job.what}", id=job.key) for job in JOBS], id="period-end-jobs")
        yield Static("Up/Down choose, Enter open, Esc back" if JOBS else "No period-end runs are installed.",
                     id="period-end-help")
        yield KeyFooter()

    def on_mount(self) -> None:
        jobs = self.query_one(OptionList)
        if JOBS:
            jobs.highlighted = 0
        jobs.focus()

    def action_open(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None or not JOBS:
            return
        module, _sep, name = JOBS[index].screen.partition(":")
        self.app.push_screen(getattr(importlib.import_module(module), name)())
