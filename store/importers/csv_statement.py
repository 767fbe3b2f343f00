"""CSV statements: every bank writes its own, so the operator maps the columns once, by name.

A mapping names each column by its header text or by its 1-based position, says how dates are
written, and whether amounts are one signed column or separate money-in and money-out columns.
`guess_mapping` proposes one from common header names; the operator only confirms it.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from typing import Any

from store.errors import ValidationError
from store.importers._text import clean, currency_at, decode, encoding_known, minor_at
from store.importers.records import Section, Statement, StatementFormatError, StatementLine, assemble
from store.money import check_currency, known_currencies

_COLUMNS = ("date", "amount", "money_in", "money_out", "reference", "payer", "payer_account", "bank_id", "currency")
_DELIMITERS = ",;\t|"
_YES = {"1", "true", "yes", "y", "on"}
_NO = {"0", "false", "no", "n", "off"}


@dataclass(frozen=True, slots=True)
class CsvMapping:
    """How to read one bank's CSV. Column fields hold a header text or a 1-based column number."""

    name: str
    date: str
    date_format: str = "%d/%m/%Y"  # strptime: "%d/%m/%Y", "%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y"
    amount: str | None = None  # one signed column ...
    money_in: str | None = None  # ... or money in and money out
    money_out: str | None = None
    reference: str | None = None
    payer: str | None = None
    bank_id: str | None = None
    currency: str | None = None  # a column; lines without one are in default_currency
    default_currency: str = "GBP"
    decimal_sep: str = "."
    delimiter: str | None = None  # None: csv.Sniffer decides
    encoding: str | None = None  # None: UTF-8, else windows-1252
    header: bool = True
    account: str = ""  # the account these statements are for (CSV files rarely say)
    payer_account: str | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValidationError("mapping name", "is required")
        if not self.date:
            raise ValidationError("date", "name the date column")
        if not self.amount and not (self.money_in or self.money_out):
            raise ValidationError("amount", "name an amount column, or money-in and money-out columns")
        if self.decimal_sep not in (".", ","):
            raise ValidationError("decimal_sep", "is '.' or ','")
        if self.delimiter is not None and len(self.delimiter) != 1:
            raise ValidationError("delimiter", "is one character (or empty to detect it)")
        if self.encoding and not encoding_known(self.encoding):
            raise ValidationError("encoding", f"'{self.encoding}' is not an encoding Python knows")
        if "%" not in self.date_format:
            raise ValidationError("date_format", f"'{self.date_format}' has no fields, e.g. %d/%m/%Y")
        check_currency(self.default_currency, "default_currency")
        for key in _COLUMNS:
            spec = getattr(self, key)
            if spec is not None and spec.strip().isdigit() and int(spec) < 1:
                raise ValidationError(key, "columns are numbered from 1")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CsvMapping:
        """From stored JSON, or from `--columns` text where every value is a string."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValidationError("mapping", f"unknown field(s) {', '.join(unknown)}; "
                                             f"known: {', '.join(sorted(known))}")
        missing = [key for key in ("name", "date") if not data.get(key)]
        if missing:
            raise ValidationError(missing[0], "is required")
        values: dict[str, Any] = {k: (None if v == "" and k not in ("name", "account") else v) for k, v in data.items()}
        header = values.get("header", True)
        if isinstance(header, str):
            if header.strip().lower() not in _YES | _NO:
                raise ValidationError("header", f"'{header}' is not yes or no")
            values["header"] = header.strip().lower() in _YES
        if values.get("delimiter") in ("\\t", "tab"):
            values["delimiter"] = "\t"
        for key in ("date_format", "default_currency", "decimal_sep"):
            if values.get(key) is None:
                values.pop(key, None)
        return cls(**values)


def _delimiter(text: str, mapping: CsvMapping) -> str:
    if mapping.delimiter:
        return mapping.delimiter
    sample = text[:8192]
    try:
        found = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        found = ""
    # The Sniffer can be fooled by amounts such as 1,234.56; the header line is not.
    first = next((ln for ln in sample.splitlines() if ln.strip()), "")
    if not found or found not in first:
        counts = {d: first.count(d) for d in _DELIMITERS}
        found = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    return found


def _rows(text: str, mapping: CsvMapping) -> list[tuple[int, list[str]]]:
    """Non-blank rows with the file line each starts on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, mapping))
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise StatementFormatError(f"line {start}", f"cannot be read as CSV ({exc})") from None
    return rows


def _column(spec: str | None, header: tuple[int, list[str]] | None, what: str) -> int | None:
    if not spec:
        return None
    if spec.strip().isdigit():
        return int(spec) - 1
    if header is None:
        raise StatementFormatError("mapping", f"the {what} column '{spec}' is named, but the file has no header row")
    line_no, names = header
    wanted = clean(spec).casefold()
    for i, name in enumerate(names):
        if clean(name).casefold() == wanted:
            return i
    raise StatementFormatError(f"line {line_no}", f"has no '{spec}' column for the {what} "
                                                  f"(columns: {', '.join(names)})")


@lru_cache(maxsize=4096)  # a statement repeats its few dates, and strptime is slow
def _date(text: str, date_format: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, date_format).date()
    except ValueError:
        return None


# Suffixes some banks write instead of a sign, and currency signs some put in the cell.
_DR_CR = re.compile(r"\s*(DR|CR)\.?$", re.IGNORECASE)
_SIGNS = "£€$¥"


def _amount(text: str, currency: str, decimal_sep: str, where: str) -> int:
    text = "".join(ch for ch in text if ch not in _SIGNS).strip()
    suffix = _DR_CR.search(text)
    if suffix:
        text = text[:suffix.start()]
    amount = minor_at(text, currency, where, decimal_sep)
    return -abs(amount) if suffix and suffix[1].upper() == "DR" else amount


def parse_csv(data: bytes, mapping: CsvMapping) -> Statement:
    rows = _rows(decode(data, mapping.encoding), mapping)
    if not rows:
        raise StatementFormatError("line 1", "the file is empty")
    header = rows[0] if mapping.header else None
    col = {key: _column(getattr(mapping, key), header, key.replace("_", " ")) for key in _COLUMNS}
    lines: list[StatementLine] = []
    for line_no, row in rows[1:] if mapping.header else rows:
        where = f"line {line_no}"

        def cell(key: str, row: list[str] = row) -> str:  # this line's row, bound now
            index = col[key]
            return row[index].strip() if index is not None and index < len(row) else ""

        currency = currency_at(cell("currency"), where) if cell("currency") else mapping.default_currency
        day = _date(cell("date"), mapping.date_format)
        if day is None:
            raise StatementFormatError(where, f"date '{cell('date')}' is not a date written as {mapping.date_format}")
        if col["amount"] is not None:
            amount = _amount(cell("amount"), currency, mapping.decimal_sep, where)
        elif cell("money_in") or cell("money_out"):
            paid_in = _amount(cell("money_in"), currency, mapping.decimal_sep, where) if cell("money_in") else 0
            # Money out is money out whether the bank writes it 20.00 or -20.00.
            paid_out = _amount(cell("money_out"), currency, mapping.decimal_sep, where) if cell("money_out") else 0
            amount = paid_in - abs(paid_out)
        else:
            raise StatementFormatError(where, "has no amount: neither money in nor money out")
        lines.append(StatementLine(
            position=len(lines) + 1, booking_date=day, value_date=None, amount_minor=amount, currency=currency,
            bank_txn_id=cell("bank_id") or None, reference=clean(cell("reference")), payer=clean(cell("payer")),
            payer_account=cell("payer_account"), statement_account=mapping.account))
    currencies = {ln.currency for ln in lines}
    currency = currencies.pop() if len(currencies) == 1 else mapping.default_currency
    return assemble("csv", [Section(mapping.account, currency)], lines)


# Header names banks use, best first; compared case-blind with any "(GBP)"-style suffix removed.
_GUESSES: dict[str, tuple[str, ...]] = {
    "date": ("date", "booking date", "transaction date", "posting date", "posted date", "buchungstag",
             "buchungsdatum", "datum", "value date", "valuta", "wertstellung"),
    "amount": ("amount", "betrag", "umsatz", "transaction amount", "value"),
    "money_in": ("paid in", "money in", "credit", "credits", "credit amount", "in", "haben", "deposits"),
    "money_out": ("paid out", "money out", "debit", "debits", "debit amount", "out", "soll", "withdrawals"),
    "reference": ("reference", "description", "details", "memo", "narrative", "transaction description",
                  "verwendungszweck", "buchungstext", "remittance information"),
    "payer": ("payee", "counterparty", "payer", "name", "counterparty name", "auftraggeber",
              "beguenstigter/zahlungspflichtiger", "begünstigter/zahlungspflichtiger", "empfänger"),
    "payer_account": ("iban", "counterparty iban", "counterparty account", "kontonummer/iban", "account number"),
    "bank_id": ("transaction id", "fitid", "bank reference", "transaction reference", "id"),
    "currency": ("currency", "ccy", "währung", "waehrung", "curr"),
}
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d/%m/%y",
                 "%d.%m.%y", "%m/%d/%y", "%d %b %Y", "%d-%b-%Y")


def _header_key(name: str) -> str:
    return re.sub(r"\s*[\(\[].*?[\)\]]\s*$", "", clean(name)).casefold()


def _fits(samples: list[str], date_format: str) -> bool:
    return all(_date(text, date_format) is not None for text in samples)


def _decimal_sep(samples: list[str], delimiter: str) -> str:
    votes = {".": 0, ",": 0}
    for text in samples:
        last = re.search(r"[.,](\d+)\D*$", text)
        if last and len(last[1]) != 3:  # 1.234 or 1,234 alone says nothing
            votes[text[last.start()]] += 1
    if votes["."] != votes[","]:
        return max(votes, key=lambda k: votes[k])
    return "," if delimiter == ";" else "."  # where ';' separates, ',' is the decimal point


def guess_mapping(data: bytes, name: str = "guessed") -> CsvMapping | None:
    """A mapping proposed from common header names, for the operator to confirm (None: no idea)."""
    try:
        text = decode(data, None)
        delimiter = _delimiter(text, CsvMapping(name, "date", amount="amount"))
        rows = _rows(text, CsvMapping(name, "date", amount="amount", delimiter=delimiter))
    except StatementFormatError:
        return None
    if not rows:
        return None
    header = rows[0][1]
    keys = [_header_key(h) for h in header]
    found: dict[str, str | None] = {}
    used: set[int] = set()
    for role, names in _GUESSES.items():
        index = next((keys.index(n) for n in names if n in keys and keys.index(n) not in used), None)
        found[role] = header[index].strip() if index is not None else None
        if index is not None:
            used.add(index)
    if not found["date"] or not (found["amount"] or found["money_in"]):
        return None

    def samples(role: str) -> list[str]:
        column = found[role]
        i = keys.index(_header_key(column)) if column else -1
        return [r[i].strip() for _, r in rows[1:51] if 0 <= i < len(r) and r[i].strip()]

    dates = samples("date")
    date_format = next((f for f in _DATE_FORMATS if _fits(dates, f)), None)
    if date_format is None:
        return None
    amounts = samples("amount") + samples("money_in") + samples("money_out")
    two_columns = not found["amount"]
    codes = [c.upper() for c in samples("currency") if c.upper() in known_currencies()]
    default_currency = codes[0] if codes else "GBP"
    return CsvMapping(
        name, found["date"], date_format, amount=found["amount"],
        money_in=found["money_in"] if two_columns else None, money_out=found["money_out"] if two_columns else None,
        reference=found["reference"], payer=found["payer"], bank_id=found["bank_id"], currency=found["currency"],
        default_currency=default_currency, decimal_sep=_decimal_sep(amounts, delimiter),
        payer_account=found["payer_account"])
