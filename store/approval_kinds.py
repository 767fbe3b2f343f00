"""How each kind of approved request is carried out: by the service that does it alone.

Reopening a closed period is only ever done through a request: `request_period_reopen` files it,
and approving it runs `store.periods.reopen_period` as the approver (an admin).

The approvals queue runs these inside its own transaction, as the approving supervisor, with
`store.approvals.approving()` set so the service's limit check lets the approved action through.
"""
from __future__ import annotations

from typing import Any

from store.approvals import ApprovalRow, register_action, register_on_reject, request_approval
from store.collections import send_to_collections
from store.invoices import credit_invoice
from store.money import format_money
from store.payments import post_requested_refund, reject_requested_refund, write_off
from store.periods import parse_month, reopen_period


def _write_off(params: dict[str, Any]) -> str:
    done = write_off(params["invoice"], params["reason"], int(params["amount_minor"]))
    return f"{format_money(done.amount_minor, done.currency)} of {done.invoice} written off"


def _credit_note(params: dict[str, Any]) -> str:
    note = credit_invoice(params["invoice"], params["reason"], positions=params.get("positions") or None,
                          amount_minor=params.get("amount_minor"))
    return f"credit note {note.number} of {format_money(note.total_minor, note.currency)} posted"


def _collections(params: dict[str, Any]) -> str:
    case = send_to_collections(params["account"], params["agency"], params.get("note", ""))
    return f"account {case.account_no} sent to {case.agency} (case {case.case_id})"


def request_period_reopen(month: str, reason: str) -> ApprovalRow:
    """Ask for a closed month to be reopened (a clerk or supervisor asks; an admin approves)."""
    first, _last = parse_month(month)
    period = f"{first:%Y-%m}"
    return request_approval("period_reopen", period, {"period": period, "reason": reason.strip()}, reason)


def _period_reopen(params: dict[str, Any]) -> str:
    state = reopen_period(params["period"], params["reason"])
    return f"period {params['period']} reopened: lock date now {state.lock_date or 'none'}"


register_action("refund", lambda params: post_requested_refund(params["refund"]))
register_on_reject("refund", lambda params: reject_requested_refund(params["refund"]))
register_action("write_off", _write_off)
register_action("credit_note", _credit_note)
register_action("collections", _collections)
register_action("period_reopen", _period_reopen)
