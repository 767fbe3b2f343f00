"""Delegation: a supervisor gives accounts and unmatched payments to clerks; each operator's "My work".

An assignment is open until its operator marks it done; reassigning moves it to someone else in
place (one row per piece of work, its history in the audit trail).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peewee import SQL, fn

from store.approvals import ApprovalRow, list_requests
from store.audit import record_event
from store.customers import get_customer
from store.errors import Conflict, NotFound, ValidationError
from store.fields import utcnow
from store.models import Allocation, Customer, Invoice, Operator, Payment, WorkAssignment
from store.permissions import Action
from store.service import transaction
from store.session import current_operator, operator_role, require

ACCOUNT_TOPICS = ("collections", "dispute")
TOPICS = (*ACCOUNT_TOPICS, "payment")


@dataclass(frozen=True, slots=True)
class WorkItem:
    id: int
    topic: str
    subject: str  # an account number or a payment number
    name: str  # the customer's name, or the payer's
    note: str
    assigned_to: str
    assigned_by: str
    assigned_at: str


@dataclass(frozen=True, slots=True)
class MyWork:
    login: str
    role: str
    assigned: list[WorkItem]
    to_approve: list[ApprovalRow]
    my_requests: list[ApprovalRow]

    @property
    def counts(self) -> dict[str, int]:
        waiting = sum(1 for r in self.my_requests if r.status == "pending")
        return {"assigned": len(self.assigned), "to_approve": len(self.to_approve), "my_requests_pending": waiting}


@dataclass(frozen=True, slots=True)
class OperatorDay:
    login: str
    name: str
    role: str
    invoices_posted: int
    payments_applied: int
    still_assigned: int


def _operator(login: str) -> str:
    row = Operator.get_or_none(Operator.login == login.strip())
    if row is None:
        raise ValidationError("to", f"'{login}' is not an operator of these books")
    return str(row.login)


def _item(row: WorkAssignment) -> WorkItem:
    if row.payment_id is not None:
        payment = Payment.get_by_id(row.payment_id)
        subject, name = payment.number, payment.payer or "(payer unknown)"
    else:
        customer = Customer.get_by_id(row.customer_id)
        subject, name = customer.account_no, customer.name
    return WorkItem(row.id, row.topic, subject, name, row.note, row.assigned_to, row.assigned_by,
                    row.assigned_at.strftime("%Y-%m-%d %H:%M"))


def _assign(topic: str, to_login: str, note: str, *, customer_id: int | None = None,
            payment_id: int | None = None, subject: str) -> WorkItem:
    with transaction():
        by = require(Action.ASSIGN_WORK)
        to = _operator(to_login)
        same = WorkAssignment.select().where((WorkAssignment.topic == topic) & (WorkAssignment.status == "open")
                                             & (WorkAssignment.customer == customer_id)
                                             & (WorkAssignment.payment == payment_id)).first()
        if same is not None:  # one open piece of work per subject: assigning again moves it
            return _move(same, to, by)
        row = WorkAssignment.create(topic=topic, customer=customer_id, payment=payment_id, note=note.strip(),
                                    assigned_to=to, assigned_by=by)
        record_event("work.assign", "assignment", row.id, customer_id=customer_id,
                     after={"topic": topic, "subject": subject, "assigned_to": to, "note": note.strip()})
        return _item(row)


def assign_account(account_no: str, topic: str, to_login: str, note: str = "") -> WorkItem:
    """Give an account's collections follow-up or dispute to an operator."""
    if topic not in ACCOUNT_TOPICS:
        raise ValidationError("topic", f"'{topic}' is not one of {', '.join(ACCOUNT_TOPICS)}")
    customer = get_customer(account_no)
    return _assign(topic, to_login, note, customer_id=customer.id, subject=customer.account_no)


def assign_payment(number: str, to_login: str, note: str = "") -> WorkItem:
    """Give an unmatched payment to an operator to identify or allocate."""
    payment = Payment.get_or_none(Payment.number == number.strip().upper())
    if payment is None:
        raise NotFound(f"payment {number}: no such payment")
    if payment.status != "open" or payment.unallocated_minor == 0:
        raise Conflict(f"payment {payment.number} is already matched; there is nothing to assign")
    return _assign("payment", to_login, note, payment_id=payment.id, customer_id=payment.customer_id,
                   subject=payment.number)


def _move(row: WorkAssignment, to: str, by: str) -> WorkItem:
    if row.assigned_to == to:
        raise Conflict(f"assignment {row.id} is already {to}'s")
    WorkAssignment.update(assigned_to=to, assigned_by=by, assigned_at=utcnow()).where(
        WorkAssignment.id == row.id).execute()
    record_event("work.reassign", "assignment", row.id, customer_id=row.customer_id,
                 before={"assigned_to": row.assigned_to}, after={"assigned_to": to})
    return _item(WorkAssignment.get_by_id(row.id))


def _open_assignment(assignment_id: int) -> WorkAssignment:
    row = WorkAssignment.get_or_none(WorkAssignment.id == assignment_id)
    if row is None:
        raise NotFound(f"assignment {assignment_id}: no such assignment")
    if row.status != "open":
        raise Conflict(f"assignment {assignment_id} is already done")
    return row


def reassign(assignment_id: int, to_login: str) -> WorkItem:
    with transaction():
        by = require(Action.ASSIGN_WORK)
        return _move(_open_assignment(assignment_id), _operator(to_login), by)


def finish_assignment(assignment_id: int) -> WorkItem:
    """Mark a piece of work done: by the operator it is assigned to, or a supervisor."""
    with transaction():
        row = _open_assignment(assignment_id)
        login = current_operator()
        if login != row.assigned_to:
            require(Action.ASSIGN_WORK)
        WorkAssignment.update(status="done", done_at=utcnow()).where(WorkAssignment.id == row.id).execute()
        record_event("work.done", "assignment", row.id, customer_id=row.customer_id,
                     before={"status": "open"}, after={"status": "done", "by": login})
        return _item(row)


def assigned_to(login: str) -> list[WorkItem]:
    rows = (WorkAssignment.select().where((WorkAssignment.assigned_to == login) & (WorkAssignment.status == "open"))
            .order_by(WorkAssignment.assigned_at, WorkAssignment.id))
    return [_item(r) for r in rows]


def open_assignments() -> list[WorkItem]:
    """Every open assignment, by operator then age (a supervisor's view of the team's work)."""
    rows = (WorkAssignment.select().where(WorkAssignment.status == "open")
            .order_by(WorkAssignment.assigned_to, WorkAssignment.assigned_at, WorkAssignment.id))
    return [_item(r) for r in rows]


def my_work(login: str | None = None) -> MyWork:
    """What is assigned to the operator, what waits for their approval, and their own requests."""
    login = login or current_operator()
    role = operator_role(login) or "not an operator"
    to_approve = list_requests("pending", not_requested_by=login) if role in ("supervisor", "admin") else []
    mine = list_requests(None, requested_by=login, limit=20)
    return MyWork(login, role, assigned_to(login), to_approve, mine)


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time.min)
    return start, start + dt.timedelta(days=1)


def team_today(day: dt.date | None = None) -> list[OperatorDay]:
    """Per operator: invoices posted and payments applied on `day` (UTC), and work still assigned."""
    start, end = _day_bounds(day or utcnow().date())
    posted = _counts(Invoice.select(Invoice.posted_by, fn.COUNT(SQL("*"))).where(
        (Invoice.kind == "invoice") & (Invoice.status == "posted") & (Invoice.posted_at >= start)
        & (Invoice.posted_at < end)).group_by(Invoice.posted_by))
    applied = _counts(Allocation.select(Allocation.created_by, fn.COUNT(SQL("*"))).where(
        Allocation.payment.is_null(False) & Allocation.invoice.is_null(False) & Allocation.reverses.is_null()
        & (Allocation.amount_minor > 0) & (Allocation.created_at >= start) & (Allocation.created_at < end))
        .group_by(Allocation.created_by))
    open_work = _counts(WorkAssignment.select(WorkAssignment.assigned_to, fn.COUNT(SQL("*"))).where(
        WorkAssignment.status == "open").group_by(WorkAssignment.assigned_to))
    return [OperatorDay(op.login, op.name, op.role, posted.get(op.login, 0), applied.get(op.login, 0),
                        open_work.get(op.login, 0))
            for op in Operator.select().order_by(Operator.login)]


def _counts(query: Any) -> dict[str, int]:
    """login -> count, from a query selecting those two columns."""
    return {str(login): int(n) for login, n in query.tuples()}
