"""Keys typed ahead land where they were meant to go.

Textual reads keys on the application's task and hands each to the focused field's own queue.
A priority binding (Enter, F10) runs on the application's task at once, possibly before the field
has taken the characters typed just before it. Awaiting `caught_up(field)` first makes the binding
wait until the field has processed every key already handed to it, and the application reads no
further key meanwhile; so the value is complete and the next keys follow the cursor.
"""
from __future__ import annotations

import asyncio
import contextlib
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget


async def caught_up(widget: Widget | None, timeout: float = 1.0) -> None:
    if widget is None or not widget.is_attached:
        return
    done = asyncio.Event()
    if not widget.call_later(done.set):  # queued behind the keys the widget already holds
        return
    # Bounded: a widget whose queue is not running yet (just mounted) must never hold up the keys.
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(done.wait(), timeout)


class FormScreen(Screen):
    """A form where Enter moves to the next field in step with the keys typed ahead."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "next_field", "Next field", show=False, priority=True)]

    # Moving focus repaints only the two fields it moves between (their :focus styles change).
    # Textual's default repaints the whole screen, about 6 KB per Enter over SSH.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    async def action_next_field(self) -> None:
        await caught_up(self.focused)
        field = self.focused
        check = getattr(field, "check", None)  # a FieldInput judges its own value
        if field is not None and callable(check) and not check():
            from tui.keyorder import hold_input

            hold_input(self.app, field)  # the cursor stays; typing waits until the field is fixed
            return
        self.entered(field)
        self.focus_next()

    def entered(self, field: Widget | None) -> None:
        """Hook: the field Enter was pressed in (its value complete), before the cursor moves on."""
