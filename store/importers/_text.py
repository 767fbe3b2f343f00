"""Small readers shared by the statement parsers: bytes to text, amounts, dates, currencies.

Each one turns a bad value into a StatementFormatError that names where it was found, so the
parsers never let a ValueError or UnicodeDecodeError escape to the operator.
"""
from __future__ import annotations

import codecs
import datetime as dt
import re

from store.errors import ValidationError
from store.importers.records import StatementFormatError
from store.money import check_currency, parse_amount

# Values banks put where an id or a reference is required but they have none (SEPA, camt).
_NONE_VALUES = frozenset({"NOTPROVIDED", "NONREF", "NONE", "N/A"})
_DOCTYPES = [re.compile(re.escape("<!DOCTYPE".encode(codec)), re.IGNORECASE)
             for codec in ("ascii", "utf-16-le", "utf-16-be")]


def line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def encoding_known(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def decode(data: bytes, encoding: str | None, fallback: str = "windows-1252") -> str:
    """Text of a statement. With an encoding named by the operator, that one only. Otherwise UTF-8
    first (a BOM is dropped), then `fallback`: bytes that are valid UTF-8 are almost never meant as
    windows-1252, while banks often label UTF-8 files as 1252 and the other way round."""
    tries = [encoding] if encoding else ["utf-8-sig", fallback]
    if not encoding and data.startswith((b"\xff\xfe", b"\xfe\xff")):  # "Unicode text" exports
        tries = ["utf-16"]
    error: UnicodeDecodeError | None = None
    for name in tries:
        try:
            return data.decode(name)
        except UnicodeDecodeError as exc:
            error = exc
    assert error is not None
    raise StatementFormatError(f"line {line_of(data, error.start)}",
                               f"byte 0x{data[error.start]:02x} is not {tries[-1]} text") from None


def clean(text: str | None) -> str:
    """Whitespace collapsed, as banks pad and wrap free text."""
    return " ".join((text or "").split())


def bank_value(text: str | None) -> str:
    """An id or reference, or "" where the bank wrote a placeholder such as NOTPROVIDED."""
    value = clean(text)
    return "" if value.upper() in _NONE_VALUES else value


def currency_at(code: str, where: str) -> str:
    if not code.strip():
        raise StatementFormatError(where, "is missing: no currency")
    try:
        return check_currency(code, "currency")
    except ValidationError:
        raise StatementFormatError(where, f"currency '{code.strip()}' is not an ISO 4217 code") from None


def minor_at(text: str, currency: str, where: str, decimal_sep: str = ".") -> int:
    """An amount as minor units of `currency`; the message quotes what the file says."""
    if not text.strip():
        raise StatementFormatError(where, "has no amount")
    try:
        return parse_amount(text, currency, "amount", decimal_sep)
    except ValidationError as exc:
        detail = exc.message if exc.message.startswith("'") else f"'{text.strip()}': {exc.message}"
        raise StatementFormatError(where, f"amount {detail}") from None


def iso_date_at(text: str, where: str) -> dt.date:
    """`2026-11-05`, or the date part of `2026-11-05T10:00:00+01:00` as the bank wrote it: the
    booking day is the bank's, so the time zone is not applied."""
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise StatementFormatError(where, f"date '{text.strip()}' is not a date") from None


def compact_date_at(text: str, where: str) -> dt.date:
    """OFX `YYYYMMDD[HHMMSS[.XXX]][[-5:EST]]`: the first eight digits, the bank's own day."""
    match = re.match(r"\s*(\d{4})(\d{2})(\d{2})", text)
    try:
        if match is None:
            raise ValueError
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise StatementFormatError(where, f"date '{text.strip()}' is not a date") from None


def refuse_doctype(data: bytes) -> None:
    """A statement has no business declaring a document type: refusing one refuses every entity
    trick (billion laughs, external entities) before any XML parser sees the file. UTF-16 files
    are looked at decoded, so the declaration cannot hide between NUL bytes."""
    for pattern in _DOCTYPES:
        found = pattern.search(data)
        if found:
            raise StatementFormatError(f"line {line_of(data, found.start())}",
                                       "a statement may not declare a DOCTYPE or entities")
