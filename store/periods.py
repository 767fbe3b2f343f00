"""Period close: a lock date on or before which nothing can be posted, voided, credited, allocated or written off.

Every change that moves money posts a journal entry (store.ledger.post_entry), so the one check
there covers invoices, payments, allocations, credit notes, write-offs, voids, refunds and the
credit notes that settle disputes; a trigger on journal_entry refuses the same to anything else
that reaches the database. A void also takes a document out of its own period's reports, so a
document dated in a closed period is never voided (a credit note, dated today, corrects it).
Closing moves the lock date forward; only reopening moves it back: an operator asks (`billfold
period reopen`, a request in the approvals queue) and an admin other than the asker approves it,
which runs `reopen_period` as that admin.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from store import clock
from store.audit import record_event
from store.errors import Conflict, ValidationError
from store.models import PeriodLock
from store.permissions import Action
from store.service import transaction
from store.session import require


@dataclass(frozen=True)
class PeriodState:
    lock_date: dt.date | None
    month: str
    action: str
    by: str
    reason: str


def parse_month(text: str) -> tuple[dt.date, dt.date]:
    """'2026-11' as its first and last day."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValidationError("month", f"'{text}' is not a month: write it YYYY-MM, e.g. 2026-11")
    first = dt.date(int(match.group(1)), int(match.group(2)), 1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def lock_date() -> dt.date | None:
    """The last day of the latest closed period (None: nothing is closed)."""
    row = PeriodLock.select(PeriodLock.lock_date).order_by(PeriodLock.id.desc()).first()
    return row.lock_date if row is not None else None


def _reopen_hint(lock: dt.date) -> str:
    return f"billfold period reopen {lock:%Y-%m} --reason ... (an admin approves the request)"


def check_closed(month: str) -> dt.date:
    """The lock date, if `month` is closed; otherwise a refusal (there is nothing to reopen)."""
    first, _ = parse_month(month)
    lock = lock_date()
    if lock is None or first > lock:
        raise Conflict(f"{month} is not closed" + (f" (locked up to {lock.isoformat()})" if lock else ""))
    return lock


def check_open(on: dt.date, what: str) -> None:
    """Refuse `what`, dated `on`, if the books are closed on that day."""
    lock = lock_date()
    if lock is not None and on <= lock:
        raise Conflict(f"{what} is dated {on.isoformat()}, in a closed period: the books are locked up to "
                       f"{lock.isoformat()}; to change them first reopen it: {_reopen_hint(lock)}")


def check_document_open(issue_date: dt.date, number: str) -> None:
    """A void takes the document out of its own period: refused for a document in a closed period."""
    lock = lock_date()
    if lock is not None and issue_date <= lock:
        raise Conflict(f"{number} is dated {issue_date.isoformat()}, in a closed period (locked up to "
                       f"{lock.isoformat()}): issue a credit note instead, or reopen: {_reopen_hint(lock)}")


def close_period(month: str, today: dt.date | None = None) -> PeriodState:
    """Close `month` (and so every month before it): the lock date becomes its last day."""
    first, last = parse_month(month)
    today = today or clock.today()
    with transaction():
        login = require(Action.CLOSE_PERIOD)
        if last >= today:
            raise ValidationError("month", f"{month} has not ended yet; a month is closed once it is over")
        lock = lock_date()
        if lock is not None and last <= lock:
            raise Conflict(f"{month} is already closed: the books are locked up to {lock.isoformat()}")
        PeriodLock.create(month=f"{first:%Y-%m}", lock_date=last, action="close", reason="", by=login)
        record_event("period.close", "period", f"{first:%Y-%m}", before={"lock_date": lock},
                     after={"lock_date": last})
        return PeriodState(last, f"{first:%Y-%m}", "close", login, "")


def reopen_period(month: str, reason: str) -> PeriodState:
    """Open `month` again (and every month after it): the lock date goes back to the day before it."""
    first, _ = parse_month(month)
    if not reason.strip():
        raise ValidationError("reason", "say why the period is reopened")
    with transaction():
        login = require(Action.REOPEN_PERIOD)
        lock = check_closed(month)
        new_lock = first - dt.timedelta(days=1)
        PeriodLock.create(month=f"{first:%Y-%m}", lock_date=new_lock, action="reopen", reason=reason.strip(),
                          by=login)
        record_event("period.reopen", "period", f"{first:%Y-%m}", before={"lock_date": lock},
                     after={"lock_date": new_lock, "reason": reason.strip()})
        return PeriodState(new_lock, f"{first:%Y-%m}", "reopen", login, reason.strip())


def period_history() -> list[PeriodState]:
    return [PeriodState(p.lock_date, p.month, p.action, p.by, p.reason)
            for p in PeriodLock.select().order_by(PeriodLock.id)]
