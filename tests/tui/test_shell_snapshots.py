"""Snapshots of the shell's own parts, at 80x24 and 120x40: the job stand-ins keep them independent
of the real screens (tests/screens/ has those).

Update after an intended change: `pytest tests/tui/test_shell_snapshots.py --snapshot-update`, then
read the SVGs in tests/tui/__snapshots__/ (their text is what the operator sees).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.forms import FormApp
from tests.tui.stubs import stub_app

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LOG = Path("/home/operator/.local/state/billfold/log/billfold.log")  # shown in the pictures, never written


@pytest.fixture()
def fixed_log(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The one-line message names the log file: the same file in every run."""
    import tui.errors

    monkeypatch.setattr(tui.errors, "log_exception", lambda _error: LOG)
    return LOG


@pytest.mark.parametrize("size", SIZES)
def test_shell_with_help(snap_compare, size: tuple[int, int]) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("f3", "f1")
        await pilot.pause()

    assert snap_compare(stub_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_a_job_stopped_by_an_unexpected_error(snap_compare, fixed_log: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("f5", *"boom")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(stub_app(), terminal_size=size, run_before=run_before)


def test_asking_before_discarding(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("f3", *"half an invoice", "escape")
        await pilot.pause()

    assert snap_compare(stub_app(), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_fields_with_their_messages(snap_compare, size: tuple[int, int]) -> None:
    async def run_before(pilot) -> None:
        # A refused field keeps the cursor and holds the keys (issue 16): Esc lifts the hold, Tab moves on.
        await pilot.press(*"100001", "enter", *"22/11", "enter", *"soon", "enter", "escape", "tab",
                          *"12.345", "enter", "escape", "tab", *"5", "f10")
        await pilot.pause()

    assert snap_compare(FormApp(), terminal_size=size, run_before=run_before)
