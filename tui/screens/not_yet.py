"""An honest placeholder for a job whose screen is not built yet, reachable by the same keys."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from tui.chrome import HeaderLine
from tui.widgets.footer import KeyFooter


class NotYetScreen(Screen[None]):
    PLACE = ""
    WHAT = ""

    def compose(self) -> ComposeResult:
        yield HeaderLine(self.PLACE)
        yield Static(f"\n  {self.PLACE}: not built yet.\n\n  {self.WHAT}\n\n"
                     "  F2 account lookup   F3 invoice entry   F5 payments   F6 reports   F1 help", id="not-yet")
        yield KeyFooter()
