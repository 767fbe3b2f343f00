"""Double entry: every movement of money is a journal entry whose debits equal its credits."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from store.models import JournalEntry, JournalLine
from store.periods import check_open
from store.session import current_operator

BANK = "1000"
RECEIVABLES = "1100"
UNAPPLIED_CASH = "2100"
UNIDENTIFIED = "2150"
TAX_PAYABLE = "2200"
SALES = "4000"
BAD_DEBTS = "6900"


class UnbalancedEntry(AssertionError):
    """A programming error: the books refuse to post an entry that does not balance."""


@dataclass(frozen=True, slots=True)
class Posting:
    account: str
    currency: str
    debit: int = 0
    credit: int = 0
    customer_id: int | None = None
    document_id: int | None = None
    payment_id: int | None = None
    tax_code: str | None = None


def debit(account: str, amount: int, currency: str, **refs: object) -> Posting:
    return Posting(account, currency, debit=amount, **refs)  # type: ignore[arg-type]


def credit(account: str, amount: int, currency: str, **refs: object) -> Posting:
    return Posting(account, currency, credit=amount, **refs)  # type: ignore[arg-type]


def reverse(postings: list[Posting]) -> list[Posting]:
    """The same lines with debit and credit swapped: how a posted entry is undone."""
    return [Posting(p.account, p.currency, p.credit, p.debit, p.customer_id, p.document_id, p.payment_id,
                    p.tax_code) for p in postings]


def post_entry(kind: str, entry_date: dt.date, postings: list[Posting], memo: str = "") -> JournalEntry:
    """Write one balanced entry (per currency); zero lines are left out."""
    totals: dict[str, int] = defaultdict(int)
    lines = []
    for p in postings:
        if p.debit < 0 or p.credit < 0 or (p.debit and p.credit):
            raise UnbalancedEntry(f"bad posting {p}")
        if p.debit == 0 and p.credit == 0:
            continue
        totals[p.currency] += p.debit - p.credit
        lines.append(p)
    if any(totals.values()):
        raise UnbalancedEntry(f"{kind} entry does not balance: {dict(totals)}")
    check_open(entry_date, f"the {kind.replace('_', ' ')}")
    entry = JournalEntry.create(entry_date=entry_date, kind=kind, memo=memo, created_by=current_operator())
    if lines:
        JournalLine.insert_many([
            {
                "entry": entry.id, "account": p.account, "customer": p.customer_id, "document": p.document_id,
                "payment": p.payment_id, "tax_code": p.tax_code, "currency": p.currency,
                "debit_minor": p.debit, "credit_minor": p.credit,
            }
            for p in lines
        ]).execute()
    return entry
