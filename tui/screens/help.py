"""F1 / ?: every key that works on the screen you were on, built from its live bindings."""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from tui.keys import key_label

EXTRA = (("Enter", "Next field / open / pick"), ("Esc", "Back (asks first if typing would be lost)"),
         ("Ctrl+P", "Command palette: every action by name"))


def keys_of(screen: Screen) -> list[tuple[str, str]]:
    """(key, what it does) for every described binding active on `screen`, its focused widget and the app."""
    rows: dict[str, str] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.description and binding.action not in ("app.focus_next", "app.focus_previous"):
            rows.setdefault(binding.description, key_label(key))
            if key_label(key) not in rows[binding.description].split(" / "):
                rows[binding.description] += f" / {key_label(key)}"
    out = sorted(((k, d) for d, k in rows.items()), key=lambda r: (not r[0].startswith("F"), len(r[0]), r[0]))
    return out + [e for e in EXTRA if e[1] not in rows]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > DataTable { width: 64; height: 20; border: round $accent; }
    HelpScreen > Static { width: 64; background: $surface; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,question_mark,q", "dismiss", "Close")]

    def __init__(self, target: Screen) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        yield Static(f"Keys on this screen ({type(self.target).__name__.replace('Screen', '')}); Esc closes")
        yield DataTable(id="help-keys", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Does")
        for key, does in keys_of(self.target):
            table.add_row(key, does)
        table.focus()
