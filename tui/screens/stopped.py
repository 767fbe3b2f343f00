"""Where a job's screen was, after an unexpected error stopped it (see tui/errors.py).

An honest placeholder: what happened in one line, what was lost, and the key that opens the job
again. It lives in a mode of its own so the failed job's mode can be rebuilt from scratch.
"""
from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from tui.chrome import HeaderLine
from tui.keys import GLOBAL_KEYS, key_label
from tui.widgets.footer import KeyFooter


def job_keys(mode: str) -> str:
    """'F3 / Ctrl+N' for the mode the global keys open."""
    return next((key_label(k.keys) for k in GLOBAL_KEYS if k.action == f"go('{mode}')"), "")


class StoppedScreen(Screen[None]):
    MODE = "stopped"
    DEFAULT_CSS = """
    StoppedScreen #stopped { padding: 1 2; height: 1fr; }
    StoppedScreen #stopped-what { text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "reopen", "Open it again")]

    def __init__(self, mode: str, place: str, error: BaseException, log: Path) -> None:
        super().__init__()
        self.job_mode, self.place, self.error, self.log_file = mode, place, error, log

    def compose(self) -> ComposeResult:
        yield HeaderLine(self.place)
        keys = job_keys(self.job_mode)
        yield Static(f"{self.place} stopped after an unexpected error:", id="stopped-what", markup=False)
        yield Static(
            f"{type(self.error).__name__}: {self.error}\n\n"
            "What was typed on that screen is gone; whatever it had saved or posted stays saved.\n\n"
            f"Enter{f' or {keys}' if keys else ''} opens {self.place.lower()} again.\n\n"
            f"Details for support: {self.log_file}",
            id="stopped", markup=False)
        yield KeyFooter()

    def action_reopen(self) -> None:
        self.app.switch_mode(self.job_mode)
