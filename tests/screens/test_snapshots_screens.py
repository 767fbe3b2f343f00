"""Snapshots at 80x24 of the screens tests/screens/test_snapshots.py leaves out, on books with the longest
realistic values (tests/screens/long_books.py): the picture shows what an operator sees when a name, a reason
or an amount is as long as it gets. The audit screen is not pictured: its first line shows the chain head
hash, which differs from run to run; tests/screens/test_whole_texts.py checks it by Pilot instead.

Update after an intended change of layout: `pytest tests/screens/test_snapshots_screens.py --snapshot-update`,
then look at the SVGs in tests/screens/__snapshots__/test_snapshots_screens/.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen

from tests.conftest import acting_as
from tests.screens.host import HostApp, settle
from tests.screens.long_books import LongBooks, build_long_books
from tui.screens.catalogue import CatalogueScreen
from tui.screens.delivery_log import DeliveryLogScreen
from tui.screens.document_view import DocumentScreen
from tui.screens.drafts import DraftsScreen
from tui.screens.dunning import DunningScreen
from tui.screens.gl_export import GlExportScreen
from tui.screens.matching_queue import PaymentsScreen
from tui.screens.my_work import MyWorkScreen
from tui.screens.operators import OperatorsScreen
from tui.screens.orders import OrdersScreen
from tui.screens.payment_entry import PaymentEntryScreen
from tui.screens.reports import ReportsScreen

SIZE = (80, 24)


@pytest.fixture()
def long_books(books: Path) -> LongBooks:
    return build_long_books()


def pressing(*keys: str) -> Callable[[Any], Awaitable[None]]:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
    return run_before


def shows(snap_compare: Any, screen: Screen, *keys: str, login: str = "alice") -> bool:
    with acting_as(login):
        return bool(snap_compare(HostApp(screen), terminal_size=SIZE, run_before=pressing(*keys)))


def test_my_work_with_a_request_to_approve(long_books: LongBooks, snap_compare) -> None:
    assert shows(snap_compare, MyWorkScreen(), "right", login="bob")


def test_my_work_assigned(long_books: LongBooks, snap_compare) -> None:
    assert shows(snap_compare, MyWorkScreen(), login="bob")


def test_approval_confirmation(long_books: LongBooks, snap_compare) -> None:
    assert shows(snap_compare, MyWorkScreen(), "right", "f10", login="bob")


def test_operators(long_books: LongBooks, snap_compare) -> None:
    assert shows(snap_compare, OperatorsScreen(), login="ada")


def test_document_view_of_an_invoice(long_books: LongBooks, snap_compare) -> None:
    assert shows(snap_compare, DocumentScreen(long_books.invoice))


def test_payment_entry(long_books: LongBooks, snap_compare) -> None:
    assert shows(snap_compare, PaymentEntryScreen(long_books.account))


def test_dunning_reminders(long_books: LongBooks, snap_compare) -> None:
    assert shows(snap_compare, DunningScreen(), login="bob")


def test_dunning_left_out(long_books: LongBooks, snap_compare) -> None:
    assert shows(snap_compare, DunningScreen(), "tab", login="bob")


def test_delivery_log(long_books: LongBooks, snap_compare) -> None:
    assert shows(snap_compare, DeliveryLogScreen())


def test_catalogue(long_books: LongBooks, snap_compare) -> None:
    assert shows(snap_compare, CatalogueScreen(), login="bob")


def test_drafts_list(long_books: LongBooks, snap_compare) -> None:
    assert shows(snap_compare, DraftsScreen())


def test_report_notes(long_books: LongBooks, snap_compare) -> None:
    assert shows(snap_compare, ReportsScreen(), "n")


def test_period_end(long_books: LongBooks, snap_compare) -> None:
    assert shows(snap_compare, ReportsScreen(), "f7")


def test_orders(long_books: LongBooks, snap_compare) -> None:
    assert shows(snap_compare, OrdersScreen(), login="bob")


def test_ledger_export(long_books: LongBooks, snap_compare) -> None:
    assert shows(snap_compare, GlExportScreen(), "right", login="bob")  # November, the month with entries


def test_payments_queue_with_a_long_match_reason(long_books: LongBooks, snap_compare) -> None:
    assert shows(snap_compare, PaymentsScreen())
