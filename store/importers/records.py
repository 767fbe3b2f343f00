"""What a bank statement says, whatever its format: small immutable records, and the errors."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from store.errors import BooksError


class StatementFormatError(BooksError):
    """The file is not a statement we can read; `where` names the line or element that is wrong."""

    def __init__(self, where: str, message: str) -> None:
        self.where, self.message = where, message
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class StatementLine:
    position: int  # 1-based order in the file
    booking_date: dt.date
    amount_minor: int  # signed: money in is positive
    currency: str
    bank_txn_id: str | None = None
    reference: str = ""
    payer: str = ""
    payer_account: str = ""
    value_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Statement:
    format: str  # csv, ofx, camt.053
    account: str
    currency: str
    lines: tuple[StatementLine, ...]
    opening_minor: int | None = None
    closing_minor: int | None = None


def fingerprint(line: StatementLine) -> str:
    """Identity of a line without a bank id: date, amount, currency, reference and position."""
    reference = " ".join(line.reference.split()).casefold()
    body = f"{line.booking_date.isoformat()}|{line.amount_minor}|{line.currency}|{reference}|{line.position}"
    return hashlib.sha256(body.encode()).hexdigest()
