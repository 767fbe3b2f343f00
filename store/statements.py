"""Statement of account: every movement of a customer's balance in a period, from the journal.

A customer's balance is what the journal holds for them on receivables (1100) less unapplied
cash (2100); a journal entry moves it by the net of its lines on those two accounts. Entries that
only move money between the two (allocations, credit applications) move nothing and are left out.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from store import ledger
from store.customers import get_customer
from store.kinds import EntryKind
from store.models import Invoice, JournalEntry, JournalLine, ReceivableMove
from store.open_items import BUCKETS, bucket_of

KIND_TEXT = {EntryKind.INVOICE: "Invoice", EntryKind.CREDIT_NOTE: "Credit note", EntryKind.PAYMENT: "Payment",
             EntryKind.IDENTIFY: "Payment", EntryKind.REFUND: "Refund", EntryKind.WRITE_OFF: "Write-off",
             EntryKind.VOID: "Void", EntryKind.PAYMENT_RETURN: "Payment returned"}


@dataclass(frozen=True, slots=True)
class StatementMove:
    date: dt.date
    kind: str
    reference: str
    description: str
    change_minor: int  # + raises what the customer owes, - lowers it


@dataclass(frozen=True, slots=True)
class Statement:
    account_no: str
    currency: str
    date_from: dt.date
    date_to: dt.date
    opening_minor: int
    moves: tuple[StatementMove, ...]
    closing_minor: int
    aging: dict[str, int]


def _balance_lines(customer_id: int) -> object:
    return (JournalLine.customer == customer_id) & JournalLine.account.in_([ledger.RECEIVABLES,
                                                                             ledger.UNAPPLIED_CASH])


def statement_of_account(account_no: str, date_from: dt.date, date_to: dt.date) -> Statement:
    customer = get_customer(account_no)
    net = fn.SUM(JournalLine.debit_minor - JournalLine.credit_minor)
    opening = (JournalLine.select(fn.COALESCE(net, 0)).join(JournalEntry)
               .where(_balance_lines(customer.id) & (JournalEntry.entry_date < date_from)).scalar())
    entries = (JournalLine.select(JournalEntry.id, JournalEntry.entry_date, JournalEntry.kind, JournalEntry.memo, net)
               .join(JournalEntry)
               .where(_balance_lines(customer.id) & (JournalEntry.entry_date >= date_from)
                      & (JournalEntry.entry_date <= date_to))
               .group_by(JournalEntry.id, JournalEntry.entry_date, JournalEntry.kind, JournalEntry.memo)
               .having(net != 0).order_by(JournalEntry.entry_date, JournalEntry.id).tuples().iterator())
    moves = []
    for _entry_id, entry_date, kind, memo, change in entries:
        reference, _sep, rest = (memo or "").partition(" ")
        if kind in (EntryKind.VOID, EntryKind.WRITE_OFF, EntryKind.PAYMENT_RETURN, EntryKind.IDENTIFY):
            reference = rest.split(":")[0].split(" ")[0] if kind != EntryKind.IDENTIFY else reference
        moves.append(StatementMove(entry_date, KIND_TEXT.get(kind, kind.replace("_", " ").capitalize()),
                                   reference, rest.strip(), int(change)))
    opening_minor = int(opening or 0)
    closing = opening_minor + sum(m.change_minor for m in moves)
    return Statement(account_no, customer.currency, date_from, date_to, opening_minor, tuple(moves), closing,
                     aging_at(customer.id, date_to))


def aging_at(customer_id: int, as_of: dt.date) -> dict[str, int]:
    """What the customer owed at the end of `as_of`, by days past due then: each document's receivable
    moves up to that day, and the unapplied cash then as credit (current), so the buckets add up to
    the statement's closing balance. (The open items are what is open now: a statement dated at the
    end of last month printed this month's invoices in its aging and disagreed with itself.)"""
    buckets = dict.fromkeys(BUCKETS, 0)
    moved = fn.SUM(ReceivableMove.amount_minor)
    for due, amount in (ReceivableMove.select(Invoice.due_date, moved)
                        .join(Invoice, on=(ReceivableMove.document_id == Invoice.id))
                        .where((Invoice.customer == customer_id) & (ReceivableMove.entry_date <= as_of))
                        .group_by(ReceivableMove.document_id, Invoice.due_date).having(moved != 0).tuples().iterator()):
        due_date = due if isinstance(due, dt.date) else dt.date.fromisoformat(str(due))
        buckets["current" if amount < 0 else bucket_of((as_of - due_date).days)] += int(amount)
    unapplied = (JournalLine.select(fn.COALESCE(fn.SUM(JournalLine.debit_minor - JournalLine.credit_minor), 0))
                 .join(JournalEntry)
                 .where((JournalLine.customer == customer_id) & (JournalLine.account == ledger.UNAPPLIED_CASH)
                        & (JournalEntry.entry_date <= as_of)).scalar())
    buckets["current"] += int(unapplied or 0)
    return buckets
