"""Months and quarters, and the day a report counts as today."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from store import clock
from store.errors import ValidationError
from store.reports.record import PeriodKind

_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})[-/ ]?q([1-4])$")
_QUARTER_FIRST = re.compile(r"^q([1-4])[-/ ]?(\d{4})$")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A calendar month or quarter: first and last day (inclusive)."""

    start: dt.date
    end: dt.date
    kind: PeriodKind

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise ValidationError("period", f"month {month} is not from 1 to 12")
        return cls(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]), "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValidationError("period", f"quarter {quarter} is not from 1 to 4")
        first = 3 * quarter - 2
        return cls(dt.date(year, first, 1), cls.month(year, first + 2).end, "quarter")

    @classmethod
    def containing(cls, day: dt.date, kind: PeriodKind = "month") -> Period:
        if kind == "quarter":
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        return cls.month(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Period:
        """'2026-11' (a month) or '2026-Q4' (a quarter; 'Q4 2026' and '2026q4' too)."""
        raw = (text or "").strip().lower()
        try:
            if m := _MONTH.match(raw):
                return cls.month(int(m.group(1)), int(m.group(2)))
            if m := _QUARTER.match(raw):
                return cls.quarter(int(m.group(1)), int(m.group(2)))
            if m := _QUARTER_FIRST.match(raw):
                return cls.quarter(int(m.group(2)), int(m.group(1)))
        except ValueError:
            pass
        raise ValidationError("period", f"'{(text or '').strip()}' is not a period; try 2026-11 or 2026-Q4")

    @property
    def code(self) -> str:
        """'2026-11' or '2026-Q4': what `parse` reads back."""
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def label(self) -> str:
        """'November 2026' or 'Q4 2026 (Oct-Dec)'."""
        if self.kind == "quarter":
            return (f"Q{(self.start.month - 1) // 3 + 1} {self.start.year} "
                    f"({calendar.month_abbr[self.start.month]}-{calendar.month_abbr[self.end.month]})")
        return f"{calendar.month_name[self.start.month]} {self.start.year}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Period:
        return Period.containing(self.start - dt.timedelta(days=1), self.kind)

    def next(self) -> Period:
        return Period.containing(self.end + dt.timedelta(days=1), self.kind)

    def months(self) -> tuple[Period, ...]:
        out = [Period.containing(self.start)]
        while out[-1].end < self.end:
            out.append(out[-1].next())
        return tuple(out)

    def __str__(self) -> str:
        return self.code


def month(year: int, month_: int) -> Period:
    return Period.month(year, month_)


def quarter(year: int, quarter_: int) -> Period:
    return Period.quarter(year, quarter_)


def parse_period(text: str) -> Period:
    return Period.parse(text)


When = Period | dt.date | None


def _today() -> dt.date:
    """The day a report counts as today: the clock's (the TUI's day is the same clock)."""
    return clock.today()


def as_of_date(when: When) -> dt.date:
    """The as-of date a report argument means: a date itself; a period's last day, or today while it runs."""
    if when is None:
        return _today()
    if isinstance(when, Period):
        return min(when.end, max(_today(), when.start))
    return when


def period_of(when: When) -> Period:
    """The period a report argument means: a period itself; the month of a date (today when None)."""
    if isinstance(when, Period):
        return when
    return Period.containing(when or _today())
