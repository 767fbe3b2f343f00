"""Invoices and credit notes: drafts, posting, voids and credits.

A draft is saved whole or not at all. Posting takes the number, posts Dr receivables / Cr sales /
Cr tax and writes the audit event in one transaction. A posted document never changes: a void
posts the reversal, a credit note credits all or some of it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal

from store import clock, ledger
from store.approvals import approving
from store.audit import record_event
from store.catalogue import Catalogue, load_catalogue, price_for
from store.customers import customer_balance, get_customer
from store.errors import Conflict, NeedsApproval, NotFound, ValidationError, required
from store.fields import utcnow
from store.kinds import CustomerStatus, DocumentKind, EntryKind, InvoiceStatus
from store.ledger import Posting
from store.models import Allocation, Customer, Invoice, InvoiceLine, InvoiceVoid, Item, OpenItem, TaxCode, WriteOff
from store.money import format_money, parse_amount, parse_quantity
from store.numbering import take_number
from store.outbox import queue_document
from store.periods import check_document_open
from store.permissions import Action
from store.pricing import PricedInvoice, price_lines, split_gross
from store.service import run_service, transaction
from store.session import current_operator, require
from store.settings import get_setting
from store.sql import sum_of

SERIES = {DocumentKind.INVOICE: "INV", DocumentKind.CREDIT_NOTE: "CN"}


@dataclass(frozen=True, slots=True)
class LineInput:
    description: str
    quantity: Decimal
    unit_price_minor: int
    tax_code: str
    discount_percent: Decimal = Decimal(0)
    item_code: str | None = None


@dataclass(frozen=True, slots=True)
class DraftInput:
    account_no: str
    issue_date: dt.date
    lines: tuple[LineInput, ...]
    due_date: dt.date | None = None
    reference: str = ""
    memo: str = ""


@dataclass(frozen=True, slots=True)
class PostedDocument:
    id: int
    number: str
    kind: str
    total_minor: int
    currency: str
    applied_minor: int = 0


@dataclass(frozen=True, slots=True)
class VoidResult:
    number: str
    reversed_minor: int
    currency: str


class CreditLimitExceeded(Conflict):
    """Posting would take the customer over their credit limit; the operator may confirm it."""

    def __init__(self, account_no: str, balance: int, total: int, limit: int, currency: str) -> None:
        self.balance, self.total, self.limit = balance, total, limit
        super().__init__(
            f"account {account_no}: balance {format_money(balance, currency)} plus this invoice "
            f"{format_money(total, currency)} exceeds the credit limit {format_money(limit, currency)}"
        )


# ---------------------------------------------------------------- parsing what was typed

def parse_line_fields(raw: Mapping[str, str], currency: str, catalogue: Catalogue | None = None,
                      default_tax: str = "") -> tuple[LineInput | None, dict[str, str]]:
    """One grid line as typed (item, description, quantity, price, discount, tax) -> LineInput or messages.

    An item code fills whatever the operator left blank from the catalogue; a line with neither a
    typed tax code nor an item's takes `default_tax` (the customer's). Given a loaded catalogue, no
    query is made (an entry screen checks lines as fast as they are typed).
    """
    catalogue = catalogue or load_catalogue()
    errors: dict[str, str] = {}
    code = (raw.get("item") or "").strip().upper()
    item = catalogue.items.get(code) if code else None
    if code and item is None:
        errors["item"] = f"'{code}' is not in the catalogue"
    description = (raw.get("description") or "").strip() or (item.description if item else "")
    if not description:
        errors["description"] = "is required"
    quantity = unit_price = discount = None
    try:
        quantity = parse_quantity(raw.get("quantity") or "1", "quantity")
        if quantity <= 0:
            errors["quantity"] = "must be more than zero"
    except ValidationError as exc:
        errors["quantity"] = exc.message
    price_text = (raw.get("unit_price") or "").strip()
    try:
        unit_price = parse_amount(price_text, currency, "unit_price") if price_text else (
            price_for(item, currency) if item else parse_amount("", currency, "unit_price"))
        if unit_price < 0:
            errors["unit_price"] = "cannot be negative (credit the invoice instead)"
    except ValidationError as exc:
        errors["unit_price"] = exc.message
    try:
        discount = parse_quantity(raw.get("discount") or "0", "discount", places=2)
        if not 0 <= discount <= 100:
            errors["discount"] = "is a percentage from 0 to 100"
    except ValidationError as exc:
        errors["discount"] = exc.message
    tax_code = (raw.get("tax_code") or "").strip().upper() or (item.tax_code if item else "") or default_tax
    if not tax_code:
        errors["tax_code"] = "is required (or give the customer a default tax code)"
    elif tax_code not in catalogue.tax_rates:
        errors["tax_code"] = f"'{tax_code}' is not a tax code"
    if errors:
        return None, errors
    return LineInput(description, quantity, unit_price, tax_code, discount,  # type: ignore[arg-type]
                     item.code if item else None), {}


# ---------------------------------------------------------------- drafts

def _tax_rates() -> dict[str, Decimal]:
    return {t.code: t.rate for t in TaxCode.select()}


def _check_lines(lines: Sequence[LineInput]) -> dict[str, Decimal]:
    rates = _tax_rates()
    for n, line in enumerate(lines, 1):
        where = f"line {n}"
        if not line.description.strip():
            raise ValidationError(f"{where} description", "is required")
        if line.quantity <= 0:
            raise ValidationError(f"{where} quantity", "must be more than zero")
        if line.unit_price_minor < 0:
            raise ValidationError(f"{where} unit price", "cannot be negative (credit the invoice instead)")
        if not 0 <= line.discount_percent <= 100:
            raise ValidationError(f"{where} discount", "is a percentage from 0 to 100")
        if line.tax_code not in rates:
            raise ValidationError(f"{where} tax code", f"'{line.tax_code}' is not a tax code")
    return rates


def _price(lines: Sequence[LineInput], rates: Mapping[str, Decimal], rounding: str) -> PricedInvoice:
    return price_lines([(ln.quantity, ln.unit_price_minor, ln.discount_percent, ln.tax_code, rates[ln.tax_code])
                        for ln in lines], rounding)


def preview_totals(lines: Sequence[LineInput], rates: Mapping[str, Decimal] | None = None,
                   rounding: str | None = None) -> PricedInvoice:
    """The totals an invoice with these lines would have, for the entry screen (writes nothing)."""
    return _price(lines, rates or _tax_rates(), rounding or get_setting("tax_rounding"))


def _write_lines(invoice_id: int, lines: Sequence[LineInput], priced: PricedInvoice,
                 rates: Mapping[str, Decimal], credited: Sequence[int | None] | None = None) -> None:
    codes = {ln.item_code for ln in lines if ln.item_code}
    items = {i.code: i.id for i in Item.select(Item.id, Item.code).where(Item.code.in_(codes))} if codes else {}
    InvoiceLine.insert_many([
        {"invoice": invoice_id, "position": n, "item": items.get(ln.item_code or ""), "description": ln.description,
         "quantity": ln.quantity, "unit_price_minor": ln.unit_price_minor, "discount_percent": ln.discount_percent,
         "tax_code": ln.tax_code, "tax_rate": rates[ln.tax_code], "net_minor": p.net_minor, "tax_minor": p.tax_minor,
         "credited_line": credited[n - 1] if credited else None}
        for n, (ln, p) in enumerate(zip(lines, priced.lines, strict=True), 1)
    ]).execute()


def _draft_values(data: DraftInput, customer: Customer) -> tuple[dict[str, object], PricedInvoice, dict[str, Decimal]]:
    if customer.status == CustomerStatus.CLOSED:
        raise ValidationError("customer", f"account {customer.account_no} is closed")
    rates = _check_lines(data.lines)
    rounding = get_setting("tax_rounding")
    priced = _price(data.lines, rates, rounding)
    due = data.due_date or data.issue_date + dt.timedelta(days=customer.terms_days)
    if due < data.issue_date:
        raise ValidationError("due_date", "is before the issue date")
    values = {"customer": customer.id, "issue_date": data.issue_date, "due_date": due, "currency": customer.currency,
              "reference": data.reference.strip(), "memo": data.memo.strip(), "tax_rounding": rounding,
              "subtotal_minor": priced.subtotal_minor, "tax_minor": priced.tax_minor, "total_minor": priced.total_minor}
    return values, priced, rates


def create_draft(data: DraftInput) -> Invoice:
    with transaction():
        require(Action.POST)
        customer = get_customer(data.account_no)
        values, priced, rates = _draft_values(data, customer)
        invoice = Invoice.create(kind=DocumentKind.INVOICE, series=SERIES[DocumentKind.INVOICE],
                                 created_by=current_operator(), **values)
        _write_lines(invoice.id, data.lines, priced, rates)
        record_event("invoice.draft", "invoice", invoice.id, customer_id=customer.id,
                     after={"total_minor": priced.total_minor, "lines": len(data.lines)})
        return invoice


def _get_draft(invoice_id: int) -> Invoice:
    invoice = Invoice.get_or_none(Invoice.id == invoice_id)
    if invoice is None:
        raise NotFound(f"draft {invoice_id}: no such draft")
    if invoice.status != InvoiceStatus.DRAFT:
        raise Conflict(f"invoice {invoice.number} is posted; posted invoices are never edited (credit or void it)")
    return invoice


def update_draft(invoice_id: int, data: DraftInput, expected_version: int) -> Invoice:
    """Replace a draft's header and lines as one whole."""
    with transaction():
        require(Action.POST)
        invoice = _get_draft(invoice_id)
        customer = get_customer(data.account_no)
        values, priced, rates = _draft_values(data, customer)
        changed = (Invoice.update(version=Invoice.version + 1, **values)
                   .where((Invoice.id == invoice_id) & (Invoice.version == expected_version)
                          & (Invoice.status == InvoiceStatus.DRAFT)).execute())
        if not changed:
            raise Conflict(f"draft {invoice_id} was changed by someone else since you opened it")
        InvoiceLine.delete().where(InvoiceLine.invoice == invoice_id).execute()
        _write_lines(invoice_id, data.lines, priced, rates)
        record_event("invoice.draft_update", "invoice", invoice_id, customer_id=customer.id,
                     before={"total_minor": invoice.total_minor}, after={"total_minor": priced.total_minor})
        return Invoice.get_by_id(invoice_id)


def delete_draft(invoice_id: int) -> None:
    with transaction():
        require(Action.POST)
        invoice = _get_draft(invoice_id)
        InvoiceLine.delete().where(InvoiceLine.invoice == invoice_id).execute()
        Invoice.delete().where((Invoice.id == invoice_id) & (Invoice.status == InvoiceStatus.DRAFT)).execute()
        record_event("invoice.draft_delete", "invoice", invoice_id, customer_id=invoice.customer_id,
                     before={"total_minor": invoice.total_minor})


# ---------------------------------------------------------------- posting

def _document_postings(invoice: Invoice) -> list[Posting]:
    """Dr receivables / Cr sales / Cr tax for an invoice; the reverse for a credit note."""
    refs = {"customer_id": invoice.customer_id, "document_id": invoice.id}
    cur = invoice.currency
    postings = [ledger.debit(ledger.RECEIVABLES, invoice.total_minor, cur, **refs),
                ledger.credit(ledger.SALES, invoice.subtotal_minor, cur, **refs)]
    lines = (InvoiceLine.select(InvoiceLine.quantity, InvoiceLine.unit_price_minor, InvoiceLine.discount_percent,
                                InvoiceLine.tax_code, InvoiceLine.tax_rate)
             .where(InvoiceLine.invoice == invoice.id).order_by(InvoiceLine.position))
    priced = price_lines([(ln.quantity, ln.unit_price_minor, ln.discount_percent, ln.tax_code_id, ln.tax_rate)
                          for ln in lines], invoice.tax_rounding)
    if priced.total_minor != invoice.total_minor:  # the header was priced from these lines when saved
        raise Conflict(f"document {invoice.id}: its total does not match its lines")
    postings += [ledger.credit(ledger.TAX_PAYABLE, t.tax_minor, cur, tax_code=t.code, **refs) for t in priced.taxes]
    return ledger.reverse(postings) if invoice.kind == DocumentKind.CREDIT_NOTE else postings


def _finalise(invoice: Invoice) -> Invoice:
    """Number, post and open the item of a draft, inside the caller's transaction."""
    if invoice.total_minor <= 0 and not invoice.lines.exists():
        raise ValidationError("lines", "an invoice needs at least one line")
    if invoice.total_minor <= 0:
        raise ValidationError("total", "must be more than zero")
    seq, number = take_number(invoice.series)
    entry = ledger.post_entry(invoice.kind, invoice.issue_date, _document_postings(invoice), memo=number)
    Invoice.update(status=InvoiceStatus.POSTED, number=number, seq=seq, journal_entry=entry.id, posted_at=utcnow(),
                   posted_by=current_operator()).where((Invoice.id == invoice.id)
                                                       & (Invoice.status == InvoiceStatus.DRAFT)).execute()
    sign = -1 if invoice.kind == DocumentKind.CREDIT_NOTE else 1
    OpenItem.create(document=invoice.id, customer=invoice.customer_id, currency=invoice.currency,
                    due_date=invoice.due_date, open_minor=sign * invoice.total_minor)
    queue_document(invoice.id, invoice.kind, invoice.customer)  # delivered through the outbox, once
    record_event(f"{invoice.kind}.post", invoice.kind, number, customer_id=invoice.customer_id,
                 after={"number": number, "total_minor": invoice.total_minor, "currency": invoice.currency,
                        "issue_date": invoice.issue_date, "due_date": invoice.due_date})
    invoice.status, invoice.number, invoice.seq, invoice.journal_entry = InvoiceStatus.POSTED, number, seq, entry
    return invoice


def _check_can_invoice(customer: Customer, total: int, allow_over_limit: bool) -> None:
    if customer.status == CustomerStatus.ON_HOLD:
        raise Conflict(f"account {customer.account_no} is on hold: {customer.hold_reason or 'no reason given'}")
    if customer.status in (CustomerStatus.CLOSED, CustomerStatus.IN_COLLECTIONS):
        raise Conflict(f"account {customer.account_no} is {customer.status.replace('_', ' ')}; it cannot be invoiced")
    if customer.credit_limit_minor and not allow_over_limit:
        balance = customer_balance(customer.id)
        if balance + total > customer.credit_limit_minor:
            raise CreditLimitExceeded(customer.account_no, balance, total, customer.credit_limit_minor,
                                      customer.currency)


def _posted_result(invoice: Invoice, applied: int = 0) -> PostedDocument:
    return PostedDocument(invoice.id, invoice.posted_number, invoice.kind, invoice.total_minor,
                          invoice.currency, applied)


def post_invoice(invoice_id: int, *, allow_over_limit: bool = False,
                 idempotency_key: str | None = None) -> PostedDocument:
    def body() -> PostedDocument:
        require(Action.POST)
        invoice = _get_draft(invoice_id)
        _check_can_invoice(invoice.customer, invoice.total_minor, allow_over_limit)
        return _posted_result(_finalise(invoice))

    return run_service("post_invoice", {"invoice_id": invoice_id}, idempotency_key, PostedDocument, body)


def create_and_post(data: DraftInput, *, allow_over_limit: bool = False,
                    idempotency_key: str | None = None) -> PostedDocument:
    def body() -> PostedDocument:
        require(Action.POST)
        draft = create_draft(data)
        _check_can_invoice(draft.customer, draft.total_minor, allow_over_limit)
        return _posted_result(_finalise(draft))

    return run_service("create_and_post", asdict(data), idempotency_key, PostedDocument, body)


# ---------------------------------------------------------------- voids and credits

def get_posted(number: str, kind: str = DocumentKind.INVOICE) -> Invoice:
    invoice = Invoice.get_or_none((Invoice.number == number.strip().upper()) & (Invoice.kind == kind))
    if invoice is None or invoice.status != InvoiceStatus.POSTED:
        label = "invoice" if kind == DocumentKind.INVOICE else "credit note"
        raise NotFound(f"{label} {number}: no such posted {label}")
    return invoice


def is_void(invoice_id: int) -> bool:
    return InvoiceVoid.select().where(InvoiceVoid.invoice == invoice_id).exists()


def get_live(number: str, if_void: str) -> Invoice:
    """A posted invoice that has not been voided; `if_void` ends the refusal ("invoice INV-1 is void...")."""
    invoice = get_posted(number)
    if is_void(invoice.id):
        raise Conflict(f"invoice {invoice.number} {if_void}")
    return invoice


def void_invoice(number: str, reason: str, *, idempotency_key: str | None = None) -> VoidResult:
    required("reason", reason, "is required to void an invoice")

    def body() -> VoidResult:
        require(Action.VOID)
        invoice = get_live(number, "is already void")
        paid = sum_of(Allocation.amount_minor, Allocation.invoice == invoice.id)
        if paid:
            raise Conflict(f"invoice {invoice.number} has {format_money(paid, invoice.currency)} of payments and "
                           "credits allocated to it; unallocate them first, or issue a credit note")
        if WriteOff.select().where(WriteOff.invoice == invoice.id).exists():
            raise Conflict(f"invoice {invoice.number} has been partly written off; issue a credit note instead")
        check_document_open(invoice.issue_date, f"invoice {invoice.number}")
        entry = ledger.post_entry(EntryKind.VOID, clock.today(), ledger.reverse(_document_postings(invoice)),
                                  memo=f"void {invoice.number}: {reason.strip()}")
        InvoiceVoid.create(invoice=invoice.id, reason=reason.strip(), journal_entry=entry.id,
                           created_by=current_operator())
        OpenItem.update(open_minor=0).where(OpenItem.document == invoice.id).execute()
        record_event("invoice.void", "invoice", invoice.number, customer_id=invoice.customer_id,
                     before={"open_minor": invoice.total_minor}, after={"open_minor": 0, "reason": reason.strip()})
        return VoidResult(invoice.posted_number, invoice.total_minor, invoice.currency)

    return run_service("void_invoice", {"number": number, "reason": reason}, idempotency_key, VoidResult, body)


def _credited_lines(invoice: Invoice) -> set[int]:
    originals = InvoiceLine.select(InvoiceLine.id).where(InvoiceLine.invoice == invoice.id)
    return {ln.credited_line_id for ln in InvoiceLine.select(InvoiceLine.credited_line)
            .join(Invoice).where((InvoiceLine.credited_line.in_(originals)) & (Invoice.status == InvoiceStatus.POSTED))
            if ln.credited_line_id is not None}


def _check_credit_limit(invoice: Invoice, total: int, reason: str, positions: Sequence[int] | None,
                        amount_minor: int | None) -> None:
    """A credit note over `credit_note_approval_minor` waits for a second person."""
    limit = int(get_setting("credit_note_approval_minor") or 0)
    if total > limit and approving() is None:
        params: dict[str, object] = {"invoice": invoice.posted_number, "reason": reason.strip(),
                                     "positions": list(positions or []),
                                     "amount_minor": amount_minor}
        raise NeedsApproval("credit_note", invoice.posted_number, params,
                            f"a credit note of {format_money(total, invoice.currency)} on {invoice.number} is over "
                            f"the {format_money(limit, invoice.currency)} limit: it needs a supervisor's approval",
                            customer_id=invoice.customer_id, amount_minor=total, currency=invoice.currency)


def credit_invoice(number: str, reason: str, *, positions: Sequence[int] | None = None,
                   amount_minor: int | None = None, on: dt.date | None = None,
                   idempotency_key: str | None = None) -> PostedDocument:
    """A credit note against a posted invoice: whole (the lines not yet credited), chosen lines, or an amount.

    The credit is applied to the invoice's open balance at once; any rest stays as customer credit.
    """
    required("reason", reason, "is required for a credit note")

    def body() -> PostedDocument:
        require(Action.CREDIT)
        invoice = get_live(number, "is void; there is nothing to credit")
        lines, credited = _credit_lines(invoice, positions, amount_minor)
        rates = _tax_rates()
        priced = _price(lines, rates, invoice.tax_rounding)
        _check_credit_limit(invoice, priced.total_minor, reason, positions, amount_minor)
        issued = on or clock.today()
        note = Invoice.create(kind=DocumentKind.CREDIT_NOTE, series=SERIES[DocumentKind.CREDIT_NOTE],
                              customer=invoice.customer_id,
                              issue_date=issued, due_date=issued, currency=invoice.currency,
                              reference=invoice.number, memo=reason.strip(), tax_rounding=invoice.tax_rounding,
                              subtotal_minor=priced.subtotal_minor, tax_minor=priced.tax_minor,
                              total_minor=priced.total_minor, credited_invoice=invoice.id,
                              created_by=current_operator())
        _write_lines(note.id, lines, priced, rates, credited)
        note = _finalise(note)
        already_credited = sum_of(Invoice.total_minor, (Invoice.credited_invoice == invoice.id)
                                & (Invoice.status == InvoiceStatus.POSTED))
        if already_credited > invoice.total_minor:
            raise ValidationError("amount", f"credits would exceed the invoice total "
                                            f"{format_money(invoice.total_minor, invoice.currency)}")
        open_now = OpenItem.get(OpenItem.document == invoice.id).open_minor
        applied = min(open_now, note.total_minor)
        if applied > 0:
            from store.payments import apply_credit_note  # the allocation rules live with payments

            apply_credit_note(note, invoice, applied, on=issued)
        return _posted_result(note, applied)

    request = {"number": number, "reason": reason, "positions": list(positions or []), "amount": amount_minor}
    return run_service("credit_invoice", request, idempotency_key, PostedDocument, body)


def _credit_lines(invoice: Invoice, positions: Sequence[int] | None, amount_minor: int | None
                  ) -> tuple[list[LineInput], list[int | None]]:
    originals = list(invoice.lines.order_by(InvoiceLine.position))
    if amount_minor is not None:
        if amount_minor <= 0:
            raise ValidationError("amount", "must be more than zero")
        first = originals[0]
        net, _tax = split_gross(amount_minor, first.tax_rate)
        line = LineInput(f"Credit against {invoice.number}", Decimal(1), net, first.tax_code_id)
        return [line], [None]
    done = _credited_lines(invoice)
    wanted = set(positions or [ln.position for ln in originals if ln.id not in done])
    unknown = wanted - {ln.position for ln in originals}
    if unknown:
        raise ValidationError("lines", f"invoice {invoice.number} has no line {min(unknown)}")
    chosen = [ln for ln in originals if ln.position in wanted]
    again = [ln.position for ln in chosen if ln.id in done]
    if again:
        raise ValidationError("lines", f"line {again[0]} of {invoice.number} has already been credited")
    if not chosen:
        raise ValidationError("lines", f"every line of {invoice.number} has already been credited")
    lines = [LineInput(ln.description, ln.quantity, ln.unit_price_minor, ln.tax_code_id, ln.discount_percent)
             for ln in chosen]
    return lines, [ln.id for ln in chosen]
