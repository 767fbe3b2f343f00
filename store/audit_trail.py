"""Reading the audit trail: who did what and when, a document's own history, and the chain's head.

The head hash is what leaves the building (printed on the monthly report, kept by whoever wants
to check later); `chain_passes_through` proves the trail still contains that point unchanged.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from peewee import JOIN, Value

from store.audit import event_hash, timestamp_text
from store.models import AuditEvent, AuditHead, Customer

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: str
    operator: str
    action: str
    entity: str
    entity_id: str
    account_no: str | None
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class ChainHead:
    hash: str
    count: int


def audit_events(*, operator: str | None = None, since: dt.date | None = None, document: str | None = None,
                 limit: int = 1000) -> list[AuditRow]:
    """Events, oldest first, by operator, from a day (UTC), about a document (by its number)."""
    query = (AuditEvent.select(AuditEvent, Customer.account_no)
             .join(Customer, JOIN.LEFT_OUTER, on=(AuditEvent.customer == Customer.id)))
    if operator:
        query = query.where(AuditEvent.operator == operator.strip())
    if since is not None:
        query = query.where(AuditEvent.at >= dt.datetime.combine(since, dt.time.min))
    if document:
        number = document.strip().upper()
        # Its own events, and those of other records that name it (an allocation to it, an approval of it);
        # a bare Value keeps the pattern from being JSON-encoded like the column's values.
        names_it = AuditEvent.after ** Value(f'%"{number}"%', converter=str)
        query = query.where((AuditEvent.entity_id == number) | names_it)
    rows = query.order_by(AuditEvent.id.desc()).limit(limit).objects()
    # account_no comes from the join: .objects() sets it on each row, which the type checker cannot see.
    return [AuditRow(r.id, r.at.strftime("%Y-%m-%d %H:%M:%S"), r.operator, r.action, r.entity, r.entity_id,
                     getattr(r, "account_no", None), r.before, r.after) for r in reversed(list(rows))]


def chain_head() -> ChainHead:
    head = AuditHead.get_by_id(1)
    return ChainHead(head.last_hash, head.count)


def chain_passes_through(anchor: str) -> list[str]:
    """[] if some event's hash, recomputed from the start of the chain, is `anchor`; else why not."""
    anchor = anchor.strip().lower()
    if anchor == GENESIS:
        return []
    prev, last = GENESIS, 0
    while True:
        batch = list(AuditEvent.select().where(AuditEvent.id > last).order_by(AuditEvent.id).limit(5000))
        if not batch:
            break
        for event in batch:
            digest = event_hash(prev, timestamp_text(event.at), event.operator, event.action, event.entity,
                                event.entity_id, event.customer_id, event.before, event.after)
            if digest != event.hash or event.prev_hash != prev:
                return [f"audit event {event.id} does not follow from the events before it, so the chain cannot "
                        f"be checked against anchor {anchor[:12]}"]
            if digest == anchor:
                return []
            prev = digest
        last = batch[-1].id
    return [f"the audit chain no longer passes through {anchor[:12]}...: the history up to that head was "
            "rewritten or cut"]


def change_text(before: Any, after: Any) -> str:
    """'field: old -> new' for each field the event names, else the values as they were written."""
    if isinstance(after, dict) and before is None:
        before = {}
    if isinstance(before, dict) and isinstance(after, dict):
        keys = list(dict.fromkeys([*before, *after]))
        return "; ".join(f"{k}: {_short(before.get(k))} -> {_short(after.get(k))}" if k in before
                         else f"{k}: {_short(after.get(k))}" for k in keys)
    if after is not None:
        return _short(after)
    return f"was {_short(before)}" if before is not None else ""


def _short(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
