"""Esc asks before typed work is lost; so does Ctrl+Q; the answer is one key, and Enter means no."""
from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from tests.tui.stubs import DetailStub, InvoiceStub, LookupStub, stub_app
from tui.screens.confirm import ConfirmScreen


def field(app) -> Input:
    return app.screen.query_one("#stub-field", Input)


async def test_esc_without_typed_work_goes_back_at_once() -> None:
    app = stub_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "escape")
        await pilot.pause()
        assert isinstance(app.screen, LookupStub)


@pytest.mark.parametrize("answer", ["n", "escape", "enter"])
async def test_esc_asks_and_no_keeps_the_work(answer: str) -> None:
    app = stub_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", *"half an invoice", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert str(app.screen.query_one("#confirm-question", Static).render()) == "Discard what you typed?"
        await pilot.press(answer)
        await pilot.pause()
        assert isinstance(app.screen, DetailStub) and field(app).value == "half an invoice"


async def test_y_discards() -> None:
    app = stub_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", *"half", "escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, LookupStub)


async def test_other_keys_are_not_an_answer() -> None:
    app = stub_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", *"half", "escape", *"abc")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert field(app).value == "half"


async def test_quit_asks_while_any_job_holds_typed_work() -> None:
    app = stub_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", *"draft", "f2", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and app.is_running
        assert "Quit" in str(app.screen.query_one("#confirm-question", Static).render())
        await pilot.press("n", "f3")
        await pilot.pause()
        assert isinstance(app.screen, InvoiceStub) and field(app).value == "draft"
        await pilot.press("ctrl+q", "ctrl+q")  # twice: quit, as asked
        await pilot.pause()
        assert not app.is_running


async def test_quit_without_typed_work_is_at_once() -> None:
    app = stub_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
