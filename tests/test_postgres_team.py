"""The approvals flow, worklists and the audit checks on a real PostgreSQL server (skipped where none runs)."""
from __future__ import annotations

import datetime as dt

import pytest

from store.session import ensure_operator, set_operator
from tests.test_postgres import pg_books  # noqa: F401 - the fixture: a database of its own, dropped after

pytestmark = pytest.mark.usefixtures("pg_books")


def test_request_approve_reject_and_four_eyes_on_postgresql() -> None:
    from store import approvals, payments
    from store.audit_trail import audit_events, chain_head, chain_passes_through
    from store.customers import CustomerData, create_customer
    from store.errors import Conflict
    from store.models import ApprovalRequest, JournalLine, Refund
    from store.verify import verify_books
    from store.worklists import assign_account, my_work, team_today

    ensure_operator("kim", "Kim", "clerk")
    ensure_operator("lee", "Lee", "admin")
    account = create_customer(CustomerData(name="Postgres Pty", email="pg@example.com")).account_no
    payments.record_payment(payments.PaymentInput(200000, "GBP", "bank_transfer", dt.date(2026, 11, 3), account))
    set_operator("kim")
    first = payments.request_refund(account, 60000, "cheque", reason="paid twice")
    second = payments.request_refund(account, 70000, "cheque", reason="asked again")
    anchor = chain_head().hash
    for login in ("kim", "pat", "lee"):  # the requester never decides, whatever the decider's role would be
        set_operator("lee")
        own = payments.request_refund(account, 55000, "cash", reason=f"{login}'s own")
        with pytest.raises(Conflict, match="someone else must approve it"):
            approvals.approve_request(own.approval_id)  # type: ignore[arg-type]
        set_operator("pat")
        approvals.reject_request(own.approval_id, "test of four eyes")  # type: ignore[arg-type]
    set_operator("pat")
    assert [r.id for r in my_work("pat").to_approve] == [first.approval_id, second.approval_id]
    done = approvals.approve_request(first.approval_id)  # type: ignore[arg-type]
    assert done.outcome == f"refund {first.number} of £600.00 posted"
    refund = Refund.get(Refund.number == first.number)
    lines = list(JournalLine.select().where(JournalLine.entry == refund.journal_entry_id))
    assert sum(x.debit_minor for x in lines) == sum(x.credit_minor for x in lines) == 60000
    rejected = approvals.reject_request(second.approval_id, "one refund is enough")  # type: ignore[arg-type]
    assert (rejected.status, rejected.decision_reason) == ("rejected", "one refund is enough")
    assert ApprovalRequest.select().where(ApprovalRequest.status == "pending").count() == 0
    assign_account(account, "collections", "kim")
    assert {d.login: d.still_assigned for d in team_today()}["kim"] == 1
    assert [e.action for e in audit_events(document=first.number)][-1] == "approval.approve"
    assert chain_passes_through(anchor) == [] and verify_books(anchor=anchor) == []
