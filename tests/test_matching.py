"""The matching queue: each suggestion rule, ranking, claims, auto-match, and verify after each kind."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from store import matching
from store.customers import CustomerData, create_customer
from store.errors import Conflict
from store.matching import QueueFilter, Suggestion, auto_match, match_queue, suggest_allocations
from store.payments import PaymentInput, record_payment
from store.queries import invoice_view, payment_view
from store.session import set_operator
from store.verify import verify_books
from tests.conftest import line, post

D = dt.date(2026, 11, 10)


def receive(amount: int, reference: str = "", payer: str = "", account: str | None = None, day: dt.date = D) -> str:
    return record_payment(PaymentInput(amount, "GBP", "bank_transfer", day, account, reference, payer)).number


@pytest.fixture()
def shop(books) -> dict[str, str]:
    acme = create_customer(CustomerData(name="Acme Widgets Ltd", email="a@acme.example")).account_no
    bolt = create_customer(CustomerData(name="Bolt & Nut Supplies", email="b@bolt.example")).account_no
    invoices = {
        "a1": post(acme, line(price=10000)).number,   # 120.00  INV-000001
        "a2": post(acme, line(price=5000)).number,    # 60.00   INV-000002
        "a3": post(acme, line(price=2500)).number,    # 30.00   INV-000003
        "b1": post(bolt, line(price=7000)).number,    # 84.00   INV-000004
    }
    return {"acme": acme, "bolt": bolt, **invoices}


def test_invoice_number_in_the_reference_ranks_first_with_its_reasons(shop) -> None:
    pay = receive(6000, reference="Payment for inv 2 thank you")
    top = suggest_allocations(pay)[0]
    assert top.allocations == (("INV-000002", 6000),)
    assert top.reasons[:2] == ("the reference reads as INV-000002 (partial or mistyped)",
                               "amount equals the open balance of INV-000002")
    assert top.confidence == "high"  # a partial number, and the amount is that invoice's balance


def test_exact_amount_of_one_open_invoice(shop) -> None:
    top = suggest_allocations(receive(8400))[0]
    assert (top.account_no, top.allocations) == (shop["bolt"], (("INV-000004", 8400),))
    assert "amount equals the open balance of INV-000004" in top.reasons


def test_exact_sum_of_several_invoices_of_one_account(shop) -> None:
    top = suggest_allocations(receive(15000, payer="ACME WIDGETS"))[0]
    assert top.allocations == (("INV-000001", 12000), ("INV-000003", 3000))
    assert top.reasons[0] == "exact sum of 2 open invoices"
    assert "payer 'ACME WIDGETS' is close to the name" in top.reasons


def test_payer_close_to_a_name_even_misspelt(shop) -> None:
    ranked = suggest_allocations(receive(1000, payer="Bolt and Nutt Suplies"))
    assert ranked and ranked[0].account_no == shop["bolt"]
    assert any("is close to the name" in r for r in ranked[0].reasons)


def test_a_name_in_the_reference_counts_when_the_bank_gives_no_payer(shop) -> None:
    ranked = suggest_allocations(receive(999, reference="BOLT AND NUTT SUPPLIES PAYMENT REF 7731"))
    assert ranked and ranked[0].account_no == shop["bolt"]
    assert "reference 'BOLT AND NUTT SUPPLIES' is close to the name" in ranked[0].reasons
    assert suggest_allocations(receive(998, reference="FP PAYMENT 7731 THANK YOU")) == []


def test_usual_amount_and_ties_are_ordered_by_account(shop) -> None:
    for _ in range(2):
        matching.accept_suggestion(receive(4321, account=shop["bolt"]), Suggestion(shop["bolt"], "", (), 0, ()))
    ranked = suggest_allocations(receive(4321, account=shop["bolt"]))
    assert "the account's usual payment amount" in ranked[0].reasons


def test_accept_split_and_leave_as_credit(shop) -> None:
    pay = receive(20000, payer="acme")
    matching.split_payment(pay, [("INV-000001", 12000), ("INV-000002", 1000)])
    assert payment_view(pay).unallocated_minor == 7000 and invoice_view("INV-000002").open_minor == 5000
    other = receive(500)
    matching.accept_suggestion(other, Suggestion(shop["acme"], "", (), 0, ()))
    assert payment_view(other).account_no == shop["acme"]
    assert [r.number for r in match_queue()] == [pay, other]  # both still have money to allocate
    assert verify_books() == []


def test_queue_filters_and_order(shop) -> None:
    a = receive(100, reference="alpha", day=dt.date(2026, 11, 2))
    b = receive(200, reference="beta", day=dt.date(2026, 11, 1))
    c = record_payment(PaymentInput(300, "GBP", "cheque", dt.date(2026, 11, 3), payer="Gamma")).number
    assert [r.number for r in match_queue()] == [b, a, c]
    assert [r.number for r in match_queue(QueueFilter(method="cheque"))] == [c]
    assert [r.number for r in match_queue(QueueFilter(text="ALPHA"))] == [a]
    assert [r.number for r in match_queue(QueueFilter(amount_min=150, amount_max=250))] == [b]
    assert [r.number for r in match_queue(QueueFilter(date_from=dt.date(2026, 11, 2)))] == [a, c]
    assert [r.number for r in match_queue(after=a)] == [c]


def test_a_payment_claimed_by_one_operator_is_taken_for_another(shop) -> None:
    pay = receive(6000, reference="INV-000002")
    set_operator("bob")
    assert matching.claim_payment(pay) is None
    assert match_queue()[0].claimed_by == "bob"
    set_operator("alice")
    assert matching.claim_payment(pay) == "bob"
    with pytest.raises(Conflict, match="being worked by bob; nothing was applied"):
        matching.accept_suggestion(pay, suggest_allocations(pay)[0])
    assert invoice_view("INV-000002").open_minor == 6000
    set_operator("bob")
    matching.release_payment(pay)
    set_operator("alice")
    matching.accept_suggestion(pay, suggest_allocations(pay)[0])
    assert invoice_view("INV-000002").open_minor == 0


def test_auto_match_dry_run_then_apply(shop) -> None:
    sure = receive(6000, reference="INV-000002")
    wrong_amount = receive(5999, reference="INV-000003")
    two_refs = receive(12000, reference="INV-000001 INV-000003")
    dry = auto_match(dry_run=True)
    assert [(m.payment, m.invoice, m.applied) for m in dry] == [(sure, "INV-000002", False)]
    assert "names INV-000002 and the amount equals its open balance" in dry[0].reason
    assert invoice_view("INV-000002").open_minor == 6000  # a dry run writes nothing
    applied = auto_match(dry_run=False)
    assert [(m.payment, m.applied) for m in applied] == [(sure, True)]
    assert invoice_view("INV-000002").open_minor == 0
    assert {r.number for r in match_queue()} == {wrong_amount, two_refs}
    assert verify_books() == []


def test_auto_match_never_pays_one_invoice_twice(shop) -> None:
    first, second = receive(6000, reference="INV-000002"), receive(6000, reference="inv-2")
    assert [m.payment for m in auto_match(dry_run=False)] == [first]
    assert payment_view(second).unallocated_minor == 6000


def test_match_command_dry_run(shop, capsys) -> None:
    from store.models import database_proxy
    from tui.cli import main

    receive(6000, reference="INV-000002")
    assert main(["--db", database_proxy.obj.database, "match", "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out[0]["invoice"] == "INV-000002" and out[0]["applied"] is False


def test_two_processes_racing_for_one_payment_allocate_it_once(shop, books: Path) -> None:
    pay = receive(6000, reference="INV-000002")
    script = (
        "import sys; from store.db import open_database; open_database(sys.argv[1]);\n"
        "from store.matching import suggest_allocations, accept_suggestion\n"
        "from store.errors import BooksError\n"
        "found = suggest_allocations(sys.argv[2])\n"
        "print('ready', flush=True); sys.stdin.readline()\n"
        "if not found:\n    print('lost: nothing left to allocate'); raise SystemExit\n"
        "s = found[0]\n"
        "try:\n    accept_suggestion(sys.argv[2], s); print('won')\n"
        "except BooksError as e:\n    print('lost:', e)\n")
    root = Path(__file__).resolve().parents[1]
    procs = [subprocess.Popen([sys.executable, str(root / "tests" / "as_operator.py"), who, "-c", script, str(books),
                               pay], text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": str(root)})
             for who in ("alice", "bob")]
    # Both have found the same suggestion before either accepts it; then alice goes, and bob only once
    # alice is done: the order is set by the test, not by a sleep.
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    outs = [p.communicate("go\n", timeout=60)[0].strip() for p in procs]
    assert outs[0] == "won" and outs[1].startswith("lost"), outs
    assert "being worked by" in outs[1] or "left to allocate" in outs[1], outs  # first there wins
    assert invoice_view("INV-000002").open_minor == 0
    assert verify_books() == []


def test_auto_match_leaves_a_payment_someone_is_working_on(shop) -> None:
    sure = receive(6000, reference="INV-000002")
    set_operator("bob")
    matching.claim_payment(sure)
    set_operator("alice")
    [m] = auto_match(dry_run=False)
    assert (m.applied, m.error) == (False, f"payment {sure} is being worked by bob")
    assert invoice_view("INV-000002").open_minor == 6000
