"""Pilot tests of invoice entry: keyed and posted, every refusal, drafts, Dup, shorthands."""
from __future__ import annotations

import datetime as dt

import pytest
from textual import events
from textual.widgets import Input, Static

from store.catalogue import save_item
from store.customers import (
    CustomerData,
    create_customer,
    customer_data,
    get_customer,
    put_on_hold,
    update_customer,
    with_changes,
)
from store.queries import invoice_view, list_drafts
from tests.conftest import acting_as
from tests.screens.host import HostApp, settle, text_of
from tui.screens.invoice_entry import POOL, InvoiceEntryScreen, LineRow


@pytest.fixture()
def shop(books) -> str:
    with acting_as("bob"):  # the catalogue is a supervisor's to keep
        save_item("CONS-HR", "Consulting, per hour", 9500, "GBP", "S")
        save_item("BOOK", "Operator handbook", 1999, "GBP", "Z")
    return create_customer(CustomerData(name="Kestrel Trading", email="k@kestrel.example", terms_days=14)).account_no


async def key_invoice(pilot, account: str, *lines: tuple[str, ...], ref: str = "PO-77") -> None:
    await pilot.press(*account, "enter")  # customer
    await settle(pilot)
    await pilot.press(*ref, "enter")  # Enter skipped date (today) and due (from terms); ref Enter skips the memo
    for fields in lines:
        for value in fields:
            await pilot.press(*value, "enter") if value else await pilot.press("enter")


async def test_an_invoice_keyed_and_posted(shop: str) -> None:
    app = HostApp(InvoiceEntryScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # item code fills description, price and tax; the cursor jumps to quantity
        await key_invoice(pilot, shop, ("cons-hr", "7.5"), ("book", "2"),
                          ("", "Carriage", "1", "12.5", "10", "S"))
        await settle(pilot)
        assert "Total £908.48" in text_of(app, "#totals")
        await pilot.press("f10")
        await settle(pilot)
        assert "Posted INV-000001 to 100001: £908.48" in text_of(app, "#inv-title")
        assert app.screen.focused.id == "f-customer" and app.screen.focused.value == ""
        assert [row.blank() for row in app.screen.query(LineRow)] == [True] * POOL
    view = invoice_view("INV-000001")
    assert [(ln.item_code, ln.description, str(ln.quantity), ln.unit_price_minor, ln.net_minor)
            for ln in view.lines] == [
        ("CONS-HR", "Consulting, per hour", "7.5", 9500, 71250), ("BOOK", "Operator handbook", "2", 1999, 3998),
        ("", "Carriage", "1", 1250, 1125)]
    assert (view.total_minor, view.reference) == (71250 + 14250 + 3998 + 1125 + 225, "PO-77")
    assert view.due_date == dt.date(2026, 11, 22) + dt.timedelta(days=14)


async def test_field_errors_block_posting_and_are_shown_in_words(shop: str) -> None:
    app = HostApp(InvoiceEntryScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await key_invoice(pilot, shop, ("", "Widget", "-2", "1.005", "", "XX"))
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert text_of(app, "#field-error") == "Not posted: line 1 quantity: must be more than zero"
        assert app.screen.focused.name == "quantity"
    assert list_drafts() == []  # nothing written
    from store.queries import books_summary

    assert books_summary().invoices == 0


async def test_customer_on_hold_is_refused_with_the_reason(shop: str) -> None:
    put_on_hold(shop, "cheque bounced")
    app = HostApp(InvoiceEntryScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await key_invoice(pilot, shop, ("book", "1"))
        await pilot.press("f10")
        await settle(pilot)
        assert "account 100001 is on hold: cheque bounced" in text_of(app, "#field-error")


async def test_unknown_customer(shop: str) -> None:
    app = HostApp(InvoiceEntryScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"999999", "enter")
        await settle(pilot)
        assert "account '999999' not found" in text_of(app, "#field-error")


async def test_credit_limit_needs_confirmation(shop: str) -> None:
    row = get_customer(shop)
    update_customer(shop, with_changes(customer_data(row), credit_limit_minor=1000), row.version)
    app = HostApp(InvoiceEntryScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await key_invoice(pilot, shop, ("book", "1"))
        await pilot.press("f10")
        await settle(pilot)
        assert "exceeds the credit limit £10.00" in str(app.screen.query_one(Static).render())
        await pilot.press("n")  # one key answers: no, and the invoice is still there to change
        await settle(pilot)
        assert isinstance(app.screen, InvoiceEntryScreen) and list_drafts() == []
        assert app.screen.form_values()["lines"][0]["item"] == "BOOK"
        await pilot.press("f10", "y")
        await settle(pilot)
    assert invoice_view("INV-000001").total_minor == 1999


async def test_esc_asks_before_discarding_typed_work(shop: str) -> None:
    app = HostApp(InvoiceEntryScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await key_invoice(pilot, shop, ("book", "2"))
        await pilot.press("escape")
        assert "Discard the invoice you are typing?" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("enter")  # Enter, the key pressed most, never discards
        await settle(pilot)
        assert app.screen.form_values()["lines"][0]["quantity"] == "2"
        await pilot.press("escape", "y")
        await settle(pilot)
        assert not isinstance(app.screen, InvoiceEntryScreen)  # discarded, and back where it came from
    assert list_drafts() == []


async def test_date_shorthands_and_dup(shop: str) -> None:
    app = HostApp(InvoiceEntryScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*shop, "tab")  # Tab, not Enter: Enter would skip the defaulted dates
        await settle(pilot)
        await pilot.press("ctrl+u", *"1/11", "enter", *"+30", "enter", *"PO-1", "enter")
        await pilot.press(*"book", "enter", "3", "enter")
        await pilot.press("f10")
        await settle(pilot)
        # Dup: every field of the next invoice from the previous one, by key
        await pilot.press("f8", "tab")  # customer
        for _ in range(3):  # date, due, reference
            await pilot.press("f8", "enter")
        await settle(pilot)
        await pilot.press("f8", "enter", "f8")  # item (jumps to quantity), quantity
        assert app.screen.query_one("#f-customer", Input).value == shop
        assert app.screen.query_one("#f-date", Input).value == "2026-11-01"
        assert app.screen.query_one("#f-reference", Input).value == "PO-1"
        await pilot.press("f10")
        await settle(pilot)
    first, second = invoice_view("INV-000001"), invoice_view("INV-000002")
    assert first.issue_date == dt.date(2026, 11, 1) and first.due_date == dt.date(2026, 12, 22)
    assert second.total_minor == first.total_minor == 3 * 1999


async def test_drafts_save_reopen_and_post(shop: str) -> None:
    app = HostApp(InvoiceEntryScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await key_invoice(pilot, shop, ("book", "4"))
        await pilot.press("f7")
        await settle(pilot)
        assert "Saved draft" in text_of(app, "#inv-title")
        drafts = list_drafts()
        assert [(d.account_no, d.total_minor, d.lines) for d in drafts] == [(shop, 4 * 1999, 1)]
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert f"Draft {drafts[0].id}" in text_of(app, "#inv-title")
        assert app.screen.query(LineRow).first().field("quantity").value == "4"
        await pilot.press("f10")
        await settle(pilot)
    assert list_drafts() == [] and invoice_view("INV-000001").total_minor == 4 * 1999


async def test_delete_and_move_lines(shop: str) -> None:
    app = HostApp(InvoiceEntryScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await key_invoice(pilot, shop, ("book", "1"), ("cons-hr", "2"),
                          ("", "Gone", "1", "1", "", "S"))
        await pilot.press("up", "f9")  # the cursor is on line 4 (blank): up is not a line move; use the row
        rows = app.screen.query(LineRow)
        rows[2].field("description").focus()
        await pilot.press("f9")
        rows = app.screen.query(LineRow)
        rows[1].field("item").focus()
        await pilot.press("ctrl+up")
        await settle(pilot)
        assert [r.field("item").value for r in app.screen.query(LineRow)][:2] == ["CONS-HR", "BOOK"]
        await pilot.press("f10")
        await settle(pilot)
    assert [ln.item_code for ln in invoice_view("INV-000001").lines] == ["CONS-HR", "BOOK"]


def burst(app, *chunks: str) -> None:
    """Post keys faster than any typist (a paste, a slow link catching up): no waiting between them."""
    from textual import events

    names = {"enter", "f10", "f8", "f7", "tab"}
    for chunk in chunks:
        for key in [chunk] if chunk in names else list(chunk):
            app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_keys_typed_ahead_land_in_their_fields_and_the_next_invoice(shop: str) -> None:
    app = HostApp(InvoiceEntryScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, shop, "enter", "PO-1", "enter",
              "cons-hr", "enter", "7.5", "enter",
              "book", "enter", "2", "f10",
              shop, "enter", "PO-2", "enter", "book", "enter", "3", "enter")
        await settle(pilot)
        await settle(pilot)
        values = app.screen.form_values()
        assert (values["customer"], values["reference"]) == (shop, "PO-2")
        assert values["lines"][0]["item"] == "BOOK" and values["lines"][0]["quantity"] == "3"
        await pilot.press("f10")
        await settle(pilot)
    first, second = invoice_view("INV-000001"), invoice_view("INV-000002")
    assert [(ln.item_code, str(ln.quantity)) for ln in first.lines] == [("CONS-HR", "7.5"), ("BOOK", "2")]
    assert (first.reference, second.reference, second.total_minor) == ("PO-1", "PO-2", 3 * 1999)


async def test_f10_straight_from_the_last_field_of_a_long_invoice(shop: str) -> None:
    """More lines than the blank pool: posting clears the extra lines while the field left still
    has its Blur to come; that Blur must not read a line being removed (it once stopped the screen)."""
    app = HostApp(InvoiceEntryScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = [{"item": "BOOK", "description": "Operator handbook", "quantity": "1", "unit_price": "19.99",
                  "discount": "", "tax_code": "Z"} for _ in range(POOL + 2)]
        await app.screen.fill({"customer": shop, "date": "2026-11-22", "reference": "LONG", "lines": lines})
        await settle(pilot)
        app.screen.query(LineRow)[POOL + 1].field("description").focus()
        await settle(pilot)
        # As a paste or a fast typist over a slow link delivers them: all at once, no waits between.
        for key in ("enter", "f10", "1", "0", "0", "0"):  # description, then F10 from the quantity
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot)
        assert "Posted INV-000001" in text_of(app, "#inv-title")
        assert len(app.screen.query(LineRow)) == POOL and app.screen.query_one("#f-customer", Input).value == "1000"
    view = invoice_view("INV-000001")
    assert (len(view.lines), view.total_minor, view.reference) == (POOL + 2, 1999 * (POOL + 2), "LONG")


async def test_a_line_being_removed_is_never_read(shop: str) -> None:
    app = HostApp(InvoiceEntryScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = [{"item": "", "description": f"Line {n}", "quantity": "1", "unit_price": "1", "discount": "",
                  "tax_code": "Z"} for n in (1, 2, 3)]
        await app.screen.fill({"customer": shop, "lines": lines})
        app.screen.drop_rows([app.screen.query(LineRow)[1]])  # not awaited: its removal is under way
        assert [line["description"] for line in app.screen.form_values()["lines"]] == ["Line 1", "Line 3"]


async def test_discard_a_draft_from_the_list(shop: str) -> None:
    from store.invoices import DraftInput, create_draft
    from tests.conftest import line

    create_draft(DraftInput(shop, dt.date(2026, 11, 22), (line(),)))
    app = HostApp(InvoiceEntryScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("x", "enter")  # Enter is "no": the draft stays
        await settle(pilot)
        assert len(list_drafts()) == 1
        await pilot.press("x", "y")
        await settle(pilot)
    assert list_drafts() == []


async def test_an_item_code_completes_from_the_catalogue(shop: str) -> None:
    with acting_as("bob"):
        save_item("CONS-DAY", "Consulting, per day", 70000, "GBP", "S")
    app = HostApp(InvoiceEntryScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*shop, "enter")
        await settle(pilot)
        await pilot.press("enter", *"bo", "enter")  # one code begins 'BO'
        await settle(pilot)
        row = app.screen.query(LineRow).first()
        assert (row.field("item").value, row.field("description").value) == ("BOOK", "Operator handbook")
        assert app.screen.focused is row.field("quantity")
        await pilot.press("enter", *"cons", "enter")  # two begin 'CONS'
        await settle(pilot)
        assert "item: 'cons' could be CONS-DAY, CONS-HR: type more, or F4 for the list" in text_of(app, "#field-error")
        assert app.screen.query(LineRow)[1].field("description").value == ""
        assert app.screen.catalogue.codes_starting("cons-h") == ["CONS-HR"]


async def test_three_catalogue_lines_cost_the_data_and_eight_keys(shop: str) -> None:
    """Enter skips what has a default: the dates, the memo, and past the quantity the item's price,
    the optional discount and the item's tax code. Only Enters and F10 are added to the data."""
    with acting_as("bob"):
        save_item("TONER", "Toner cartridge", 6899, "GBP", "S")
    data = [shop, "PO-9", "cons-hr", "3", "book", "2", "toner", "1"]
    keys = [*shop, "enter", *"PO-9", "enter", *"cons-hr", "enter", "3", "enter",
            *"book", "enter", "2", "enter", *"toner", "enter", "1", "f10"]
    assert len(keys) - sum(len(d) for d in data) == 8
    app = HostApp(InvoiceEntryScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        assert "Posted INV-000001" in text_of(app, "#inv-title")
    view = invoice_view("INV-000001")
    assert [(ln.item_code, str(ln.quantity), ln.tax_code, ln.net_minor, ln.tax_minor) for ln in view.lines] == [
        ("CONS-HR", "3", "S", 28500, 5700), ("BOOK", "2", "Z", 3998, 0), ("TONER", "1", "S", 6899, 1380)]
    assert (view.total_minor, view.reference, view.memo) == (28500 + 3998 + 6899 + 5700 + 1380, "PO-9", "")


async def test_a_name_in_the_customer_field_searches_and_shift_f8_copies_a_line(shop: str) -> None:
    create_customer(CustomerData(name="Heron Mills", email="h@example.com"))
    app = HostApp(InvoiceEntryScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"kestrel", "enter")  # a name, not an account number: the lookup opens on it
        await settle(pilot)
        await pilot.press("enter")  # picks the one match
        await settle(pilot)
        assert app.screen.query_one("#f-customer", Input).value == shop
        assert app.screen.focused.id == "f-reference"
        await pilot.press(*"PO-5", "enter", *"book", "enter", "3", "enter")
        await pilot.press("shift+f8")  # line 2 = line 1, the cursor on its quantity
        await pilot.press("ctrl+u", "2", "f10")
        await settle(pilot)
    view = invoice_view("INV-000001")
    assert view.account_no == shop
    assert [(ln.item_code, str(ln.quantity), ln.net_minor) for ln in view.lines] == [("BOOK", "3", 5997),
                                                                                     ("BOOK", "2", 3998)]


async def test_a_free_text_line_takes_the_customers_default_tax_code(books) -> None:
    zero_rated = create_customer(CustomerData(name="Export Buyer GmbH", email="ap@buyer.example", country="DE",
                                              tax_code="Z")).account_no
    app = HostApp(InvoiceEntryScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # description, quantity, price: Enter past the price skips the discount and the tax code (Z filled)
        await key_invoice(pilot, zero_rated, ("", "Freight to Hamburg", "1", "250"))
        await settle(pilot)
        rows = app.screen.query(LineRow)
        assert rows[0].field("tax_code").value == "Z"
        assert app.focused is rows[1].field("item")  # the next line is open, no tax code typed
        await pilot.press("f10")
        await settle(pilot)
    view = invoice_view("INV-000001")
    assert (view.total_minor, view.tax_minor, [ln.tax_code for ln in view.lines]) == (25000, 0, ["Z"])
