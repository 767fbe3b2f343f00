"""Keys typed fast land in the order they were typed, editing keys included.

Textual 8 inserts a printable key into the focused Input as soon as the Input reads it, but runs a
bound key (Backspace, Delete, Left/Right, Home/End, Ctrl+U/K/W, Enter, Tab, Esc) only after the key
has bubbled back up to the application; meanwhile the application has handed the next keys to the
Input. Typed in one burst (a fast typist, a paste, or a slow SSH link that delivers several keys in
one packet), the bound keys land late: in tmux, a burst of `1 2 4 BSpace 3 4 5` gave `12434`, not
`12345`, and `a b c Left Left X` gave `abcX`, not `aXbc`. Upstream: Textualize/textual#6605 (open),
PR #6631.

So for a non-printable key with an Input focused, the application waits until the Input has taken
every key handed to it already (reading no new key meanwhile), then runs the key's binding itself,
in order. Keys no binding wants go on to the Input as before. (A handler such as `on_key` on a
screen above an Input would now see a bound key only if no binding took it first; Billfold has none.)
"""
from __future__ import annotations

import asyncio
import contextlib

from textual import events
from textual.app import App, ReturnType
from textual.widgets import Input

from tui.typeahead import caught_up

CATCH_UP_LIMIT = 1.0  # seconds; an Input stopped by an error never catches up: do not wait for it forever


class KeysInOrder(App[ReturnType]):
    """The application's base class instead of App (combine with tui.errors.SurvivesErrors)."""

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and not event.is_printable:
            field = self.focused
            if isinstance(field, Input) and self.screen.maximized is None:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(caught_up(field), CATCH_UP_LIMIT)
                if self.focused is field and (await self._check_bindings(event.key, priority=True)
                                              or await self._check_bindings(event.key)):
                    return
        await super().on_event(event)
