"""Where things go on the page, and how long tables are cut into page-sized pieces.

xhtml2pdf lays a table out again each time it splits it across a page, so one table of 2,000
rows costs more than forty of fifty. The rows are therefore cut here into chunks that each fill
about one page (each chunk a table with its own header row, starting on a new page), which also
puts the header at the top of every page and nowhere else. A chunk that turns out taller than
estimated still splits correctly: its table repeats the header on the next page.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from exports.documents import PageSize
from exports.pdf.resources import FONT_DIR, FONT_FILES

T = TypeVar("T")

PT_PER_MM = 72 / 25.4


@dataclass(frozen=True, slots=True)
class Box:
    left: float  # mm from the left edge of the page
    top: float  # mm from the top edge
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class PageGeometry:
    css_size: str
    width: float  # mm
    height: float
    margin: float  # left and right
    letterhead: Box
    window: Box  # the customer's address, where the envelope's window shows it
    docinfo: Box
    first_content_top: float
    later_header: Box
    later_content_top: float
    content_bottom: float  # mm kept free at the foot of every page for the footer
    footer: Box

    @property
    def content_width(self) -> float:
        return self.width - 2 * self.margin

    def content_height(self, first: bool) -> float:
        top = self.first_content_top if first else self.later_content_top
        return self.height - top - self.content_bottom


def _geometry(css_size: str, width: float, height: float, margin: float, window: Box,
              first_content_top: float, docinfo_top: float) -> PageGeometry:
    inner = width - 2 * margin
    docinfo_left = window.left + window.width + 6
    return PageGeometry(
        css_size=css_size, width=width, height=height, margin=margin,
        letterhead=Box(margin, 12, inner, min(window.top, docinfo_top) - 12 - 3),
        window=window,
        docinfo=Box(docinfo_left, docinfo_top, width - margin - docinfo_left, first_content_top - docinfo_top - 4),
        first_content_top=first_content_top,
        later_header=Box(margin, 10, inner, 10),
        later_content_top=24,
        content_bottom=22,
        footer=Box(margin, height - 19, inner, 13),
    )


GEOMETRY: dict[PageSize, PageGeometry] = {
    # DIN 5008 form B / DL and C5 left-window envelopes: the window is 90 x 45 mm, 20 mm from the
    # left and 45 mm from the top of the folded A4 sheet.
    "A4": _geometry("a4", 210, 297, 20, Box(20, 45, 85, 45), first_content_top=98, docinfo_top=45),
    # A #10 window envelope (window 4.5 x 1.125 in, 7/8 in from the left) holding a tri-folded
    # Letter sheet shows roughly 2.1 to 3.2 in from the top of the page, whichever way the sheet
    # settles in the envelope.
    "Letter": _geometry("letter", 215.9, 279.4, 19, Box(22, 53, 90, 28), first_content_top=92,
                        docinfo_top=40),
}


@lru_cache(maxsize=1)
def _advance_widths() -> tuple[dict[int, float], float]:
    """The body font's advance widths in thousandths of an em (ReportLab parses it once, ~15 ms)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    face = TTFontFile(str(FONT_DIR / FONT_FILES["regular"]))
    return face.charWidths, face.defaultWidth


def text_width(text: str, size_pt: float) -> float:
    """Printed width of `text` in mm; characters the body font lacks are drawn 1 em wide (CJK)."""
    widths, _ = _advance_widths()
    units = sum(widths.get(ord(ch), 1000.0) for ch in text)
    return units * size_pt / 1000 / PT_PER_MM


def wrapped_lines(text: str, width_mm: float, size_pt: float) -> int:
    """How many lines `text` wraps to in a column `width_mm` wide: greedy on spaces, like ReportLab,
    and a word wider than the column broken across lines (overflow-wrap)."""
    if width_mm <= 0:
        return max(1, len(text))
    space = text_width(" ", size_pt)
    lines, used = 1, 0.0
    for word in text.split():
        width = text_width(word, size_pt)
        if used and used + space + width <= width_mm:
            used += space + width
            continue
        if used:
            lines += 1
        while width > width_mm:  # a word wider than the column fills whole lines first
            lines += 1
            width -= width_mm
        used = width
    return lines


@dataclass(frozen=True, slots=True)
class RowMetrics:
    """How tall a table row prints, for estimating how many fit on a page."""

    font_pt: float
    line_height: float  # mm per line of text
    padding: float  # mm above and below the text, border included
    cell_padding: float  # mm on each side of the text in a cell

    def height(self, cells: Sequence[str | Sequence[str]], widths: Sequence[float]) -> float:
        """The tallest cell decides; a cell is one text or a tuple of printed lines."""
        lines = 1
        for cell, width in zip(cells, widths, strict=True):
            texts = [cell] if isinstance(cell, str) else cell
            text_mm = width - 2 * self.cell_padding
            lines = max(lines, sum(wrapped_lines(t, text_mm, self.font_pt) for t in texts) or 1)
        return lines * self.line_height + self.padding


@dataclass(frozen=True, slots=True)
class Chunks(Generic[T]):
    chunks: list[list[T]]
    room_left: float  # estimated space left on the last chunk's page, in the capacities' unit

    @property
    def pages(self) -> int:
        return len(self.chunks)


def chunk_rows(rows: Sequence[T], height: Callable[[T], float], first_page: float,
               later_pages: float) -> Chunks[T]:
    """Cut `rows` into chunks whose estimated heights fill the first page, then each later page.

    `height(row)` and the capacities are in the same unit; a row taller than a page gets a chunk
    of its own (the table splits it).
    """
    chunks: list[list[T]] = []
    current: list[T] = []
    room = first_page
    for row in rows:
        need = height(row)
        if current and need > room:
            chunks.append(current)
            current, room = [], later_pages
        current.append(row)
        room -= need
    if current or not chunks:
        chunks.append(current)
    return Chunks(chunks, room)
