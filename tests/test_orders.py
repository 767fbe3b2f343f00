"""Orders in: CSV and JSON import (all or nothing, named line), duplicates, review with permissions, the CLI."""
from __future__ import annotations

import json

import pytest

from store.errors import Conflict, ValidationError
from store.models import SalesOrder, SalesOrderLine
from store.orders import approve_orders, hold_order, import_order_file, list_orders, reject_order, show_order
from store.permissions import PermissionDenied
from tests.conftest import acting_as, admin_setting, run_json, snapshot
from tests.orders_books import csv_file, order_books, standard_rows


def test_csv_import_prices_each_line_in_the_customers_currency(books, tmp_path) -> None:
    b = order_books()
    result = import_order_file(csv_file(tmp_path, standard_rows(b)))
    assert (result.imported, result.skipped, result.lines) == (["SO-1", "SO-2", "SO-3"], [], 4)
    so1, so2, so3 = list_orders()
    assert (so1.po, so1.currency, so1.status) == ("PO-77", "GBP", "pending")
    assert [(ln.item, ln.description, ln.unit_price_minor, ln.net_minor) for ln in so1.lines] == [
        ("WIDGET", "Widget", 1000, 3000), ("", "Delivery", 1250, 1250)]
    assert (so1.subtotal_minor, so1.tax_minor, so1.total_minor) == (4250, 850, 5100)  # 20% on both lines
    assert (so2.currency, so2.lines[0].unit_price_minor, so2.total_minor) == ("EUR", 1150, 2760)
    assert (so3.lines[0].description, so3.lines[0].tax_code, so3.total_minor) == ("Gadget (blue)", "R", 2100)


def test_json_import_carries_the_same_fields_with_lines_nested(books, tmp_path) -> None:
    b = order_books()
    doc = {"orders": [
        {"order_id": "J-1", "account": b.eur, "po": "EU-1", "order_date": "2026-11-19",
         "lines": [{"item": "WIDGET", "quantity": 4}, {"description": "Freight", "quantity": "1",
                                                       "unit_price": 25.10, "currency": "EUR"}]},
        {"order_id": "J-2", "account": b.gbp, "po": "", "order_date": "2026-11-19",
         "lines": [{"item": "GADGET", "description": "", "quantity": "2.5"}]}]}
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(doc, indent=2))
    assert import_order_file(path).imported == ["J-1", "J-2"]
    j1 = show_order("J-1")
    assert [(ln.unit_price_minor, ln.net_minor) for ln in j1.lines] == [(1150, 4600), (2510, 2510)]
    assert show_order("J-2").lines[0].net_minor == 1250


def test_the_same_order_id_twice_creates_nothing(books, tmp_path) -> None:
    b = order_books()
    path = csv_file(tmp_path, standard_rows(b))
    import_order_file(path)
    before = (SalesOrder.select().count(), SalesOrderLine.select().count())
    again = import_order_file(path)
    assert (again.imported, again.skipped) == ([], ["SO-1", "SO-2", "SO-3"])
    assert (SalesOrder.select().count(), SalesOrderLine.select().count()) == before
    mixed = import_order_file(csv_file(tmp_path, [f"SO-1,{b.gbp},,2026-11-20,WIDGET,,9,,",
                                                  f"SO-4,{b.gbp},,2026-11-20,WIDGET,,1,,"], "more.csv"))
    assert (mixed.imported, mixed.skipped) == (["SO-4"], ["SO-1"])
    assert show_order("SO-1").lines[0].quantity == 3  # the first import stands


@pytest.mark.parametrize(("row", "line", "says"), [
    ("SO-9,{gbp},,2026-11-20,WIDGET,,two,,", 4, "quantity"),
    ("SO-9,{gbp},,2026-11-20,NOPE,,1,,", 4, "'NOPE' is not in the catalogue"),
    ("SO-9,{eur},,2026-11-20,GADGET,,1,,", 4, "GADGET has no price in EUR"),
    ("SO-9,{gbp},,2026-11-20,WIDGET,,1,5.00,EUR", 4, "EUR is not the account's currency GBP"),
    ("SO-9,999999,,2026-11-20,WIDGET,,1,,", 4, "'999999' is not a customer"),
    ("SO-9,{gbp},,20/11/2026,WIDGET,,1,,", 4, "order_date"),
    ("SO-9,{gbp},,2026-11-20,,Labour,1,,", 4, "unit_price is required on a line without an item"),
    ("SO-9,{gbp},,2026-11-20,WIDGET,,1", 4, "has 7 columns; the header has 9"),
    ("SO-1,{eur},,2026-11-20,WIDGET,,1,,", 4, "differ from its first row (line 2)"),
])
def test_a_malformed_file_names_the_line_and_writes_nothing(books, tmp_path, row, line, says) -> None:
    b = order_books()
    rows = [f"SO-1,{b.gbp},PO-77,2026-11-20,WIDGET,,3,,", f"SO-2,{b.gbp},,2026-11-20,WIDGET,,1,,",
            row.format(gbp=b.gbp, eur=b.eur)]
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        import_order_file(csv_file(tmp_path, rows))
    assert refused.value.field == f"line {line}" and says in refused.value.message
    assert snapshot() == before


def test_a_wrong_header_and_bad_json_name_their_lines(books, tmp_path) -> None:
    order_books()
    bad = tmp_path / "bad.csv"
    bad.write_text("order,account\nSO-1,100001\n")
    with pytest.raises(ValidationError, match="line 1: the header must be order_id,account,po"):
        import_order_file(bad)
    broken = tmp_path / "broken.json"
    broken.write_text('[\n  {"order_id": "J-1",\n   "account": }\n]\n')
    with pytest.raises(ValidationError, match="line 3: is not JSON"):
        import_order_file(broken)
    nested = tmp_path / "nested.json"
    nested.write_text('[\n {"order_id": "J-1", "account": "100001", "po": "", "order_date": "2026-11-20",\n'
                      '  "lines": [\n   {"item": "WIDGET", "quantity": 1},\n   {"item": "WIDGET", "quantity": 0}\n'
                      '  ]}\n]\n')
    with pytest.raises(ValidationError, match="line 5: quantity must be more than zero"):
        import_order_file(nested)


def test_review_needs_a_supervisor_and_moves_only_reviewable_orders(books, tmp_path) -> None:
    import_order_file(csv_file(tmp_path, standard_rows(order_books())))
    with pytest.raises(PermissionDenied, match="approve, hold or reject orders"):
        approve_orders(["SO-1"])  # alice is a clerk
    with acting_as("bob"):
        assert [o.status for o in approve_orders(["SO-1", "SO-2"])] == ["approved", "approved"]
        held = hold_order("SO-3", "Customer to confirm colour")
        assert (held.status, held.note) == ("held", "Customer to confirm colour")
        assert approve_orders(["SO-3"])[0].status == "approved"  # a held order can be approved later
        rejected = reject_order("SO-2", "Duplicate of a phone order")
        assert (rejected.status, rejected.note) == ("rejected", "Duplicate of a phone order")
        before = snapshot()
        with pytest.raises(Conflict, match="SO-2 is rejected"):
            approve_orders(["SO-1", "SO-2"])  # one refusal: none moves
        with pytest.raises(ValidationError, match="note"):
            hold_order("SO-1", "  ")
        assert snapshot() == before
    assert [o.order_id for o in list_orders("approved")] == ["SO-1", "SO-3"]


def test_warnings_for_hold_and_credit_limit(books, tmp_path) -> None:
    from store.customers import CustomerData, create_customer, put_on_hold

    b = order_books()
    tight = create_customer(CustomerData(name="Tight Ltd", credit_limit_minor=2000)).account_no
    put_on_hold(b.gbp, "Cheque returned unpaid")
    import_order_file(csv_file(tmp_path, [*standard_rows(b), f"SO-5,{tight},,2026-11-20,WIDGET,,3,,"]))
    assert show_order("SO-1").warnings == ("account on hold: Cheque returned unpaid (not billed while on hold)",)
    assert "over credit limit" in show_order("SO-5").warnings[0]
    assert show_order("SO-2").warnings == ()


def test_cli_orders_commands(cli, books, tmp_path) -> None:
    b = order_books()
    path = csv_file(tmp_path, standard_rows(b))
    imported = run_json(cli, "orders", "import", str(path))
    assert imported["imported"] == ["SO-1", "SO-2", "SO-3"]
    code, out, _err = cli("orders", "import", str(path))
    assert code == 0 and "3 already imported" in out
    listed = run_json(cli, "orders", "list", "--status", "pending")
    assert [(o["order_id"], o["total_minor"], o["currency"]) for o in listed] == [
        ("SO-1", 5100, "GBP"), ("SO-2", 2760, "EUR"), ("SO-3", 2100, "GBP")]
    code, out, _err = cli("orders", "show", "SO-2")
    assert code == 0 and "total 27.60 EUR" in out
    code, out, _err = cli("orders", "approve", "SO-1", "--json")
    assert code == 1 and "supervisor" in json.loads(out)["error"]["message"]
    with acting_as("bob"):
        assert run_json(cli, "orders", "approve", "SO-1", "SO-2")[1]["status"] == "approved"
        assert run_json(cli, "orders", "hold", "SO-3", "--note", "Check stock")["note"] == "Check stock"
        assert run_json(cli, "orders", "reject", "SO-3", "--reason", "Out of range")["status"] == "rejected"
    bad = csv_file(tmp_path, [f"SO-8,{b.gbp},,2026-11-20,WIDGET,,-1,,"], "bad.csv")
    code, out, _err = cli("orders", "import", str(bad), "--json")
    error = json.loads(out)["error"]
    assert code == 2 and error["field"] == "line 2" and "quantity" in error["message"]
    code, _out, err = cli("orders", "show", "NOPE")
    assert code == 2 and "no such order" in err


def test_import_respects_the_size_limit(books, tmp_path) -> None:
    b = order_books()
    admin_setting("import_max_bytes", "10")
    with pytest.raises(ValidationError, match="import_max_bytes"):
        import_order_file(csv_file(tmp_path, standard_rows(b)))


def test_a_free_text_line_takes_the_customers_default_tax_code(books, tmp_path) -> None:
    from store.customers import CustomerData, create_customer

    exporter = create_customer(CustomerData(name="Export Buyer GmbH", email="ap@buyer.example", country="DE",
                                            tax_code="Z")).account_no
    path = tmp_path / "orders.csv"
    path.write_text("order_id,account,po,order_date,item,description,quantity,unit_price,currency\n"
                    f"EX-1,{exporter},PO-1,2026-11-20,,Freight to Hamburg,1,250.00,\n")
    import_order_file(path)
    order = show_order("EX-1")
    assert ([ln.tax_code for ln in order.lines], order.tax_minor, order.total_minor) == (["Z"], 0, 25000)
