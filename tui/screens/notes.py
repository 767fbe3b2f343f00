"""n on the report previews: every note of the report in full, where the screen shows the first lines.
The other screens show a cut text whole in it too (Enter on a row of the audit, the delivery log, orders, My work).

At 80x24 a report's notes get four lines under its chart, and the aging's third note (the control
account against the aging total, and their difference) is the one that falls off.
"""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class NotesScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    NotesScreen { align: center middle; }
    NotesScreen > VerticalScroll { width: 76; max-width: 100%; height: auto; max-height: 90%;
                                   border: round $accent; background: $surface; padding: 0 1; }
    NotesScreen #notes-title { text-style: bold; }
    NotesScreen #notes-keys { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,n", "dismiss", "Close")]

    def __init__(self, title: str, notes: tuple[str, ...]) -> None:
        super().__init__()
        self.title_text, self.notes = title, notes

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.title_text, id="notes-title", markup=False)
            yield Static("\n\n".join(self.notes) or "This report has no notes.", id="notes-text", markup=False)
            yield Static("Esc, Enter or n closes", id="notes-keys")
