"""Statement runs: every customer with an open balance or activity in the period gets one statement.

The period is the month ending on the as-of date, as-of date included: on a month's last day
that calendar month (2026-11-30: 1 to 30 November); on any other day from the day after the
same day a month before (2026-11-22: 23 October to 22 November; 2026-03-30: 1 to 30 March, as
there is no 30 February), so runs on the same day each month cover every day once.
`date_from` overrides the start.

A customer is chosen when their balance at the as-of date (receivables less unapplied cash, as
the statement shows it) is not zero, or when anything moved that balance in the period. Queuing
writes, per customer, a `statement_run` row and the outbox row that delivers it, in one
transaction (a few hundred customers to a transaction). The pair (customer, as-of date) is
unique, so re-running a date, two operators running it at once, or running it again after a
kill -9 queues each customer's statement once. The PDF is printed when the outbox row is sent
(exports/deliver_statements.py), from the journal, by the render workers.
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from peewee import fn

from store import clock, ledger
from store.audit import record_event
from store.errors import NotFound, ValidationError
from store.models import Customer, JournalEntry, JournalLine, StatementRun
from store.outbox import channel_of, queue_statement
from store.permissions import Action
from store.service import transaction
from store.session import current_operator, require

CHUNK = 200  # customers queued per transaction: short enough that other writers barely wait

Progress = Callable[[int, int, str], None]  # done, total, what just happened


@dataclass(frozen=True, slots=True)
class StatementCandidate:
    account_no: str
    customer_name: str
    currency: str
    channel: str  # how it goes: email (an address is on file) or post
    closing_minor: int  # the balance at the as-of date
    moved: bool  # something moved the balance in the period
    queued_at: dt.datetime | None  # when a run already queued this customer's statement for the date
    queued_by: str | None


@dataclass(frozen=True, slots=True)
class StatementRunPreview:
    as_of: dt.date
    date_from: dt.date
    candidates: tuple[StatementCandidate, ...]

    @property
    def to_queue(self) -> tuple[StatementCandidate, ...]:
        return tuple(c for c in self.candidates if c.queued_at is None)

    @property
    def already(self) -> tuple[StatementCandidate, ...]:
        return tuple(c for c in self.candidates if c.queued_at is not None)

    def by_channel(self) -> dict[str, int]:
        """Statements still to queue, per channel."""
        counts = Counter(c.channel for c in self.to_queue)
        return {channel: counts.get(channel, 0) for channel in ("email", "post")}

    def totals(self) -> dict[str, tuple[int, int]]:
        """Per currency: statements still to queue and the sum of their closing balances."""
        out: dict[str, tuple[int, int]] = {}
        for c in self.to_queue:
            n, total = out.get(c.currency, (0, 0))
            out[c.currency] = (n + 1, total + c.closing_minor)
        return dict(sorted(out.items()))

    def already_line(self) -> str:
        """'already queued on DAY by WHO' for the statements a run of this date has queued."""
        if not self.already:
            return ""
        runs = Counter((c.queued_at.strftime("%Y-%m-%d %H:%M") if c.queued_at else "", c.queued_by)
                       for c in self.already)
        return "; ".join(f"{n:,} already queued on {when} by {who}" for (when, who), n in sorted(runs.items()))


@dataclass(frozen=True, slots=True)
class StatementQueueResult:
    preview: StatementRunPreview  # as it was before this run queued anything
    queued: int


def statement_period(as_of: dt.date, date_from: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The period a statement run on `as_of` covers: the month ending on it, or from `date_from`."""
    if date_from is None:
        if (as_of + dt.timedelta(days=1)).day == 1:  # a month's last day: that calendar month
            date_from = as_of.replace(day=1)
        else:  # the day after the same day a month before (clamped to that month's last day)
            year, month = (as_of.year, as_of.month - 1) if as_of.month > 1 else (as_of.year - 1, 12)
            date_from = dt.date(year, month, min(as_of.day, calendar.monthrange(year, month)[1])) + dt.timedelta(
                days=1)
    if date_from > as_of:
        raise ValidationError("from", f"{date_from.isoformat()} is after the as-of date {as_of.isoformat()}")
    return date_from, as_of


def _check_as_of(as_of: dt.date) -> None:
    if as_of > clock.today():
        raise ValidationError("as_of", f"{as_of.isoformat()} is in the future; a statement shows what has happened")


_BALANCE_ACCOUNTS = (ledger.RECEIVABLES, ledger.UNAPPLIED_CASH)


def _balances(as_of: dt.date) -> dict[int, int]:
    net = fn.SUM(JournalLine.debit_minor - JournalLine.credit_minor)
    query = (JournalLine.select(JournalLine.customer, net).join(JournalEntry)
             .where(JournalLine.account.in_(_BALANCE_ACCOUNTS) & JournalLine.customer.is_null(False)
                    & (JournalEntry.entry_date <= as_of))
             .group_by(JournalLine.customer).tuples().iterator())
    return {cid: int(total or 0) for cid, total in query}


def _moved(date_from: dt.date, as_of: dt.date) -> set[int]:
    """Customers whose balance an entry in the period moved (allocations, which move nothing, do not count)."""
    net = fn.SUM(JournalLine.debit_minor - JournalLine.credit_minor)
    query = (JournalLine.select(JournalLine.customer, JournalLine.entry).join(JournalEntry)
             .where(JournalLine.account.in_(_BALANCE_ACCOUNTS) & JournalLine.customer.is_null(False)
                    & (JournalEntry.entry_date >= date_from) & (JournalEntry.entry_date <= as_of))
             .group_by(JournalLine.customer, JournalLine.entry).having(net != 0).tuples().iterator())
    return {cid for cid, _entry in query}


def _queued(as_of: dt.date, customer_ids: Sequence[int] | None = None) -> dict[int, tuple[dt.datetime, str]]:
    query = StatementRun.select(StatementRun.customer, StatementRun.created_at, StatementRun.created_by).where(
        StatementRun.as_of == as_of)
    if customer_ids is not None:
        query = query.where(StatementRun.customer.in_(list(customer_ids)))
    return {cid: (at, by) for cid, at, by in query.tuples().iterator()}


def preview_statements(as_of: dt.date, date_from: dt.date | None = None) -> StatementRunPreview:
    """Who a run on `as_of` sends a statement to, by which channel, and who has one queued already.
    Writes nothing."""
    _check_as_of(as_of)
    date_from, as_of = statement_period(as_of, date_from)
    balances, moved, queued = _balances(as_of), _moved(date_from, as_of), _queued(as_of)
    chosen = {cid for cid, total in balances.items() if total} | moved | set(queued)
    candidates = []
    for cid, account_no, name, currency, channel, email in (
            Customer.select(Customer.id, Customer.account_no, Customer.name, Customer.currency, Customer.channel,
                            Customer.email).order_by(Customer.account_no).tuples().iterator()):
        if cid not in chosen:
            continue
        at, by = queued.get(cid, (None, None))
        candidates.append(StatementCandidate(account_no, name, currency, channel_of(channel, email)[0],
                                             balances.get(cid, 0), cid in moved, at, by))
    return StatementRunPreview(as_of, date_from, tuple(candidates))


def queue_statements(as_of: dt.date, date_from: dt.date | None = None, progress: Progress | None = None,
                     chunk: int | None = None) -> StatementQueueResult:
    """Queue a statement for each chosen customer not yet queued for `as_of`: each with its outbox row,
    a few hundred to a transaction. Safe to run again, at once elsewhere, or after a kill."""
    require(Action.DELIVER)
    preview = preview_statements(as_of, date_from)
    wanted = {c.account_no: c for c in preview.to_queue}
    todo = list(wanted)
    chunk = chunk or CHUNK
    queued = 0
    for start in range(0, len(todo), chunk):
        queued += _queue_chunk(preview, wanted, todo[start:start + chunk])
        if progress:
            progress(min(start + chunk, len(todo)), len(todo), f"queued {todo[min(start + chunk, len(todo)) - 1]}")
    return StatementQueueResult(preview, queued)


def _queue_chunk(preview: StatementRunPreview, wanted: dict[str, StatementCandidate], accounts: list[str]) -> int:
    with transaction():
        require(Action.DELIVER)
        customers = list(Customer.select().where(Customer.account_no.in_(accounts)).order_by(Customer.account_no))
        done = _queued(preview.as_of, [c.id for c in customers])  # by another run since the preview
        operator, count = current_operator(), 0
        for customer in customers:
            if customer.id in done:
                continue
            seen = wanted[customer.account_no]
            outbox_id = queue_statement(customer)
            run_id = StatementRun.insert(customer=customer.id, as_of=preview.as_of, date_from=preview.date_from,
                                         currency=customer.currency, closing_minor=seen.closing_minor,
                                         channel=channel_of(customer.channel, customer.email)[0], outbox=outbox_id,
                                         created_by=operator).execute()
            record_event("statement.queue", "statement_run", run_id, customer_id=customer.id,
                         after={"as_of": preview.as_of, "from": preview.date_from, "outbox": outbox_id,
                                "closing_minor": seen.closing_minor, "currency": customer.currency})
            count += 1
        return count


def statement_of_item(outbox_id: int) -> tuple[str, dt.date, dt.date]:
    """The account and period of the statement an outbox row sends."""
    row = (StatementRun.select(Customer.account_no, StatementRun.date_from, StatementRun.as_of)
           .join(Customer).where(StatementRun.outbox == outbox_id).tuples().first())
    if row is None:
        raise NotFound(f"outbox {outbox_id}: not a statement")
    account_no, date_from, as_of = row
    return account_no, date_from, as_of

