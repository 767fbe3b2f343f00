"""Small query helpers shared by services and queries."""
from __future__ import annotations

from typing import Any

from peewee import fn


def sum_of(column: Any, where: Any = True) -> int:
    """SUM of an integer (money) column over the rows matching `where`; 0 when there are none."""
    value = column.model.select(fn.COALESCE(fn.SUM(column), 0)).where(where).scalar()
    return int(value or 0)
