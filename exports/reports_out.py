"""Reports out: plain text (tabulate), CSV that is safe to open in a spreadsheet, and PDF.

Every renderer reads the same `store.reports.Report` record and knows nothing of the books.
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import itertools
from collections.abc import Callable, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from tabulate import tabulate

from exports.pdf.resources import FONT_STACK, font_faces_css
from store.bulk import bulk_rows
from store.errors import ValidationError
from store.money import format_amount, plain_amount

if TYPE_CHECKING:
    from store.reports import Chart, Report

# A cell beginning with one of these is a formula to a spreadsheet (CSV injection); see OWASP.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _currency_of(report: Report, row: Sequence[Any]) -> str:
    if report.currency:
        return report.currency
    try:
        return str(row[report.column("currency")])
    except KeyError:
        return "GBP"


def cell_text(report: Report, row: Sequence[Any], index: int) -> str:
    """A cell as a person reads it: amounts grouped with their decimals, dates ISO, blanks blank."""
    value = row[index]
    kind = report.columns[index].kind
    if value is None:
        return ""
    if kind == "money":
        return format_amount(int(value), _currency_of(report, row))
    if kind == "percent":
        return f"{Decimal(value):.1f}%"
    if kind == "date" and isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _rows_with_totals(report: Report) -> list[tuple[Any, ...]]:
    return list(report.rows) + ([report.totals] if report.totals else [])


NUMERIC_KINDS = ("money", "int", "percent")


def column_widths(report: Report, text_cap: int = 40) -> list[int]:
    """Each column's width as `cell_text` writes it: its heading or its widest cell, a text column at
    most `text_cap`. Only the smallest and largest figure of a number column are written to measure it
    (no other can be wider), so a half-million-row report is measured without formatting it (0.3 s)."""
    rows = _rows_with_totals(report)
    widths = []
    with bulk_rows():
        for i, column in enumerate(report.columns):
            present = [value for value in map(itemgetter(i), rows) if value is not None]
            if not present:
                widths.append(len(column.heading))
                continue
            if column.kind in NUMERIC_KINDS:
                if column.kind == "money" and report.currency is None:  # each row says its currency
                    filled = [row for row in rows if row[i] is not None]
                    extremes = [min(filled, key=itemgetter(i)), max(filled, key=itemgetter(i))]
                else:
                    extremes = [(None,) * i + (value,) for value in (min(present), max(present))]
                widest = max(len(cell_text(report, row, i)) for row in extremes)
            elif column.kind == "date":
                widest = 10
            else:
                widest = min(text_cap, max(map(len, map(str, present))))
            widths.append(max(len(column.heading), widest))
    return widths


def to_text(report: Report) -> str:
    aligns = ["right" if c.kind in NUMERIC_KINDS else "left" for c in report.columns]
    body = [[cell_text(report, row, i) for i in range(len(report.columns))] for row in _rows_with_totals(report)]
    table = tabulate(body, headers=[c.heading for c in report.columns], colalign=aligns, disable_numparse=True)
    lines = [report.title, report.period_label, "", table]
    if report.chart:
        lines += ["", chart_text(report.chart, report.currency or "GBP")]
    if report.notes:
        lines += ["", *list(report.notes)]
    return "\n".join(lines) + "\n"


def chart_text(chart: Chart, currency: str, width: int = 40) -> str:
    """Bars as blocks, or a sparkline: a chart that survives any terminal and any printer."""
    values = [int(v) for v in chart.values]
    top = max((abs(v) for v in values), default=0) or 1
    if chart.kind == "spark":
        ticks = "▁▂▃▄▅▆▇█"
        spark = "".join(ticks[min(len(ticks) - 1, max(0, v) * (len(ticks) - 1) // top)] for v in values)
        return f"{spark}  ({chart.labels[0]} .. {chart.labels[-1]})" if values else ""
    label_width = max((len(label) for label in chart.labels), default=0)
    return "\n".join(f"{label:>{label_width}} {'█' * (max(v, 0) * width // top):{width}} {format_amount(v, currency)}"
                     for label, v in zip(chart.labels, values, strict=False))


def safe_csv_text(value: str) -> str:
    """Neutralise a text cell a spreadsheet would run as a formula: prefix it with an apostrophe."""
    return "'" + value if value.startswith(FORMULA_START) else value


def to_csv(report: Report) -> str:
    """Amounts stay numbers (plain decimals); text that would be a formula is neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_csv_text(c.heading) for c in report.columns])
    for row in _rows_with_totals(report):
        cells = []
        for i, column in enumerate(report.columns):
            value = row[i]
            if value is None:
                cells.append("")
            elif column.kind == "money":
                cells.append(plain_amount(int(value), _currency_of(report, row)))
            elif column.kind in ("int", "percent"):
                cells.append(str(value))
            elif column.kind == "date" and isinstance(value, dt.date):
                cells.append(value.isoformat())
            else:
                cells.append(safe_csv_text(str(value)))
        writer.writerow(cells)
    return out.getvalue()


# A PDF report is for reading and filing. xhtml2pdf takes about 4 ms a row (one long table costs
# more than linearly: 2,000 rows in one table took 23 s, in tables of a page each 8.5 s), so past
# this many rows the export is refused with a message, and CSV or text is the way.
MAX_PDF_ROWS = 5_000
ROWS_PER_PAGE = 29  # A4 landscape at 8 pt holds 30 (with the totals row); a page whose rows wrap spills over
FIRST_PAGE_ROWS = 26  # under the title


def check_pdf_rows(report: Report) -> None:
    """ValidationError (field "format") when the report has more rows than a PDF of it may hold."""
    if len(report.rows) > MAX_PDF_ROWS:
        raise ValidationError("format", f"{report.title} has {len(report.rows):,} rows and a PDF holds at most "
                                        f"{MAX_PDF_ROWS:,}: write it as CSV or text")


def to_html(report: Report, company_name: str) -> str:
    """The report as HTML for xhtml2pdf: a table of its own per page, each under the column headings."""
    e = html.escape
    # Columns as wide as their widest cell, so a name keeps to one line (equal columns wrapped it).
    widths = column_widths(report, text_cap=30)
    heads = "".join(f'<th class="{"num" if c.kind in NUMERIC_KINDS else ""}" width="{100 * w / sum(widths):.1f}%">'
                    f'{e(c.heading)}</th>' for c, w in zip(report.columns, widths, strict=True))
    body = []
    rows = _rows_with_totals(report)
    for n, row in enumerate(rows):
        klass = ' class="total"' if report.totals is not None and n == len(rows) - 1 else ""
        cells = "".join(f'<td class="{"num" if c.kind in NUMERIC_KINDS else ""}">'
                        f"{e(cell_text(report, row, i))}</td>" for i, c in enumerate(report.columns))
        body.append(f"<tr{klass}>{cells}</tr>")
    last = len(body) - (report.totals is not None)  # the totals row stays with the rows above it
    cuts = [0, *range(FIRST_PAGE_ROWS, last, ROWS_PER_PAGE), len(body)]
    pages = "<pdf:nextpage />".join(
        f'<table repeat="1"><thead><tr>{heads}</tr></thead><tbody>{"".join(body[a:b])}</tbody></table>'
        for a, b in itertools.pairwise(cuts) if b > a or not body)
    notes = "".join(f"<p class='note'>{e(n)}</p>" for n in report.notes)
    chart = (f"<pre class='chart'>{e(chart_text(report.chart, report.currency or 'GBP', 30))}</pre>"
             if report.chart else "")
    return f"""<html><head><style>
    {font_faces_css()}
    @page {{ size: a4 landscape; margin: 1.5cm; @frame footer {{ -pdf-frame-content: foot; bottom: 0.6cm;
      margin-left: 1.5cm; margin-right: 1.5cm; height: 0.6cm; }} }}
    body {{ font-family: {FONT_STACK}; font-size: 8pt; }}
    h1 {{ font-size: 14pt; margin: 0; }} .period {{ color: #555; margin-bottom: 8pt; }}
    table {{ width: 100%; }} th {{ text-align: left; border-bottom: 1px solid #333; padding: 2pt; }}
    td {{ padding: 2pt; border-bottom: 0.5px solid #ddd; }} .num {{ text-align: right; }}
    tr.total td {{ font-weight: bold; border-top: 1px solid #333; }} .note {{ color: #333; }}
    .chart {{ font-family: "Billfold Sans"; font-size: 7pt; }}
    </style></head><body>
    <div id="foot">{e(company_name)} · {e(report.title)} · page <pdf:pagenumber/></div>
    <h1>{e(report.title)}</h1><div class="period">{e(report.period_label)}</div>
    {pages}
    {chart}{notes}</body></html>"""


def to_pdf(report: Report, company_name: str) -> bytes:
    """The report as PDF bytes, rendered here; ValidationError past MAX_PDF_ROWS rows."""
    from exports.pdf import render_html

    check_pdf_rows(report)
    return render_html(to_html(report, company_name))


def export_report(report: Any, fmt: str, company_name: str,
                  render_pdf: Callable[[str], bytes] | None = None) -> bytes:
    """The report as a file's bytes in `fmt` (pdf, csv, or txt/text): what the preview's p, c, t and
    `billfold report --format` write. `render_pdf` turns the HTML into PDF (default: here, in-process;
    the application passes its render worker so the screen stays live)."""
    if fmt == "pdf":
        from exports.pdf import render_html

        check_pdf_rows(report)
        return (render_pdf or render_html)(to_html(report, company_name))
    text = to_csv(report) if fmt == "csv" else to_text(report)
    return text.encode("utf-8")
