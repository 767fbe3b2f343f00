"""The keys that work everywhere, in one place: the bindings, the help screen and the README use it.

Each job has a function key and a plain Ctrl alternative chosen outside what terminals take
(Ctrl+C/Z/S/Q), what arrives as another key (Ctrl+I/M/H/[ are Tab, Enter, Backspace, Esc) and
what a text field uses for editing (Ctrl+A/E/K/U/W/D/X/V).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Key:
    keys: str
    action: str
    description: str
    show: bool = True
    priority: bool = True


GLOBAL_KEYS: tuple[Key, ...] = (
    Key("f1", "help", "Help"),
    Key("question_mark", "help", "Help", show=False, priority=False),  # only when no field takes the '?'
    Key("f2,ctrl+f", "go('lookup')", "Lookup"),
    Key("f3,ctrl+n", "go('invoice')", "Invoice"),
    Key("f5,ctrl+b", "go('payments')", "Payments"),
    Key("f6,ctrl+r", "go('reports')", "Reports"),
    Key("ctrl+q", "quit", "Quit", show=False),
)

NAMES = {"question_mark": "?", "escape": "Esc", "enter": "Enter", "pagedown": "PgDn", "pageup": "PgUp",
         "up": "Up", "down": "Down", "left": "Left", "right": "Right", "delete": "Del"}


def key_label(keys: str) -> str:
    """'f2,ctrl+f' -> 'F2 / Ctrl+F'."""
    out = []
    for key in keys.split(","):
        parts = [NAMES.get(p, p.upper() if len(p) <= 3 else p.capitalize()) for p in key.split("+")]
        out.append("+".join(p if p not in ("CTRL", "ALT") else p.capitalize() for p in parts))
    return " / ".join(out)
