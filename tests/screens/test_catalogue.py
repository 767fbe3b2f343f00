"""Items and tax codes: the maintenance screen and its command-line twins."""
from __future__ import annotations

from decimal import Decimal

import pytest
from textual.widgets import DataTable, Static

from store.catalogue import list_items, list_tax_codes, save_item
from store.session import set_operator
from tests.screens.host import HostApp, settle
from tui.screens.catalogue import CatalogueScreen


@pytest.fixture(autouse=True)
def supervisor(books):
    """Items and tax codes are a supervisor's to keep: these tests act as bob."""
    set_operator("bob")
    yield
    set_operator("alice")


async def test_add_an_item_edit_it_and_add_a_tax_code(books) -> None:
    save_item("BOOK", "Operator handbook", 1999, "GBP", "Z")
    app = HostApp(CatalogueScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("f7", *"desk", "enter", *"Standing desk", "enter", *"349.99", "enter", "enter", "s", "f10")
        await settle(pilot)
        assert "Saved item DESK: Standing desk 349.99" in str(app.screen.query_one("#cat-status", Static).render())
        await pilot.press("enter")  # edit the first row (BOOK)
        await pilot.press("ctrl+u", *"Handbook, 2nd edition", "f10")
        await settle(pilot)
        await pilot.press("tab", "f7", *"HR", "enter", *"Hotel rate", "enter", *"7.5", "f10")
        await settle(pilot)
        await pilot.press("f7", *"X", "enter", *"Bad", "enter", *"101", "f10")
        await settle(pilot)
        assert "Not saved: rate: is a percentage from 0 to 100" in str(
            app.screen.query_one("#cat-status", Static).render())
    assert [(i.code, i.description, i.unit_price_minor) for i in list_items()] == [
        ("BOOK", "Handbook, 2nd edition", 1999), ("DESK", "Standing desk", 34999)]
    assert ("HR", Decimal("7.5")) in [(t.code, t.rate) for t in list_tax_codes()]


def test_item_and_tax_code_commands(books, capsys) -> None:
    from store.models import database_proxy
    from tui.cli import main

    db = database_proxy.obj.database
    assert main(["--db", db, "item", "save", "TONER", "--description", "Toner", "--price", "68.99"]) == 0
    assert main(["--db", db, "item", "list"]) == 0
    assert "TONER" in capsys.readouterr().out
    assert main(["--db", db, "tax-code", "save", "HR", "--name", "Hotel", "--rate", "7.5"]) == 0
    assert main(["--db", db, "tax-code", "save", "HR", "--name", "Hotel", "--rate", "abc"]) == 2
    assert "rate: 'abc' is not an amount" in capsys.readouterr().err
