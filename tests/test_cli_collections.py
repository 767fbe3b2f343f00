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
    assert code == 2 and "already credited" in err


def test_promise_and_collections(cli, customer: str) -> None:
    from store.session import set_operator

    post(customer, issue=dt.date(2020, 1, 1))
    code, out, _ = cli("promise", customer, "--date", "+7", "--amount", "12.00")
    assert code == 0 and "promised £12.00" in out
    code, out, _ = cli("dunning", "--json")
    assert customer not in [p["account_no"] for p in json.loads(out)["proposals"]]
    code, _out, err = cli("collections", customer, "--agency", "Debt Co")
    assert code == 2 and "needs a supervisor" in err
    set_operator("bob")
    code, out, _ = cli("collections", customer, "--agency", "Debt Co")
    assert code == 0 and "sent to Debt Co for £12.00" in out
