"""The invoice entry grid: one row per line, six one-row inputs and the line's net."""
from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.suggester import Suggester
from textual.widgets import Input

from store.invoices import DraftInput
from tui.widgets.cell import Cell

LINE_FIELDS = ("item", "description", "quantity", "unit_price", "discount", "tax_code")
HEADER_FIELDS = ("customer", "date", "due", "reference", "memo")
# Blank lines mounted with the form: enough to fill the grid at 80x24. Mounting a line re-orders
# every widget after it and so redraws the whole grid (about 15 KB over SSH); moving into a line
# that is already there redraws one row. More are mounted, a few at a time, only past the pool.
POOL = 15
LABELS = {"item": "item", "description": "description", "quantity": "quantity", "unit_price": "price",
          "discount": "discount", "tax_code": "tax code", "customer": "customer", "date": "date", "due": "due date",
          "reference": "reference", "memo": "memo"}


class LineRow(Horizontal):
    """One invoice line: six one-row inputs and the line's net."""

    DEFAULT_CSS = """
    LineRow { height: 1; }
    LineRow > .no { width: 3; color: $text-muted; }
    LineRow > Input { border: none; height: 1; padding: 0; margin: 0 1 0 0; background: $boost; }
    LineRow > Input:focus { border: none; background: $accent 35%; }
    LineRow > Input.-bad { text-style: reverse; }
    LineRow > .l-item { width: 9; }
    LineRow > .l-description { width: 1fr; min-width: 14; }
    LineRow > .l-quantity { width: 7; }
    LineRow > .l-unit_price { width: 10; }
    LineRow > .l-discount { width: 5; }
    LineRow > .l-tax_code { width: 3; }
    LineRow > .net { width: 11; text-align: right; }
    """

    def __init__(self, values: dict[str, str] | None = None, items: Suggester | None = None) -> None:
        super().__init__(classes="line")
        self.values = values or {}
        self.items = items
        # Set before removing: a Blur still on its way from one of its fields must not read it.
        self.gone = False

    def compose(self) -> ComposeResult:
        yield Cell("", classes="no")
        for name in LINE_FIELDS:
            # Entering a field selects what is in it: typing replaces, Enter keeps (data-entry overtype).
            yield Input(self.values.get(name, ""), classes=f"l-{name}", name=name,
                        suggester=self.items if name == "item" else None)
        yield Cell("", classes="net")

    def field(self, name: str) -> Input:
        return self.query_one(f".l-{name}", Input)

    def raw(self) -> dict[str, str]:
        return {name: self.field(name).value for name in LINE_FIELDS}

    def blank(self) -> bool:
        return not any(v.strip() for v in self.raw().values())


class LinesArea(VerticalScroll, can_focus=False):
    """The grid scrolls as lines are added, but is never itself a stop for Tab or Enter."""


@dataclass
class Pending:
    """An invoice handed to the background: kept to put back if posting fails."""

    data: DraftInput
    values: dict[str, object]
    draft_id: int | None
    version: int | None

