"""Gapless document numbers, taken from a counter row inside the transaction that uses them."""
from __future__ import annotations

from store.models import NumberSeries


def take_number(series: str) -> tuple[int, str]:
    """The next (sequence, number) of a series. A rollback gives the number back, so none is skipped."""
    # Incrementing before reading takes the row lock in PostgreSQL; SQLite already holds the write lock.
    row = (NumberSeries.update(next_value=NumberSeries.next_value + 1).where(NumberSeries.code == series)
           .returning(NumberSeries.prefix, NumberSeries.width, NumberSeries.next_value).objects().execute()[0])
    seq = row.next_value - 1
    return seq, f"{row.prefix}{seq:0{row.width}d}"
