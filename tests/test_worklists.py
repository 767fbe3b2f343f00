"""Delegation: assignments, reassigning, "My work" and the supervisor's per-operator day."""
from __future__ import annotations

import datetime as dt

import pytest

from store import approvals, clock, payments, worklists
from store.errors import Conflict, ValidationError
from store.models import AuditEvent, WorkAssignment
from store.permissions import PermissionDenied
from store.session import set_operator
from tests.conftest import post


def unmatched(amount: int = 4321) -> str:
    return payments.record_payment(payments.PaymentInput(amount, "GBP", "bank_transfer", dt.date(2026, 11, 3),
                                                         None, payer="J SMITH")).number


def test_a_supervisor_assigns_and_the_clerk_sees_it_counted(customer: str) -> None:
    number = unmatched()
    set_operator("alice")
    with pytest.raises(PermissionDenied,
                       match="assign and reassign work needs a supervisor or admin; alice is a clerk"):
        worklists.assign_account(customer, "collections", "alice")
    set_operator("bob")
    with pytest.raises(ValidationError, match="'zed' is not an operator"):
        worklists.assign_account(customer, "collections", "zed")
    with pytest.raises(ValidationError, match="topic"):
        worklists.assign_account(customer, "gardening", "alice")
    worklists.assign_account(customer, "collections", "alice", "call before Friday")
    worklists.assign_account(customer, "dispute", "alice")
    worklists.assign_payment(number, "alice")
    mine = worklists.my_work("alice")
    assert [(w.topic, w.subject, w.assigned_by) for w in mine.assigned] == [
        ("collections", customer, "bob"), ("dispute", customer, "bob"), ("payment", number, "bob")]
    assert mine.assigned[2].name == "J SMITH" and mine.assigned[0].note == "call before Friday"
    assert mine.counts == {"assigned": 3, "to_approve": 0, "my_requests_pending": 0}
    assert worklists.my_work("bob").counts["assigned"] == 0


def test_reassigning_moves_the_work_and_is_audited(customer: str) -> None:
    set_operator("bob")
    item = worklists.assign_account(customer, "collections", "alice")
    moved = worklists.reassign(item.id, "carol")
    assert (moved.id, moved.assigned_to) == (item.id, "carol")
    assert WorkAssignment.select().count() == 1
    assert worklists.my_work("alice").assigned == []
    event = AuditEvent.select().where(AuditEvent.action == "work.reassign").get()
    assert (event.before, event.after, event.operator) == ({"assigned_to": "alice"}, {"assigned_to": "carol"}, "bob")
    again = worklists.assign_account(customer, "collections", "alice")  # assigning again moves the same work
    assert again.id == item.id and WorkAssignment.select().count() == 1
    set_operator("alice")
    worklists.finish_assignment(item.id)
    assert worklists.my_work("alice").counts["assigned"] == 0
    set_operator("bob")
    with pytest.raises(Conflict, match="already done"):
        worklists.reassign(item.id, "carol")


def test_my_work_lists_what_waits_for_my_approval_but_not_my_own_requests(customer: str) -> None:
    payments.record_payment(payments.PaymentInput(200000, "GBP", "cash", dt.date(2026, 11, 2), customer))
    set_operator("alice")
    theirs = payments.request_refund(customer, 60000, "cheque", reason="overpaid")
    set_operator("bob")
    own = payments.request_refund(customer, 70000, "cheque", reason="overpaid again")
    bob = worklists.my_work("bob")
    assert [r.id for r in bob.to_approve] == [theirs.approval_id]
    assert bob.counts == {"assigned": 0, "to_approve": 1, "my_requests_pending": 1}
    assert [r.id for r in worklists.my_work("carol").to_approve] == [theirs.approval_id, own.approval_id]
    assert worklists.my_work("alice").to_approve == []  # clerks approve nothing
    approvals.approve_request(theirs.approval_id)  # type: ignore[arg-type]
    alice = worklists.my_work("alice")
    assert [(r.status, r.outcome) for r in alice.my_requests] == [
        ("approved", f"refund {theirs.number} of £600.00 posted")]


def test_team_today_counts_invoices_posted_payments_applied_and_open_work(customer: str) -> None:
    set_operator("alice")
    first = post(customer).number
    post(customer)
    pay = payments.record_payment(payments.PaymentInput(1200, "GBP", "cash", dt.date(2026, 11, 2), customer))
    payments.allocate_payment(pay.number, [(first, 1200)])
    set_operator("bob")
    post(customer)
    worklists.assign_payment(unmatched(), "alice")
    worklists.assign_account(customer, "dispute", "carol")
    today = {d.login: (d.invoices_posted, d.payments_applied, d.still_assigned) for d in worklists.team_today()}
    assert today == {"ada": (0, 0, 0), "alice": (2, 1, 1), "bob": (1, 0, 0), "carol": (0, 0, 1)}
    yesterday = worklists.team_today(clock.now().date() - dt.timedelta(days=1))
    assert {d.login: d.invoices_posted for d in yesterday} == {"ada": 0, "alice": 0, "bob": 0, "carol": 0}
