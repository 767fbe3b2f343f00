"""Four eyes: requests, approval that posts in the same transaction, rejection, stale requests."""
from __future__ import annotations

import datetime as dt

import pytest

from store import approvals, payments
from store.collections import send_to_collections
from store.errors import Conflict, NeedsApproval, ValidationError
from store.invoices import credit_invoice
from store.models import (
    ApprovalRequest,
    AuditEvent,
    CollectionCase,
    Customer,
    Invoice,
    JournalEntry,
    JournalLine,
    Payment,
    Refund,
    WriteOff,
)
from store.permissions import PermissionDenied
from store.queries import customer_view
from store.session import ensure_operator, set_operator
from store.verify import verify_books
from tests.conftest import line, post, snapshot


def pay(account: str, amount: int) -> None:
    payments.record_payment(payments.PaymentInput(amount, "GBP", "bank_transfer", dt.date(2026, 11, 2), account))


def big_refund(account: str, reason: str = "customer overpaid twice") -> payments.RefundResult:
    pay(account, 100000)
    return payments.request_refund(account, 60000, "bank_transfer", reason=reason)


def test_a_refund_over_the_limit_waits_with_its_reason(customer: str) -> None:
    set_operator("alice")
    refund = big_refund(customer)
    assert refund.status == "requested" and refund.approval_id is not None
    row = ApprovalRequest.get_by_id(refund.approval_id)
    assert (row.kind, row.subject, row.amount_minor, row.reason, row.requested_by, row.status, row.params) == (
        "refund", refund.number, 60000, "customer overpaid twice", "alice", "pending", {"refund": refund.number})
    assert [r.id for r in approvals.list_requests()] == [row.id]
    assert Refund.get(Refund.number == refund.number).journal_entry_id is None


@pytest.mark.parametrize("role", ["clerk", "supervisor", "admin"])
def test_nobody_approves_or_rejects_their_own_request(customer: str, role: str) -> None:
    ensure_operator("dana", "Dana", role)
    set_operator("dana")
    refund = big_refund(customer)
    before = snapshot()
    # A clerk may approve nothing at all; a supervisor or admin anything but their own request.
    refusal = PermissionDenied if role == "clerk" else Conflict
    said = "dana is a clerk" if role == "clerk" else f"request {refund.approval_id} was asked for by dana; someone else"
    with pytest.raises(refusal, match=said):
        approvals.approve_request(refund.approval_id)  # type: ignore[arg-type]
    with pytest.raises(refusal, match="dana is a clerk" if role == "clerk" else "someone else must reject it"):
        approvals.reject_request(refund.approval_id, "no")  # type: ignore[arg-type]
    assert snapshot() == before


def test_a_clerk_cannot_approve_someone_elses_request(customer: str) -> None:
    set_operator("bob")
    refund = big_refund(customer)
    set_operator("alice")
    with pytest.raises(PermissionDenied, match="approve a request needs a supervisor or admin; alice is a clerk"):
        approvals.approve_request(refund.approval_id)  # type: ignore[arg-type]
    assert ApprovalRequest.get_by_id(refund.approval_id).status == "pending"


def test_approval_posts_the_refund_in_the_same_transaction(customer: str) -> None:
    set_operator("alice")
    refund = big_refund(customer)
    entries = JournalEntry.select().count()
    set_operator("bob")
    decided = approvals.approve_request(refund.approval_id, "checked the bank statement")  # type: ignore[arg-type]
    assert (decided.status, decided.decided_by, decided.decision_reason) == (
        "approved", "bob", "checked the bank statement")
    assert decided.outcome == f"refund {refund.number} of £600.00 posted"
    row = Refund.get(Refund.number == refund.number)
    assert (row.status, row.approved_by) == ("posted", "bob")
    entry = JournalEntry.get_by_id(row.journal_entry_id)
    assert JournalEntry.select().count() == entries + 1
    lines = list(JournalLine.select().where(JournalLine.entry == entry.id))
    assert sum(x.debit_minor for x in lines) == sum(x.credit_minor for x in lines) == 60000
    assert customer_view(customer).credit_minor == 40000
    actions = [(e.operator, e.action) for e in AuditEvent.select().order_by(AuditEvent.id)][-3:]
    assert actions == [("bob", "refund.approve"), ("bob", "refund.post"), ("bob", "approval.approve")]
    assert verify_books() == []
    with pytest.raises(Conflict, match="already approved by bob"):
        approvals.approve_request(refund.approval_id)  # type: ignore[arg-type]


def test_reject_records_the_reason_and_posts_nothing(customer: str) -> None:
    set_operator("alice")
    refund = big_refund(customer)
    entries = JournalEntry.select().count()
    set_operator("bob")
    with pytest.raises(ValidationError) as err:
        approvals.reject_request(refund.approval_id, "  ")  # type: ignore[arg-type]
    assert err.value.field == "reason"
    decided = approvals.reject_request(refund.approval_id, "paid by cheque already")  # type: ignore[arg-type]
    assert (decided.status, decided.decided_by, decided.decision_reason) == (
        "rejected", "bob", "paid by cheque already")
    assert Refund.get(Refund.number == refund.number).status == "rejected"
    assert JournalEntry.select().count() == entries
    event = AuditEvent.select().where(AuditEvent.action == "approval.reject").get()
    assert (event.operator, event.after["reason"]) == ("bob", "paid by cheque already")
    assert customer_view(customer).credit_minor == 100000
    assert verify_books() == []


def test_a_stale_request_is_refused_and_stays_pending(customer: str) -> None:
    set_operator("alice")
    refund = big_refund(customer)
    # Meanwhile £500 of the credit pays an invoice (allocation is not held back by a waiting refund).
    invoice = post(customer, line(price=50000, tax="Z")).number
    payments.allocate_payment(Payment.get().number, [(invoice, 50000)])
    set_operator("bob")
    before = snapshot()
    with pytest.raises(Conflict, match=r"cannot be approved now: amount: the account no longer has £600\.00 of "
                                       r"credit; it stays pending"):
        approvals.approve_request(refund.approval_id)  # type: ignore[arg-type]
    assert snapshot() == before
    assert ApprovalRequest.get_by_id(refund.approval_id).status == "pending"


def test_a_write_off_over_the_limit_is_approved_by_someone_else(customer: str) -> None:
    number = post(customer, line(price=100000)).number  # 1,200.00 with tax
    set_operator("alice")
    before = snapshot()
    with pytest.raises(NeedsApproval) as ask:
        payments.write_off(number, "customer insolvent")
    assert snapshot() == before
    request = approvals.request_from(ask.value, "liquidator's letter of 3 November")
    assert (request.kind, request.subject, request.amount_minor) == ("write_off", number, 120000)
    set_operator("bob")
    assert approvals.approve_request(request.id).status == "approved"
    off = WriteOff.get(WriteOff.invoice == Invoice.get(Invoice.number == number).id)
    assert (off.amount_minor, off.created_by, off.reason) == (120000, "bob", "customer insolvent")
    assert customer_view(customer).balance_minor == 0
    assert verify_books() == []


def test_a_credit_note_over_the_limit_waits(customer: str) -> None:
    number = post(customer, line(price=100000)).number
    with pytest.raises(NeedsApproval, match=r"over the £1,000\.00 limit") as ask:
        credit_invoice(number, "whole order returned")
    request = approvals.request_from(ask.value, "returned goods received")
    set_operator("carol")
    outcome = approvals.approve_request(request.id).outcome
    assert outcome == "credit note CN-000001 of £1,200.00 posted"
    note = Invoice.get(Invoice.number == "CN-000001")
    assert (note.total_minor, note.posted_by) == (120000, "carol")
    assert verify_books() == []


def test_a_clerk_asks_to_send_an_account_to_collections(customer: str) -> None:
    post(customer, line(price=9000), issue=dt.date(2026, 6, 1))
    set_operator("alice")
    with pytest.raises(NeedsApproval, match="needs a supervisor or admin; alice is a clerk") as ask:
        send_to_collections(customer, "Recover & Co")
    request = approvals.request_from(ask.value, "three letters unanswered")
    set_operator("bob")
    approvals.approve_request(request.id)
    assert Customer.get(Customer.account_no == customer).status == "in_collections"
    assert CollectionCase.get().opened_by == "bob"


def test_period_reopen_is_a_kind_the_period_close_carries_out(customer: str, monkeypatch: pytest.MonkeyPatch) -> None:
    request = approvals.request_approval("period_reopen", "2026-10", {"period": "2026-10"}, "late supplier invoice")
    done: list[str] = []

    def reopen(params: dict[str, str]) -> str:
        done.append(params["period"])
        return "reopened"

    import store.approval_kinds  # noqa: F401  (registers the real carrier first: this stand-in replaces it)

    monkeypatch.setitem(approvals._ACTIONS, "period_reopen", reopen)
    set_operator("bob")
    assert approvals.approve_request(request.id).outcome == "reopened"
    assert done == ["2026-10"]
    with pytest.raises(ValidationError, match="kind"):
        approvals.request_approval("coffee", "x", {}, "why not")


def test_credit_asked_for_by_a_waiting_refund_cannot_be_asked_for_again(customer: str) -> None:
    set_operator("alice")
    first = big_refund(customer)  # £600 of £1,000 credit waits for approval
    before = snapshot()
    with pytest.raises(ValidationError, match=r"£600.00 is more than the £1,000.00 credit on .* \(£600.00 of it is "
                                              r"asked for by refunds waiting for approval\)"):
        payments.request_refund(customer, 60000, "bank_transfer", reason="asked twice")
    assert snapshot() == before
    # What is not spoken for can still be refunded (under the limit: at once); then nothing is left free.
    assert payments.request_refund(customer, 40000, "bank_transfer").status == "posted"
    with pytest.raises(ValidationError, match=r"£1.00 is more than the £600.00 credit"):
        payments.request_refund(customer, 100, "cash")
    # A rejected request frees its share again.
    set_operator("bob")
    approvals.reject_request(first.approval_id, "paid by cheque instead")  # type: ignore[arg-type]
    set_operator("alice")
    again = payments.request_refund(customer, 60000, "bank_transfer", reason="again, by transfer")
    set_operator("bob")
    approvals.approve_request(again.approval_id)  # type: ignore[arg-type]
    assert customer_view(customer).credit_minor == 0 and verify_books() == []
