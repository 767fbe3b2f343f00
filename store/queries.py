"""Read-only views of the books for screens, the command line and documents.

Each function returns small frozen records of plain values, so callers (tui/, exports/) never
see a Peewee model or a query.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from peewee import fn

from store import clock
from store.customers import get_customer
from store.errors import NotFound
from store.kinds import DisputeStatus, DocumentKind, DocumentState, InvoiceStatus, PaymentStatus, RefundStatus
from store.models import (
    Allocation,
    AuditEvent,
    Customer,
    CustomerNote,
    Dispute,
    Invoice,
    InvoiceLine,
    InvoiceVoid,
    OpenItem,
    Payment,
    Refund,
    WriteOff,
)
from store.open_items import BUCKETS as BUCKETS  # these were here first: callers still find them here
from store.open_items import OpenDocument as OpenDocument
from store.open_items import aging_of as aging_of
from store.open_items import bucket_of as bucket_of
from store.open_items import open_aging
from store.open_items import open_documents as open_documents
from store.open_items import open_documents_page as open_documents_page
from store.open_items import open_key as open_key
from store.payments import customer_credit, get_payment
from store.sql import sum_of


@dataclass(frozen=True, slots=True)
class CustomerView:
    id: int
    account_no: str
    name: str
    contact_name: str
    address1: str
    address2: str
    city: str
    postcode: str
    country: str
    email: str
    phone: str
    currency: str
    terms_days: int
    credit_limit_minor: int
    tax_id: str
    status: str
    hold_reason: str
    channel: str
    notes: str
    version: int
    updated_at: dt.datetime
    updated_by: str
    balance_minor: int
    credit_minor: int
    overdue_minor: int
    aging: dict[str, int] = field(default_factory=dict)
    disputed: bool = False
    tax_code: str = ""  # the default for a line typed without one
    region: str = ""  # state, province or prefecture


@dataclass(frozen=True, slots=True)
class CustomerCard:
    """Who a customer is, without any figures: for addressing documents (cheap to read)."""

    account_no: str
    name: str
    contact_name: str
    address1: str
    address2: str
    city: str
    postcode: str
    country: str
    tax_id: str
    email: str
    channel: str
    currency: str
    region: str = ""


def customer_card(account_no: str) -> CustomerCard:
    row = get_customer(account_no)
    return CustomerCard(row.account_no, row.name, row.contact_name, row.address1, row.address2, row.city,
                        row.postcode, row.country, row.tax_id, row.email, row.channel, row.currency,
                        region=row.region)


def customer_view(account_no: str, as_of: dt.date | None = None) -> CustomerView:
    row = get_customer(account_no)
    aging, disputed = open_aging(row.id, as_of or clock.today())
    credit = customer_credit(row.id)
    open_total = sum(aging.values())
    unallocated = sum_of(Payment.unallocated_minor, (Payment.customer == row.id)
                         & (Payment.status == PaymentStatus.OPEN))
    return CustomerView(
        row.id, row.account_no, row.name, row.contact_name, row.address1, row.address2, row.city, row.postcode,
        row.country, row.email, row.phone, row.currency, row.terms_days, row.credit_limit_minor, row.tax_id,
        row.status, row.hold_reason, row.channel, row.notes, row.version, row.updated_at, row.updated_by,
        balance_minor=open_total - unallocated, credit_minor=credit,
        overdue_minor=sum(v for k, v in aging.items() if k != "current"), aging=aging, disputed=disputed,
        tax_code=row.tax_code, region=row.region)


@dataclass(frozen=True, slots=True)
class LineView:
    position: int
    item_code: str
    description: str
    quantity: Decimal
    unit_price_minor: int
    discount_percent: Decimal
    tax_code: str
    tax_rate: Decimal
    net_minor: int
    tax_minor: int


@dataclass(frozen=True, slots=True)
class InvoiceView:
    id: int
    number: str | None
    kind: str
    status: str  # draft, posted, void
    account_no: str
    customer_name: str
    issue_date: dt.date
    due_date: dt.date
    currency: str
    reference: str
    memo: str
    subtotal_minor: int
    tax_minor: int
    total_minor: int
    open_minor: int
    paid_minor: int
    credited_minor: int
    written_off_minor: int
    credited_invoice: str | None
    lines: tuple[LineView, ...]
    version: int
    void_reason: str = ""
    tax_rounding: str = "line"


def _invoice_view(invoice: Invoice) -> InvoiceView:
    item = OpenItem.get_or_none(OpenItem.document == invoice.id)
    void = InvoiceVoid.get_or_none(InvoiceVoid.invoice == invoice.id)
    lines = tuple(
        LineView(ln.position, ln.item.code if ln.item is not None else "", ln.description, ln.quantity,
                 ln.unit_price_minor, ln.discount_percent, ln.tax_code_id, ln.tax_rate, ln.net_minor, ln.tax_minor)
        for ln in invoice.lines.order_by(InvoiceLine.position))
    paid = sum_of(Allocation.amount_minor, (Allocation.invoice == invoice.id) & Allocation.payment.is_null(False))
    credited = sum_of(Allocation.amount_minor,
                      (Allocation.invoice == invoice.id) & Allocation.credit_note.is_null(False))
    written = sum_of(WriteOff.amount_minor, WriteOff.invoice == invoice.id)
    customer = invoice.customer
    return InvoiceView(
        invoice.id, invoice.number, invoice.kind, DocumentState.VOID if void else invoice.status, customer.account_no,
        customer.name, invoice.issue_date, invoice.due_date, invoice.currency, invoice.reference, invoice.memo,
        invoice.subtotal_minor, invoice.tax_minor, invoice.total_minor, item.open_minor if item else 0, paid, credited,
        written, invoice.credited_invoice.number if invoice.credited_invoice_id else None, lines, invoice.version,
        void.reason if void else "", invoice.tax_rounding)


def invoice_view(number: str) -> InvoiceView:
    invoice = Invoice.get_or_none(Invoice.number == number.strip().upper())
    if invoice is None:
        raise NotFound(f"document {number}: no such invoice or credit note")
    return _invoice_view(invoice)


def draft_view(invoice_id: int) -> InvoiceView:
    invoice = Invoice.get_or_none((Invoice.id == invoice_id) & (Invoice.status == InvoiceStatus.DRAFT))
    if invoice is None:
        raise NotFound(f"draft {invoice_id}: no such draft")
    return _invoice_view(invoice)


@dataclass(frozen=True, slots=True)
class DocumentRow:
    number: str
    kind: str
    status: str
    issue_date: dt.date
    due_date: dt.date
    total_minor: int
    open_minor: int


def customer_documents(account_no: str, limit: int = 200) -> list[DocumentRow]:
    row = get_customer(account_no)
    voids = {v.invoice_id for v in InvoiceVoid.select(InvoiceVoid.invoice).join(Invoice)
             .where(Invoice.customer == row.id)}
    query = (Invoice.select(Invoice.id, Invoice.number, Invoice.kind, Invoice.status, Invoice.issue_date,
                            Invoice.due_date, Invoice.total_minor, OpenItem.open_minor)
             .join(OpenItem, on=(OpenItem.document == Invoice.id))
             .where((Invoice.customer == row.id) & (Invoice.status == InvoiceStatus.POSTED))
             .order_by(Invoice.issue_date.desc(), Invoice.id.desc()).limit(limit).tuples().iterator())
    return [DocumentRow(number, kind, DocumentState.VOID if doc_id in voids else status, issued, due, total,
                        open_minor)
            for doc_id, number, kind, status, issued, due, total, open_minor in query]


@dataclass(frozen=True, slots=True)
class PaymentRow:
    number: str
    received_date: dt.date
    method: str
    amount_minor: int
    unallocated_minor: int
    reference: str
    status: str
    allocations: tuple[tuple[str, int], ...]


def customer_payments(account_no: str, limit: int = 200) -> list[PaymentRow]:
    row = get_customer(account_no)
    return _payment_rows(Payment.select().where(Payment.customer == row.id)
                         .order_by(Payment.received_date.desc(), Payment.id.desc()).limit(limit))


@dataclass(frozen=True, slots=True)
class PaymentView:
    number: str
    account_no: str | None
    received_date: dt.date
    method: str
    amount_minor: int
    unallocated_minor: int
    currency: str
    reference: str
    payer: str
    status: str
    allocations: tuple[tuple[str, int], ...]


def payment_view(number: str) -> PaymentView:
    p = get_payment(number)
    row = _payment_rows([p])[0]
    return PaymentView(p.number, p.customer.account_no if p.customer is not None else None, p.received_date, p.method,
                       p.amount_minor, p.unallocated_minor, p.currency, p.reference, p.payer, p.status, row.allocations)


def _payment_rows(selected: Iterable[Payment]) -> list[PaymentRow]:
    payments = list(selected)
    allocs: dict[int, dict[str, int]] = {}
    for payment_id, number, amount in (
            Allocation.select(Allocation.payment, Invoice.number, fn.SUM(Allocation.amount_minor))
            .join(Invoice, on=(Allocation.invoice == Invoice.id))
            .where(Allocation.payment.in_([p.id for p in payments]))
            .group_by(Allocation.payment, Invoice.number).tuples().iterator()):
        if amount:
            allocs.setdefault(payment_id, {})[number] = int(amount)
    return [PaymentRow(p.number, p.received_date, p.method, p.amount_minor, p.unallocated_minor, p.reference,
                       p.status, tuple(sorted(allocs.get(p.id, {}).items()))) for p in payments]


@dataclass(frozen=True, slots=True)
class ActivityRow:
    at: dt.datetime
    operator: str
    action: str
    entity_id: str
    detail: str


def customer_activity(account_no: str, limit: int = 200) -> list[ActivityRow]:
    row = get_customer(account_no)
    events = (AuditEvent.select().where(AuditEvent.customer == row.id).order_by(AuditEvent.id.desc()).limit(limit))
    return [ActivityRow(e.at, e.operator, e.action, e.entity_id, _describe(e.before, e.after)) for e in events]


def _describe(before: object, after: object) -> str:
    if isinstance(after, dict) and isinstance(before, dict) and before:
        return ", ".join(f"{k}: {before.get(k)!s} -> {v!s}" for k, v in after.items())
    if isinstance(after, dict):
        return ", ".join(f"{k}={v}" for k, v in after.items())
    return ""


@dataclass(frozen=True, slots=True)
class NoteRow:
    at: dt.datetime
    operator: str
    text: str


def customer_notes(account_no: str) -> list[NoteRow]:
    row = get_customer(account_no)
    return [NoteRow(n.created_at, n.created_by, n.text)
            for n in CustomerNote.select().where(CustomerNote.customer == row.id).order_by(CustomerNote.id.desc())]


@dataclass(frozen=True, slots=True)
class BooksSummary:
    customers: int
    invoices: int
    credit_notes: int
    payments: int
    refunds: int
    receivables_minor: dict[str, int]
    overdue_customers: int
    disputes_open: int


def books_summary(as_of: dt.date | None = None) -> BooksSummary:
    as_of = as_of or clock.today()
    receivables = {currency: int(n)
                   for currency, n in (OpenItem.select(OpenItem.currency, fn.SUM(OpenItem.open_minor))
                                       .group_by(OpenItem.currency).tuples().iterator())}
    overdue = (OpenItem.select(fn.COUNT(fn.DISTINCT(OpenItem.customer)))
               .where((OpenItem.open_minor > 0) & (OpenItem.due_date < as_of)).scalar())
    posted = Invoice.status == InvoiceStatus.POSTED
    return BooksSummary(
        Customer.select().count(), Invoice.select().where(posted & (Invoice.kind == DocumentKind.INVOICE)).count(),
        Invoice.select().where(posted & (Invoice.kind == DocumentKind.CREDIT_NOTE)).count(), Payment.select().count(),
        Refund.select().where(Refund.status == RefundStatus.POSTED).count(), receivables, int(overdue or 0),
        Dispute.select().where(Dispute.status == DisputeStatus.OPEN).count())


@dataclass(frozen=True, slots=True)
class DraftRow:
    id: int
    account_no: str
    customer_name: str
    issue_date: dt.date
    total_minor: int
    currency: str
    lines: int
    created_by: str


def list_drafts(limit: int = 200) -> list[DraftRow]:
    """Drafts waiting to be finished, newest first."""
    drafts = list(Invoice.select(Invoice.id, Customer.account_no, Customer.name, Invoice.issue_date,
                                 Invoice.total_minor, Invoice.currency, Invoice.created_by)
                  .join(Customer).where(Invoice.status == InvoiceStatus.DRAFT).order_by(Invoice.id.desc())
                  .limit(limit).tuples().iterator())
    n_lines: dict[int, int] = dict(
        InvoiceLine.select(InvoiceLine.invoice, fn.COUNT(InvoiceLine.id))
        .where(InvoiceLine.invoice.in_([d[0] for d in drafts])).group_by(InvoiceLine.invoice).tuples().iterator())
    return [DraftRow(draft_id, account_no, name, issued, total, currency, n_lines.get(draft_id, 0), created_by)
            for draft_id, account_no, name, issued, total, currency, created_by in drafts]
