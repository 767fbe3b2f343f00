"""How values look on paper: money, dates and quantities by locale, and user text made printable.

Kept apart from the templates so the same rules print every document, and apart from the PDF
engine so they are cheap to test.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.dates import format_date
from babel.numbers import format_decimal

from store.money import format_amount, format_money

# Characters that must never reach the page: C0/C1 controls (a NUL or ESC from a pasted
# description can break the PDF text stream), bidi embeddings/overrides/isolates (they can make
# text read differently from what was typed: "Trojan Source" on paper), BOMs, interlinear
# annotations, lone surrogates and the non-characters.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb"
    "\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def clean_text(value: str) -> str:
    """`value` with unprintable characters removed and line ends made '\\n'; tabs become spaces."""
    return _UNPRINTABLE.sub("", _NEWLINES.sub("\n", value).replace("\t", " "))


def clean_html(html: str) -> str:
    """A whole document minus unprintable characters; markup is left alone."""
    return _UNPRINTABLE.sub("", html)


def text_lines(value: str) -> list[str]:
    """Multi-line user text (a memo, an address typed in one field) as printable lines."""
    return [line.strip() for line in clean_text(value).split("\n") if line.strip()]


def paragraphs(value: str) -> list[list[str]]:
    """Text split on blank lines into paragraphs, each a list of its lines."""
    blocks = re.split(r"\n\s*\n", clean_text(value))
    return [lines for lines in (text_lines(block) for block in blocks) if lines]


@dataclass(frozen=True, slots=True)
class Formatter:
    """Every number and date on one document, in its locale and currency."""

    locale: str
    currency: str

    def money(self, minor: int) -> str:
        return format_money(minor, self.currency, self.locale)

    def amount(self, minor: int) -> str:
        return format_amount(minor, self.currency, self.locale)

    def amount_or_blank(self, minor: int) -> str:
        # Statement debit/credit columns: an empty cell reads faster than a column of zeros.
        return self.amount(minor) if minor else ""

    def date(self, value: dt.date | None) -> str:
        return format_date(value, "medium", locale=self.locale) if value else ""

    def short_date(self, value: dt.date | None) -> str:
        """For table columns, where a month name would wrap."""
        return format_date(value, "short", locale=self.locale) if value else ""

    def number(self, text: str) -> str:
        """A Decimal given as text (quantity, rate), grouped and pointed by locale, digits kept."""
        try:
            value = Decimal(text)
        except (InvalidOperation, TypeError):
            return clean_text(str(text))
        places = max(0, -value.as_tuple().exponent) if value.is_finite() else 0  # type: ignore[operator]
        return format_decimal(value, format="#,##0" + ("." + "0" * places if places else ""), locale=self.locale)

    def percent(self, text: str) -> str:
        """'12.5' as '12.5%'; '' or zero as ''."""
        stripped = str(text).strip().rstrip("%").strip()
        try:
            if not stripped or Decimal(stripped) == 0:
                return ""
        except InvalidOperation:
            return clean_text(str(text))
        return f"{self.number(stripped)}%"
