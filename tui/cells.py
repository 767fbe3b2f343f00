"""Table cells that read right (amounts right-aligned, as the books print them), and refilling a table."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from store.money import format_amount


def money_cell(minor: int, currency: str, blank_zero: bool = False) -> Text:
    return Text("" if blank_zero and not minor else format_amount(minor, currency), justify="right")


def right(value: object) -> Text:
    return Text(str(value), justify="right")


def refill(table: DataTable[Any], rows: Sequence[Sequence[object]], keys: Sequence[str] | None = None) -> None:
    """Replace a table's rows, keeping the cursor on the same line (or the last one) so a refresh
    after an action leaves the operator where they were."""
    row = table.cursor_row
    table.clear()
    for n, values in enumerate(rows):
        table.add_row(*values, key=keys[n] if keys else None)
    if rows:
        table.move_cursor(row=min(max(row, 0), len(rows) - 1))


def cut(text: str, room: int) -> str:
    """`text` in `room` cells, an ellipsis saying there is more (the screen has a key that shows it whole)."""
    return text if len(text) <= room else text[:room - 1] + "…"
