"""`verify` finds each kind of damage (done behind the services' back, as a broken script would)."""
from __future__ import annotations

import datetime as dt

from store.models import database_proxy
from store.payments import PaymentInput, allocate_payment, record_payment
from store.verify import verify_books
from tests.conftest import post


def sql(statement: str) -> None:
    database_proxy.obj.execute_sql(statement)


def books_with_activity(customer: str) -> str:
    number = post(customer).number
    pay = record_payment(PaymentInput(1000, "GBP", "cash", dt.date(2026, 11, 2), customer))
    allocate_payment(pay.number, [(number, 1000)])
    assert verify_books() == []
    return number


def test_a_changed_open_amount_is_found(customer: str) -> None:
    books_with_activity(customer)
    sql("UPDATE open_item SET open_minor = open_minor + 1")
    problems = verify_books()
    assert "receivables of customer #1: open items 201, journal 200 (difference -1)" in problems
    assert any("open amount of document INV-000001: expected 200, found 201" in p for p in problems)


def test_an_over_allocated_payment_is_found(customer: str) -> None:
    books_with_activity(customer)
    sql("UPDATE payment SET unallocated_minor = -5")
    assert any("allocated beyond its amount" in p for p in verify_books())


def test_a_tampered_audit_event_is_found(customer: str) -> None:
    books_with_activity(customer)
    sql("DROP TRIGGER audit_event_no_update")
    sql("UPDATE audit_event SET operator = 'mallory' WHERE id = 3")
    assert verify_books() == ["audit event 3 (invoice.post INV-000001) was altered after it was written"]


def test_a_deleted_audit_event_breaks_the_chain(customer: str) -> None:
    books_with_activity(customer)
    sql("DROP TRIGGER audit_event_no_delete")
    sql("DELETE FROM audit_event WHERE id = 3")
    assert verify_books() == ["audit event 4: chain broken (does not follow the event before it)",
                              "document INV-000001 has no audit event: it was written outside Billfold"]


def test_an_unbalanced_entry_is_found(customer: str) -> None:
    books_with_activity(customer)
    sql("DROP TRIGGER journal_line_no_update")
    sql("UPDATE journal_line SET credit_minor = credit_minor + 7 WHERE account = '4000'")
    problems = verify_books()
    assert any("does not balance in GBP" in p for p in problems)


def test_a_gap_in_invoice_numbers_is_found(customer: str) -> None:
    books_with_activity(customer)
    post(customer)
    sql("UPDATE number_series SET next_value = next_value + 1 WHERE code = 'INV'")
    assert any("series INV: counter at 4 but 2 numbers used" in p for p in verify_books())


def test_cli_verify_prints_ok_and_exits_0(customer: str, capsys) -> None:
    from tui.cli import main

    books_with_activity(customer)
    path = database_proxy.obj.database
    assert main(["--db", path, "verify"]) == 0
    assert capsys.readouterr().out.strip() == "ok"
    sql("UPDATE open_item SET open_minor = 0")
    assert main(["--db", path, "verify"]) == 1
    assert "open amount of document INV-000001: expected 200, found 0" in capsys.readouterr().out
