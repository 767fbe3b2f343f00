"""Keys typed fast land in the order they were typed, where they were meant to go, and nowhere else.

Three things happen here, all on the application's task, where Textual reads every key:

1. Bound keys in order. Textual 8 inserts a printable key into the focused Input as soon as the
   Input reads it, but runs a bound key (Backspace, Left, Home, Ctrl+U, Enter, Esc...) only after it
   has bubbled back up to the application; meanwhile the next keys reached the Input. In tmux a
   burst of `1 2 4 BSpace 3 4 5` gave `12434`. So for a non-printable key with an Input focused, the
   application waits until the Input has taken every key handed to it, then runs the binding itself.
   Upstream: Textualize/textual#6605 (open), PR #6631. Away from a text field the application runs
   every bound key itself too: "/" then "thanks" on the queue typed "k" (skip) and "s" (split)
   into the table before "/" had moved the cursor to the filter field.

2. Type-ahead held, not lost and not misfired. While a screen is opening (not mounted, or its field
   not focused yet), or while it says it is busy (`holds_keys()` true: a query or a save running),
   keys wait here in order and are handed on once the screen is ready: to the field that then has
   focus, never to the screen that was there before. A screen that asks a question
   (`DISCARDS_TYPE_AHEAD = True`: a confirmation, a prompt) drops the keys typed before it appeared,
   with one bell: a key typed for the field behind must not answer it.

3. Input inhibit (as a 5250 terminal's). `inhibit(field)` after a refused entry: printable keys are
   discarded, with one bell, until Esc (which only lifts the inhibit) or an editing key (the operator
   fixing the field).
"""
from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from typing import Any

from textual import events
from textual._time import get_time
from textual.app import App, ReturnType
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from tui.typeahead import caught_up

CATCH_UP_LIMIT = 1.0  # seconds; an Input stopped by an error never catches up: do not wait for it forever
HOLD_LIMIT = 10.0  # seconds; a screen stuck busy (a bug) must not eat the keyboard for good
RETRY = 0.01  # seconds between looks at a screen that is still opening
FIXING_KEYS = frozenset({"backspace", "delete", "ctrl+u", "ctrl+k", "ctrl+w", "left", "right", "home", "end"})


class KeysInOrder(App[ReturnType]):
    """The application's base class instead of App (combine with tui.errors.SurvivesErrors)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._held_keys: deque[events.Key] = deque()
        self._waiting_since = 0.0
        self._inhibited: Widget | None = None
        self._inhibit_rang = False
        self._retry_armed = False

    # ------------------------------------------------------------ holding keys while busy

    def keys_wait(self) -> bool:
        """True while keys must wait: the screen is opening, or says it is busy (`holds_keys()`)."""
        if self._held_keys and time.monotonic() - self._waiting_since > HOLD_LIMIT:
            return False  # a screen that never gets ready must not eat the keyboard for good
        try:
            screen = self.screen
        except Exception:
            return True
        return not screen_ready(screen)

    async def _hand_on(self) -> None:
        self._retry_armed = False
        while self._held_keys and not self.keys_wait():
            await self._take(self._held_keys.popleft())
        if self._held_keys:
            self._arm_retry()

    def _arm_retry(self) -> None:
        if not self._retry_armed:
            self._retry_armed = True
            self.set_timer(RETRY, self._hand_on)

    # ------------------------------------------------------------ input inhibit

    def inhibit(self, field: Widget) -> None:
        """After a refused entry: `field` keeps focus and printable keys are discarded until it is fixed."""
        self._inhibited, self._inhibit_rang = field, False

    def lift_inhibit(self) -> None:
        self._inhibited = None

    @property
    def inhibited(self) -> Widget | None:
        return self._inhibited if self._inhibited is not None and self._inhibited is self.focused else None

    # ------------------------------------------------------------ every key comes through here

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and event.key == "ctrl+j":
            # A newline is Enter: keys typed while the application starts reach the terminal while it is
            # still in line mode, which turns Enter's CR into LF (ICRNL), and some terminals send LF.
            event = events.Key("enter", "\r")
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._held_keys or self.keys_wait():
                if not self._held_keys:
                    self._waiting_since = time.monotonic()
                self._held_keys.append(event)
                self._arm_retry()
                return
            await self._take(event)
            return
        await super().on_event(event)

    async def _take(self, event: events.Key) -> None:
        """One key, in its turn: dropped, or run by a binding, or handed to the focused field."""
        screen = self.screen
        if getattr(screen, "DISCARDS_TYPE_AHEAD", False) and event.time < getattr(screen, "shown_at", 0.0):
            if not getattr(screen, "_rang_for_type_ahead", False):
                screen._rang_for_type_ahead = True  # type: ignore[attr-defined]
                self.bell()
            return
        if self._inhibited is not None:
            if self.inhibited is None:
                self._inhibited = None  # focus moved away (a mouse, a screen change): nothing held
            elif event.key == "escape":
                self._inhibited = None
                return
            elif event.key in FIXING_KEYS:
                self._inhibited = None
            elif event.is_printable:
                if not self._inhibit_rang:
                    self._inhibit_rang = True
                    self.bell()
                return
        field = self.focused
        if screen.maximized is None:
            if isinstance(field, Input) and not event.is_printable:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(caught_up(field), CATCH_UP_LIMIT)
                if self.focused is field and (await self._check_bindings(event.key, priority=True)
                                              or await self._check_bindings(event.key)):
                    return
            # No text field: the key's binding (the table's, the screen's) runs here and now, in turn,
            # not after bubbling up through queues while the next keys overtake it.
            elif not isinstance(field, Input) and (await self._check_bindings(event.key, priority=True)
                                                   or await self._check_bindings(event.key)):
                return
        await super().on_event(event)


def screen_ready(screen: Screen[Any]) -> bool:
    """Mounted, and its field focused where it has one: the keys can go to it now."""
    if not screen.is_mounted:
        return False
    if screen.focused is None and any(w.focusable for w in screen.query("Input")):
        return False
    busy = getattr(screen, "holds_keys", None)
    return not (callable(busy) and busy())


def shown_now(screen: Screen[Any]) -> None:
    """Call from on_mount of a screen that asks a question: keys typed before this moment are dropped."""
    screen.shown_at = get_time()  # type: ignore[attr-defined]


def hold_input(app: App[Any], field: Widget) -> None:
    """A refused entry: `field` keeps the cursor and typing is held until it is fixed or Esc."""
    inhibit = getattr(app, "inhibit", None)
    if callable(inhibit):
        inhibit(field)
