"""Column types that store exactly what the books mean, the same way in SQLite and PostgreSQL.

APSW binds only plain Python values, so dates, times and decimals travel as ISO text; PostgreSQL
casts that text into its own DATE/TIMESTAMP columns, and both hand back values these fields read.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from peewee import BigIntegerField, DateField, DateTimeField, Field, TextField

from store import clock


class MinorField(BigIntegerField):
    """An amount in integer minor units. The only column type money ever has."""


class DecimalTextField(TextField):
    """An exact Decimal (quantity, rate) kept as text, so no REAL/NUMERIC affinity can round it."""

    def db_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return format(Decimal(value), "f")

    def python_value(self, value: Any) -> Decimal | None:
        return None if value is None else Decimal(value)


class IsoDateField(DateField):
    def db_value(self, value: Any) -> str | None:
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()[:10]
        return value


class IsoDateTimeField(DateTimeField):
    """A naive UTC timestamp."""

    def db_value(self, value: Any) -> str | None:
        if isinstance(value, dt.datetime):
            return value.isoformat(sep=" ", timespec="microseconds")
        return value

    def python_value(self, value: Any) -> dt.datetime | None:
        if isinstance(value, str):
            return dt.datetime.fromisoformat(value)
        return value


class JsonField(TextField):
    def db_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)

    def python_value(self, value: Any) -> Any:
        return None if value is None else json.loads(value)


def utcnow() -> dt.datetime:
    """The clock's now as stored: naive UTC (the columns hold UTC text without an offset)."""
    return clock.now().replace(tzinfo=None)


# C0 controls but newline, carriage return and tab; DEL; the C1 range. A bank statement's payer name
# or a pasted reference can carry ESC sequences that would drive a terminal or garble a PDF.
_CONTROLS: dict[int, None] = dict.fromkeys(c for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in "\n\r\t")


def without_controls(text: str) -> str:
    """`text` with its control characters removed (line breaks and tabs stay)."""
    return text.translate(_CONTROLS)


def drop_controls_on_write(field: Field) -> None:
    """Make `field` store its text without control characters, whichever service or import writes it."""
    to_db: Callable[[Any], Any] = field.db_value

    def db_value(value: Any) -> Any:
        return to_db(without_controls(value) if isinstance(value, str) else value)

    field.db_value = db_value  # type: ignore[method-assign]
