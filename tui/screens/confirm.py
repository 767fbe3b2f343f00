"""Asking before typed work is lost: a one-key yes/no modal, and the protocol screens opt into.

A screen that can hold typed work defines `has_unsaved_work() -> bool`. Its Esc action calls
`leave_asking(self)` (or pushes ConfirmScreen itself), and Ctrl+Q asks before quitting while any
screen, in any job, says it has some.

The answer is one key: y discards; n, Esc or Enter keeps the work. Keys typed before the question
appeared are dropped (one bell), never taken as its answer (tui/keyorder.py). Enter means "no" because
Enter is the key an operator presses most (next field): a stray one must never throw work away.
Any other key is refused with a bell rather than taken as an answer.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.keyorder import shown_now

DISCARD = "Discard what you typed?"


@runtime_checkable
class UnsavedWork(Protocol):
    def has_unsaved_work(self) -> bool: ...


class ConfirmScreen(ModalScreen[bool]):
    """`push_screen(ConfirmScreen("Discard what you typed?"), callback)`: the callback gets True for y."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: auto; min-width: 40; max-width: 76; height: auto;
        border: heavy $warning; background: $surface; padding: 0 1;
    }
    ConfirmScreen #confirm-question { text-style: bold; width: auto; max-width: 72; }
    ConfirmScreen #confirm-keys { color: $text-muted; width: auto; }
    """
    DISCARDS_TYPE_AHEAD = True
    BINDINGS = [
        Binding("y,Y", "answer(True)", "Yes"),
        Binding("n,N,escape,enter", "answer(False)", "No"),
    ]

    def __init__(self, question: str = DISCARD, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="confirm-question", markup=False)
            yield Static("y yes    n / Esc / Enter no", id="confirm-keys")

    def on_mount(self) -> None:
        shown_now(self)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def on_key(self, event: events.Key) -> None:
        # Not an answer: keep the question up, and say so with the bell.
        if event.key not in ("y", "Y", "n", "N") and event.is_printable:
            event.stop()
            self.app.bell()


def leave_asking(screen: Screen, leave: Callable[[], object] | None = None, question: str = DISCARD) -> None:
    """Esc on a screen that may hold typed work: leave at once if it holds none, else ask first.

    `leave` defaults to dismissing the screen (back to the one below it).
    """
    go = leave or screen.dismiss
    if not (isinstance(screen, UnsavedWork) and screen.has_unsaved_work()):
        go()
        return
    screen.app.push_screen(ConfirmScreen(question), lambda yes: go() if yes else None)


def unsaved_screens(app: App[object]) -> list[Screen]:
    """Every screen, in every job's stack, that says it holds typed work."""
    stacks = getattr(app, "_screen_stacks", {"": app.screen_stack})  # Textual keeps one stack per mode
    return [s for stack in stacks.values() for s in stack
            if isinstance(s, UnsavedWork) and s.has_unsaved_work()]
