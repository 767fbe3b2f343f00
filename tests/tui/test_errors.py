"""Unexpected errors: one line on screen, the traceback in the log, and the session goes on."""
from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest
from textual.message_pump import MessagePump
from textual.widget import Widget
from textual.widgets import Input

from tests.tui.stubs import DetailStub, Explode, InvoiceStub, LookupStub, StubApp, stub_app
from tui.errors import LOOP_ENDING_CALLERS, one_line
from tui.screens.stopped import StoppedScreen


@pytest.fixture()
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "billfold.log"
    monkeypatch.setenv("BILLFOLD_LOG", str(path))
    return path


def lines(app: StubApp) -> list[str]:
    return [n.message for n in app._notifications]


async def still_answers(pilot, app: StubApp) -> None:  # noqa: ANN001
    """The application still takes keys: a job key switches, and typing lands in a field."""
    await pilot.press("f3")
    await pilot.pause()
    assert isinstance(app.screen, InvoiceStub)
    await pilot.press(*"ok")
    assert app.screen.query_one("#stub-field", Input).value == "ok"


@pytest.mark.parametrize("key,where", [("f9", "in an action"), ("f8", "in a worker"), ("f7", "in a thread")])
async def test_an_error_is_one_line_and_the_traceback_is_logged(log: Path, key: str, where: str) -> None:
    app = stub_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"typed", key)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert lines(app) == [f"Unexpected error: Boom: {where}. Details in {log}"]
        assert isinstance(app.screen, LookupStub)
        assert app.screen.query_one("#stub-field", Input).value == "typed"  # nothing the operator typed is lost
        await still_answers(pilot, app)
    text = log.read_text()
    assert "Traceback (most recent call last)" in text and f"Boom: {where}" in text


async def test_the_palette_runs_through_the_same_guard(log: Path) -> None:
    app = stub_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.run_action("screen.fail")
        await pilot.pause()
        assert lines(app) == [f"Unexpected error: Boom: in an action. Details in {log}"]
        await still_answers(pilot, app)


async def test_a_handler_error_on_a_jobs_own_screen_leaves_a_placeholder(log: Path) -> None:
    app = stub_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", *"boom")
        await pilot.pause()
        await pilot.pause()
        assert lines(app) == [f"Unexpected error: Boom: in a handler. Details in {log}"]
        assert isinstance(app.screen, StoppedScreen)
        assert "Enter or F3 / Ctrl+N opens invoice again" in str(app.screen.query_one("#stopped").render())
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, LookupStub)
        await still_answers(pilot, app)  # F3 builds the invoice screen afresh
        assert app.screen.query_one("#stub-field", Input).value == "ok"


async def test_enter_on_the_placeholder_opens_the_job_again(log: Path) -> None:
    app = stub_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", *"boom")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InvoiceStub) and not app.screen.query_one("#stub-field", Input).value


async def test_a_handler_error_on_a_pushed_screen_goes_back_to_the_one_below(log: Path) -> None:
    app = stub_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"kept", "f4")
        await pilot.pause()
        assert isinstance(app.screen, DetailStub)
        await pilot.press(*"boom")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, LookupStub)
        assert app.screen.query_one("#stub-field", Input).value == "kept"
        assert lines(app) == [f"Unexpected error: Boom: in a handler. Details in {log}"]


async def test_a_screen_failing_in_a_job_out_of_view_is_rebuilt_when_next_opened(log: Path) -> None:
    app = stub_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", *"draft", "f2")
        await pilot.pause()
        invoice = app.get_screen_stack("invoice")[0]
        invoice.post_message(Input.Changed(invoice.query_one(Input), "boom"))  # say, a worker's message
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, LookupStub) and lines(app) == [
            f"Unexpected error: Boom: in a handler. Details in {log}"]
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, InvoiceStub) and app.screen is not invoice
        assert app.screen.query_one(Input).value == ""


async def test_a_screen_that_fails_to_open_can_be_tried_again(log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(InvoiceStub, "fail_on_mount", True)
    app = stub_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, StoppedScreen)
        assert lines(app) == [f"Unexpected error: Boom: Invoice could not open. Details in {log}"]
        monkeypatch.setattr(InvoiceStub, "fail_on_mount", False)  # say, the database is back
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, InvoiceStub)


async def test_an_error_that_stops_the_application_itself_exits_with_one_line(
        log: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = stub_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.post_message(Explode())
        for _ in range(500):  # poll for the exit (bounded) rather than sleep a guessed time
            if not app.is_running:
                break
            await asyncio.sleep(0.01)
        assert not app.is_running  # left, rather than frozen with a dead message loop
        del pilot
    assert app.return_code == 1
    err = " ".join(capsys.readouterr().err.split())
    assert err == f"billfold: unexpected error: Boom: in the application's handler. Details in {log}"
    assert "Traceback" in log.read_text()


def test_one_line_is_one_line() -> None:
    line = one_line(ValueError("first\nsecond " + "x" * 300), Path("/var/log/billfold.log"))
    assert "\n" not in line and line.startswith("Unexpected error: ValueError: first second xxx")
    assert line.endswith("... Details in /var/log/billfold.log")


def test_textual_still_ends_a_message_loop_where_we_expect() -> None:
    """tui/errors.py knows which Textual methods stop a widget after an error; a new Textual may move them."""
    callers = set()
    for cls in (MessagePump, Widget):
        for name, member in inspect.getmembers(cls, inspect.isfunction):
            if "_handle_exception(" in inspect.getsource(member):
                callers.add(name)
    assert LOOP_ENDING_CALLERS <= callers, "Textual changed where a failing widget's loop ends: see tui/errors.py"
