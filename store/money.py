"""Money: an integer count of minor units with an ISO 4217 currency. Never a float.

Parsing what operators (and banks) type, formatting by locale through Babel, and the one
rounding rule of the books all live here, so no other module does arithmetic on amounts
in any other way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import (
    format_currency,
    format_decimal,
    get_currency_precision,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
    list_currencies,
)

from store.errors import ValidationError

DEFAULT_LOCALE = "en_GB"


@lru_cache(maxsize=None)
def known_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def check_currency(code: str, field: str = "currency") -> str:
    """Return the upper-cased ISO code, or refuse one Babel does not know."""
    code = (code or "").strip().upper()
    if code not in known_currencies():
        raise ValidationError(field, f"'{code}' is not an ISO 4217 currency code")
    return code


@lru_cache(maxsize=None)
def exponent(currency: str) -> int:
    """Digits after the decimal point for this currency (2 for GBP, 0 for JPY, 3 for KWD)."""
    return int(get_currency_precision(currency))


def round_minor(value: Decimal) -> int:
    """The books' only rounding: a Decimal count of minor units to an int, half away from zero."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_decimal(minor: int, currency: str) -> Decimal:
    """Minor units as an exact Decimal in major units (for formatting and reports only)."""
    return Decimal(minor).scaleb(-exponent(currency))


@dataclass(frozen=True, slots=True)
class Money:
    minor: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise TypeError(f"Money holds an int of minor units, not {type(self.minor).__name__}")

    def _same(self, other: "Money") -> None:
        if other.currency != self.currency:
            raise ValidationError("currency", f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> "Money":
        return Money(-self.minor, self.currency)

    def __str__(self) -> str:
        return format_money(self.minor, self.currency)

    @classmethod
    def zero(cls, currency: str) -> "Money":
        return cls(0, currency)


# Group separators an operator may type with '.' as the decimal point, and with ','.
_GROUPS = {".": ",' \u00a0\u202f", ",": ".' \u00a0\u202f"}


def parse_decimal_text(text: str, field: str, decimal_sep: str = ".") -> Decimal:
    """Parse `1234.5`, `1,234.50`, `-12`, `12.`, `(12.00)` (or `1.234,56` with decimal_sep=',')."""
    raw = (text or "").strip()
    if not raw:
        raise ValidationError(field, "is required")
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        negative, raw = True, raw[1:-1].strip()
    if raw[:1] in "+-\u2212":
        negative, raw = negative ^ (raw[0] != "+"), raw[1:].strip()
    elif raw[-1:] == "-":  # some banks write 12.00-
        negative, raw = not negative, raw[:-1].strip()
    groups = _GROUPS[decimal_sep]
    whole, sep, frac = raw.partition(decimal_sep)
    if any(ch in groups for ch in whole):
        parts = re.split("[" + re.escape(groups) + "]", whole)
        if not (parts[0].isdigit() and len(parts[0]) <= 3 and all(len(p) == 3 and p.isdigit() for p in parts[1:])):
            raise ValidationError(field, f"'{text.strip()}' has misplaced thousands separators")
        whole = "".join(parts)
    if not whole:
        whole = "0"
    if not _ascii_digits(whole) or (frac and not _ascii_digits(frac)):
        # str.isdigit() alone takes '١٢' and '²': only 0-9 are digits in an amount.
        raise ValidationError(field, f"'{text.strip()}' is not an amount (digits 0-9)")
    try:
        value = Decimal(f"{whole}.{frac or '0'}")
    except InvalidOperation:  # pragma: no cover - isdigit() already guards this
        raise ValidationError(field, f"'{text.strip()}' is not an amount") from None
    return -value if negative else value


def _ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


# Minor units are stored as 64-bit integers and summed; no amount typed or imported comes near this.
MAX_MINOR = 10**15 - 1


def parse_amount(text: str, currency: str, field: str = "amount", decimal_sep: str = ".") -> int:
    """What an operator typed, as minor units of `currency`; refuses more decimals than it has, and
    amounts past MAX_MINOR (they would overflow the database's integers)."""
    value = parse_decimal_text(text, field, decimal_sep)
    digits = exponent(currency)
    scaled = value.scaleb(digits)
    if scaled != scaled.to_integral_value():
        raise ValidationError(field, f"{currency} amounts have at most {digits} decimal places")
    if abs(scaled) > MAX_MINOR:
        raise ValidationError(field, f"'{text.strip()[:24]}' is larger than the books hold "
                                     f"({format_money(MAX_MINOR, currency)} at most)")
    return int(scaled)


def parse_quantity(text: str, field: str = "quantity", places: int = 3) -> Decimal:
    """A quantity or rate: exact Decimal, at most `places` decimals."""
    value = parse_decimal_text(text, field)
    if value.adjusted() >= 12:  # quantize() past the context's 28 digits raises InvalidOperation
        raise ValidationError(field, f"'{text.strip()[:24]}' is too large")
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise ValidationError(field, f"at most {places} decimal places")
    return value.normalize() if value == value.to_integral_value() else value


def format_money(minor: int, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """`£1,234.50`: with the currency sign, by locale."""
    return format_currency(to_decimal(minor, currency), currency, locale=locale)


def format_amount(minor: int, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """`1,234.50`: the number alone, for table columns whose heading names the currency."""
    digits = exponent(currency)
    if _plain_grouping(locale):
        units, cents = divmod(-minor if minor < 0 else minor, 10 ** digits)
        return f"{'-' if minor < 0 else ''}{units:,}" + (f".{cents:0{digits}d}" if digits else "")
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(to_decimal(minor, currency), format=pattern, locale=locale)


@lru_cache(maxsize=None)
def _plain_grouping(locale: str) -> bool:
    """Whether Babel writes this locale's numbers as Python's "{:,}" does: thousands by ',', a '.' point,
    a '-' sign (en_GB, en_US, ...). Then an amount is written by integer arithmetic, the same text at a
    twentieth of the time (reports write hundreds of thousands); tests/test_money.py holds the two equal."""
    return (get_group_symbol(locale), get_decimal_symbol(locale), get_minus_sign_symbol(locale)) == (",", ".", "-") \
        and format_decimal(Decimal("-1234567.5"), format="#,##0.0", locale=locale) == "-1,234,567.5"


def plain_amount(minor: int, currency: str) -> str:
    """`1234.50`: no grouping and a '.' point, for CSV and for fields being edited."""
    return f"{to_decimal(minor, currency):f}"


def apply_rate(minor: int, rate_percent: Decimal) -> Decimal:
    """Unrounded minor units of `minor` at `rate_percent` (tax, discount). Round with round_minor."""
    return Decimal(minor) * rate_percent / Decimal(100)
