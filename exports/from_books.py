"""Documents filled from the books: store queries in, the plain records exports/pdf.py prints out."""
from __future__ import annotations

import datetime as dt

from exports.documents import (
    Aging,
    Company,
    DocLine,
    InvoiceDoc,
    OverdueItem,
    Party,
    ReminderDoc,
    StatementDoc,
    StatementRow,
    TaxSummary,
)
from store.kinds import DocumentKind, DocumentState
from store.pricing import price_lines
from store.queries import (
    CustomerCard,
    CustomerView,
    InvoiceView,
    customer_card,
    customer_view,
    invoice_view,
    open_documents,
)
from store.settings import get_setting
from store.statements import statement_of_account


def company_profile() -> Company:
    """The sender, from the company settings (one line per '|' in the multi-line ones)."""
    def lines(key: str) -> tuple[str, ...]:
        return tuple(p.strip() for p in get_setting(key).split("|") if p.strip())

    logo = get_setting("company_logo") or None
    return Company(name=get_setting("company_name"), address_lines=lines("company_address"),
                   tax_id=get_setting("company_tax_id"), payment_lines=lines("company_payment"),
                   email=get_setting("company_email"), phone=get_setting("company_phone"), logo_path=logo,
                   page_size=get_setting("page_size") or "A4",  # type: ignore[arg-type]
                   locale=get_setting("locale") or "en_GB")


def party_of(v: CustomerView | CustomerCard) -> Party:
    return Party(v.account_no, v.name, tuple(p for p in (v.address1, v.address2) if p),
                 v.city, v.postcode, v.country, v.tax_id, v.contact_name, v.region)


def invoice_document(number: str) -> InvoiceDoc:
    v: InvoiceView = invoice_view(number)
    lines = tuple(DocLine(ln.description, f"{ln.quantity:f}", ln.unit_price_minor,
                          "" if not ln.discount_percent else f"{ln.discount_percent:f}", ln.tax_code,
                          f"{ln.tax_rate.normalize():f}", ln.net_minor, ln.tax_minor) for ln in v.lines)
    # The document's own tax totals (rounded per line or per invoice as it was posted), by code.
    rates = {ln.tax_code: ln.tax_rate for ln in v.lines}
    doc_taxes = price_lines([(ln.quantity, ln.unit_price_minor, ln.discount_percent, ln.tax_code, ln.tax_rate)
                             for ln in v.lines], v.tax_rounding).taxes
    summaries = tuple(TaxSummary(t.code, f"{rates[t.code].normalize():f}", t.net_minor, t.tax_minor)
                      for t in doc_taxes)
    paid = v.total_minor - max(v.open_minor,
                               0) if v.kind == DocumentKind.INVOICE else v.total_minor + min(v.open_minor, 0)
    if v.status == DocumentState.VOID:
        paid = v.total_minor
    return InvoiceDoc(v.kind, v.number or f"DRAFT-{v.id}", v.issue_date,  # type: ignore[arg-type]
                      v.due_date if v.kind == DocumentKind.INVOICE else None, v.currency,
                      party_of(customer_card(v.account_no)), lines, summaries, v.subtotal_minor, v.tax_minor,
                      v.total_minor, paid, v.total_minor - paid, v.reference, v.memo, v.credited_invoice,
                      (v.void_reason or "voided") if v.status == DocumentState.VOID else None)


def statement_document(account_no: str, date_from: dt.date, date_to: dt.date) -> StatementDoc:
    s = statement_of_account(account_no, date_from, date_to)
    balance = s.opening_minor
    rows = []
    for m in s.moves:
        balance += m.change_minor
        rows.append(StatementRow(m.date, m.kind, m.reference, m.description, max(m.change_minor, 0),
                                 max(-m.change_minor, 0), balance))
    return StatementDoc(party_of(customer_view(account_no)), s.currency, date_from, date_to, s.opening_minor,
                        tuple(rows), s.closing_minor, Aging.from_buckets(s.aging))


def reminder_document(account_no: str, level: int, on: dt.date, numbers: list[str] | None = None) -> ReminderDoc:
    """A reminder listing the account's overdue invoices (or just `numbers`)."""
    v = customer_view(account_no, on)
    items = tuple(OverdueItem(d.number, d.issue_date, d.due_date, d.days_past_due, d.open_minor)
                  for d in open_documents(v.id, on)
                  if d.kind == DocumentKind.INVOICE and d.open_minor > 0 and d.days_past_due > 0
                  and (numbers is None or d.number in numbers))
    return ReminderDoc(level, party_of(v), on, v.currency, items, sum(i.amount_due_minor for i in items))


def invoice_pdf(number: str) -> bytes:
    """An invoice or credit note as PDF: the one rendering the document screen's w and `billfold pdf` share."""
    from exports.pdf import render_invoice

    return render_invoice(invoice_document(number), company_profile())
