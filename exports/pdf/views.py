"""The three printed documents as HTML: invoices and credit notes, statements, payment reminders.

Each builder turns a record of exports.documents into table rows and template values, estimates
what follows its table so the page count can be printed without a second layout pass, and
returns the HTML with that count (or with `pages`, once the real count is known).
"""
from __future__ import annotations

from exports.documents import (
    REMINDER_LEVELS,
    Company,
    DocLine,
    InvoiceDoc,
    ReminderDoc,
    StatementDoc,
    StatementRow,
)
from exports.pdf.format import Formatter, paragraphs
from exports.pdf.html import (
    LETTER_PT,
    PAY_PT,
    Cell,
    Column,
    DocumentHtml,
    TableRow,
    base_context,
    description_lines,
    finish,
    page_chunks,
    panel_mm,
    scrub,
)
from exports.pdf.layout import GEOMETRY, PT_PER_MM, wrapped_lines

# --- invoices and credit notes ---------------------------------------------------------------

def _invoice_columns(doc: InvoiceDoc, fmt: Formatter) -> list[Column]:
    # The currency is in the title block: "(GBP)" in a header would wrap it to two lines.
    columns = [Column("#", 7), Column("Description"), Column("Qty", 15, "num"), Column("Unit price", 24, "num")]
    if any(fmt.percent(line.discount_percent) for line in doc.lines):
        columns.append(Column("Disc.", 13, "num"))
    return [*columns, Column("Tax", 15, "num"), Column("Net", 25, "num")]


def _invoice_row(index: int, line: DocLine, fmt: Formatter, with_discount: bool) -> TableRow:
    cells: list[Cell] = [str(index), description_lines(line.description), fmt.number(line.quantity),
                         fmt.amount(line.unit_price_minor)]
    if with_discount:
        cells.append(fmt.percent(line.discount_percent))
    tax = f"{line.tax_code} {fmt.percent(line.tax_rate) or '0%'}".strip()
    return TableRow((*cells, tax, fmt.amount(line.net_minor)))


def invoice_html(doc: InvoiceDoc, company: Company, pages: int | None = None) -> DocumentHtml:
    """An invoice or credit note; `pages` is the count to print, None to estimate it."""
    doc, company = scrub(doc), scrub(company)
    fmt = Formatter(company.locale, doc.currency)
    credit = doc.kind == "credit_note"
    columns = _invoice_columns(doc, fmt)
    with_discount = any(col.label == "Disc." for col in columns)
    rows = [_invoice_row(i, line, fmt, with_discount) for i, line in enumerate(doc.lines, 1)]
    docinfo = [
        ("Credit note no." if credit else "Invoice no.", doc.number),
        ("Date", fmt.date(doc.issue_date)),
        ("Due date", "" if credit else fmt.date(doc.due_date)),
        ("Credits invoice", doc.credited_invoice_number or ""),
        ("Account", doc.customer.account_no),
        ("Currency", doc.currency),
        ("Your reference", doc.reference),
        ("Your tax ID", doc.customer.tax_id),
    ]
    context = base_context(company, doc.customer, fmt, "Credit note" if credit else "Invoice", doc.number, docinfo)
    memo = paragraphs(doc.memo)
    due_text = "" if credit or doc.amount_due_minor <= 0 else (
        f"Amount due {fmt.money(doc.amount_due_minor)}" + (f" by {fmt.date(doc.due_date)}" if doc.due_date else ""))
    context.update(doc=doc, columns=columns, credit=credit, memo=memo, due_text=due_text)
    totals_rows = 2 + len(doc.tax_summaries) + bool(doc.amount_paid_minor) + (not credit)
    memo_lines = sum(len(p) for p in memo) + len(memo)
    after_mm = 6 + max(5.5 * totals_rows, 9 + 4.2 * memo_lines)
    if not credit:
        after_mm += panel_mm(len(company.payment_lines) + 2)
    table = page_chunks(columns, rows, GEOMETRY[company.page_size], 8 if credit else 0)
    return finish("invoice.html", context, table, after_mm, pages)


# --- statements ------------------------------------------------------------------------------

STATEMENT_COLUMNS = (Column("Date", 21), Column("Type", 16), Column("Number", 23), Column("Details"),
                     Column("Debit", 20, "num"), Column("Credit", 20, "num"), Column("Balance", 23, "num"))
STATEMENT_SUMMARY_MM = 22  # the summary strip above the table
AGING_MM = 23  # the ageing strip below it


def _statement_row(row: StatementRow, fmt: Formatter) -> TableRow:
    return TableRow((fmt.short_date(row.date), row.kind, row.number, description_lines(row.description),
                     fmt.amount_or_blank(row.debit_minor), fmt.amount_or_blank(row.credit_minor),
                     fmt.amount(row.balance_minor)))


def statement_html(doc: StatementDoc, company: Company, pages: int | None = None) -> DocumentHtml:
    """A statement of account; `pages` is the count to print, None to estimate it."""
    doc, company = scrub(doc), scrub(company)
    fmt = Formatter(company.locale, doc.currency)
    columns = list(STATEMENT_COLUMNS)  # the currency is in the title block; "(GBP)" would wrap
    carried = TableRow((fmt.short_date(doc.period_from), "", "", ("Balance brought forward",), "", "",
                        fmt.amount(doc.opening_balance_minor)), "carried")
    total = TableRow(("", "", "", ("Totals for the period",), fmt.amount(doc.total_debit_minor),
                      fmt.amount(doc.total_credit_minor), fmt.amount(doc.closing_balance_minor)), "sum")
    rows = [carried, *(_statement_row(row, fmt) for row in doc.rows), total]
    period = f"{fmt.date(doc.period_from)} – {fmt.date(doc.period_to)}"
    docinfo = [("Statement date", fmt.date(doc.period_to)), ("Period", period),
               ("Account", doc.customer.account_no), ("Currency", doc.currency),
               ("Your tax ID", doc.customer.tax_id)]
    context = base_context(company, doc.customer, fmt, "Statement", doc.customer.account_no, docinfo)
    # On a statement the payment details go on the first page, under the summary: the last page
    # of a long statement is no place to look for them.
    if doc.closing_balance_minor > 0:
        pay = [f"Balance due {fmt.money(doc.closing_balance_minor)}.", *company.payment_lines,
               f"Please quote {doc.customer.account_no} with your payment."]
    else:
        pay = ["Nothing to pay: thank you."]
    context.update(doc=doc, columns=columns, pay=pay)
    geometry = GEOMETRY[company.page_size]
    pay_mm = 4 + wrapped_lines(" · ".join(pay), geometry.content_width - 6, PAY_PT) * PAY_PT * 1.35 / PT_PER_MM
    table = page_chunks(columns, rows, geometry, STATEMENT_SUMMARY_MM + pay_mm)
    return finish("statement.html", context, table, AGING_MM, pages)


# --- payment reminders -----------------------------------------------------------------------

REMINDER_COLUMNS = (Column("Invoice"), Column("Issued", 28), Column("Due", 28), Column("Days overdue", 24, "num"))
SIGNATURE_MM = 25


def reminder_html(doc: ReminderDoc, company: Company, pages: int | None = None) -> DocumentHtml:
    """A payment reminder; `pages` is the count to print, None to estimate it."""
    doc, company = scrub(doc), scrub(company)
    fmt = Formatter(company.locale, doc.currency)
    columns = [*REMINDER_COLUMNS, Column("Amount due", 34, "num")]
    rows = [TableRow((item.number, fmt.date(item.issue_date), fmt.date(item.due_date), str(item.days_overdue),
                      fmt.amount(item.amount_due_minor))) for item in doc.items]
    rows.append(TableRow(("Total due", "", "", "", fmt.amount(doc.total_due_minor)), "sum"))
    letter = paragraphs(doc.body_text)
    docinfo = [("Date", fmt.date(doc.date)), ("Account", doc.customer.account_no), ("Currency", doc.currency),
               ("Your tax ID", doc.customer.tax_id)]
    context = base_context(company, doc.customer, fmt, doc.title, doc.customer.account_no, docinfo,
                           urgent=doc.level == max(REMINDER_LEVELS))
    context.update(doc=doc, columns=columns, letter=letter, due_text=f"Total due {fmt.money(doc.total_due_minor)}")
    geometry = GEOMETRY[company.page_size]
    letter_mm = 8 + sum(_paragraph_mm(" ".join(lines), geometry.content_width) for lines in letter)
    table = page_chunks(columns, rows, geometry, letter_mm)
    return finish("reminder.html", context, table, panel_mm(len(company.payment_lines) + 2) + SIGNATURE_MM, pages)


def _paragraph_mm(text: str, width_mm: float) -> float:
    """A paragraph of the letter: 9.5 pt text, 1.45 line spacing, 2.5 mm after."""
    return wrapped_lines(text, width_mm, LETTER_PT) * LETTER_PT * 1.45 / PT_PER_MM + 2.5
