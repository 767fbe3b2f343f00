"""Disputes, promises and collections from the command line, each refusing bad input plainly."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from store.queries import invoice_view
from tests.conftest import post
from tui.cli import main


@pytest.fixture()
def cli(books, capsys):
    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--db", str(books), *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_dispute_resolved_by_a_credit_note(cli, customer: str) -> None:
    number = post(customer).number
    code, out, _ = cli("dispute", "open", number, "--amount", "6.00", "--reason", "half was damaged", "--json")
    dispute = json.loads(out)
    assert code == 0 and dispute["status"] == "open" and dispute["amount_minor"] == 600
    code, out, _ = cli("dispute", "credit", str(dispute["id"]), "--json")
    assert json.loads(out)["credit_note"] == "CN-000001"
    assert invoice_view(number).open_minor == 600
    code, _out, err = cli("dispute", "reject", str(dispute["id"]), "--note", "too late")
    assert code == 1 and "already credited" in err


def test_promise_and_collections(cli, customer: str, tmp_path) -> None:
    from store.session import set_operator

    invoice = post(customer, issue=dt.date(2020, 1, 1)).number
    code, out, _ = cli("dunning", "--json")  # items are records with their names, not bare lists
    [proposal] = json.loads(out)["proposals"]
    assert [(i["invoice"], i["due_date"], i["amount_minor"]) for i in proposal["items"]] == [
        (invoice, "2020-01-31", 1200)]
    code, out, _ = cli("promise", customer, "--date", "+7", "--amount", "12.00")
    assert code == 0 and "promised £12.00" in out
    code, out, _ = cli("dunning", "--json")
    assert customer not in [p["account_no"] for p in json.loads(out)["proposals"]]
    code, _out, err = cli("collections", customer, "--agency", "Debt Co")
    assert code == 1 and "needs a supervisor" in err
    set_operator("bob")
    code, out, _ = cli("collections", customer, "--agency", "Debt Co", "--packet-dir", str(tmp_path))
    assert code == 0 and "sent to Debt Co for £12.00" in out
    [packet] = tmp_path.glob("collections-*.pdf")
    assert f"collections-{customer}-" in packet.name and packet.read_bytes().startswith(b"%PDF")


def test_collections_packet_holds_cover_statement_and_every_open_invoice(cli, customer: str, tmp_path) -> None:
    from pypdf import PdfReader

    numbers = [post(customer, issue=dt.date(2020, 1, 1)).number, post(customer, issue=dt.date(2020, 3, 1)).number]
    cli("dunning", "--send")
    out = tmp_path / "packet.pdf"
    code, _out, err = cli("pdf", "packet", customer, "-o", str(out))
    assert code == 0, err
    pages = [p.extract_text() for p in PdfReader(str(out)).pages]
    text = " ".join(" ".join(pages).split())
    assert f"Collections packet: account {customer}" in pages[0] and "Harbour Supplies Ltd" in pages[0]
    assert "Balance owed: £24.00" in text and "Statement" in text
    assert all(any(f"Invoice no. {n}" in " ".join(p.split()) or n in p for p in pages[1:]) for n in numbers)


def test_dunning_send_without_smtp_records_nothing(cli, customer: str) -> None:
    from store.models import DunningNotice

    post(customer, issue=dt.date(2020, 1, 1))
    code, _out, err = cli("dunning", "--send")
    assert code == 2 and "smtp_host: is not set" in err
    assert DunningNotice.select().count() == 0
