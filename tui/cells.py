"""Table cells that read right: amounts right-aligned, as the books print them."""
from __future__ import annotations

from rich.text import Text

from store.money import format_amount


def money_cell(minor: int, currency: str, blank_zero: bool = False) -> Text:
    return Text("" if blank_zero and not minor else format_amount(minor, currency), justify="right")


def right(value: object) -> Text:
    return Text(str(value), justify="right")
