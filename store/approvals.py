"""Four eyes: one queue for everything that needs a second person.

A request records what was asked (its kind, the action's parameters) and why. A supervisor
approves it, which runs the action in the same transaction as the decision, or rejects it with a
reason. Whoever asked can never decide their own request, whatever their role.

Each kind's action is registered here by store.approval_kinds, loaded when the first request is decided (the
period close registers `period_reopen`). An action that the books now refuse (a refund larger
than the credit left, say) refuses the approval: the transaction rolls back and the request stays
pending with nothing written.
"""
from __future__ import annotations

import contextvars
import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from store.audit import record_event
from store.errors import BooksError, Conflict, NeedsApproval, NotFound, ValidationError
from store.fields import utcnow
from store.models import ApprovalRequest
from store.permissions import Action
from store.service import transaction
from store.session import current_operator, require

KINDS = ("refund", "write_off", "credit_note", "collections", "period_reopen")
Carrier = Callable[[dict[str, Any]], str]
"""Carries out an approved request from its params; returns one line saying what it posted."""

_ACTIONS: dict[str, Carrier] = {}
_approving: contextvars.ContextVar[int | None] = contextvars.ContextVar("approving", default=None)


def _load_carriers() -> None:
    # The carriers import most services (which file requests, so this module cannot import them):
    # they register themselves when their module is loaded, by name like a plug-in, at the first
    # decision rather than when the books open (store.db did that), so the application's first
    # screen does not wait for them.
    importlib.import_module("store.approval_kinds")


def register_action(kind: str, action: Carrier) -> None:
    """Say how an approved request of `kind` is carried out (called once by the owning module)."""
    if kind not in KINDS:
        raise ValueError(f"unknown approval kind {kind!r}")
    _ACTIONS[kind] = action


def approving() -> int | None:
    """The request being approved right now, if any: limit checks let the approved action through."""
    return _approving.get()


@contextmanager
def _carrying_out(request_id: int) -> Iterator[None]:
    token = _approving.set(request_id)
    try:
        yield
    finally:
        _approving.reset(token)


@dataclass(frozen=True, slots=True)
class ApprovalRow:
    id: int
    kind: str
    subject: str
    amount_minor: int | None
    currency: str | None
    reason: str
    status: str
    requested_by: str
    requested_at: str
    decided_by: str | None
    decided_at: str | None
    decision_reason: str
    outcome: str
    params: dict[str, Any]

    def what(self) -> str:
        """One line: what approving it will do."""
        from store.money import format_money

        amount = f" {format_money(self.amount_minor, self.currency)}" if self.amount_minor and self.currency else ""
        return f"{self.kind.replace('_', ' ')} {self.subject}{amount}"


def _row(r: ApprovalRequest) -> ApprovalRow:
    def stamp(at: Any) -> str | None:
        return None if at is None else at.strftime("%Y-%m-%d %H:%M")

    return ApprovalRow(r.id, r.kind, r.subject, r.amount_minor, r.currency, r.reason, r.status, r.requested_by,
                       stamp(r.requested_at) or "", r.decided_by, stamp(r.decided_at), r.decision_reason,
                       r.outcome, dict(r.params))


def request_approval(kind: str, subject: str, params: dict[str, Any], reason: str, *,
                     customer_id: int | None = None, amount_minor: int | None = None,
                     currency: str | None = None) -> ApprovalRow:
    """File a request for a second person; joins the caller's transaction if there is one."""
    if kind not in KINDS:
        raise ValidationError("kind", f"'{kind}' is not one of {', '.join(KINDS)}")
    if not reason.strip():
        raise ValidationError("reason", f"say why: a {kind.replace('_', ' ')} request needs a reason")
    with transaction():
        row = ApprovalRequest.create(kind=kind, subject=subject, customer=customer_id, amount_minor=amount_minor,
                                     currency=currency, params=params, reason=reason.strip(),
                                     requested_by=current_operator())
        record_event("approval.request", "approval", row.id, customer_id=customer_id,
                     after={"kind": kind, "subject": subject, "amount_minor": amount_minor, "params": params,
                            "reason": reason.strip(), "status": "pending"})
        return _row(row)


def request_from(refusal: NeedsApproval, reason: str) -> ApprovalRow:
    """File the request a service described when it refused to act alone."""
    return request_approval(refusal.kind, refusal.subject, refusal.params, reason, customer_id=refusal.customer_id,
                            amount_minor=refusal.amount_minor, currency=refusal.currency)


def _pending(request_id: int, verb: str) -> tuple[ApprovalRequest, str]:
    """The pending request and the login deciding it, or a refusal saying why not."""
    row = ApprovalRequest.get_or_none(ApprovalRequest.id == request_id)
    if row is None:
        raise NotFound(f"approval request {request_id}: no such request")
    if row.status != "pending":
        raise Conflict(f"request {row.id} was already {row.status} by {row.decided_by}")
    login = require(Action.APPROVE)
    # Four eyes: whatever the role, nobody decides their own request.
    if login == row.requested_by:
        raise Conflict(f"request {row.id} was asked for by {login}; someone else must {verb} it")
    return row, login


def approve_request(request_id: int, note: str = "") -> ApprovalRow:
    """Approve and carry out the request in one transaction; a refusal by the books leaves it pending."""
    with transaction():
        row, login = _pending(request_id, "approve")
        _load_carriers()
        action = _ACTIONS.get(row.kind)
        if action is None:
            raise Conflict(f"request {row.id}: nothing in these books carries out a {row.kind} yet")
        try:
            with _carrying_out(row.id), transaction():
                outcome = action(dict(row.params))
        except BooksError as exc:
            raise Conflict(f"request {row.id} cannot be approved now: {exc}; it stays pending") from exc
        changed = (ApprovalRequest.update(status="approved", decided_by=login, decided_at=utcnow(),
                                          decision_reason=note.strip(), outcome=outcome)
                   .where((ApprovalRequest.id == row.id) & (ApprovalRequest.status == "pending")).execute())
        if not changed:
            raise Conflict(f"request {row.id} was decided by someone else just now; nothing was done")
        record_event("approval.approve", "approval", row.id, customer_id=row.customer_id,
                     before={"status": "pending"},
                     after={"status": "approved", "decided_by": login, "reason": note.strip(), "outcome": outcome,
                            "subject": row.subject})
        return _row(ApprovalRequest.get_by_id(row.id))


def reject_request(request_id: int, reason: str) -> ApprovalRow:
    """Turn a request down, saying why; nothing of the action is posted."""
    if not reason.strip():
        raise ValidationError("reason", "say why the request is rejected")
    with transaction():
        row, login = _pending(request_id, "reject")
        changed = (ApprovalRequest.update(status="rejected", decided_by=login, decided_at=utcnow(),
                                          decision_reason=reason.strip())
                   .where((ApprovalRequest.id == row.id) & (ApprovalRequest.status == "pending")).execute())
        if not changed:
            raise Conflict(f"request {row.id} was decided by someone else just now; nothing was done")
        _load_carriers()
        on_reject = _ON_REJECT.get(row.kind)
        if on_reject is not None:
            on_reject(dict(row.params))
        record_event("approval.reject", "approval", row.id, customer_id=row.customer_id,
                     before={"status": "pending"},
                     after={"status": "rejected", "decided_by": login, "reason": reason.strip(),
                            "subject": row.subject})
        return _row(ApprovalRequest.get_by_id(row.id))


_ON_REJECT: dict[str, Callable[[dict[str, Any]], None]] = {}


def register_on_reject(kind: str, undo: Callable[[dict[str, Any]], None]) -> None:
    """What else a rejection settles (a requested refund row becomes rejected)."""
    _ON_REJECT[kind] = undo


def get_request(request_id: int) -> ApprovalRow:
    row = ApprovalRequest.get_or_none(ApprovalRequest.id == request_id)
    if row is None:
        raise NotFound(f"approval request {request_id}: no such request")
    return _row(row)


def list_requests(status: str | None = "pending", *, requested_by: str | None = None,
                  not_requested_by: str | None = None, limit: int = 500) -> list[ApprovalRow]:
    """The queue (pending, oldest first) or, with status None, every request, newest first."""
    query = ApprovalRequest.select()
    if status is not None:
        query = query.where(ApprovalRequest.status == status).order_by(ApprovalRequest.id)
    else:
        query = query.order_by(ApprovalRequest.id.desc())
    if requested_by is not None:
        query = query.where(ApprovalRequest.requested_by == requested_by)
    if not_requested_by is not None:
        query = query.where(ApprovalRequest.requested_by != not_requested_by)
    return [_row(r) for r in query.limit(limit)]


def pending_for_subject(kind: str, subject: str) -> ApprovalRow | None:
    row = (ApprovalRequest.select().where((ApprovalRequest.kind == kind) & (ApprovalRequest.subject == subject)
                                          & (ApprovalRequest.status == "pending")).first())
    return None if row is None else _row(row)
