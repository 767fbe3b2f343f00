"""The recurring billing run of a month: its charges drafted as invoices to review, then posted.

A contract is billed at most once per period, whatever is re-run or killed midway: each charge is a
ContractCharge row, unique per (contract, period), written in the same transaction as the draft
invoice that bills it. A transaction holds a chunk of whole invoices, so a kill leaves each invoice
either drafted with its charges or not at all, and the next run drafts only what is left.

Discarding a draft deletes its charges with it: the next run of that month bills those periods
again, with the contract as it then is (discard to correct; end the contract to stop billing it).
Posting is a supervisor's (Action.POST_RECURRING): each invoice is posted by store.invoices with its
own checks (a customer on hold or over the credit limit is refused and the draft stays for review).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from peewee import IntegrityError

from store.contract_periods import month_text, parse_month
from store.errors import BooksError
from store.invoices import DraftInput, create_draft, post_invoice
from store.kinds import InvoiceStatus
from store.models import ContractCharge, Invoice
from store.permissions import Action
from store.recurring_plan import (
    RUN_REFERENCE,
    CurrencyTotal,
    InvoicePlan,
    Skipped,
    due_charges,
    group_invoices,
    run_invoices,
    totals_by_currency,
)
from store.service import transaction
from store.session import current_operator, require

Progress = Callable[[int, int, str], None]
CHUNK = 100  # invoices per transaction: few fsyncs for a big run, a short hold on the write lock


@dataclass(frozen=True, slots=True)
class DraftRunResult:
    month: str
    drafts: int
    charges: int
    totals: tuple[CurrencyTotal, ...]
    skipped: tuple[Skipped, ...]
    already_billed: int


@dataclass(frozen=True, slots=True)
class Refused:
    draft: int
    account_no: str
    reason: str


@dataclass(frozen=True, slots=True)
class PostRunResult:
    month: str
    posted: int
    first: str
    last: str
    totals: tuple[CurrencyTotal, ...]
    refused: tuple[Refused, ...]


def _chunks(items: Sequence[InvoicePlan], size: int) -> list[Sequence[InvoicePlan]]:
    return [items[n:n + size] for n in range(0, len(items), size)]


def _draft_one(month: str, plan: InvoicePlan, taken: set[tuple[int, object]]) -> InvoicePlan | None:
    """Draft one invoice and record its charges, leaving out charges another run took meanwhile."""
    charges = tuple(c for c in plan.charges if (c.contract_id, c.period.first) not in taken)
    if not charges:
        return None
    draft = create_draft(DraftInput(plan.account_no, plan.issue_date, tuple(c.line for c in charges),
                                    reference=RUN_REFERENCE.format(month=month),
                                    memo=f"Recurring charges ({plan.billing}), run {month}"))
    ContractCharge.insert_many([
        {"contract": c.contract_id, "period_start": c.period.first, "covers_from": c.covers.first,
         "covers_to": c.covers.last, "run_month": month, "invoice": draft.id, "net_minor": c.net_minor,
         "created_by": current_operator()} for c in charges]).execute()
    return plan if charges == plan.charges else InvoicePlan(
        plan.customer_id, plan.account_no, plan.customer_name, plan.currency, plan.billing, plan.issue_date, charges,
        draft.total_minor)


def _taken(chunk: Sequence[InvoicePlan]) -> set[tuple[int, object]]:
    """Charges of this chunk already recorded (a run beside this one, or one that finished meanwhile)."""
    ids = [c.contract_id for p in chunk for c in p.charges]
    return {(c.contract_id, c.period_start) for c in ContractCharge.select(
        ContractCharge.contract, ContractCharge.period_start).where(ContractCharge.contract.in_(ids))}


def _draft_chunk(month: str, chunk: Sequence[InvoicePlan]) -> list[InvoicePlan]:
    """One transaction of whole invoices. On PostgreSQL a run beside this one may commit the same charges
    after this one looked: the unique index refuses ours, the chunk rolls back, and it is tried once more
    seeing theirs (SQLite's write lock already keeps two runs apart)."""
    for attempt in (1, 2):
        try:
            with transaction():
                taken = _taken(chunk)
                return [p for p in (_draft_one(month, plan, taken) for plan in chunk) if p is not None]
        except IntegrityError:
            if attempt == 2:
                raise
    return []


def draft_run(month: str, progress: Progress | None = None) -> DraftRunResult:
    """Draft every invoice the month's run still owes; drafts nothing twice."""
    span = parse_month(month)
    month = month_text(span)
    require(Action.POST)
    due, skipped, already = due_charges(span)
    plans = group_invoices(span, due)
    made: list[InvoicePlan] = []
    for chunk in _chunks(plans, CHUNK):
        made += _draft_chunk(month, chunk)
        if progress:
            progress(len(made), len(plans), f"drafted {made[-1].account_no}" if made else "nothing new")
    return DraftRunResult(month, len(made), sum(len(p.charges) for p in made),
                          totals_by_currency([(p.currency, len(p.charges), p.total_minor) for p in made]),
                          tuple(skipped), already)


def check_may_post() -> None:
    """Refuse at once an operator who may not post a run (before anything is drafted for them)."""
    require(Action.POST_RECURRING)


def post_run(month: str, progress: Progress | None = None, *, allow_over_limit: bool = False) -> PostRunResult:
    """Post the month's drafts, oldest first; a draft the books refuse stays a draft, with the reason."""
    month = month_text(parse_month(month))
    check_may_post()
    drafts = sorted(i for i, status in run_invoices(month) if status == InvoiceStatus.DRAFT)
    posted: list[tuple[str, str, int]] = []
    refused: list[Refused] = []
    for n in range(0, len(drafts), CHUNK):
        with transaction():
            for draft in drafts[n:n + CHUNK]:
                try:
                    result = post_invoice(draft, allow_over_limit=allow_over_limit)
                except BooksError as exc:  # its savepoint is rolled back; the rest of the chunk goes on
                    refused.append(Refused(draft, Invoice.get_by_id(draft).customer.account_no, str(exc)))
                    continue
                posted.append((result.number, result.currency, result.total_minor))
        if progress:
            progress(min(n + CHUNK, len(drafts)), len(drafts), f"posted {posted[-1][0]}" if posted else "")
    return PostRunResult(month, len(posted), posted[0][0] if posted else "", posted[-1][0] if posted else "",
                         totals_by_currency([(cur, 1, total) for _n, cur, total in posted]), tuple(refused))
