"""The keys that work everywhere, in one place: the bindings, the help screen, the palette and the README use it.

Each job has a function key and a plain Ctrl alternative (some SSH clients mangle F-keys), chosen
outside the sets below: what terminals and lines take, what arrives as another key, and what a text
field uses for editing. tests/tui/test_keys.py checks the map against these sets (Input's editing
keys are read from the installed Textual, so a new Textual that takes one more key fails the test),
and feeds the bytes real terminals send (xterm, VT220/PuTTY, Linux console) through Textual's parser.

Tried in tmux with TERM=xterm-256color and TERM=xterm: every key below arrives, by tmux's own key
names and as the raw bytes of each terminal family. Alt+letter was considered and left out: a
terminal sends it as Esc followed by the letter, and Esc is the most-pressed key here (back), so
over a slow SSH link "Esc, then p" typed quickly arrives as Alt+P; bound, it would jump jobs.
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
    # Every F-key is taken on the account view, so My work has Ctrl+L alone; off the footer (whose
    # snapshots it would change everywhere) but in F1 help and the palette.
    Key("ctrl+l", "my_work", "My work", show=False),
    # Not a priority key: the account view's own F12 (to collections) comes first there.
    Key("f12", "operators", "Operators", show=False, priority=False),
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


# Why the plain alternatives are what they are (checked by tests/tui/test_keys.py).
TERMINAL_TAKEN = {
    "ctrl+c": "interrupt; Textual's copy",
    "ctrl+z": "suspend (job control)",
    "ctrl+s": "XOFF flow control: freezes the screen on lines that keep it",
    "ctrl+q": "XON flow control (Billfold's quit, as Textual's, works where the line lets it through)",
    "ctrl+backslash": "SIGQUIT",
    "ctrl+right_square_bracket": "telnet's escape",
}
ARRIVES_AS = {"ctrl+i": "tab", "ctrl+m": "enter", "ctrl+h": "backspace", "ctrl+left_square_bracket": "escape",
              "ctrl+j": "a newline, Enter on some terminals"}
MULTIPLEXER_PREFIXES = {
    "ctrl+b": "tmux's prefix: inside tmux, press Ctrl+B twice (or use F5)",
    "ctrl+a": "GNU screen's prefix",
}
ALLOWED_CLASHES = {"ctrl+b", "ctrl+q"}  # kept: every key does what it did yesterday; the F-key always works

