"""Cash application: the queue of payments still to allocate, ranked suggestions, claims and auto-match.

Suggestions explain themselves: each carries the reasons it was proposed, in the operator's words.
Claims stop two operators working the same payment: a payment claimed by one shows as taken to
the others, and the allocation services refuse an allocation that lost a race in any case.
"""
from __future__ import annotations

import datetime as dt
import itertools
import re
import time
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from peewee import JOIN, fn

from store.errors import Conflict, ValidationError
from store.fields import utcnow
from store.kinds import DocumentKind, InvoiceStatus, PaymentStatus
from store.lookup import accounts_named
from store.match_evidence import (
    ACCOUNT,
    AMOUNT,
    PAYER,
    PO_REF,
    REF_EXACT,
    USUAL,
    Confidence,
    confidence_of,
    invoice_refs,
    name_likeness,
    reference_tokens,
)
from store.models import Customer, Invoice, NumberSeries, OpenItem, Payment
from store.payments import AllocationResult, PaymentResult, allocate_payment, assign_payment, get_payment
from store.search_tokens import name_words
from store.service import transaction
from store.session import current_operator

CLAIM_MINUTES = 15
INVOICE_REF = re.compile(r"\b(?:INV)[\s\-_/#]*0*(\d{1,9})\b", re.IGNORECASE)
MAX_SUBSET_ITEMS = 16
MAX_SUBSET_SIZE = 4

# Weights of the reasons a suggestion is made; the suggestion's score is their sum.
W_REFERENCE, W_PARTIAL, W_EXACT, W_SUM, W_PAYER, W_USUAL, W_ACCOUNT = 60, 40, 30, 25, 20, 10, 15
_RANK = {Confidence.HIGH: 0, Confidence.MEDIUM: 1, Confidence.LOW: 2}


@dataclass(frozen=True, slots=True)
class QueueRow:
    number: str
    received_date: dt.date
    method: str
    amount_minor: int
    unallocated_minor: int
    currency: str
    reference: str
    payer: str
    account_no: str | None
    claimed_by: str | None


@dataclass(frozen=True, slots=True)
class Suggestion:
    account_no: str
    customer_name: str
    allocations: tuple[tuple[str, int], ...]  # (invoice number, amount); empty: leave as credit on the account
    score: int
    reasons: tuple[str, ...]
    confidence: Confidence = Confidence.LOW  # high: Enter accepts it; medium, low: only once chosen

    @property
    def total_minor(self) -> int:
        return sum(a for _n, a in self.allocations)


@dataclass(frozen=True, slots=True)
class QueueFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    amount_min: int | None = None
    amount_max: int | None = None
    method: str | None = None
    text: str = ""


def _waiting() -> object:
    """Money still to place: unidentified, or on an account that still has open invoices it could pay.

    Unallocated money on an account with nothing open is that customer's credit, decided; it leaves
    the queue (and comes back if a new invoice could take it).
    """
    could_pay = OpenItem.select(OpenItem.id).where(
        (OpenItem.customer == Payment.customer) & (OpenItem.open_minor > 0) & (OpenItem.currency == Payment.currency))
    return ((Payment.status == PaymentStatus.OPEN) & (Payment.unallocated_minor > 0)
            & (Payment.customer.is_null() | fn.EXISTS(could_pay)))


def _queue_query() -> Any:
    return (Payment.select(Payment, Customer.account_no).join(Customer, on=(Payment.customer == Customer.id),
                                                              join_type=JOIN.LEFT_OUTER)
            .where(_waiting()))


def _queue_row(p: Any) -> QueueRow:
    return QueueRow(p.number, p.received_date, p.method, p.amount_minor, p.unallocated_minor, p.currency, p.reference,
                    p.payer, p.account_no, _live_claim(p.claimed_by, p.claimed_at))


def queue_row(number: str) -> QueueRow | None:
    """The payment as the queue shows it, or None when it has left the queue (placed, credit, returned)."""
    p = _queue_query().where(Payment.number == number.upper()).objects().first()
    return _queue_row(p) if p is not None else None


def match_queue(flt: QueueFilter = QueueFilter(), limit: int = 200, after: str | None = None) -> list[QueueRow]:
    """Payments still to place, oldest first (a page after the payment number `after`)."""
    query = _queue_query()
    if flt.date_from:
        query = query.where(Payment.received_date >= flt.date_from)
    if flt.date_to:
        query = query.where(Payment.received_date <= flt.date_to)
    if flt.amount_min is not None:
        query = query.where(Payment.unallocated_minor >= flt.amount_min)
    if flt.amount_max is not None:
        query = query.where(Payment.unallocated_minor <= flt.amount_max)
    if flt.method:
        query = query.where(Payment.method == flt.method)
    text = flt.text.strip()
    if text:
        query = query.where(Payment.reference.contains(text) | Payment.payer.contains(text)
                            | (Payment.number == text.upper()))
    if after:
        pivot = get_payment(after)
        query = query.where((Payment.received_date > pivot.received_date)
                            | ((Payment.received_date == pivot.received_date) & (Payment.id > pivot.id)))
    rows = query.order_by(Payment.received_date, Payment.id).limit(limit).objects()
    return [_queue_row(p) for p in rows]


def invoice_numbers(seqs: object) -> list[str]:
    """Invoice numbers for sequence numbers read in a reference: looked up by the unique number index."""
    series = NumberSeries.get_by_id("INV")
    return [f"{series.prefix}{seq:0{series.width}d}" for seq in seqs]  # type: ignore[attr-defined]


def _live_claim(by: str | None, at: dt.datetime | None) -> str | None:
    if by and at and utcnow() - at < dt.timedelta(minutes=CLAIM_MINUTES):
        return by
    return None


# ---------------------------------------------------------------- claims

def claim_payment(number: str) -> str | None:
    """Take a payment to work on. Returns None when it is ours, or who has it."""
    me = current_operator()
    stale = utcnow() - dt.timedelta(minutes=CLAIM_MINUTES)
    with transaction():
        payment = get_payment(number)
        changed = (Payment.update(claimed_by=me, claimed_at=utcnow())
                   .where((Payment.id == payment.id)
                          & (Payment.claimed_by.is_null() | (Payment.claimed_by == me) | (Payment.claimed_at < stale)))
                   .execute())
        if changed:
            return None
        return Payment.get_by_id(payment.id).claimed_by


def release_payment(number: str) -> None:
    me = current_operator()
    with transaction():
        Payment.update(claimed_by=None, claimed_at=None).where(
            (Payment.number == number.upper()) & (Payment.claimed_by == me)).execute()


def move_claim(previous: str | None, number: str) -> str | None:
    """Let go of the payment left and take the next, in one transaction (one disk flush, not two).
    Returns None when the next is ours, or who has it."""
    with transaction():
        if previous and previous.upper() != number.upper():
            release_payment(previous)
        return claim_payment(number)


def _check_claim(number: str) -> None:
    holder = claim_payment(number)
    if holder is not None:
        raise Conflict(f"payment {number} is being worked by {holder}; nothing was applied")


# ---------------------------------------------------------------- suggestions

@dataclass
class _Candidate:
    account_no: str
    name: str
    allocations: tuple[tuple[str, int], ...]
    reasons: list[tuple[int, str]]
    evidence: set[str]

    def add(self, weight: int, reason: str, kind: str = "") -> None:
        if reason not in (r for _w, r in self.reasons):
            self.reasons.append((weight, reason))
        if kind:
            self.evidence.add(kind)


def _open_items(customer_ids: list[int], currency: str) -> dict[int, list[tuple[str, int, dt.date]]]:
    rows = (OpenItem.select(OpenItem.customer, OpenItem.open_minor, OpenItem.due_date, Invoice.number)
            .join(Invoice).where(OpenItem.customer.in_(customer_ids) & (OpenItem.open_minor > 0)
                                 & (OpenItem.currency == currency) & (Invoice.kind == DocumentKind.INVOICE))
            .order_by(OpenItem.due_date, Invoice.number).tuples().iterator())
    out: dict[int, list[tuple[str, int, dt.date]]] = {}
    for customer_id, open_minor, due_date, number in rows:
        out.setdefault(customer_id, []).append((number, open_minor, due_date))
    return out


def _subset_matching(items: list[tuple[str, int, dt.date]], amount: int) -> tuple[tuple[str, int], ...] | None:
    """Oldest combination of 2 to 4 open invoices whose balances add up to exactly `amount`."""
    pool = items[:MAX_SUBSET_ITEMS]
    for size in range(2, MAX_SUBSET_SIZE + 1):
        for combo in itertools.combinations(pool, size):
            if sum(c[1] for c in combo) == amount:
                return tuple((c[0], c[1]) for c in combo)
    return None


def _oldest_first(items: list[tuple[str, int, dt.date]], amount: int) -> tuple[tuple[str, int], ...]:
    out, left = [], amount
    for number, open_minor, _due in items:
        if left <= 0:
            break
        take = min(left, open_minor)
        out.append((number, take))
        left -= take
    return tuple(out)


def suggest_allocations(number: str, limit: int = 8) -> list[Suggestion]:
    """Ranked ways to apply a payment, each with the reasons it is suggested."""
    payment = get_payment(number)
    amount, currency = payment.unallocated_minor, payment.currency
    if amount <= 0:
        return []
    cands: dict[tuple[str, tuple[tuple[str, int], ...]], _Candidate] = {}
    customers: dict[int, tuple[str, str]] = {}

    def prefetch(ids: object) -> None:
        wanted = [cid for cid in ids if cid not in customers]  # type: ignore[attr-defined]
        if wanted:
            customers.update({c.id: (c.account_no, c.name) for c in
                              Customer.select(Customer.id, Customer.account_no, Customer.name)
                              .where(Customer.id.in_(wanted))})

    def customer(cid: int) -> tuple[str, str]:
        if cid not in customers:
            prefetch([cid])
        return customers[cid]

    def propose(cid: int, allocations: tuple[tuple[str, int], ...], weight: int, reason: str,
                kind: str = "") -> _Candidate:
        account, name = customer(cid)
        key = (account, allocations)
        if key not in cands:
            cands[key] = _Candidate(account, name, allocations, [], set())
        cands[key].add(weight, reason, kind)
        return cands[key]

    # Accounts worth looking at: the payment's own, those named in the reference, close payer names.
    related: dict[int, list[tuple[int, str, str]]] = {}
    if payment.customer_id:
        related.setdefault(payment.customer_id, []).append((W_ACCOUNT, "payment is on this account", ACCOUNT))
    for inv, open_minor, named_why, kind in _referenced_invoices(payment.reference or "", currency):
        if payment.customer_id and inv.customer_id != payment.customer_id:
            continue
        take = min(amount, open_minor)
        cand = propose(inv.customer_id, ((inv.number, take),), W_REFERENCE if kind != "ref_partial" else W_PARTIAL,
                       named_why, kind)
        if open_minor == amount:
            cand.add(W_EXACT, f"amount equals the open balance of {inv.number}", AMOUNT)
        related.setdefault(inv.customer_id, [])
    # Many banks put the payer's name in the reference ("ACME WIDGETS PAYMENT"): use it when the
    # statement gave no payer.
    payer = payment.payer or _name_in_reference(payment.reference or "")
    source = "payer" if payment.payer else "reference"
    payer_words = [w for w in name_words(payer) if len(w) > 2]
    if payer_words and not payment.customer_id:
        # Any one word may be misspelt or missing ('and' for '&'): gather accounts matching each word,
        # then keep those whose whole name is close to the payer's.
        named: dict[int, None] = {}
        for word in payer_words[:4]:
            named.update(dict.fromkeys(list(accounts_named([word]))[:25]))
        prefetch(named)  # one query for every candidate's name, not one each
        for cid in named:
            similarity = name_likeness(payer, customer(cid)[1])  # 0: "Müller GmbH" paying is not Oliver Müller
            if similarity >= 70:  # the closer the name, the more it counts: the account's own name first
                weight = W_PAYER if similarity >= 90 else W_PAYER // 2
                related.setdefault(cid, []).append((weight, f"{source} '{payer}' is close to the name", PAYER))
    # Exact amount of one open invoice, anywhere when we do not know who paid. (The open_minor > 0
    # term lets SQLite use the partial index of open balances by amount.)
    exact = OpenItem.select(OpenItem.customer, Invoice.number).join(Invoice).where(
        (OpenItem.open_minor == amount) & (OpenItem.open_minor > 0) & (OpenItem.currency == currency)
        & (Invoice.kind == DocumentKind.INVOICE))
    if payment.customer_id:
        exact = exact.where(OpenItem.customer == payment.customer_id)
    for customer_id, number in exact.limit(20).tuples().iterator():
        propose(customer_id, ((number, amount),), W_EXACT, f"amount equals the open balance of {number}", AMOUNT)
        related.setdefault(customer_id, [])
    items = _open_items(list(related), currency)
    usual = _usual_amounts(list(related))
    for cid, reasons in related.items():
        open_items = items.get(cid, [])
        bonus = list(reasons)
        if usual.get(cid) == amount:
            bonus.append((W_USUAL, "the account's usual payment amount", USUAL))
        combo = _subset_matching(open_items, amount) if open_items else None
        if combo:
            cand = propose(cid, combo, W_SUM, f"exact sum of {len(combo)} open invoices", AMOUNT)
            for w, r, k in bonus:
                cand.add(w, r, k)
        if open_items:
            cand = propose(cid, _oldest_first(open_items, amount), 5, "oldest open invoices first")
            for w, r, k in bonus:
                cand.add(w, r, k)
        credit = propose(cid, (), 1, "leave as credit on the account")
        for w, r, k in bonus:
            credit.add(w, r, k)
    # Boost suggestions that also name the account for other reasons.
    for cand in cands.values():
        for w, r, k in related.get(_id_of(cand.account_no, customers), []):
            cand.add(w, r, k)
    sure = {id(c): confidence_of(c.evidence, bool(c.allocations)) for c in cands.values()}
    # Surer first, then by score: a likeness of names never outranks an invoice number or an exact amount.
    ranked = sorted(cands.values(), key=lambda c: (_RANK[sure[id(c)]], -sum(w for w, _r in c.reasons),
                                                   c.account_no, c.allocations))
    return [Suggestion(c.account_no, c.name, c.allocations, sum(w for w, _ in c.reasons),
                       tuple(r for _w, r in sorted(c.reasons, key=lambda x: -x[0])), sure[id(c)])
            for c in ranked[:limit]]


class _Referenced(NamedTuple):
    """An open invoice a reference names."""

    number: str
    customer_id: int


def _referenced_invoices(reference: str, currency: str) -> list[tuple[_Referenced, int, str, str]]:
    """Open invoices a reference names: by number (exact, partial, OCR-mangled) or by the customer's
    reference or PO number printed on them. (invoice, open balance, reason, evidence kind) each."""
    if not reference.strip():
        return []
    series = NumberSeries.get_by_id("INV")
    seqs = invoice_refs(reference, series.prefix, series.width)
    tokens = reference_tokens(reference)
    numbers = set(invoice_numbers(seqs))
    by_number = Invoice.number.in_(sorted(numbers)) if seqs else None
    by_ref = fn.UPPER(Invoice.reference).in_(sorted(tokens)) & (Invoice.reference != "") if tokens else None
    where = by_number if by_ref is None else by_ref if by_number is None else (by_number | by_ref)
    if where is None:
        return []
    rows = (Invoice.select(Invoice.id, Invoice.number, Invoice.seq, Invoice.customer, Invoice.reference,
                           OpenItem.open_minor)
            .join(OpenItem, on=(OpenItem.document == Invoice.id))
            .where(where & (Invoice.kind == DocumentKind.INVOICE) & (Invoice.status == InvoiceStatus.POSTED)
                   & (OpenItem.open_minor > 0) & (OpenItem.currency == currency)).tuples().iterator())
    out: list[tuple[_Referenced, int, str, str]] = []
    for _id, number, seq, customer_id, inv_reference, open_minor in rows:
        inv = _Referenced(number, customer_id)
        if seq in seqs and number in numbers:
            kind = seqs[seq]
            why = (f"invoice {number} is in the reference" if kind == REF_EXACT else
                   f"the reference reads as {number} (partial or mistyped)")
            out.append((inv, open_minor, why, kind))
        elif inv_reference and inv_reference.upper() in tokens:
            out.append((inv, open_minor, f"the customer's reference '{inv_reference}' on {number}", PO_REF))
    return out


# Words banks add around a payer's name in a reference; never part of a customer's name.
_REFERENCE_NOISE = frozenset([
    "payment", "payments", "pymt", "pmt", "paid", "pay", "ref", "reference", "invoice", "invoices", "inv", "bacs",
    "bac", "fp", "fps", "faster", "chaps", "sepa", "transfer", "trf", "tfr", "credit", "cr", "dd", "so", "stdord",
    "standing", "order", "thank", "thanks", "you", "from", "for"])


def _name_in_reference(reference: str) -> str:
    """The words of a reference left when invoice numbers, digits and bank words are taken out."""
    text = INVOICE_REF.sub(" ", reference)
    return " ".join(w for w in re.split(r"[^\w&']+", text)
                    if w and not any(ch.isdigit() for ch in w) and w.casefold() not in _REFERENCE_NOISE)


def _id_of(account_no: str, customers: dict[int, tuple[str, str]]) -> int:
    return next((cid for cid, (acc, _n) in customers.items() if acc == account_no), -1)


def _usual_amounts(customer_ids: list[int]) -> dict[int, int]:
    """The amount each account pays most often (two payments or more)."""
    out: dict[int, int] = {}
    counts: dict[int, Counter[int]] = {}
    for customer_id, amount_minor in (Payment.select(Payment.customer, Payment.amount_minor)
                                      .where(Payment.customer.in_(customer_ids)).order_by(Payment.id.desc()).limit(500)
                                      .tuples().iterator()):
        counts.setdefault(customer_id, Counter())[amount_minor] += 1
    for cid, counter in counts.items():
        amount, n = counter.most_common(1)[0]
        if n >= 2:
            out[cid] = amount
    return out


# ---------------------------------------------------------------- applying

def accept_suggestion(number: str, suggestion: Suggestion) -> AllocationResult | PaymentResult:
    """Apply what the operator chose: allocations, or leave the payment as credit on the account."""
    _check_claim(number)
    left = get_payment(number).unallocated_minor
    if left <= 0 or any(amount <= 0 for _n, amount in suggestion.allocations):
        release_payment(number)
        raise Conflict(f"payment {number} has nothing left to allocate (someone may have just allocated it); "
                       "nothing was applied")
    if not suggestion.allocations:
        view = get_payment(number)
        if view.customer is not None and view.customer.account_no == suggestion.account_no:
            release_payment(number)  # already on that account: leaving it as credit changes nothing
            return PaymentResult(view.id, view.number, view.amount_minor, view.unallocated_minor, view.currency)
        result: AllocationResult | PaymentResult = assign_payment(number, suggestion.account_no)
    else:
        result = allocate_payment(number, list(suggestion.allocations))
    release_payment(number)
    return result


def split_payment(number: str, allocations: list[tuple[str, int]]) -> AllocationResult:
    if not allocations:
        raise ValidationError("allocations", "type an amount against at least one invoice")
    _check_claim(number)
    result = allocate_payment(number, allocations)
    release_payment(number)
    return result


@dataclass(frozen=True, slots=True)
class AutoMatch:
    payment: str
    invoice: str
    amount_minor: int
    currency: str
    rule: str
    reason: str
    applied: bool = False
    error: str = ""


@dataclass
class _OpenInvoice:
    """A posted invoice a payment's reference names, with what is still open on it during one auto-match run."""

    number: str
    customer_id: int
    currency: str
    open_minor: int


def auto_match(dry_run: bool = True, limit: int | None = None) -> list[AutoMatch]:
    """Apply the certain matches: the reference names exactly one open invoice and the amount is its balance.

    A dry run lists what would be applied and why; applying checks each payment as allocate_payment
    does alone, a batch of them to a transaction (_apply_in_batches), and a payment someone else is
    working on, or that changed meanwhile, is reported and left alone.
    """
    found: list[AutoMatch] = []
    query = (Payment.select().where((Payment.status == PaymentStatus.OPEN) & (Payment.unallocated_minor > 0)
                                    & (Payment.reference != ""))
             .order_by(Payment.received_date, Payment.id))
    if limit:
        query = query.limit(limit)
    seqs: dict[int, list[Payment]] = {}
    for payment in query:
        refs = {int(m.group(1)) for m in INVOICE_REF.finditer(payment.reference)}
        if len(refs) == 1:
            seqs.setdefault(refs.pop(), []).append(payment)
    if not seqs:
        return []
    invoices = {seq: _OpenInvoice(number, customer_id, currency, int(open_minor))
                for seq, number, customer_id, currency, open_minor in (
                    Invoice.select(Invoice.seq, Invoice.number, Invoice.customer, Invoice.currency, OpenItem.open_minor)
                    .join(OpenItem, on=(OpenItem.document == Invoice.id))
                    .where((Invoice.kind == DocumentKind.INVOICE) & (Invoice.status == InvoiceStatus.POSTED)
                           & Invoice.number.in_(invoice_numbers(seqs))).tuples().iterator())}
    for seq, payments in seqs.items():
        inv = invoices.get(seq)
        for payment in payments:
            if inv is None or inv.open_minor <= 0 or inv.currency != payment.currency \
                    or inv.open_minor != payment.unallocated_minor \
                    or (payment.customer_id and payment.customer_id != inv.customer_id):
                continue
            found.append(AutoMatch(payment.number, inv.number, inv.open_minor, inv.currency, "reference+amount",
                                   f"reference '{payment.reference}' names {inv.number} and the amount equals its "
                                   f"open balance"))
            inv.open_minor = 0  # a second payment naming the same invoice no longer matches it exactly
    if dry_run:
        return found
    taken = {p.number: p.claimed_by for p in Payment.select(Payment.number, Payment.claimed_by, Payment.claimed_at)
             .where(Payment.number.in_([m.payment for m in found]) & Payment.claimed_by.is_null(False))
             if _live_claim(p.claimed_by, p.claimed_at) not in (None, current_operator())}
    return _apply_in_batches(found, taken)


BATCH_PAYMENTS = 200  # allocations to a transaction at most (a commit each cost a third of the time)
BATCH_SECONDS = 0.15  # and no longer than this: what another operator may wait for the write lock


def _apply_one(m: AutoMatch, taken: dict[str, str | None]) -> AutoMatch:
    if m.payment in taken:  # an operator is working it: theirs to decide
        return replace(m, error=f"payment {m.payment} is being worked by {taken[m.payment]}")
    try:
        # No claim of its own: allocate_payment refuses anything that changed meanwhile. Inside the
        # batch it runs in a savepoint of its own, so a refusal takes back only this allocation.
        allocate_payment(m.payment, [(m.invoice, m.amount_minor)])
        return replace(m, applied=True)
    except (Conflict, ValidationError) as exc:
        return replace(m, error=str(exc))


def _apply_in_batches(found: list[AutoMatch], taken: dict[str, str | None]) -> list[AutoMatch]:
    """Each match allocated and checked exactly as alone, many to a transaction. A failure other than
    a refusal rolls back its batch only (the batches before it stay applied) and stops the run; the
    result says which matches that batch held and why none of them is applied."""
    applied: list[AutoMatch] = []
    at = 0
    while at < len(found):
        first, end, began = at, at, time.monotonic()
        try:
            with transaction():
                while end < len(found) and end - first < BATCH_PAYMENTS and time.monotonic() - began < BATCH_SECONDS:
                    end += 1  # counted before: a failure inside it belongs to this batch
                    applied.append(_apply_one(found[end - 1], taken))
        except Exception as exc:  # the batch is rolled back whole: report it, and what was never tried
            reason = f"not applied: batch of {end - first} rolled back after {type(exc).__name__}: {exc}"
            applied[first:] = [replace(m, applied=False, error=reason) for m in found[first:end]]
            applied += [replace(m, error="not applied: auto-match stopped at the batch rolled back before it")
                        for m in found[end:]]
            return applied
        at = end
    return applied


def queue_size() -> int:
    return int(Payment.select(fn.COUNT(Payment.id)).where(_waiting()).scalar() or 0)
