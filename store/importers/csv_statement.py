"""CSV statements: every bank writes its own, so the operator maps the columns once, by name.

A mapping names each column by its header text or by its 1-based position, says how dates are
written, and whether amounts are one signed column or separate money-in and money-out columns.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import asdict, dataclass, fields
from typing import Any

from store.errors import ValidationError
from store.importers.records import Statement, StatementFormatError, StatementLine
from store.money import check_currency, exponent, parse_decimal_text


@dataclass(frozen=True, slots=True)
class CsvMapping:
    name: str
    date: str
    date_format: str = "%d/%m/%Y"
    amount: str | None = None  # one signed column ...
    money_in: str | None = None  # ... or two
    money_out: str | None = None
    reference: str | None = None
    payer: str | None = None
    bank_id: str | None = None
    currency: str | None = None
    default_currency: str = "GBP"
    decimal_sep: str = "."
    delimiter: str | None = None  # None: sniffed
    encoding: str | None = None  # None: UTF-8, else windows-1252
    header: bool = True
    account: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CsvMapping":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def check(self) -> None:
        if not self.amount and not (self.money_in or self.money_out):
            raise ValidationError("mapping", "name an amount column, or money-in and money-out columns")
        if self.decimal_sep not in (".", ","):
            raise ValidationError("decimal_sep", "is '.' or ','")


def _decode(data: bytes, encoding: str | None) -> str:
    if encoding:
        return data.decode(encoding)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("windows-1252")


def _rows(text: str, mapping: CsvMapping) -> list[list[str]]:
    delimiter = mapping.delimiter
    if not delimiter:
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in row)]


def _column(spec: str | None, header: list[str] | None, what: str) -> int | None:
    if not spec:
        return None
    if spec.isdigit():
        return int(spec) - 1
    if header is None:
        raise StatementFormatError("mapping", f"{what} column '{spec}' is named but the file has no header row")
    wanted = spec.strip().casefold()
    for i, name in enumerate(header):
        if name.strip().casefold() == wanted:
            return i
    raise StatementFormatError("line 1", f"has no '{spec}' column for {what} (columns: {', '.join(header)})")


def _amount(text: str, currency: str, decimal_sep: str, where: str) -> int:
    try:
        value = parse_decimal_text(text, where, decimal_sep)
    except ValidationError:
        raise StatementFormatError(where, f"'{text.strip()}' is not an amount") from None
    scaled = value.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise StatementFormatError(where, f"'{text.strip()}' has more decimals than {currency} has")
    return int(scaled)


def parse_csv(data: bytes, mapping: CsvMapping) -> Statement:
    mapping.check()
    rows = _rows(_decode(data, mapping.encoding), mapping)
    header = rows[0] if mapping.header and rows else None
    body = rows[1:] if mapping.header else rows
    first = 2 if mapping.header else 1
    col = {key: _column(getattr(mapping, key), header, key)
           for key in ("date", "amount", "money_in", "money_out", "reference", "payer", "bank_id", "currency")}
    lines = []
    for n, row in enumerate(body):
        where = f"line {first + n}"

        def cell(key: str) -> str:
            index = col[key]
            return row[index].strip() if index is not None and index < len(row) else ""

        currency = cell("currency").upper() or mapping.default_currency
        try:
            check_currency(currency)
        except ValidationError:
            raise StatementFormatError(where, f"currency '{currency}' is not an ISO 4217 code") from None
        try:
            day = dt.datetime.strptime(cell("date"), mapping.date_format).date()
        except ValueError:
            raise StatementFormatError(where, f"date '{cell('date')}' is not written as {mapping.date_format}") from None
        if col["amount"] is not None:
            if not cell("amount"):
                raise StatementFormatError(where, "has no amount")
            amount = _amount(cell("amount"), currency, mapping.decimal_sep, where)
        else:
            money_in, money_out = cell("money_in"), cell("money_out")
            if not money_in and not money_out:
                raise StatementFormatError(where, "has neither money in nor money out")
            amount = (_amount(money_in, currency, mapping.decimal_sep, where) if money_in else 0) - (
                abs(_amount(money_out, currency, mapping.decimal_sep, where)) if money_out else 0)
        lines.append(StatementLine(n + 1, day, amount, currency, cell("bank_id") or None, cell("reference"),
                                   cell("payer")))
    currencies = {ln.currency for ln in lines}
    return Statement("csv", mapping.account, currencies.pop() if len(currencies) == 1 else mapping.default_currency,
                     tuple(lines))


_GUESSES = {
    "date": ("date", "booking date", "transaction date", "buchungstag", "datum", "value date"),
    "amount": ("amount", "betrag", "value", "amount (gbp)", "amount (eur)"),
    "money_in": ("paid in", "credit", "money in", "in", "credits"),
    "money_out": ("paid out", "debit", "money out", "out", "debits"),
    "reference": ("reference", "description", "details", "memo", "verwendungszweck", "narrative"),
    "payer": ("payee", "counterparty", "name", "payer", "beguenstigter/zahlungspflichtiger", "auftraggeber"),
    "bank_id": ("transaction id", "id", "fitid", "bank reference"),
}


def guess_mapping(data: bytes, name: str = "guessed") -> CsvMapping | None:
    """A mapping proposed from common header names, for the operator to confirm (None: no idea)."""
    rows = _rows(_decode(data, None), CsvMapping(name, "date", amount="amount"))
    if not rows:
        return None
    header = [h.strip().casefold() for h in rows[0]]
    found = {key: next((rows[0][i] for i, h in enumerate(header) if h in names), None)
             for key, names in _GUESSES.items()}
    if not found["date"] or not (found["amount"] or found["money_in"]):
        return None
    sample = rows[1][header.index(found["date"].casefold())] if len(rows) > 1 else ""
    date_format = next((f for f in ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y", "%d/%m/%y")
                        if _fits(sample, f)), "%d/%m/%Y")
    decimal_sep = "," if any(";" in line for line in data.decode("utf-8", "replace").splitlines()[:1]) else "."
    return CsvMapping(name, found["date"], date_format, found["amount"], None if found["amount"] else found["money_in"],
                      None if found["amount"] else found["money_out"], found["reference"], found["payer"],
                      found["bank_id"], decimal_sep=decimal_sep)


def _fits(text: str, date_format: str) -> bool:
    try:
        dt.datetime.strptime(text.strip(), date_format)
        return True
    except ValueError:
        return False
