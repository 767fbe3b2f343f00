"""Disputes: a customer contests (part of) an invoice; resolved by a credit note or rejected."""
from __future__ import annotations

from dataclasses import dataclass

from store.audit import record_event
from store.errors import Conflict, NotFound, ValidationError, required
from store.fields import utcnow
from store.invoices import credit_invoice, get_live
from store.kinds import DisputeStatus
from store.models import Dispute, Invoice
from store.money import format_money
from store.permissions import Action
from store.service import run_service
from store.session import current_operator, require


@dataclass(frozen=True, slots=True)
class DisputeResult:
    id: int
    invoice: str
    status: str
    amount_minor: int
    credit_note: str | None = None


def _result(d: Dispute) -> DisputeResult:
    return DisputeResult(d.id, d.invoice.posted_number, d.status, d.amount_minor,
                         d.credit_note.posted_number if d.credit_note is not None else None)


def open_dispute(invoice_number: str, amount_minor: int, reason: str, note: str = "") -> DisputeResult:
    required("reason", reason)

    def body() -> DisputeResult:
        require(Action.DISPUTE)
        invoice = get_live(invoice_number, "is void")
        if not 0 < amount_minor <= invoice.total_minor:
            raise ValidationError("amount", f"is more than zero and at most the invoice total "
                                            f"{format_money(invoice.total_minor, invoice.currency)}")
        if Dispute.select().where((Dispute.invoice == invoice.id) & (Dispute.status == DisputeStatus.OPEN)).exists():
            raise Conflict(f"invoice {invoice.number} already has an open dispute")
        dispute = Dispute.create(invoice=invoice.id, amount_minor=amount_minor, reason=reason.strip(),
                                 note=note.strip(), opened_by=current_operator())
        record_event("dispute.open", "dispute", dispute.id, customer_id=invoice.customer_id,
                     after={"invoice": invoice.number, "amount_minor": amount_minor, "reason": reason.strip()})
        return _result(dispute)

    return run_service("open_dispute", {}, None, DisputeResult, body)


def _get_open(dispute_id: int) -> Dispute:
    dispute = Dispute.get_or_none(Dispute.id == dispute_id)
    if dispute is None:
        raise NotFound(f"dispute {dispute_id}: no such dispute")
    if dispute.status != DisputeStatus.OPEN:
        raise Conflict(f"dispute {dispute_id} is already {dispute.status}")
    return dispute


def resolve_with_credit(dispute_id: int, note: str = "") -> DisputeResult:
    """Accept the dispute: a credit note for the disputed amount (through the credit note service)."""
    def body() -> DisputeResult:
        require(Action.CREDIT)
        dispute = _get_open(dispute_id)
        invoice: Invoice = dispute.invoice
        credit = credit_invoice(invoice.posted_number, f"dispute {dispute.id}: {dispute.reason}",
                                amount_minor=dispute.amount_minor)
        Dispute.update(status=DisputeStatus.CREDITED, credit_note=credit.id, resolved_at=utcnow(),
                       resolved_by=current_operator(),
                       resolution_note=note.strip()).where(Dispute.id == dispute.id).execute()
        record_event("dispute.credit", "dispute", dispute.id, customer_id=invoice.customer_id,
                     before={"status": DisputeStatus.OPEN}, after={"status": DisputeStatus.CREDITED,
                                                                   "credit_note": credit.number})
        return _result(Dispute.get_by_id(dispute.id))

    return run_service("resolve_dispute", {}, None, DisputeResult, body)


def reject_dispute(dispute_id: int, note: str) -> DisputeResult:
    if not note.strip():
        raise ValidationError("note", "say why the dispute is rejected")

    def body() -> DisputeResult:
        require(Action.DISPUTE)
        dispute = _get_open(dispute_id)
        Dispute.update(status=DisputeStatus.REJECTED, resolved_at=utcnow(), resolved_by=current_operator(),
                       resolution_note=note.strip()).where(Dispute.id == dispute.id).execute()
        record_event("dispute.reject", "dispute", dispute.id, customer_id=dispute.invoice.customer_id,
                     before={"status": DisputeStatus.OPEN}, after={"status": DisputeStatus.REJECTED,
                                                                   "note": note.strip()})
        return _result(Dispute.get_by_id(dispute.id))

    return run_service("reject_dispute", {}, None, DisputeResult, body)


def open_dispute_of(invoice_number: str) -> DisputeResult | None:
    """The invoice's open dispute, if it has one."""
    dispute = (Dispute.select().join(Invoice, on=(Dispute.invoice == Invoice.id))
               .where((Invoice.number == invoice_number.strip().upper())
                      & (Dispute.status == DisputeStatus.OPEN)).first())
    return _result(dispute) if dispute else None
