"""Snapshot tests: each screen as an operator sees it, at 80x24 and at 120x40, on fixed demo books.

The books are the demo (seed 7, 12 customers, 6 months) built as of 2026-11-22 on a copy of the
migrated template, and the application runs on that day: tests/conftest.py pins store.clock to it,
so the pictures do not change with the calendar.

Update after an intended change of layout: `pytest tests/screens/test_snapshots.py --snapshot-update`,
then look at the SVGs in tests/screens/__snapshots__/.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from store.demo import DemoSpec, build_demo
from store.payments import PaymentInput, record_payment
from tests.conftest import TODAY
from tests.screens.host import settle
from tui.app import BillfoldApp
from tui.context import AppContext
from tui.services import Services

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture()
def demo_books(books: Path) -> Path:
    build_demo(DemoSpec(seed=7, customers=12, months=6, today=TODAY))
    return books


def make_app() -> BillfoldApp:
    return BillfoldApp(AppContext("alice", "books.db", Services()))


async def type_keys(pilot, *keys: str) -> None:
    """Type text and named keys; text is split into characters."""
    named = {"enter", "escape", "f1", "f2", "f3", "f5", "f6", "f10", "tab", "down", "up"}
    for key in keys:
        await pilot.press(*([key] if key in named else list(key)))


async def lookup_north(pilot) -> None:
    await settle(pilot)
    await type_keys(pilot, "north")
    await settle(pilot)


async def open_account(pilot) -> None:
    await lookup_north(pilot)
    await type_keys(pilot, "enter")  # the first hit: Northgate Larch Limited
    await settle(pilot)
    # The account view loads twice on opening (on_mount and on_screen_resume); about one time in
    # eight the open-items table is then drawn with its columns at header width ("INV-0000").
    # r (Refresh) redraws it, so the picture is stable; see the report for the fix in the screen.
    await type_keys(pilot, "r")
    await settle(pilot)


async def edit_account(pilot) -> None:
    await open_account(pilot)
    await type_keys(pilot, "e")
    await settle(pilot)


async def three_lines(pilot) -> None:
    await settle(pilot)
    await type_keys(pilot, "f3")
    await settle(pilot)
    await type_keys(pilot, "100001", "enter")  # customer
    await settle(pilot)
    await type_keys(pilot, "PO-4471", "enter")  # Enter skipped the dates (defaults); this one skips the memo
    # item code fills description, price and tax and jumps to quantity; past it, Enter opens the next line
    await type_keys(pilot, "cons-hr", "enter", "7.5", "enter")
    await type_keys(pilot, "toner", "enter", "2", "tab", "tab", "10", "enter")  # Tab reaches the discount
    await type_keys(pilot, "enter", "Site visit, travel", "enter", "1", "enter", "45", "enter", "enter", "S", "enter")
    await settle(pilot)


async def payments_queue(pilot) -> None:
    await settle(pilot)
    await type_keys(pilot, "f5")
    await settle(pilot)


async def help_on_invoice_entry(pilot) -> None:
    await settle(pilot)
    await type_keys(pilot, "f3")
    await settle(pilot)
    await type_keys(pilot, "f1")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_account_lookup_with_results(demo_books: Path, snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=lookup_north)


@pytest.mark.parametrize("size", SIZES)
def test_account_view_open_items(demo_books: Path, snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=open_account)


@pytest.mark.parametrize("size", SIZES)
def test_customer_form_editing(demo_books: Path, snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=edit_account)


@pytest.mark.parametrize("size", SIZES)
def test_invoice_entry_three_lines(demo_books: Path, snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=three_lines)


@pytest.mark.parametrize("size", SIZES)
def test_payments_queue(demo_books: Path, snap_compare, size: tuple[int, int]) -> None:
    record_payment(PaymentInput(12345, "GBP", "bank_transfer", dt.date(2026, 11, 20), reference="INV 44 THANKS",
                                payer="NORTHGATE LARCH LTD"))
    record_payment(PaymentInput(50000, "GBP", "cheque", dt.date(2026, 11, 21), payer="Mr R Davies"))
    assert snap_compare(make_app(), terminal_size=size, run_before=payments_queue)


@pytest.mark.parametrize("size", SIZES)
def test_help_on_invoice_entry(demo_books: Path, snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=help_on_invoice_entry)
