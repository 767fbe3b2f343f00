"""`verify` in its streaming form (the database compares, Python walks pages): each discrepancy the
dictionary-building checks found is still found, in the same words."""
from __future__ import annotations

import datetime as dt

from store.payments import PaymentInput, record_payment
from store.verify import verify_books
from store.verify_sql import differences, merged, number_use
from tests.conftest import post
from tests.test_verify import books_with_activity, sql


def test_merged_walks_two_sorted_streams_keeping_the_last_left_row_of_a_key() -> None:
    left = iter([("a", 1), ("b", 1), ("b", 2), ("d", 1)])
    right = iter([("b", "x"), ("c", "y"), ("d", "z"), ("e", "w")])
    assert list(merged(left, right)) == [("a", ("a", 1), None), ("b", ("b", 2), ("b", "x")),
                                         ("c", None, ("c", "y")), ("d", ("d", 1), ("d", "z")),
                                         ("e", None, ("e", "w"))]
    assert list(merged(iter([]), iter([]))) == []


def test_number_use_counts_gaps_and_repeats_as_the_list_did(customer: str) -> None:
    values = "SELECT 0 AS s UNION ALL SELECT 1 UNION ALL SELECT 1 UNION ALL SELECT 3 UNION ALL SELECT 7"
    assert number_use(values) == (5, 4, 4, [2, 4, 5], False)
    assert number_use("SELECT 1 AS s UNION ALL SELECT 2") == (2, 2, 0, [], True)
    assert number_use("SELECT 1 AS s WHERE 1 = 0") == (0, 0, 0, [], True)


def test_differences_treats_a_key_missing_on_one_side_as_zero(customer: str) -> None:
    expected = "SELECT 1 AS k1, 5 AS n1 UNION ALL SELECT 2, 3 UNION ALL SELECT 2, 4"
    actual = "SELECT 2 AS k1, 7 AS n1 UNION ALL SELECT 3, 1"
    assert list(differences(expected, actual)) == [((1,), (5,), (0,)), ((3,), (0,), (1,))]


def test_a_changed_document_total_is_found_against_its_event(customer: str) -> None:
    number = books_with_activity(customer)
    sql("DROP TRIGGER invoice_posted_no_update")
    sql("UPDATE invoice SET total_minor = 999")
    assert f"document {number}: total_minor is 999 but the audit trail says 1200 (changed outside Billfold)" \
        in verify_books()


def test_a_changed_payment_amount_and_a_gap_in_payment_numbers_are_found(customer: str) -> None:
    books_with_activity(customer)
    record_payment(PaymentInput(500, "GBP", "cash", dt.date(2026, 11, 3), customer))
    sql("DROP TRIGGER IF EXISTS payment_no_update")
    sql("UPDATE payment SET number = 'PAY-0000009' WHERE number = 'PAY-0000002'")
    problems = verify_books()
    assert any(p.startswith("series PAY: 7 numbers missing (first [2, 3, 4]), 0 used twice") for p in problems)
    assert "payment PAY-0000009 has no audit event: it was written outside Billfold" in problems


def test_two_documents_with_one_number_are_found(customer: str) -> None:
    books_with_activity(customer)
    post(customer)
    sql("DROP TRIGGER invoice_posted_no_update")
    sql("UPDATE invoice SET seq = 1")
    assert any("series INV: 0 numbers missing (first []), 1 used twice" in p for p in verify_books())


def test_a_changed_receivable_move_is_found(customer: str) -> None:
    books_with_activity(customer)
    sql("UPDATE receivable_move SET amount_minor = amount_minor + 3 WHERE id = 1")
    assert any(p.startswith("receivable moves of document #1 on ") and "moves (" in p for p in verify_books())


def test_an_unidentified_receipt_changed_behind_the_journal_is_found(customer: str) -> None:
    books_with_activity(customer)
    record_payment(PaymentInput(700, "GBP", "bank_transfer", dt.date(2026, 11, 3), None, "who?"))
    sql("UPDATE payment SET unallocated_minor = 600 WHERE customer_id IS NULL")
    problems = verify_books()
    assert "unidentified receipts in GBP: payments 600, journal 700 (difference 100)" in problems


def test_open_credit_has_its_own_index_and_the_control_account_reads_it(customer: str) -> None:
    from store.models import database_proxy

    plan = " ".join(str(r[-1]) for r in database_proxy.obj.execute_sql(
        "EXPLAIN QUERY PLAN SELECT currency, SUM(open_minor) FROM open_item WHERE open_minor < ? GROUP BY currency",
        (0,)).fetchall())
    assert "open_item_credit" in plan  # migration 0016: not every open item read for the few credits
