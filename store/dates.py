"""Dates as operators type them: `2026-11-22`, `22/11`, `22/11/26`, `t` (today), `+30` / `-5` days."""
from __future__ import annotations

import datetime as dt
import re

from store import clock
from store.errors import ValidationError

HINT = "try 2026-11-22, 22/11, t or +30"
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?$")
_OFFSET = re.compile(r"^([+-])\s*(\d{1,4})$")


def parse_date(text: str, field: str = "date", today: dt.date | None = None) -> dt.date:
    """What an operator typed, as a date; or a ValidationError naming the field."""
    today = today or clock.today()
    raw = (text or "").strip().lower()
    if not raw:
        raise ValidationError(field, f"is required; {HINT}")
    if raw in ("t", "today"):
        return today
    offset = _OFFSET.match(raw)
    if offset:
        days = int(offset.group(2))
        return today + dt.timedelta(days=days if offset.group(1) == "+" else -days)
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", raw):
            year, month, day = (int(p) for p in raw.split("-"))
            return dt.date(year, month, day)
        dmy = _DMY.match(raw)
        if dmy:
            day, month = int(dmy.group(1)), int(dmy.group(2))
            year = today.year if dmy.group(3) is None else int(dmy.group(3))
            if year < 100:
                year += 2000
            return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(field, f"'{text.strip()}' is not a date on the calendar; {HINT}") from None
    raise ValidationError(field, f"'{text.strip()}' is not a date; {HINT}")


def format_date(value: dt.date) -> str:
    return value.isoformat()
