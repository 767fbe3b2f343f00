"""The dunning run: one reminder per customer with overdue invoices, at the highest level reached.

The dunning run finds every customer with overdue invoices and proposes ONE reminder per
customer, listing all their overdue items, at the highest level any item has reached. Levels are
days past due (setting "dunning_levels", default "7,21,45": level 1 from 7 days, 2 from 21, 3
from 45). The run leaves out:

- invoices with an open dispute (they are neither listed nor counted for the level);
- customers with a promise to pay in force (promised date on or after the run date);
- customers in collections or closed;
- customers whose credit on account (unallocated payments and unapplied credit notes) covers
  everything overdue: the money is there, it only needs allocating;
- a customer already sent, within "dunning_repeat_days" days (default 14) before the run date,
  a notice at the same or a higher level that listed every item now proposed. A notice is sent
  again when the level rises, a new item falls overdue, or that many days have passed.

Customers ON HOLD ARE dunned: a hold stops new invoices, not the chasing of old ones (usually
the hold is there because of what is overdue). To stop chasing an account, record a promise, open
a dispute on the invoice, or send the account to collections.

`preview_dunning` writes nothing; `record_dunning` records each proposal as a DunningNotice in
its own transaction with an audit event, after checking it is still what a fresh run would
propose. Producing and delivering the reminder documents is not done here (`delivery` stays empty).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from peewee import fn

from store import clock
from store.audit import record_event
from store.customers import get_customer
from store.errors import ValidationError
from store.kinds import CustomerStatus, PaymentStatus
from store.models import (
    Customer,
    DunningNotice,
    Payment,
    PromiseToPay,
)
from store.money import format_money
from store.outbox import queue_notice
from store.periods import check_open
from store.permissions import Action
from store.service import run_service
from store.session import current_operator, require
from store.settings import get_setting, set_setting
from store.sql import DaysPast, bulk_rows, run_sql

DEFAULT_LEVELS = "7,21,45"
DEFAULT_REPEAT_DAYS = 14
NOT_DUNNED = (CustomerStatus.IN_COLLECTIONS, CustomerStatus.CLOSED)


# ---------------------------------------------------------------- settings

def _parse_levels(text: str) -> tuple[int, ...]:
    try:
        levels = tuple(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError:
        levels = ()
    if not levels or any(n < 1 for n in levels) or list(levels) != sorted(set(levels)):
        raise ValidationError("dunning_levels", f"'{text}' is not a list of increasing days past due, such as "
                                                f"{DEFAULT_LEVELS}")
    return levels


def dunning_levels() -> tuple[int, ...]:
    """Days past due at which each level starts: (7, 21, 45) means level 1 from 7 days, 2 from 21, 3 from 45."""
    return _parse_levels(get_setting("dunning_levels") or DEFAULT_LEVELS)


def set_dunning_levels(days: Sequence[int]) -> tuple[int, ...]:
    levels = _parse_levels(",".join(str(d) for d in days))
    set_setting("dunning_levels", ",".join(str(d) for d in levels))
    return levels


def dunning_repeat_days() -> int:
    text = get_setting("dunning_repeat_days") or str(DEFAULT_REPEAT_DAYS)
    if not text.isdigit():
        raise ValidationError("dunning_repeat_days", f"'{text}' is not a whole number of days")
    return int(text)


def level_of(days_overdue: int, levels: Sequence[int]) -> int:
    """0 below the first threshold, else the number of thresholds reached."""
    return sum(1 for threshold in levels if days_overdue >= threshold)


# ---------------------------------------------------------------- the dunning run

class DunningItem(NamedTuple):
    """An immutable record like the others, as a named tuple: a run makes one per overdue invoice (428,000
    at a million invoices), and a frozen dataclass costs three times as much to make."""

    invoice: str
    due_date: dt.date
    days_overdue: int
    amount_minor: int  # still open on the invoice
    level: int  # the level this item alone has reached (0: overdue, not yet at the first level)


@dataclass(frozen=True, slots=True)
class DunningProposal:
    account_no: str
    customer_name: str
    level: int
    items: tuple[DunningItem, ...]  # every overdue, undisputed item, oldest first
    total_minor: int
    currency: str
    channel: str
    credit_minor: int  # unallocated payments and unapplied credit notes on the account (not deducted)


@dataclass(frozen=True, slots=True)
class DunningSkip:
    account_no: str
    customer_name: str
    level: int  # the level the account would have reached
    reason: str


@dataclass(frozen=True, slots=True)
class DunningRun:
    as_of: dt.date
    proposals: tuple[DunningProposal, ...]
    skipped: tuple[DunningSkip, ...]


def _credit_by_customer(customer_id: int | None) -> dict[int, int]:
    """Unallocated payments plus unapplied credit notes, per customer (read through the partial indexes)."""
    credit: dict[int, int] = defaultdict(int)
    # as payment_queue: no customer term
    payments = (Payment.status == PaymentStatus.OPEN) & (Payment.unallocated_minor > 0)
    if customer_id is not None:
        payments &= Payment.customer == customer_id
    for cid, n in (Payment.select(Payment.customer, fn.SUM(Payment.unallocated_minor)).where(payments)
                   .group_by(Payment.customer).tuples().iterator()):
        if cid is not None:
            credit[cid] += int(n or 0)
    # Credit notes from aging_item, whose partial index holds customer and amount of every open document.
    for cid, n in run_sql(_CREDIT_NOTES_ALL if customer_id is None else _CREDIT_NOTES_ONE, {"customer": customer_id}):
        credit[cid] -= int(n or 0)
    return credit


_CREDIT_NOTES = "SELECT customer_id, SUM(open_minor) FROM {aging} WHERE open_minor <> 0 AND open_minor < 0"
_CREDIT_NOTES_ALL = f"{_CREDIT_NOTES} GROUP BY customer_id"
_CREDIT_NOTES_ONE = f"{_CREDIT_NOTES} AND customer_id = :customer GROUP BY customer_id"


# Every account's overdue invoices (disputed ones flagged) in account order, due date, number: a run
# reads hundreds of thousands. From aging_item (migration 0006), whose partial index holds each
# customer's open documents with their numbers in due-date order: one index range per customer,
# read in account order, with no random read of the invoice table and no sort of every row.
_DISPUTED = "CASE WHEN a.document_id IN (SELECT invoice_id FROM {dispute} WHERE status = 'open') THEN 1 ELSE 0 END"
_OVERDUE = ("a.open_minor <> 0 AND a.open_minor > 0 AND a.due_date < :as_of AND a.kind = 'invoice' "
            "AND a.issue_date <= :as_of")
# A document is in its customer's currency (which cannot change once there are documents): saying so
# lets the index give each customer's items in due-date order, with no sort per customer.
_OVERDUE_ALL = (f"SELECT c.id, a.number, a.due_date, a.open_minor, {_DISPUTED} FROM {{customer}} c {{cross}} "
                f"{{aging}} a ON a.customer_id = c.id AND a.currency = c.currency AND {_OVERDUE} "
                "ORDER BY c.account_no, a.due_date, a.number")
_OVERDUE_ONE = (f"SELECT a.customer_id, a.number, a.due_date, a.open_minor, {_DISPUTED} FROM {{aging}} a "
                f"WHERE a.customer_id = :customer AND {_OVERDUE} ORDER BY a.due_date, a.number")


def _accounts(ids: list[int]) -> dict[int, tuple[str, str, str, str, str]]:
    """Account number, name, status, currency and channel of the customers `ids`: a few through an IN
    list, many by reading every customer once (faster than a long IN list)."""
    if len(ids) <= 5000:
        return {row[0]: row[1:] for row in (
            Customer.select(Customer.id, Customer.account_no, Customer.name, Customer.status, Customer.currency,
                            Customer.channel).where(Customer.id.in_(ids)).tuples().iterator())}
    wanted = set(ids)
    return {row[0]: row[1:] for row in run_sql("SELECT id, account_no, name, status, currency, channel FROM {customer}",
                                               {}) if row[0] in wanted}


def _dunning_run(as_of: dt.date, customer_id: int | None = None) -> DunningRun:
    with bulk_rows():
        return _dunning_run_rows(as_of, customer_id)


def _dunning_run_rows(as_of: dt.date, customer_id: int | None) -> DunningRun:
    levels = dunning_levels()
    rows = run_sql(_OVERDUE_ALL if customer_id is None else _OVERDUE_ONE,
                   {"as_of": as_of.isoformat(), "customer": customer_id})
    items: dict[int, list[DunningItem]] = {}  # per customer, in account order
    level_total: dict[int, tuple[int, int]] = {}  # the highest level of an undisputed item and their total
    disputed_level: dict[int, int] = defaultdict(int)
    due_dates = DaysPast(as_of, lambda days: level_of(days, levels))
    own: list[DunningItem] = []
    add, item = own.append, DunningItem  # locals: this loop runs once per overdue invoice
    level = total = 0
    last = None
    for cid, number, due_text, open_minor, is_disputed in rows:
        if cid != last:
            if last is not None:
                level_total[last] = (level, total)
            own, level, total, last = items.setdefault(cid, []), 0, 0, cid
            add = own.append
        due, days, item_level = due_dates[due_text]
        if is_disputed:
            disputed_level[cid] = max(disputed_level[cid], item_level)
            continue
        add(item(number, due, days, open_minor, item_level))  # BIGINT: an int from either driver
        total += open_minor
        if item_level > level:
            level = item_level
    if last is not None:
        level_total[last] = (level, total)
    due_ids = [cid for cid in items if level_total[cid][0] or disputed_level[cid]]
    accounts = _accounts(due_ids)
    # Promises, credit and recent notices are few: read them whole (or for the one customer), not by a long IN list.
    only = (lambda column: column == customer_id) if customer_id is not None else (lambda column: True)
    promises: dict[int, dt.date] = {}
    for cid, promised in (PromiseToPay.select(PromiseToPay.customer, PromiseToPay.promised_date)
                          .where((PromiseToPay.promised_date >= as_of) & only(PromiseToPay.customer))
                          .tuples().iterator()):
        promises[cid] = max(promised, promises.get(cid, promised))
    credit = _credit_by_customer(customer_id)
    repeat_from = as_of - dt.timedelta(days=dunning_repeat_days())
    recent: dict[int, list[tuple[int, dt.date, set[str]]]] = defaultdict(list)
    for cid, notice_level, day, listed in (
            DunningNotice.select(DunningNotice.customer, DunningNotice.level, DunningNotice.notice_date,
                                 DunningNotice.items)
            .where((DunningNotice.notice_date > repeat_from) & (DunningNotice.notice_date <= as_of)
                   & only(DunningNotice.customer)).tuples().iterator()):
        recent[cid].append((notice_level, day, {str(i.get("invoice")) for i in listed or []}))
    proposals, skipped = [], []
    for cid in sorted(due_ids, key=lambda c: accounts[c][0]):
        account_no, name, status, currency, channel = accounts[cid]
        own_items = tuple(items[cid])
        level, total = level_total[cid]

        def skip(reason: str, shown_level: int = level, account_no: str = account_no, name: str = name) -> None:
            skipped.append(DunningSkip(account_no, name, shown_level, reason))

        if status in NOT_DUNNED:
            skip(f"the account is {status.replace('_', ' ')}")
        elif cid in promises:
            skip(f"promised to pay by {promises[cid].isoformat()}")
        elif not level:
            skip("every item past the first level is disputed", disputed_level[cid])
        else:
            numbers = {i.invoice for i in own_items} if cid in recent else set()
            sent = [(lv, day) for lv, day, listed in recent.get(cid, ()) if lv >= level and numbers <= listed]
            if credit.get(cid, 0) >= total:
                skip(f"credit on account ({format_money(credit[cid], currency)}) covers the "
                     f"{format_money(total, currency)} overdue: allocate it")
            elif sent:
                lv, day = max(sent, key=lambda s: s[1])
                skip(f"a level {lv} notice for these items was sent on {day.isoformat()}")
            else:
                proposals.append(DunningProposal(account_no, name, level, own_items, total, currency, channel,
                                                 credit.get(cid, 0)))
    return DunningRun(as_of, tuple(proposals), tuple(skipped))


def preview_dunning(as_of: dt.date) -> list[DunningProposal]:
    """The reminders a run on `as_of` would send: one per customer. Writes nothing."""
    return list(_dunning_run(as_of).proposals)


def dunning_run(as_of: dt.date) -> DunningRun:
    """The proposals of `preview_dunning` and the accounts left out with the reason for each. Writes nothing."""
    return _dunning_run(as_of)


def record_dunning(as_of: dt.date, proposals: Sequence[DunningProposal]) -> list[int]:
    """Record the reminders of a run: one DunningNotice per proposal, each in its own transaction.

    A proposal that is no longer exactly what a fresh run on `as_of` proposes for that account
    (paid, disputed, promised, sent to collections or recorded by someone else since the preview)
    is left out and nothing is written for it; the ids returned are those of the notices recorded.
    """
    if as_of > clock.today():
        raise ValidationError("as_of", f"{as_of.isoformat()} is in the future; reminders are dated when recorded")
    accounts = [p.account_no for p in proposals]
    if len(set(accounts)) != len(accounts):
        raise ValidationError("proposals", "name each account once: one reminder per customer")
    recorded = []
    for proposal in proposals:
        notice_id = _record_notice(as_of, proposal)
        if notice_id is not None:
            recorded.append(notice_id)
    return recorded


def _record_notice(as_of: dt.date, proposal: DunningProposal) -> int | None:
    def body() -> int | None:
        require(Action.DUNNING)
        check_open(as_of, "a dunning notice")  # the dunning log of a closed period stays as it was reported
        customer = get_customer(proposal.account_no)
        fresh = _dunning_run(as_of, customer.id).proposals
        if fresh != (proposal,):
            return None
        notice = DunningNotice.create(
            customer=customer.id, level=proposal.level, notice_date=as_of,
            items=[{"invoice": i.invoice, "days_overdue": i.days_overdue, "amount_minor": i.amount_minor}
                   for i in proposal.items],
            total_minor=proposal.total_minor, currency=proposal.currency, channel=customer.channel,
            created_by=current_operator())
        queue_notice(notice.id, customer)  # sent through the outbox, once
        record_event("dunning.notice", "dunning_notice", notice.id, customer_id=customer.id,
                     after={"level": proposal.level, "notice_date": as_of, "total_minor": proposal.total_minor,
                            "currency": proposal.currency, "channel": customer.channel,
                            "invoices": [i.invoice for i in proposal.items]})
        return notice.id

    return run_service("record_dunning", {}, None, int, body)  # type: ignore[arg-type]
