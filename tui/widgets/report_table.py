"""The rows of a report, drawn only as they come into view.

An aging detail at a million invoices has half a million rows. A DataTable builds a styled cell
for every one of them before it shows the first (over a minute and 2 GB here); this list keeps the
report's own rows and formats a row to one line of text the first time it is drawn, so a report
of any length shows at once and scrolls a page at a time. The totals row comes last, in bold; a
report wider than the terminal scrolls sideways (Left/Right, or Shift+Left/Right where the screen
takes the arrows) under a header that stays put.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size

from tui.widgets.results import Column, ResultList

Row = Sequence[Any]
DRAWN_KEPT = 4096  # formatted lines kept for redrawing


class ReportTable(ResultList, can_focus=True):
    """Report rows under a fixed header, with a row cursor the keys move."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "move(-1_000_000_000)", "First row", show=False),
        Binding("end", "move(1_000_000_000)", "Last row", show=False),
        # A screen may take Left/Right for itself (the report previews step the period with them).
        Binding("left,shift+left", "sideways(-8)", "Scroll left", show=False),
        Binding("right,shift+right", "sideways(8)", "Scroll right", show=False),
    ]
    COMPONENT_CLASSES = ResultList.COMPONENT_CLASSES | {"results--total"}
    DEFAULT_CSS = """
    ReportTable { overflow-x: auto; }
    ReportTable > .results--total { text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__((), id=id)
        self.source: Sequence[Row] = ()
        self.totals: Row | None = None
        self.format_row: Callable[[Row], Iterable[str]] = lambda row: ()
        self.drawn: dict[int, str] = {}

    def show_rows(self, columns: Sequence[Column], rows: Sequence[Row], format_row: Callable[[Row], Iterable[str]],
                  totals: Row | None = None) -> None:
        """Data down: the columns (fixed widths), the rows as the report holds them and how a row reads."""
        self.columns = tuple(columns)
        self.widths = [c.width for c in self.columns]
        self.header = self.format(c.title for c in self.columns)
        self.source, self.totals, self.format_row, self.drawn = rows, totals, format_row, {}
        self.cursor_row = 0
        self.scroll_to(x=0, y=0, animate=False, immediate=True)
        self.virtual_size = Size(len(self.header) + 1, self.row_count + 1)
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.source) + (self.totals is not None)

    def get_row_at(self, index: int) -> tuple[str, ...]:
        """Row `index` as the reader sees its cells."""
        row = self.totals if index == len(self.source) and self.totals is not None else self.source[index]
        return tuple(self.format_row(row))

    def line(self, index: int) -> str:
        text = self.drawn.get(index)
        if text is None:
            if len(self.drawn) >= DRAWN_KEPT:  # paging through half a million rows keeps only the recent ones
                self.drawn.clear()
            text = self.drawn[index] = self.format(self.get_row_at(index))
        return text

    def row_style(self, index: int) -> Style:
        style = super().row_style(index)
        if index == len(self.source):
            style += self.get_component_rich_style("results--total")
        return style

    def action_move(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_sideways(self, columns: int) -> None:
        self.scroll_to(x=max(0, self.scroll_x + columns), animate=False)

    def action_page(self, pages: int) -> None:
        self.move_cursor(self.cursor_row + pages * max(self.scrollable_content_region.height - 2, 1))
