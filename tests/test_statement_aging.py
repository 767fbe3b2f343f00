"""A statement's aging is the balance at its own date: its buckets add up to its closing balance, whatever
was posted, paid or allocated after that date."""
from __future__ import annotations

import datetime as dt

from exports.from_books import company_profile, statement_document
from exports.pdf.render import render_statement
from store.payments import PaymentInput, allocate_payment, record_payment
from store.statements import statement_of_account
from tests.conftest import line, post
from tests.test_delivery import pdf_text


def test_the_aging_is_at_the_statement_date_and_adds_up_to_its_closing_balance(customer: str) -> None:
    september = post(customer, line("Work", "1", 10000, "Z"), issue=dt.date(2026, 9, 15)).number  # due 15 Oct
    payment = record_payment(PaymentInput(3000, "GBP", "cheque", dt.date(2026, 10, 20), customer)).number
    # After the statement date: another invoice, and the payment applied to September's.
    post(customer, line("More", "1", 5000, "Z"), issue=dt.date(2026, 11, 5))
    allocate_payment(payment, [(september, 3000)], on=dt.date(2026, 11, 10))

    october = statement_of_account(customer, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert october.closing_minor == 10000 - 3000
    # September's invoice was still wholly open on 31 October (16 days late); the cheque was credit.
    assert october.aging == {"current": -3000, "1-30": 10000, "31-60": 0, "61-90": 0, "90+": 0}
    assert sum(october.aging.values()) == october.closing_minor

    today = statement_of_account(customer, dt.date(2026, 11, 1), dt.date(2026, 11, 22))
    assert today.closing_minor == 7000 + 5000
    assert today.aging == {"current": 5000, "1-30": 0, "31-60": 7000, "61-90": 0, "90+": 0}
    assert sum(today.aging.values()) == today.closing_minor

    # The printed statement says the same: closing balance and the aging's total are one figure.
    text = pdf_text(render_statement(statement_document(customer, dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
                                     company_profile()))
    assert "Balance due £70.00" in text
    assert "Total\n£70.00" in text and "£120.00" not in text and "£170.00" not in text
