"""Payments, allocations, refunds and write-offs: amounts, rows, journal lines, refusals."""
from __future__ import annotations

import datetime as dt

import pytest

from store import payments
from store.customers import CustomerData, create_customer, customer_balance, get_customer
from store.errors import Conflict, NotFound, ValidationError
from store.models import Allocation, JournalLine, Payment, Refund
from store.payments import PaymentInput, allocate_payment, record_payment
from store.permissions import PermissionDenied
from store.queries import customer_view, invoice_view
from store.session import set_operator
from store.verify import verify_books
from tests.conftest import line, post, snapshot

D = dt.date(2026, 11, 5)


def pay(account: str | None, amount: int, currency: str = "GBP", **kw) -> payments.PaymentResult:
    return record_payment(PaymentInput(amount, currency, kw.pop("method", "bank_transfer"), D, account, **kw))


def test_record_payment_posts_bank_and_unapplied_cash(customer: str) -> None:
    result = pay(customer, 5000, reference="thanks")
    assert (result.number, result.unallocated_minor) == ("PAY-0000001", 5000)
    lines = sorted((jl.account_id, jl.debit_minor, jl.credit_minor) for jl in JournalLine.select())
    assert lines == [("1000", 5000, 0), ("2100", 0, 5000)]
    assert customer_balance(get_customer(customer).id) == -5000


def test_allocate_to_several_invoices_in_one_step(customer: str) -> None:
    a, b = post(customer, line(price=10000)).number, post(customer, line(price=5000)).number
    p = pay(customer, 20000)
    result = allocate_payment(p.number, [(a, 12000), (b, 3000)])
    assert (result.allocated_minor, result.unallocated_minor) == (15000, 5000)
    assert invoice_view(a).open_minor == 0 and invoice_view(b).open_minor == 3000
    assert Allocation.select().count() == 2
    view = customer_view(customer)
    assert (view.balance_minor, view.credit_minor) == (3000 - 5000, 5000)
    assert verify_books() == []


@pytest.mark.parametrize("allocs,match", [
    ([("INV-000001", 13000)], "more than the £120.00 open on INV-000001"),
    ([("INV-000001", 12000), ("INV-000002", 12000)], "only £200.00 left to allocate"),
    ([("INV-000001", 0)], "must be more than zero"),
    ([("INV-000009", 100)], "no such posted invoice"),
])
def test_over_allocation_is_refused_and_nothing_applied(customer: str, allocs, match: str) -> None:
    post(customer, line(price=10000)), post(customer, line(price=10000))
    p = pay(customer, 20000)
    before = snapshot()
    with pytest.raises((ValidationError, Conflict, NotFound), match=match):
        allocate_payment(p.number, allocs)
    assert snapshot() == before


def test_payment_in_another_currency_than_the_invoice_is_refused(customer: str) -> None:
    number = post(customer).number
    p = pay(None, 1200, "EUR")
    before = snapshot()
    with pytest.raises(ValidationError, match=r"payment PAY-0000001 is in EUR; account .* is billed in GBP"):
        allocate_payment(p.number, [(number, 1200)])
    assert snapshot() == before
    with pytest.raises(ValidationError, match="billed in GBP, not EUR"):
        pay(customer, 100, "EUR")


def test_unidentified_receipt_is_identified_by_its_allocation(customer: str) -> None:
    number = post(customer).number
    p = pay(None, 1500, payer="HARBOUR SUPP")
    assert customer_view(customer).balance_minor == 1200
    allocate_payment(p.number, [(number, 1200)])
    assert Payment.get(Payment.number == p.number).customer.account_no == customer
    assert customer_view(customer).balance_minor == -300
    assert verify_books() == []


def test_unallocate_adds_a_reversing_row_and_restores_both_sides(customer: str) -> None:
    number = post(customer).number
    p = pay(customer, 1200)
    allocate_payment(p.number, [(number, 1200)])
    result = payments.unallocate_payment(p.number, number)
    assert result.unallocated_minor == 1200 and invoice_view(number).open_minor == 1200
    rows = [a.amount_minor for a in Allocation.select().order_by(Allocation.id)]
    assert rows == [1200, -1200]
    with pytest.raises(ValidationError, match="not allocated"):
        payments.unallocate_payment(p.number, number)
    allocate_payment(p.number, [(number, 1200)])  # re-allocate
    assert invoice_view(number).open_minor == 0
    assert verify_books() == []


def test_refund_from_credit_and_supervisor_approval(customer: str) -> None:
    pay(customer, 100000)
    small = payments.request_refund(customer, 2000, "bank_transfer", "overpaid")
    assert small.status == "posted"
    big = payments.request_refund(customer, 60000, "cheque")
    assert big.status == "requested"
    assert customer_view(customer).credit_minor == 98000  # asked for, not yet paid out
    with pytest.raises(PermissionDenied, match="approve a request needs a supervisor or admin; alice is a clerk"):
        payments.approve_refund(big.number)
    set_operator("bob")
    assert payments.approve_refund(big.number).status == "posted"
    assert customer_view(customer).credit_minor == 38000
    bank = sum(jl.debit_minor - jl.credit_minor for jl in JournalLine.select().where(JournalLine.account == "1000"))
    assert bank == 100000 - 2000 - 60000
    before = snapshot()
    with pytest.raises(ValidationError, match=r"more than the £380\.00 credit"):
        payments.request_refund(customer, 38001, "cash")
    assert snapshot() == before
    assert verify_books() == []


def test_the_same_person_cannot_ask_and_approve(customer: str) -> None:
    pay(customer, 100000)
    set_operator("bob")
    big = payments.request_refund(customer, 60000, "cheque")
    with pytest.raises(Conflict, match="someone else must approve it"):
        payments.approve_refund(big.number)
    set_operator("carol")
    assert payments.approve_refund(big.number).status == "posted"
    assert Refund.get(Refund.number == big.number).approved_by == "carol"


def test_write_off_part_and_rest(customer: str) -> None:
    number = post(customer, line(price=10000)).number
    assert payments.write_off(number, "small balance", 2000).open_minor == 10000
    assert payments.write_off(number, "uncollectable").amount_minor == 10000
    with pytest.raises(ValidationError, match="nothing open"):
        payments.write_off(number, "again")
    bad_debts = sum(jl.debit_minor for jl in JournalLine.select().where(JournalLine.account == "6900"))
    assert bad_debts == 12000
    assert verify_books() == []


def test_return_to_sender(customer: str) -> None:
    p = pay(None, 999)
    assert payments.return_payment(p.number, "not ours").unallocated_minor == 0
    with pytest.raises(Conflict, match="already returned"):
        payments.return_payment(p.number, "again")
    assert verify_books() == []


def test_bad_payment_input_names_the_field(customer: str) -> None:
    with pytest.raises(ValidationError) as err:
        pay(customer, 0)
    assert err.value.field == "amount"
    with pytest.raises(ValidationError) as err:
        pay(customer, 100, method="barter")
    assert err.value.field == "method"


def test_allocation_across_accounts_is_refused(customer: str) -> None:
    other = create_customer(CustomerData(name="Other Ltd", email="o@example.com")).account_no
    a, b = post(customer).number, post(other).number
    p = pay(customer, 5000)
    with pytest.raises(ValidationError, match="one account"):
        allocate_payment(p.number, [(a, 100), (b, 100)])
    with pytest.raises(ValidationError, match="belongs to another account"):
        allocate_payment(p.number, [(b, 100)])


def test_record_and_allocate_is_one_step(customer: str) -> None:
    a, b = post(customer, line(price=10000)).number, post(customer, line(price=5000)).number
    result = payments.record_and_allocate(PaymentInput(15000, "GBP", "cheque", D, customer), [(a, 12000), (b, 3000)])
    assert (result.allocated_minor, result.unallocated_minor) == (15000, 0)
    before = snapshot()
    with pytest.raises(ValidationError, match=r"more than the £30\.00 open"):
        payments.record_and_allocate(PaymentInput(5000, "GBP", "cash", D, customer), [(b, 5000)])
    assert snapshot() == before  # the payment was not recorded either
    assert verify_books() == []
