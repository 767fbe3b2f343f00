"""The billing run: preview totals, one posted invoice per approved order, never twice (re-run, kill -9)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from store.db import close_database, open_database
from store.kinds import OrderStatus
from store.models import Invoice, InvoiceLine, JournalEntry, OpenItem, Outbox, SalesOrder
from store.order_billing import bill_orders, preview_billing
from store.orders import approve_orders, import_order_file, list_orders, show_order
from store.verify import verify_books
from tests.conftest import acting_as, run_json
from tests.orders_books import csv_file, order_books, standard_rows

ROOT = Path(__file__).resolve().parents[1]


def approved_books(tmp_path: Path) -> None:
    import_order_file(csv_file(tmp_path, standard_rows(order_books())))
    with acting_as("bob"):
        approve_orders(["SO-1", "SO-2", "SO-3"])


def test_preview_counts_and_totals_per_currency_and_writes_nothing(books, tmp_path) -> None:
    approved_books(tmp_path)
    preview = preview_billing()
    assert preview.orders == 3
    assert [(t.currency, t.invoices, t.subtotal_minor, t.tax_minor, t.total_minor) for t in preview.totals] == [
        ("EUR", 1, 2300, 460, 2760), ("GBP", 2, 6250, 950, 7200)]
    assert Invoice.select().count() == 0


def test_billing_posts_one_invoice_per_order_with_order_id_po_and_delivery(books, tmp_path) -> None:
    approved_books(tmp_path)
    result = bill_orders()
    assert [(b.order_id, b.invoice, b.total_minor, b.currency) for b in result.billed] == [
        ("SO-1", "INV-000001", 5100, "GBP"), ("SO-2", "INV-000002", 2760, "EUR"), ("SO-3", "INV-000003", 2100, "GBP")]
    invoice = Invoice.get(Invoice.number == "INV-000001")
    assert (invoice.reference, invoice.memo, invoice.status, invoice.total_minor) == ("PO-77", "Order SO-1",
                                                                                    "posted", 5100)
    assert [ln.unit_price_minor for ln in invoice.lines.order_by(InvoiceLine.position)] == [1000, 1250]
    assert Invoice.get(Invoice.number == "INV-000002").currency == "EUR"
    assert {(o.document.number, o.channel) for o in Outbox.select()} == {
        ("INV-000001", "email"), ("INV-000002", "email"), ("INV-000003", "post")}
    assert show_order("SO-1").invoice == "INV-000001" and show_order("SO-1").status == "billed"
    assert verify_books() == []


def test_running_twice_bills_nothing_twice(books, tmp_path) -> None:
    approved_books(tmp_path)
    bill_orders()
    again = bill_orders()
    assert (again.billed, again.skipped) == ([], [])
    assert Invoice.select().count() == 3 and JournalEntry.select().count() == 3


def test_an_account_on_hold_is_not_billed_and_stays_approved(books, tmp_path) -> None:
    from store.customers import put_on_hold

    approved_books(tmp_path)
    put_on_hold(show_order("SO-1").account, "Cheque returned unpaid")
    result = bill_orders()
    assert [b.order_id for b in result.billed] == ["SO-2", "SO-3"]
    assert result.skipped[0][0] == "SO-1" and "on hold" in result.skipped[0][1]
    assert [b.invoice for b in result.billed] == ["INV-000001", "INV-000002"]  # gapless: the refusal took no number
    assert show_order("SO-1").status == "approved"


def test_cli_bill_previews_without_yes_and_bills_with_it(cli, books, tmp_path) -> None:
    approved_books(tmp_path)
    preview = run_json(cli, "bill", "--orders")
    assert preview["preview"] is True and preview["orders"] == 3
    assert [(t["currency"], t["invoices"], t["total_minor"]) for t in preview["totals"]] == [
        ("EUR", 1, 2760), ("GBP", 2, 7200)]
    code, out, _err = cli("bill", "--orders", "--preview")
    assert code == 0 and "Nothing billed yet" in out and Invoice.select().count() == 0
    done = run_json(cli, "bill", "--orders", "--yes")
    assert [b["invoice"] for b in done["billed"]] == ["INV-000001", "INV-000002", "INV-000003"]
    assert run_json(cli, "bill", "--orders", "--yes")["billed"] == []
    pdf = tmp_path / "inv1.pdf"
    code, _out, err = cli("pdf", "invoice", "INV-000001", "-o", str(pdf))
    assert code == 0, err
    printed = PdfReader(str(pdf)).pages[0].extract_text()
    assert "PO-77" in printed and "Order SO-1" in printed  # the order id and PO go out on the invoice
    code, _out, err = cli("bill", "--yes")
    assert code == 2 and "--orders" in err
    code, _out, err = cli("bill", "--orders", "--yes", "--preview")
    assert code == 2 and "not allowed with" in err


def test_killed_midway_and_rerun_bills_each_order_exactly_once(books, tmp_path) -> None:
    from store.customers import CustomerData, create_customer

    b = order_books()
    extra = [create_customer(CustomerData(name=f"Kill {n} Ltd", email=f"k{n}@kill.example")).account_no
             for n in range(5)]
    rows = [f"K-{n:03d},{([*extra, b.gbp, b.eur])[n % 7]},PO-{n},2026-11-20,WIDGET,,{1 + n % 4},,"
            for n in range(60)]
    import_order_file(csv_file(tmp_path, rows))
    with acting_as("bob"):
        approve_orders([f"K-{n:03d}" for n in range(60)])
    close_database()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for after in (3, 11):  # kill -9 after the 3rd, then after the 11th invoice of the run
        proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "bill_worker.py"), str(books)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        assert proc.stdout is not None
        for _ in range(after):
            assert proc.stdout.readline().startswith("billed")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        proc.stderr.close() if proc.stderr else None
    open_database(str(books))
    partly = SalesOrder.select().where(SalesOrder.status == OrderStatus.BILLED).count()
    assert 14 <= partly < 60
    assert all(o.invoice_id is not None for o in SalesOrder.select().where(SalesOrder.status == OrderStatus.BILLED))
    bill_orders()
    orders = list_orders()
    assert all(o.status == "billed" and o.invoice for o in orders)
    numbers = sorted(o.invoice for o in orders)
    assert len(set(numbers)) == 60 and Invoice.select().count() == 60
    assert numbers == [f"INV-{n:06d}" for n in range(1, 61)]  # gapless across the kills
    assert OpenItem.select().count() == 60 and Outbox.select().count() == 60
    assert verify_books() == []
