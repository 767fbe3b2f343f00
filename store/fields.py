"""Column types that store exactly what the books mean, the same way in SQLite and PostgreSQL.

APSW binds only plain Python values, so dates, times and decimals travel as ISO text; PostgreSQL
casts that text into its own DATE/TIMESTAMP columns, and both hand back values these fields read.
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from peewee import BigIntegerField, DateField, DateTimeField, TextField


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
    def db_value(self, value: Any) -> Any:  # a date as ISO text; text, None or an SQL expression as given
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()[:10]
        return value


class IsoDateTimeField(DateTimeField):
    """A naive UTC timestamp."""

    def db_value(self, value: Any) -> Any:  # a timestamp as ISO text; text, None or an SQL expression as given
        if isinstance(value, dt.datetime):
            return value.isoformat(sep=" ", timespec="microseconds")
        return value

    def python_value(self, value: Any) -> Any:  # ISO text as a datetime; a driver's own datetime or None as given
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
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
