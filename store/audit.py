"""The audit trail: who did what, when, before and after; each event chained to the one before."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from store.fields import utcnow
from store.models import AuditEvent, AuditHead
from store.session import current_operator


def canonical(value: Any) -> Any:
    """The JSON form an audit payload is stored and hashed in (dates and Decimals become text)."""
    return json.loads(json.dumps(value, sort_keys=True, default=str, ensure_ascii=False))


def event_hash(prev_hash: str, at: str, operator: str, action: str, entity: str, entity_id: str,
               customer_id: int | None, before: Any, after: Any) -> str:
    body = json.dumps(
        [prev_hash, at, operator, action, entity, entity_id, customer_id, before, after],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


def timestamp_text(at: dt.datetime) -> str:
    return at.isoformat(sep=" ", timespec="microseconds")


def record_event(action: str, entity: str, entity_id: Any, *, customer_id: int | None = None,
                 before: Any = None, after: Any = None) -> AuditEvent:
    """Append one audit event; must run inside the transaction of the change it describes."""
    # Updating the head row first makes concurrent writers queue for it (a row lock in
    # PostgreSQL; SQLite writers are serialised already), so the chain never forks.
    head = (AuditHead.update(count=AuditHead.count + 1).where(AuditHead.id == 1)
            .returning(AuditHead.last_hash).objects().execute()[0])
    at = utcnow()
    operator = current_operator()
    before, after = canonical(before), canonical(after)
    digest = event_hash(head.last_hash, timestamp_text(at), operator, action, entity, str(entity_id),
                        customer_id, before, after)
    event = AuditEvent.create(at=at, operator=operator, action=action, entity=entity, entity_id=str(entity_id),
                              customer=customer_id, before=before, after=after, prev_hash=head.last_hash,
                              hash=digest)
    AuditHead.update(last_hash=digest).where(AuditHead.id == 1).execute()
    return event
