"""`verify`: the audit events against the rows they describe.

The hash chain proves the events were not altered since they were written, but someone with the
database file could change a row (a setting, a refund's amount, who a request was approved by)
and leave the chain alone, or change an event too and re-hash the whole chain. So the state the
events describe is replayed here and compared with the rows as they are now: every difference is
reported. (Re-hashing after changing the events as well is what `verify --anchor` catches.)
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
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
from store.verify_sql import merged, paged, stream, text_order

State = dict[str, Any]
CUSTOMER_FIELDS = ("name", "currency", "email", "phone", "terms_days", "credit_limit_minor", "channel", "tax_id")

# Documents and payments (a million of each at scale) are not replayed into memory: their events
# and rows are read side by side in number order (_streamed_entities).
_ACTIONS = ("setting.change", "refund.request", "refund.post",
            "refund.reject", "refund.approve", "invoice.write_off", "customer.create", "customer.update",
            "approval.request", "approval.approve", "approval.reject", "work.assign", "work.reassign", "work.done")
_STREAMED = {"document": (("invoice.post", "credit_note.post"), Invoice, ("total_minor", "status"),
                          "WHERE status = 'posted'"),
             "payment": (("payment.record",), Payment, ("amount_minor", "currency"), "")}


@dataclass(frozen=True, slots=True)
class _Event:
    id: int
    action: str
    entity: str
    entity_id: str
    before: Any
    after: Any


def _events() -> Iterator[_Event]:
    actions = ", ".join(f"'{a}'" for a in _ACTIONS)
    for event_id, action, entity, entity_id, before, after in paged(
            'id, action, entity, entity_id, "before", "after"', AuditEvent._meta.table_name,
            f"action IN ({actions}) OR action LIKE :customer_actions", customer_actions="customer.%"):
        yield _Event(event_id, action, entity, entity_id, None if before is None else json.loads(before),
                     None if after is None else json.loads(after))


def _replay() -> tuple[dict[tuple[str, str], State], dict[str, int]]:
    """What the events say each row holds now, and what has been written off per invoice."""
    state: dict[tuple[str, str], State] = defaultdict(dict)
    written_off: dict[str, int] = defaultdict(int)
    for ev in _events():
        after, before = ev.after or {}, ev.before or {}
        action, key = ev.action, (ev.entity, ev.entity_id)
        if action == "setting.change":
            state[key]["value"] = after.get("value")
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
    """Every row the events describe but settings, documents and payments: (entity, id, the columns compared)."""
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
    for s in Setting.select():
        out += _row_differences("setting", str(s.key), {"value": s.value}, state.get(("setting", str(s.key))))
    for entity in _STREAMED:
        for ident, row, expected in _streamed_entities(entity):
            out += _row_differences(entity, ident, row, expected)
    for entity, ident, row in _rows():
        out += _row_differences(entity, ident, row, state.get((entity, ident)))
    per_invoice: Any = (WriteOff.select(Invoice.number, fn.SUM(WriteOff.amount_minor)).join(Invoice)
                        .group_by(Invoice.number).tuples())
    written: dict[str, int] = {str(number): int(total) for number, total in per_invoice}
    for number in sorted(set(written) | set(written_off)):
        if int(written.get(number, 0)) != written_off.get(number, 0):
            out.append(f"write-offs of {number}: {written.get(number, 0)} in the books but the audit trail says "
                       f"{written_off.get(number, 0)} (changed outside Billfold)")
    return out


def _row_differences(entity: str, ident: str, row: State, expected: State | None) -> list[str]:
    if expected is None:
        if entity in _MAY_BE_UNLOGGED:
            return []
        return [f"{entity} {ident} has no audit event: it was written outside Billfold"]
    return [f"{entity} {ident}: {field} is {row.get(field, value)!r} but the audit trail says {value!r} "
            "(changed outside Billfold)" for field, value in expected.items() if _differs(row.get(field, value), value)]


def _streamed_entities(entity: str) -> Iterator[tuple[str, State, State | None]]:
    """Each document (or payment) row with what its latest event says it holds, in number order."""
    actions, model, fields, where = _STREAMED[entity]
    names = ", ".join(f"'{a}'" for a in actions)
    events = stream(f'SELECT entity_id, "after" FROM {AuditEvent._meta.table_name} WHERE action IN ({names}) '
                    f"ORDER BY {text_order('entity_id')}, id")
    rows_ = stream(f"SELECT number, {', '.join(fields)} FROM {model._meta.table_name} {where} "
                   f"ORDER BY {text_order('number')}")
    for ident, event, row in merged(iter(events), iter(rows_)):
        if row is None:
            continue  # an event whose row is gone is what the other checks report (numbers, journal)
        after = json.loads(event[1]) if event is not None and event[1] is not None else {}
        expected = None if event is None else (
            {"total_minor": after.get("total_minor"), "status": "posted"} if entity == "document"
            else {"amount_minor": after.get("amount_minor"), "currency": after.get("currency")})
        yield str(ident), dict(zip(fields, row[1:], strict=True)), expected


def _differs(have: Any, want: Any) -> bool:
    if isinstance(have, int) and not isinstance(have, bool) and isinstance(want, (int, str)):
        return str(have) != str(want)
    return bool(have != want)
