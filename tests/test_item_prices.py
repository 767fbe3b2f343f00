"""Prices per currency: an invoice line takes the item's price in the invoice's currency, or is refused."""
from __future__ import annotations

import pytest

from store import invoices
from store.catalogue import list_items, save_item, save_item_price
from store.errors import ValidationError
from store.models import ItemPrice
from store.permissions import PermissionDenied
from tests.conftest import acting_as, run_json, snapshot
from tests.orders_books import order_books


def test_a_line_is_priced_in_the_invoice_currency(books) -> None:
    order_books()
    gbp, errors = invoices.parse_line_fields({"item": "widget", "quantity": "2"}, "GBP")
    assert errors == {} and gbp is not None and gbp.unit_price_minor == 1000
    eur, errors = invoices.parse_line_fields({"item": "widget", "quantity": "2"}, "EUR")
    assert errors == {} and eur is not None and eur.unit_price_minor == 1150


def test_no_price_in_the_currency_is_refused_naming_item_and_currency(books) -> None:
    order_books()
    line, errors = invoices.parse_line_fields({"item": "GADGET"}, "EUR")
    assert line is None
    assert "GADGET" in errors["unit_price"] and "EUR" in errors["unit_price"]
    typed, errors = invoices.parse_line_fields({"item": "GADGET", "unit_price": "7.00"}, "EUR")
    assert errors == {} and typed is not None and typed.unit_price_minor == 700  # a typed price still works


def test_single_currency_items_keep_working_and_own_currency_price_updates_the_item(books) -> None:
    with acting_as("bob"):
        save_item("TONER", "Toner", 2599, "GBP", "S")
        row = save_item_price("TONER", "GBP", 2699)
    assert (row.unit_price_minor, row.prices) == (2699, ())
    assert ItemPrice.select().count() == 0
    line, errors = invoices.parse_line_fields({"item": "TONER"}, "GBP")
    assert errors == {} and line is not None and line.unit_price_minor == 2699


def test_setting_a_price_is_a_supervisors_and_checked(books) -> None:
    order_books()
    before = snapshot()
    with pytest.raises(PermissionDenied):
        save_item_price("WIDGET", "USD", 1300)  # alice is a clerk
    with acting_as("bob"), pytest.raises(ValidationError, match="currency"):
        save_item_price("WIDGET", "XXY", 1300)
    with acting_as("bob"), pytest.raises(ValidationError, match="not in the catalogue"):
        save_item_price("NOPE", "USD", 1300)
    assert snapshot() == before
    with acting_as("bob"):
        save_item_price("WIDGET", "USD", 1300)
        save_item_price("WIDGET", "EUR", 1175)  # changed, not added
    assert list_items("WIDGET", exact=True)[0].prices == (("EUR", 1175), ("USD", 1300))


def test_cli_item_price_and_list(cli, books) -> None:
    order_books()
    with acting_as("bob"):
        value = run_json(cli, "item", "price", "GADGET", "--currency", "eur", "--price", "6.10")
    assert value["prices"] == [["EUR", 610]]
    code, out, _err = cli("item", "list")
    assert code == 0 and "EUR 6.10" in out and "EUR 11.50" in out
    with acting_as("bob"):
        code, _out, err = cli("item", "price", "GADGET", "--price", "6.10")
    assert code == 2 and "currency" in err
