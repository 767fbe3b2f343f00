"""Documents as HTML for xhtml2pdf: the Jinja environment and what every template is given.

Everything a user typed reaches the page only through here: every record is scrubbed of
unprintable characters first, and the environment escapes every value (autoescape) and scrubs it
again on output (finalize), so no field can add markup, fetch a resource or break the PDF.
Resources the templates themselves use are named by URIs of our own (see exports.pdf.resources), which
only the renderer's link callback resolves.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from exports.documents import Company, Party
from exports.pdf.address import address_block
from exports.pdf.format import Formatter, clean_text, paragraphs
from exports.pdf.layout import GEOMETRY, Chunks, PageGeometry, RowMetrics, chunk_rows, text_width
from exports.pdf.resources import FONT_STACK, LOGO_URI, font_faces_css, logo_file

TEMPLATES = Path(__file__).with_name("templates")
ACCENT = "#1f3a5f"
URGENT = "#9b1c1c"  # the title of a final notice
ROW_FONT_PT = 8
ROW_PAD_MM = 1.1
LOGO_HEIGHT_MM = 14
RETURN_ADDRESS_PT = 6.5
LETTER_PT = 9.5  # a reminder's letter
PAY_PT = 8  # the payment line under a statement's summary
# Measured on rendered pages: an 8 pt row line is 10.6 pt (3.74 mm) apart, and a one-line row is
# 16.8 pt tall. tests/test_pdf.py checks that statement chunks still fill pages without overflowing.
ROW_METRICS = RowMetrics(font_pt=ROW_FONT_PT, line_height=3.74, padding=2.19, cell_padding=1.2)
HEADER_ROW_MM = 8.0
# Estimates err short: a chunk that ends early wastes a little paper, one that overruns prints a
# page holding only its last rows.
FILL = 0.97
CARRIED_ROWS = 4  # table rows moved to the last page with totals that would stand alone there

Cell = str | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Column:
    label: str
    width: float | None = None  # mm; None takes what the others leave
    css: str = ""


@dataclass(frozen=True, slots=True)
class TableRow:
    cells: tuple[Cell, ...]
    css: str = ""


def scrub(value: Any) -> Any:
    """`value` with every string inside it (records, tuples, lists) passed through clean_text."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, tuple | list):
        return type(value)(scrub(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: scrub(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


def _finalize(value: Any) -> Any:
    return scrub(value) if isinstance(value, str) else value


def _join_lines(lines: Sequence[str]) -> Markup:
    return Markup("<br>").join(clean_text(line) for line in lines)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        finalize=_finalize,
        undefined=StrictUndefined,  # a misspelt field fails a test instead of printing blank
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["join_lines"] = _join_lines
    return env


def description_lines(text: str) -> tuple[str, ...]:
    return tuple(line for block in paragraphs(text) for line in block) or ("",)


@dataclass(frozen=True, slots=True)
class DocumentHtml:
    html: str
    pages: int  # the page count its footer prints: "Page N of <pages>"


def page_chunks(columns: Sequence[Column], rows: Sequence[TableRow], geometry: PageGeometry,
            first_page_used_mm: float) -> Chunks[TableRow]:
    """Rows cut to fill pages, each row as tall as its most wrapped cell."""
    fixed = sum(col.width or 0 for col in columns)
    flexible = max(20.0, geometry.content_width - fixed) / max(1, sum(col.width is None for col in columns))
    widths = [col.width or flexible for col in columns]
    first = geometry.content_height(first=True) - first_page_used_mm - HEADER_ROW_MM
    later = geometry.content_height(first=False) - HEADER_ROW_MM
    table = chunk_rows(rows, lambda row: ROW_METRICS.height(row.cells, widths), first * FILL, later * FILL)
    # The margin FILL held back is still paper for what follows the table.
    held_back = (1 - FILL) * (first if table.pages == 1 else later)
    return dataclasses.replace(table, room_left=table.room_left + held_back)


def panel_mm(lines: int) -> float:
    """Estimated height of a titled panel of `lines` lines (payment details)."""
    return 10 + 4.6 * lines + 5


def finish(template: str, context: dict[str, Any], table: Chunks[TableRow], after_table_mm: float,
            pages: int | None) -> DocumentHtml:
    """Render with `pages` as the page count, or the estimate: the table's pages, plus one if what
    follows the table will not fit below it. In that case the table's last few rows go over to
    the new page too, so totals never stand on a page of their own."""
    chunks = table.chunks
    spills = after_table_mm > table.room_left
    if spills and len(chunks[-1]) > 2 * CARRIED_ROWS:
        chunks = [*chunks[:-1], chunks[-1][:-CARRIED_ROWS], chunks[-1][-CARRIED_ROWS:]]
    if pages is None:
        pages = table.pages + spills
    context.update(chunks=chunks, page_count=pages)
    return DocumentHtml(environment().get_template(template).render(context), pages)


def _return_address(name: str, address: Sequence[str], width_mm: float) -> str:
    """The sender on one line above the window, with as much of the address as fits."""
    parts = [name]
    for line in address:
        if text_width(" · ".join([*parts, line]), RETURN_ADDRESS_PT) > width_mm:
            break
        parts.append(line)
    return " · ".join(parts)


def base_context(company: Company, customer: Party, fmt: Formatter, title: str, number: str,
                  docinfo: list[tuple[str, str]], *, urgent: bool = False, banner: str = "") -> dict[str, Any]:
    """What base.html prints on every document; `banner` (VOID) is printed on every page."""
    geometry = GEOMETRY[company.page_size]
    company_address = [line for raw in company.address_lines for line in description_lines(raw) if line]
    return {
        # Markup: the stylesheet's font rules are our constants, with no user text in them.
        "g": geometry, "font_faces": Markup(font_faces_css()), "font_stack": Markup(FONT_STACK),
        "accent": ACCENT, "title_color": URGENT if urgent else ACCENT,
        "row_font_pt": ROW_FONT_PT, "row_pad_mm": ROW_PAD_MM, "return_address_pt": RETURN_ADDRESS_PT,
        "letter_pt": LETTER_PT, "pay_pt": PAY_PT,
        "logo": LOGO_URI if logo_file(company.logo_path) else None, "logo_height_mm": LOGO_HEIGHT_MM,
        "lang": company.locale.replace("_", "-"),
        "company": company, "company_address": company_address,
        "return_address": _return_address(company.name, company_address, geometry.window.width),
        "customer": customer, "customer_address": address_block(customer, company.locale),
        "fmt": fmt, "title": title, "number": number, "docinfo": docinfo, "banner": banner,
    }
