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
from store.models import JournalEntry, JournalLine
from store.queries import aging_of, open_documents

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
                     aging_of(open_documents(customer.id, date_to)))
