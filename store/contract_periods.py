"""The calendar of recurring billing: run months, contract periods and proration of a part period.

Periods are calendar periods: a month, a quarter (January, April, July, October) or a year. A run
for month M bills, for each contract, the one period of its kind that contains M, cut to the
contract's start and end: in advance when that charge starts in M, in arrears when it ends in M.
A charge covering part of its period is prorated by days: the full period's line amount times the
days covered over the days in the period, rounded to minor units by the books' one rounding rule
(store.money.round_minor, half away from zero).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from store.errors import ValidationError
from store.kinds import ContractBilling, ContractPeriod
from store.money import round_minor

MONTHS_IN = {ContractPeriod.MONTHLY: 1, ContractPeriod.QUARTERLY: 3, ContractPeriod.YEARLY: 12}
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class Span:
    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def holds(self, day: dt.date) -> bool:
        return self.first <= day <= self.last


def parse_month(text: str, field: str = "period") -> Span:
    """'2026-12' -> the days of December 2026."""
    found = MONTH_PATTERN.match(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1900:
        raise ValidationError(field, f"'{text}' is not a month: write it as YYYY-MM, e.g. 2026-12")
    return month_span(int(found.group(1)), int(found.group(2)))


def month_span(year: int, month: int) -> Span:
    return Span(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))


def month_text(span: Span) -> str:
    return f"{span.first:%Y-%m}"


def shift_month(span: Span, months: int) -> Span:
    index = span.first.year * 12 + span.first.month - 1 + months
    return month_span(index // 12, index % 12 + 1)


def period_containing(kind: str, month: Span) -> Span:
    """The calendar month, quarter or year that holds the month."""
    size = MONTHS_IN[ContractPeriod(kind)]
    first_month = (month.first.month - 1) // size * size + 1
    last = month_span(month.first.year, first_month + size - 1)
    return Span(dt.date(month.first.year, first_month, 1), last.last)


def charge_span(kind: str, billing: str, start: dt.date, end: dt.date | None, month: Span
                ) -> tuple[Span, Span] | None:
    """(the calendar period, the part of it the contract covers) billed by the run of `month`, or None."""
    period = period_containing(kind, month)
    covers = Span(max(period.first, start), min(period.last, end) if end else period.last)
    if covers.first > covers.last:
        return None
    billed_on = covers.first if billing == ContractBilling.ADVANCE else covers.last
    return (period, covers) if month.holds(billed_on) else None


def prorate(full_minor: int, covers: Span, period: Span) -> int:
    """A part period's share of the full period's amount, by days."""
    if covers.days == period.days:
        return full_minor
    return round_minor(Decimal(full_minor) * covers.days / period.days)
