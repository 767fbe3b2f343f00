"""Keys typed in one burst land in order, editing keys included (tui/keyorder.py)."""
from __future__ import annotations

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

from tests.tui.stubs import stub_app

BURSTS = [
    (["1", "2", "4", "backspace", "3", "4", "5"], "12345"),
    (["a", "b", "c", "left", "left", "X"], "aXbc"),
    (["1", "0", "0", "0", "home", "9", "end", "5"], "910005"),
    (["w", "r", "o", "n", "g", "ctrl+u", "r", "i", "g", "h", "t"], "right"),
    (["1", "2", "3", "left", "delete", "4"], "124"),
]


async def burst(app: App[object], keys: list[str]) -> None:
    """Every key handed over at once, as one SSH packet would: no waiting in between."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


@pytest.mark.parametrize("keys,expected", BURSTS)
async def test_a_burst_lands_in_order(keys: list[str], expected: str) -> None:
    app = stub_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(app, keys)
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#stub-field", Input).value == expected


async def test_plain_textual_gets_the_same_burst_wrong() -> None:
    """Why tui/keyorder.py exists: when Textual fixes #6605 this fails, and keyorder.py can go."""

    class Plain(App[None]):
        def compose(self) -> ComposeResult:
            yield Input()

    app = Plain()
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(app, BURSTS[0][0])
        await pilot.pause()
        await pilot.pause()
        assert app.query_one(Input).value != "12345"


async def test_keys_after_a_job_key_go_to_the_new_job() -> None:
    app = stub_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(app, ["a", "b", "f3", "c", "d"])
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#stub-field", Input).value == "cd"
        await pilot.press("f2")
        assert app.screen.query_one("#stub-field", Input).value == "ab"
