"""Documents say what they are: a void invoice is VOID on every page, owes nothing and shows no payment;
a credit note names what it credits; a reminder names its invoices and their days overdue."""
from __future__ import annotations

import dataclasses
import io

import pypdf

from exports.from_books import invoice_pdf
from exports.pdf import render_invoice, render_reminder
from exports.pdf.samples import sample_company, sample_invoice, sample_reminder
from store.customers import CustomerData, create_customer
from store.invoices import credit_invoice, void_invoice
from tests.conftest import line, post


def pages_text(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_a_voided_invoice_from_the_books_says_void_and_owes_nothing(books) -> None:
    account = create_customer(CustomerData(name="Heron Mills", email="h@example.com")).account_no
    number = post(account, line(price=138550)).number  # 1,385.50 + 20% = 1,662.60
    void_invoice(number, "keyed twice")
    (page,) = pages_text(invoice_pdf(number))
    assert "Invoice VOID" in page and "VOID: this invoice was cancelled (keyed twice). Nothing is due on it." in page
    assert "Total GBP £1,662.60" in page and "Void: nothing due" in page
    assert "Paid" not in page and "Amount due" not in page and "How to pay" not in page.title()


def test_void_is_on_every_page_of_a_long_invoice() -> None:
    doc = dataclasses.replace(sample_invoice(90), void_reason="order cancelled", amount_paid_minor=0)
    doc = dataclasses.replace(doc, amount_due_minor=doc.total_minor)
    pages = pages_text(render_invoice(doc, sample_company()))
    assert len(pages) >= 3
    assert all("VOID" in page for page in pages)
    assert not any("Paid" in page or "Amount due" in page for page in pages)
    live = pages_text(render_invoice(dataclasses.replace(doc, void_reason=None), sample_company()))
    assert not any("VOID" in page for page in live) and "Amount due" in live[-1]


def test_a_credit_note_from_the_books_names_the_invoice_it_credits(books) -> None:
    account = create_customer(CustomerData(name="Heron Mills", email="h@example.com")).account_no
    number = post(account, line(price=10000)).number
    credit = credit_invoice(number, "damaged", amount_minor=2400)
    (page,) = pages_text(invoice_pdf(credit.number))
    assert f"This credit note is issued against invoice {number}." in page
    assert f"Credits invoice {number}" in page and "£24.00" in page


def test_a_reminder_names_each_invoice_and_its_days_overdue() -> None:
    doc = sample_reminder(2)
    text = " ".join(pages_text(render_reminder(doc, sample_company())))
    assert "Days overdue" in text
    for item in doc.items:
        assert f"{item.number} " in text and f" {item.days_overdue} " in text


def _large_text(pdf: bytes, min_pt: float) -> list[list[str]]:
    """Per page, the text drawn at `min_pt` or larger (matrix scale included)."""
    pages = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        found: list[str] = []

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float, into: list[str] = found
                  ) -> None:
            if text.strip() and size * abs(tm[3]) * abs(cm[3] or 1) >= min_pt:
                into.append(text.strip())

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def test_a_void_invoice_has_a_large_void_watermark_behind_every_page() -> None:
    """Seen as a picture (pdftoppm): a pale 150 pt VOID across the middle of each page, under the rows."""
    doc = dataclasses.replace(sample_invoice(90), void_reason="order cancelled", amount_paid_minor=0)
    pages = _large_text(render_invoice(doc, sample_company()), 100)
    assert len(pages) >= 3 and all(page == ["VOID"] for page in pages)
    live = _large_text(render_invoice(dataclasses.replace(doc, void_reason=None), sample_company()), 100)
    assert live and not any(live)
