"""`verify`: the audit events against the rows they describe.

The hash chain proves the events were not altered since they were written, but someone with the
database file could change a row (a setting, a refund's amount, who a request was approved by)
and leave the chain alone, or change an event too and re-hash the whole chain. So the state the
events describe is replayed here and compared with the rows as they are now: every difference is
reported. (Re-hashing after changing the events as well is what `verify --anchor` catches.)
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from peewee import fn

from store.models import (
    ApprovalRequest,
    AuditEvent,
    Customer,
    Invoice,
    Payment,
    Refund,
    Setting,
    WorkAssignment,
    WriteOff,
)

State = dict[str, Any]
CUSTOMER_FIELDS = ("name", "currency", "email", "phone", "terms_days", "credit_limit_minor", "channel", "tax_id")

_ACTIONS = ("setting.change", "invoice.post", "credit_note.post", "payment.record", "refund.request", "refund.post",
            "refund.reject", "refund.approve", "invoice.write_off", "customer.create", "customer.update",
            "approval.request", "approval.approve", "approval.reject", "work.assign", "work.reassign", "work.done")


def _events() -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.select(AuditEvent.id, AuditEvent.action, AuditEvent.entity, AuditEvent.entity_id,
                                       AuditEvent.before, AuditEvent.after)
                     .where((AuditEvent.id > last) & (AuditEvent.action.in_(_ACTIONS) |
                                                      AuditEvent.action.startswith("customer.")))
                     .order_by(AuditEvent.id).limit(5000))
        if not batch:
            return
        yield from batch
        last = batch[-1].id


def _replay() -> tuple[dict[tuple[str, str], State], dict[str, int]]:
    """What the events say each row holds now, and what has been written off per invoice."""
    state: dict[tuple[str, str], State] = defaultdict(dict)
    written_off: dict[str, int] = defaultdict(int)
    for ev in _events():
        after, before = ev.after or {}, ev.before or {}
        action, key = ev.action, (ev.entity, ev.entity_id)
        if action == "setting.change":
            state[key]["value"] = after.get("value")
        elif action in ("invoice.post", "credit_note.post"):
            state[("document", ev.entity_id)].update(total_minor=after.get("total_minor"), status="posted")
        elif action == "payment.record":
            state[key].update(amount_minor=after.get("amount_minor"), currency=after.get("currency"))
        elif action == "refund.request":
            status = "requested" if after.get("needs_approval") else "posted"
            state[key].update(amount_minor=after.get("amount_minor"), status=status)
        elif action in ("refund.post", "refund.reject"):
            state[key]["status"] = "posted" if action == "refund.post" else "rejected"
        elif action == "refund.approve":
            state[key]["approved_by"] = after.get("by")
        elif action == "invoice.write_off":
            written_off[ev.entity_id] += int(before.get("open_minor", 0)) - int(after.get("open_minor", 0))
        elif action in ("customer.create", "customer.update"):
            state[key].update({k: after[k] for k in CUSTOMER_FIELDS if k in after})
            if action == "customer.create":
                state[key]["status"] = "active"
        elif action.startswith("customer.") and "status" in after:
            state[key]["status"] = after["status"]
        elif action == "approval.request":
            state[key].update(status="pending", amount_minor=after.get("amount_minor"), kind=after.get("kind"),
                              decided_by=None)
        elif action in ("approval.approve", "approval.reject"):
            state[key].update(status=after.get("status"), decided_by=after.get("decided_by"))
        elif action in ("work.assign", "work.reassign"):
            state[key]["assigned_to"] = after.get("assigned_to")
            state[key].setdefault("status", "open")
        elif action == "work.done":
            state[key]["status"] = "done"
    return state, written_off


def _rows() -> Iterator[tuple[str, str, State]]:
    """Every row the events describe, as (entity, id, the columns compared)."""
    for s in Setting.select():
        yield "setting", str(s.key), {"value": s.value}
    for d in Invoice.select(Invoice.number, Invoice.total_minor, Invoice.status).where(Invoice.status == "posted"):
        yield "document", str(d.number), {"total_minor": d.total_minor, "status": d.status}
    for p in Payment.select(Payment.number, Payment.amount_minor, Payment.currency):
        yield "payment", p.number, {"amount_minor": p.amount_minor, "currency": p.currency}
    for r in Refund.select():
        yield "refund", r.number, {"amount_minor": r.amount_minor, "status": r.status, "approved_by": r.approved_by}
    for c in Customer.select():
        yield "customer", c.account_no, {**{k: getattr(c, k) for k in CUSTOMER_FIELDS}, "status": c.status}
    for a in ApprovalRequest.select():
        yield "approval", str(a.id), {"status": a.status, "amount_minor": a.amount_minor, "kind": a.kind,
                                      "decided_by": a.decided_by}
    for w in WorkAssignment.select():
        yield "assignment", str(w.id), {"assigned_to": w.assigned_to, "status": w.status}


# Rows that exist without an event of their own: settings seeded by the first migrations.
_MAY_BE_UNLOGGED = ("setting",)


def check_rows_match_audit() -> list[str]:
    """Each row that the audit trail describes, compared field by field with what the events say."""
    state, written_off = _replay()
    out: list[str] = []
    for entity, ident, row in _rows():
        expected = state.get((entity, ident))
        if expected is None:
            if entity not in _MAY_BE_UNLOGGED:
                out.append(f"{entity} {ident} has no audit event: it was written outside Billfold")
            continue
        for field, value in expected.items():
            have = row.get(field, value)
            if _differs(have, value):
                out.append(f"{entity} {ident}: {field} is {have!r} but the audit trail says {value!r} "
                           "(changed outside Billfold)")
    per_invoice: Any = (WriteOff.select(Invoice.number, fn.SUM(WriteOff.amount_minor)).join(Invoice)
                        .group_by(Invoice.number).tuples())
    written: dict[str, int] = {str(number): int(total) for number, total in per_invoice}
    for number in sorted(set(written) | set(written_off)):
        if int(written.get(number, 0)) != written_off.get(number, 0):
            out.append(f"write-offs of {number}: {written.get(number, 0)} in the books but the audit trail says "
                       f"{written_off.get(number, 0)} (changed outside Billfold)")
    return out


def _differs(have: Any, want: Any) -> bool:
    if isinstance(have, int) and not isinstance(have, bool) and isinstance(want, (int, str)):
        return str(have) != str(want)
    return bool(have != want)
