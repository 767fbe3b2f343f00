"""The command-line twins of the screens' actions: each calls the service the screen calls, with real outcomes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.queries import customer_notes, customer_view, invoice_view, list_drafts, payment_view
from tests.conftest import acting_as, line, post
from tests.test_delivery import smtp  # noqa: F401 - the aiosmtpd fixture
from tui.cli import main


@pytest.fixture()
def cli(books: Path, capsys):
    def run(*argv: str) -> tuple[int, object]:
        code = main(["--db", str(books), *argv, "--json"])
        out = capsys.readouterr().out
        return code, json.loads(out) if out else None

    return run


def test_customer_edit_hold_release_and_notes(cli, customer: str) -> None:
    code, _shown = cli("customer", "edit", customer, "--email", "ar@harbour.example", "--terms-days", "14")
    assert code == 0
    view = customer_view(customer)
    assert (view.email, view.terms_days, view.city) == ("ar@harbour.example", 14, "Bristol")  # the rest kept
    assert cli("customer", "hold", customer, "--reason", "cheque bounced")[0] == 0
    assert customer_view(customer).status == "on_hold"
    code, refused = cli("invoice", "create", "--customer", customer, "--line", "desc=x;qty=1;price=5;tax=S",
                        "--post")
    assert code in (1, 2) and "hold" in refused["error"]["message"]  # type: ignore[index]
    assert cli("customer", "release", customer)[0] == 0
    assert customer_view(customer).status == "active"
    code, notes = cli("customer", "note", customer, "Promised to call back Tuesday")
    assert code == 0 and [n.text for n in customer_notes(customer)] == ["Promised to call back Tuesday"]
    assert notes[0]["text"] == "Promised to call back Tuesday"  # type: ignore[index]


def test_drafts_listed_shown_posted_and_discarded(cli, customer: str) -> None:
    for price in ("10", "20"):
        assert cli("invoice", "create", "--customer", customer, "--line", f"desc=x;qty=1;price={price};tax=S")[0] == 0
    first, second = sorted(d.id for d in list_drafts())
    code, listed = cli("draft", "list")
    assert code == 0 and sorted(d["id"] for d in listed) == [first, second]  # type: ignore[union-attr]
    code, shown = cli("draft", "show", str(first))
    assert shown["total_minor"] == 1200 and shown["number"] is None  # type: ignore[index]
    code, edited = cli("draft", "edit", str(first), "--line", "desc=Survey;qty=2;price=10;tax=S",
                       "--reference", "PO-77")
    assert code == 0 and (edited["total_minor"], edited["reference"]) == (2400, "PO-77")  # type: ignore[index]
    code, posted = cli("draft", "post", str(first))
    assert code == 0 and posted["number"] == "INV-000001"  # type: ignore[index]
    assert invoice_view("INV-000001").total_minor == 2400
    assert cli("draft", "discard", str(second))[0] == 0
    assert list_drafts() == []
    code, _refused = cli("draft", "discard", str(first))  # posted now: never discarded
    assert code == 2 and invoice_view("INV-000001").status == "posted"


def test_invoice_duplicate_copies_the_lines(cli, customer: str) -> None:
    source = post(customer, line("Widget", "3", 1500), line("Fitting", "1", 4000, tax="Z")).number
    code, copy = cli("invoice", "duplicate", source, "--post")
    assert code == 0 and copy["number"] == "INV-000002"  # type: ignore[index]
    assert [(ln.description, ln.quantity, ln.net_minor) for ln in invoice_view("INV-000002").lines] == \
        [(ln.description, ln.quantity, ln.net_minor) for ln in invoice_view(source).lines]


def test_payment_split_return_assign_suggest_and_accept(cli, customer: str) -> None:
    a, b = post(customer).number, post(customer).number
    assert cli("payment", "record", "--customer", customer, "--amount", "20.00", "--reference", "both")[0] == 0
    code, split = cli("payment", "split", "PAY-0000001", "--to", f"{a}=12.00", "--to", f"{b}=8.00")
    assert code == 0 and split["unallocated_minor"] == 0  # type: ignore[index]
    assert (invoice_view(a).open_minor, invoice_view(b).open_minor) == (0, 400)
    from store.models import Payment

    assert Payment.get(Payment.number == "PAY-0000001").claimed_by is None  # the split's claim is let go

    assert cli("payment", "record", "--amount", "99.00", "--currency", "GBP", "--payer", "Unknown")[0] == 0
    code, _ = cli("payment", "return", "PAY-0000002", "--note", "not ours")
    assert code == 0 and payment_view("PAY-0000002").status == "returned"

    assert cli("payment", "record", "--amount", "4.00", "--currency", "GBP", "--reference", b)[0] == 0
    code, suggestions = cli("payment", "suggest", "PAY-0000003")
    assert code == 0 and suggestions[0]["allocations"] == [[b, 400]]  # type: ignore[index]
    assert cli("payment", "accept", "PAY-0000003")[0] == 0
    assert invoice_view(b).open_minor == 0

    assert cli("payment", "record", "--amount", "3.00", "--currency", "GBP")[0] == 0
    assert cli("payment", "assign", "PAY-0000004", "--customer", customer)[0] == 0
    assert customer_view(customer).credit_minor == 300


def test_email_one_document_reaches_the_smtp_server(cli, customer: str, smtp) -> None:  # noqa: F811
    inbox, _running = smtp
    number = post(customer).number
    code, said = cli("email", number)
    assert code == 0 and said["sent"] is True  # type: ignore[index]
    [(to, message)] = inbox.messages
    assert to == ["ap@harbour.example"] and number in message["Subject"]


def test_report_and_invoice_pdf_are_the_screens_exports(cli, customer: str, tmp_path: Path) -> None:
    from pypdf import PdfReader

    number = post(customer).number
    code, written = cli("pdf", "invoice", number, "-o", str(tmp_path / "inv.pdf"))
    assert code == 0 and number in PdfReader(str(tmp_path / "inv.pdf")).pages[0].extract_text()
    code, written = cli("report", "ar_aging", "--format", "csv", "-o", str(tmp_path / "aging.csv"))
    assert code == 0 and written["rows"] == 1  # type: ignore[index]
    assert "Harbour Supplies Ltd" in (tmp_path / "aging.csv").read_text(encoding="utf-8")


def test_json_is_json_where_it_was_ignored_before(cli, customer: str, tmp_path: Path) -> None:
    number = post(customer).number
    with acting_as("bob"):  # settings are a supervisor's to change
        assert cli("setting", "company_name", "Kestrel Billing Ltd") == (0, {"key": "company_name",
                                                                           "value": "Kestrel Billing Ltd"})
    code, report = cli("report", "ar_aging")
    assert code == 0 and report["name"] == "ar_aging"  # type: ignore[index]
    assert report["rows"][0][:2] == [customer, "Harbour Supplies Ltd"]  # type: ignore[index]
    code, written = cli("pdf", "invoice", number, "-o", str(tmp_path / "x.pdf"))
    assert code == 0 and written["file"] == str(tmp_path / "x.pdf") and written["bytes"] > 1000  # type: ignore[index]
    code, confirmed = cli("deliver", "--confirm-print", "PB-NONE")
    assert code == 2 and confirmed["error"]["message"] == "print batch PB-NONE: nothing waiting to be confirmed"  # type: ignore[index]


def test_account_tabs_and_the_deliver_list(cli, customer: str) -> None:
    number = post(customer).number
    assert cli("payment", "record", "--customer", customer, "--amount", "5.00", "--to", f"{number}=5.00")[0] == 0
    code, documents = cli("customer", "documents", customer)
    assert code == 0 and [(d["number"], d["open_minor"]) for d in documents] == [(number, 700)]  # type: ignore[union-attr]
    code, payments = cli("customer", "payments", customer)
    assert code == 0 and payments[0]["allocations"] == [[number, 500]]  # type: ignore[index]
    code, waiting = cli("deliver", "--list")
    assert code == 0 and [(d["number"], d["channel"]) for d in waiting] == [(number, "email")]  # type: ignore[union-attr]



def test_a_customers_default_tax_code_fills_lines_typed_without_one(books: Path, capsys) -> None:
    def run(*argv: str) -> tuple[int, dict]:
        code = main(["--db", str(books), *argv, "--json"])
        captured = capsys.readouterr()
        return code, json.loads(captured.out or captured.err)

    code, said = run("customer", "add", "--name", "Export Buyer GmbH", "--email", "ap@buyer.example",
                     "--tax-code", "QQ")
    assert code == 2 and said["error"]["field"] == "tax-code" and "'QQ' is not a tax code" in said["error"]["message"]
    account = run("customer", "add", "--name", "Export Buyer GmbH", "--email", "ap@buyer.example",
                  "--tax-code", "z")[1]["account_no"]
    posted = run("invoice", "create", "--customer", account, "--line", "desc=Freight;qty=1;price=250",
                 "--line", "desc=Insurance;qty=1;price=10;tax=S", "--post")[1]
    view = invoice_view(posted["number"])
    assert [(ln.description, ln.tax_code) for ln in view.lines] == [("Freight", "Z"), ("Insurance", "S")]
    assert (view.tax_minor, view.total_minor) == (200, 26200)
    plain = run("customer", "add", "--name", "Home Buyer", "--email", "h@buyer.example")[1]["account_no"]
    code, said = run("invoice", "create", "--customer", plain, "--line", "desc=Freight;qty=1;price=250")
    assert code == 2 and said["error"]["message"] == (
        "line 1 tax_code: is required (or give the customer a default tax code)")


def test_payment_record_takes_the_customers_usual_method_and_completes_a_typed_one(cli, customer: str) -> None:
    from store.models import Payment

    for method in ("cheq", "cheque", "bank"):
        assert cli("payment", "record", "--customer", customer, "--amount", "10", "--method", method)[0] == 0
    assert cli("payment", "record", "--customer", customer, "--amount", "10")[0] == 0
    assert [p.method for p in Payment.select().order_by(Payment.id)] == [
        "cheque", "cheque", "bank_transfer", "cheque"]
    code, said = cli("payment", "record", "--customer", customer, "--amount", "10", "--method", "c")
    assert code == 2 and said["error"]["message"] == "method: 'c' is one of cash, cheque, card: type more"
    assert Payment.select().count() == 4
