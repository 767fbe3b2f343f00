"""A list of result rows drawn with Textual's line API: one strip per visible row.

The lookup's results change on every keystroke. A DataTable renders each cell through Rich and
drops its cache on clear(), about 10 ms for a screenful of rows here; this widget formats each row
to one string when the rows arrive and draws a visible line as one segment, so new results cost
well under a millisecond to draw. The header stays put while the rows scroll under it.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.safe_text import safe_text


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width: int
    right: bool = False  # amounts: right-aligned, and never cut (a wider one pushes the row on)
    flex: int = 0  # a share of the room a wider terminal gives (0: always `width`)


def fit(text: str, width: int, right: bool) -> str:
    text = " ".join(text.split())
    if right:
        return " " * (width - cell_len(text)) + text
    return set_cell_size(text, width)


class ResultList(ScrollView, can_focus=False):
    """Rows of text under a fixed header, with a cursor row. The keys stay with the screen's input."""

    COMPONENT_CLASSES = {"results--header", "results--cursor", "results--stripe"}
    DEFAULT_CSS = """
    ResultList { height: 1fr; overflow-x: hidden; }
    ResultList > .results--header { text-style: bold; color: $text-muted; }
    ResultList > .results--cursor { background: $accent 45%; text-style: bold; }
    ResultList > .results--stripe { background: $boost; }
    """

    def __init__(self, columns: Sequence[Column], *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.columns = tuple(columns)
        self.widths = [c.width for c in self.columns]
        self.header = self.format(c.title for c in self.columns)
        self.rows: list[tuple[str, ...]] = []
        self.lines: list[str] = []
        self.cursor_row = 0

    def format(self, values: Iterable[object]) -> str:
        return " " + " ".join(fit(safe_text(str(value)), width, column.right)
                              for column, width, value in zip(self.columns, self.widths, values))

    def on_resize(self) -> None:
        """Give a wider terminal's room to the flexible column, and format the rows for it again."""
        fixed = sum(c.width for c in self.columns if not c.flex) + len(self.columns)
        room = self.size.width - fixed
        shares = sum(c.flex for c in self.columns) or 1
        widths = [max(c.width, room * c.flex // shares) if c.flex else c.width for c in self.columns]
        if widths != self.widths:
            self.widths = widths
            self.header = self.format(c.title for c in self.columns)
            self.lines = [self.format(row) for row in self.rows]
            self.refresh()

    # ---------------------------------------------------------------- data down

    def set_rows(self, rows: Iterable[Sequence[object]], append: bool = False) -> None:
        new = [tuple(str(v) for v in row) for row in rows]
        if append:
            self.rows += new
            self.lines += [self.format(row) for row in new]
        else:
            self.rows, self.lines = new, [self.format(row) for row in new]
            self.cursor_row = 0
            self.scroll_to(y=0, animate=False, immediate=True)
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def line(self, index: int) -> str:
        """Row `index` as drawn (0 <= index < row_count)."""
        return self.lines[index]

    def row_style(self, index: int) -> Style:
        if index == self.cursor_row:
            return self.get_component_rich_style("results--cursor")
        if index % 2:
            return self.get_component_rich_style("results--stripe")
        return Style()

    def get_row_at(self, index: int) -> tuple[str, ...]:
        return self.rows[index]

    def move_cursor(self, row: int) -> None:
        if not self.row_count:
            return
        old, self.cursor_row = self.cursor_row, max(0, min(row, self.row_count - 1))
        top, room = int(self.scroll_offset.y), max(self.scrollable_content_region.height - 1, 1)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + room:
            self.scroll_to(y=self.cursor_row - room + 1, animate=False, immediate=True)
        if int(self.scroll_offset.y) != top:
            self.refresh()
        else:  # only the two rows whose look changed
            width = self.size.width
            self.refresh(*(Region(0, r - top + 1, width, 1) for r in {old, self.cursor_row}))

    # ---------------------------------------------------------------- drawing

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y == 0:
            text, style = self.header, base + self.get_component_rich_style("results--header")
        else:
            index = int(self.scroll_offset.y) + y - 1
            if index >= self.row_count:
                return Strip.blank(width, base)
            text, style = self.line(index), base + self.row_style(index)
        left = int(self.scroll_offset.x)
        if not left:
            return Strip([Segment(set_cell_size(text, width), style)], width)
        return Strip([Segment(text, style)]).crop_extend(left, left + width, style)
