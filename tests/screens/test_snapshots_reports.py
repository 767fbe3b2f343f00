"""Snapshot of the report preview at 80x24 and 120x40 on the same fixed demo books as the other screens."""
from __future__ import annotations

import pytest

from tests.screens.test_snapshots import SIZES, demo_books, make_app, settle, type_keys  # noqa: F401


async def aging_preview(pilot) -> None:
    await settle(pilot)
    await type_keys(pilot, "f6")
    await settle(pilot)


async def billing_and_collections(pilot) -> None:
    await aging_preview(pilot)
    await type_keys(pilot, "3")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_report_preview_aging(demo_books, snap_compare, size) -> None:  # noqa: F811
    assert snap_compare(make_app(), terminal_size=size, run_before=aging_preview)


@pytest.mark.parametrize("size", SIZES)
def test_report_preview_billing_and_collections(demo_books, snap_compare, size) -> None:  # noqa: F811
    assert snap_compare(make_app(), terminal_size=size, run_before=billing_and_collections)
