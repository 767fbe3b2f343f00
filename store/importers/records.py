"""What a bank statement says, whatever its format: small immutable records, and the one error.

Every parser ends in `assemble`, so the rules that protect the books from a statement file
(numbering, telling identical lines apart, repeated bank ids) are written once, here.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from store.errors import BooksError


class StatementFormatError(BooksError):
    """The file is not a statement we can read. `where` names the line or element that is wrong
    ("line 7", "element Ntry[3]/Amt"); nothing of the file is used when one is raised."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class StatementLine:
    position: int  # 1-based order in the file
    booking_date: dt.date
    value_date: dt.date | None
    amount_minor: int  # signed: money in is positive
    currency: str
    bank_txn_id: str | None  # the bank's own id (OFX FITID, camt AcctSvcrRef/TxId/NtryRef)
    reference: str  # remittance information, memo, description
    payer: str  # the counterparty's name
    payer_account: str  # the counterparty's IBAN or account number, when the bank gives it
    statement_account: str  # the account this line was booked on
    # Which of the file's lines with the same date, amount, currency and reference this is (1, 2, ...).
    # The fingerprint uses it rather than `position`, so two statements that overlap by a few days
    # still recognise their shared lines although those sit at different positions in each file.
    occurrence: int = 1

    def __post_init__(self) -> None:
        if not isinstance(self.amount_minor, int) or isinstance(self.amount_minor, bool):
            raise TypeError(f"amount_minor is an int of minor units, not {type(self.amount_minor).__name__}")


@dataclass(frozen=True, slots=True)
class Statement:
    format: str  # "csv", "ofx" or "camt.053"
    account: str  # the account the statement is for ("" when the file does not say)
    currency: str
    lines: tuple[StatementLine, ...]
    opening_minor: int | None = None  # only when the file states a balance
    closing_minor: int | None = None


@dataclass(frozen=True, slots=True)
class Section:
    """One account's statement inside a file (a camt Stmt, an OFX STMTRS). Most files hold one;
    some hold several accounts, or several pages of one account."""

    account: str
    currency: str
    opening_minor: int | None = None
    closing_minor: int | None = None


def _normal(reference: str) -> str:
    return " ".join(reference.split()).casefold()


def fingerprint(line: StatementLine) -> str:
    """Identity of a line that has no bank id, stable across re-imports and overlapping files:
    its account, date, amount, currency, normalised reference and occurrence among identical lines."""
    body = "|".join((line.statement_account, line.booking_date.isoformat(), str(line.amount_minor), line.currency,
                     _normal(line.reference), str(line.occurrence)))
    return hashlib.sha256(body.encode()).hexdigest()


def _same_key(line: StatementLine) -> tuple[object, ...]:
    return line.statement_account, line.booking_date, line.amount_minor, line.currency, _normal(line.reference)


def assemble(format: str, sections: Sequence[Section], lines: Sequence[StatementLine]) -> Statement:
    """The finished Statement: lines numbered in file order, identical lines told apart, and a bank id
    that repeats within the file made unique (else the importer would drop the repeat as a duplicate
    and a payment would go missing). Balances are kept only when they describe one account."""
    seen: Counter[tuple[object, ...]] = Counter()
    ids: Counter[tuple[str, str]] = Counter()
    done: list[StatementLine] = []
    for n, line in enumerate(lines, 1):
        key = _same_key(line)
        seen[key] += 1
        bank_id = line.bank_txn_id
        if bank_id:
            ids[(line.statement_account, bank_id)] += 1
            repeat = ids[(line.statement_account, bank_id)]
            bank_id = bank_id if repeat == 1 else f"{bank_id}#{repeat}"
        bank_id = bank_id or None
        if (line.position, line.occurrence, line.bank_txn_id) != (n, seen[key], bank_id):  # (replace() is slow)
            line = replace(line, position=n, occurrence=seen[key], bank_txn_id=bank_id)
        done.append(line)
    accounts = list(dict.fromkeys(s.account for s in sections))
    currencies = list(dict.fromkeys(s.currency for s in sections if s.currency))
    currency = currencies[0] if currencies else (done[0].currency if done else "")
    one_account = len(accounts) == 1 and len(currencies) <= 1
    # Several pages of one account: the first page opens, the last one closes.
    opening = sections[0].opening_minor if one_account and sections else None
    closing = sections[-1].closing_minor if one_account and sections else None
    return Statement(format, ", ".join(a for a in accounts if a), currency, tuple(done), opening, closing)
