"""Invoice entry prices a catalogue item in the customer's currency, and says so when it has no price there."""
from __future__ import annotations

from store.catalogue import save_item, save_item_price
from store.customers import CustomerData, create_customer
from store.queries import invoice_view
from tests.conftest import acting_as
from tests.screens.host import HostApp, settle, text_of
from tests.screens.test_invoice_entry import key_invoice
from tui.screens.invoice_entry import InvoiceEntryScreen


async def test_a_eur_customer_is_priced_in_eur_and_a_missing_price_is_named(books) -> None:
    with acting_as("bob"):
        save_item("CONS-HR", "Consulting, per hour", 9500, "GBP", "S")
        save_item_price("CONS-HR", "EUR", 11000)
        save_item("BOOK", "Operator handbook", 1999, "GBP", "Z")  # no EUR price
    account = create_customer(CustomerData(name="Rhein Handel GmbH", currency="EUR", country="DE")).account_no
    app = HostApp(InvoiceEntryScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await key_invoice(pilot, account, ("cons-hr", "2"))
        await settle(pilot)
        assert "Total €264.00" in text_of(app, "#totals")  # 2 x 110.00 EUR + 20%
        await pilot.press(*"book", "enter")
        await settle(pilot)
        screen_text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "BOOK has no price in EUR" in screen_text
        await pilot.press("f9")  # drop the unpriced line
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
    view = invoice_view("INV-000001")
    assert [(ln.item_code, ln.unit_price_minor) for ln in view.lines] == [("CONS-HR", 11000)]
    assert (view.currency, view.total_minor) == ("EUR", 26400)


async def test_the_catalogue_screen_adds_a_price_in_another_currency(books) -> None:
    from textual.widgets import DataTable

    from store.catalogue import list_items
    from store.session import set_operator
    from tui.screens.catalogue import CatalogueScreen

    set_operator("bob")  # the catalogue is a supervisor's
    save_item("BOOK", "Operator handbook", 1999, "GBP", "Z")
    app = HostApp(CatalogueScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # edit BOOK: the form holds its own price and currency
        await pilot.press("enter", "ctrl+u", *"23.50", "enter", "ctrl+u", *"eur", "f10")
        await settle(pilot)
        assert "Saved BOOK's EUR price 23.50" in text_of(app, "#cat-status")
        row = [str(c) for c in app.screen.query_one(DataTable).get_row_at(0)]
        assert row[:4] + row[6:] == ["BOOK", "Operator handbook", "19.99", "GBP", "EUR 23.50"]  # other prices last
    set_operator("alice")
    book = list_items("BOOK", exact=True)[0]
    assert (book.unit_price_minor, book.currency, book.prices) == (1999, "GBP", (("EUR", 2350),))
