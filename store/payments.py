"""Money in and out: payments, allocations, credit applications, refunds and write-offs.

Every amount that moves is guarded by a conditional UPDATE (`... WHERE unallocated >= amount`)
inside the transaction, so two operators racing for the same payment or invoice can never
allocate past what is there: the loser's transaction is refused and rolled back whole.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from store import clock, ledger
from store.approvals import approve_request, approving, pending_for_subject, reject_request, request_approval
from store.audit import record_event
from store.customers import get_customer
from store.errors import Conflict, NeedsApproval, NotFound, ValidationError, required
from store.fields import utcnow
from store.kinds import DocumentKind, EntryKind, InvoiceStatus, PaymentStatus, RefundStatus
from store.models import Allocation, Customer, Invoice, OpenItem, Payment, Refund, WriteOff
from store.money import check_currency, format_money
from store.numbering import take_number
from store.payment_methods import METHODS
from store.permissions import Action
from store.service import run_service
from store.session import current_operator, require
from store.settings import get_setting
from store.sql import sum_of


@dataclass(frozen=True, slots=True)
class PaymentInput:
    amount_minor: int
    currency: str
    method: str
    received_date: dt.date
    account_no: str | None = None
    reference: str = ""
    payer: str = ""
    payer_account: str = ""
    bank_txn_id: str | None = None
    fingerprint: str | None = None
    import_batch_id: int | None = None


@dataclass(frozen=True, slots=True)
class PaymentResult:
    id: int
    number: str
    amount_minor: int
    unallocated_minor: int
    currency: str


@dataclass(frozen=True, slots=True)
class AllocationResult:
    payment: str
    allocated_minor: int
    unallocated_minor: int
    invoices: list[str]


@dataclass(frozen=True, slots=True)
class RefundResult:
    number: str
    status: str
    amount_minor: int
    currency: str
    approval_id: int | None = None  # the approvals queue request, when it waits for a supervisor


@dataclass(frozen=True, slots=True)
class WriteOffResult:
    invoice: str
    amount_minor: int
    open_minor: int
    currency: str


def get_payment(number: str) -> Payment:
    row = Payment.get_or_none(Payment.number == number.strip().upper())
    if row is None:
        raise NotFound(f"payment {number}: no such payment")
    return row


def _payment_result(p: Payment) -> PaymentResult:
    return PaymentResult(p.id, p.number, p.amount_minor, p.unallocated_minor, p.currency)


# ---------------------------------------------------------------- recording

def _check_payment(data: PaymentInput) -> Customer | None:
    check_currency(data.currency)
    if data.method not in METHODS:
        raise ValidationError("method", f"'{data.method}' is not one of {', '.join(METHODS)}")
    if data.amount_minor <= 0:
        raise ValidationError("amount", "must be more than zero (money out is a refund)")
    customer = get_customer(data.account_no) if data.account_no else None
    if customer is not None and customer.currency != data.currency:
        raise ValidationError("currency", f"account {customer.account_no} is billed in {customer.currency}, "
                                          f"not {data.currency}")
    return customer


def insert_payment(data: PaymentInput) -> Payment:
    """Record a payment inside the caller's transaction: Dr bank / Cr unapplied cash (or unidentified)."""
    require(Action.POST)
    customer = _check_payment(data)
    _, number = take_number("PAY")
    customer_id = customer.id if customer else None
    entry = ledger.post_entry(EntryKind.PAYMENT, data.received_date, [
        ledger.debit(ledger.BANK, data.amount_minor, data.currency, customer_id=customer_id),
        ledger.credit(ledger.UNAPPLIED_CASH if customer else ledger.UNIDENTIFIED, data.amount_minor,
                      data.currency, customer_id=customer_id),
    ], memo=number)
    payment = Payment.create(
        number=number, customer=customer_id, received_date=data.received_date, method=data.method,
        amount_minor=data.amount_minor, currency=data.currency, reference=data.reference.strip(),
        payer=data.payer.strip(), payer_account=data.payer_account.strip(), bank_txn_id=data.bank_txn_id,
        fingerprint=data.fingerprint, import_batch=data.import_batch_id, unallocated_minor=data.amount_minor,
        journal_entry=entry.id, created_by=current_operator())
    record_event("payment.record", "payment", number, customer_id=customer_id,
                 after={"amount_minor": data.amount_minor, "currency": data.currency, "method": data.method,
                        "reference": data.reference, "payer": data.payer})
    return payment


def record_payment(data: PaymentInput, *, idempotency_key: str | None = None) -> PaymentResult:
    request = {k: getattr(data, k) for k in PaymentInput.__dataclass_fields__}
    return run_service("record_payment", request, idempotency_key, PaymentResult,
                       lambda: _payment_result(insert_payment(data)))


def record_and_allocate(data: PaymentInput, allocations: Sequence[tuple[str, int]], *,
                        idempotency_key: str | None = None) -> AllocationResult:
    """A payment keyed by hand and applied to invoices in the same step: both or neither."""
    def body() -> AllocationResult:
        require(Action.POST)
        payment = insert_payment(data)
        if not allocations:
            return AllocationResult(payment.number, 0, payment.unallocated_minor, [])
        return allocate_payment(payment.number, allocations, on=data.received_date)

    request = {**{k: getattr(data, k) for k in PaymentInput.__dataclass_fields__},
               "allocations": [list(a) for a in allocations]}
    return run_service("record_and_allocate", request, idempotency_key, AllocationResult, body)


def _identify(payment: Payment, customer: Customer) -> None:
    """Move an unidentified receipt onto a customer's account: Dr unidentified / Cr unapplied cash."""
    if customer.currency != payment.currency:
        raise ValidationError("currency", f"payment {payment.number} is in {payment.currency}; account "
                                          f"{customer.account_no} is billed in {customer.currency}")
    changed = (Payment.update(customer=customer.id, version=Payment.version + 1)
               .where((Payment.id == payment.id) & Payment.customer.is_null()).execute())
    if not changed:
        raise Conflict(f"payment {payment.number} was assigned to an account by someone else just now")
    rest = payment.unallocated_minor
    ledger.post_entry(EntryKind.IDENTIFY, clock.today(), [
        ledger.debit(ledger.UNIDENTIFIED, rest, payment.currency, payment_id=payment.id),
        ledger.credit(ledger.UNAPPLIED_CASH, rest, payment.currency, customer_id=customer.id, payment_id=payment.id),
    ], memo=f"{payment.number} identified as {customer.account_no}")
    record_event("payment.identify", "payment", payment.number, customer_id=customer.id,
                 before={"customer": None}, after={"customer": customer.account_no})
    payment.customer = customer


def assign_payment(number: str, account_no: str) -> PaymentResult:
    """Leave an unidentified payment as credit on a customer's account."""
    def body() -> PaymentResult:
        require(Action.ALLOCATE)
        payment = get_payment(number)
        if payment.customer is not None:
            raise Conflict(f"payment {payment.number} is already on account {payment.customer.account_no}")
        _identify(payment, get_customer(account_no))
        return _payment_result(Payment.get_by_id(payment.id))

    return run_service("assign_payment", {}, None, PaymentResult, body)


# ---------------------------------------------------------------- allocation

def _take_from_payment(payment: Payment, amount: int) -> None:
    changed = (Payment.update(unallocated_minor=Payment.unallocated_minor - amount, version=Payment.version + 1)
               .where((Payment.id == payment.id) & (Payment.unallocated_minor >= amount)
                      & (Payment.status == PaymentStatus.OPEN)).execute())
    if not changed:
        fresh = Payment.get_by_id(payment.id)
        raise Conflict(f"payment {payment.number} has only {format_money(fresh.unallocated_minor, fresh.currency)} "
                       f"left to allocate (someone may have just allocated it); nothing was applied")


def _settle_item(document: Invoice, amount: int) -> None:
    """Reduce what is open on an invoice by `amount`; refused if that is more than is open."""
    changed = (OpenItem.update(open_minor=OpenItem.open_minor - amount)
               .where((OpenItem.document == document.id) & (OpenItem.open_minor >= amount)).execute())
    if not changed:
        item = OpenItem.get_or_none(OpenItem.document == document.id)
        left = item.open_minor if item else 0
        raise ValidationError("amount", f"{format_money(amount, document.currency)} is more than the "
                                        f"{format_money(left, document.currency)} open on {document.number}")


def _open_invoice(number: str) -> Invoice:
    invoice = Invoice.get_or_none((Invoice.number == number.strip().upper()) & (Invoice.kind == DocumentKind.INVOICE))
    if invoice is None or invoice.status != InvoiceStatus.POSTED:
        raise NotFound(f"invoice {number}: no such posted invoice")
    return invoice


def allocate_payment(number: str, allocations: Sequence[tuple[str, int]], *, on: dt.date | None = None,
                     idempotency_key: str | None = None) -> AllocationResult:
    """Apply a payment to one or more invoices (invoice number, amount) in one step, dated `on` (today)."""
    def body() -> AllocationResult:
        require(Action.ALLOCATE)
        payment = get_payment(number)
        if not allocations:
            raise ValidationError("allocations", "name at least one invoice and amount")
        if payment.status != PaymentStatus.OPEN:
            raise Conflict(f"payment {payment.number} was returned to the sender")
        invoices = [(_open_invoice(inv), amount) for inv, amount in allocations]
        customers = {inv.customer_id for inv, _ in invoices}
        if len(customers) != 1:
            raise ValidationError("allocations", "one payment step covers invoices of one account")
        if payment.customer_id is None:
            _identify(payment, invoices[0][0].customer)
        elif payment.customer_id not in customers:
            raise ValidationError("invoice", f"{invoices[0][0].number} belongs to another account than "
                                             f"payment {payment.number}")
        postings: list[ledger.Posting] = []
        for invoice, amount in invoices:
            if amount <= 0:
                raise ValidationError("amount", f"allocation to {invoice.number} must be more than zero")
            if invoice.currency != payment.currency:
                raise ValidationError("currency", f"payment {payment.number} is in {payment.currency}; invoice "
                                                  f"{invoice.number} is in {invoice.currency}")
        total = sum(amount for _inv, amount in invoices)
        _take_from_payment(payment, total)  # first: a race for the same payment is refused in its own words
        for invoice, amount in invoices:
            _settle_item(invoice, amount)
            refs = {"customer_id": invoice.customer_id, "payment_id": payment.id}
            postings += [ledger.debit(ledger.UNAPPLIED_CASH, amount, invoice.currency, **refs),
                         ledger.credit(ledger.RECEIVABLES, amount, invoice.currency, document_id=invoice.id, **refs)]
        entry = ledger.post_entry(EntryKind.ALLOCATION, on or clock.today(), postings, memo=payment.number)
        Allocation.insert_many([{"payment": payment.id, "invoice": inv.id, "amount_minor": amount,
                                 "journal_entry": entry.id, "created_by": current_operator(), "created_at": utcnow()}
                                for inv, amount in invoices]).execute()
        fresh = Payment.get_by_id(payment.id)
        record_event("payment.allocate", "payment", payment.number, customer_id=fresh.customer_id,
                     before={"unallocated_minor": payment.unallocated_minor},
                     after={"unallocated_minor": fresh.unallocated_minor,
                            "allocations": {inv.number: amount for inv, amount in invoices}})
        return AllocationResult(payment.number, total, fresh.unallocated_minor,
                                [inv.posted_number for inv, _ in invoices])

    request = {"payment": number, "allocations": [list(a) for a in allocations]}
    return run_service("allocate_payment", request, idempotency_key, AllocationResult, body)


def net_allocated(payment_id: int, invoice_id: int) -> int:
    return sum_of(Allocation.amount_minor, (Allocation.payment == payment_id) & (Allocation.invoice == invoice_id))


def unallocate_payment(number: str, invoice_number: str, *, idempotency_key: str | None = None) -> AllocationResult:
    """Undo what a payment has paid on one invoice: a reversing allocation, never a deletion."""
    def body() -> AllocationResult:
        require(Action.ALLOCATE)
        payment = get_payment(number)
        invoice = _open_invoice(invoice_number)
        amount = net_allocated(payment.id, invoice.id)
        if amount <= 0:
            raise ValidationError("invoice", f"payment {payment.number} is not allocated to {invoice.number}")
        original = (Allocation.select().where((Allocation.payment == payment.id) & (Allocation.invoice == invoice.id)
                                              & (Allocation.amount_minor > 0))
                    .order_by(Allocation.id.desc()).first())
        OpenItem.update(open_minor=OpenItem.open_minor + amount).where(OpenItem.document == invoice.id).execute()
        Payment.update(unallocated_minor=Payment.unallocated_minor + amount, version=Payment.version + 1).where(
            Payment.id == payment.id).execute()
        refs = {"customer_id": invoice.customer_id, "payment_id": payment.id}
        entry = ledger.post_entry(EntryKind.UNALLOCATION, clock.today(), [
            ledger.debit(ledger.RECEIVABLES, amount, invoice.currency, document_id=invoice.id, **refs),
            ledger.credit(ledger.UNAPPLIED_CASH, amount, invoice.currency, **refs),
        ], memo=f"{payment.number} from {invoice.number}")
        Allocation.create(payment=payment.id, invoice=invoice.id, amount_minor=-amount, reverses=original.id,
                          journal_entry=entry.id, created_by=current_operator())
        fresh = Payment.get_by_id(payment.id)
        record_event("payment.unallocate", "payment", payment.number, customer_id=invoice.customer_id,
                     before={"allocated_to": invoice.number, "amount_minor": amount},
                     after={"unallocated_minor": fresh.unallocated_minor})
        return AllocationResult(payment.number, -amount, fresh.unallocated_minor, [invoice.posted_number])

    request = {"payment": number, "invoice": invoice_number}
    return run_service("unallocate_payment", request, idempotency_key, AllocationResult, body)


def apply_credit_note(note: Invoice, invoice: Invoice, amount: int, on: dt.date | None = None) -> None:
    """Settle part of an invoice with a credit note's open credit (inside the caller's transaction)."""
    if note.customer_id != invoice.customer_id or note.currency != invoice.currency:
        raise ValidationError("credit_note", f"{note.number} and {invoice.number} are of different accounts")
    changed = (OpenItem.update(open_minor=OpenItem.open_minor + amount)
               .where((OpenItem.document == note.id) & (OpenItem.open_minor <= -amount)).execute())
    if not changed:
        raise ValidationError("amount", f"credit note {note.number} has less than that unapplied")
    _settle_item(invoice, amount)
    refs = {"customer_id": invoice.customer_id}
    entry = ledger.post_entry(EntryKind.CREDIT_APPLICATION, on or clock.today(), [
        ledger.debit(ledger.RECEIVABLES, amount, invoice.currency, document_id=note.id, **refs),
        ledger.credit(ledger.RECEIVABLES, amount, invoice.currency, document_id=invoice.id, **refs),
    ], memo=f"{note.number} to {invoice.number}")
    Allocation.create(credit_note=note.id, invoice=invoice.id, amount_minor=amount, journal_entry=entry.id,
                      created_by=current_operator())
    record_event("credit_note.apply", "credit_note", note.number, customer_id=invoice.customer_id,
                 after={"invoice": invoice.number, "amount_minor": amount})


# ---------------------------------------------------------------- refunds

def customer_credit(customer_id: int) -> int:
    """What the business owes the customer: unallocated payments plus unapplied credit notes."""
    payments = sum_of(Payment.unallocated_minor, (Payment.customer == customer_id)
                      & (Payment.status == PaymentStatus.OPEN))
    notes = -sum_of(OpenItem.open_minor, (OpenItem.customer == customer_id) & (OpenItem.open_minor < 0))
    return payments + notes


def request_refund(account_no: str, amount_minor: int, method: str, reference: str = "", *,
                   reason: str = "", idempotency_key: str | None = None) -> RefundResult:
    """Refund customer credit. Above the approval limit it waits in the approvals queue."""
    def body() -> RefundResult:
        require(Action.REFUND)
        customer = get_customer(account_no)
        if method not in METHODS:
            raise ValidationError("method", f"'{method}' is not one of {', '.join(METHODS)}")
        if amount_minor <= 0:
            raise ValidationError("amount", "must be more than zero")
        credit = customer_credit(customer.id)
        # Credit already asked for by refunds waiting for approval is spoken for: two requests must
        # not both count the same money, or approving the second would pay it out twice.
        waiting = sum_of(Refund.amount_minor, (Refund.customer == customer.id)
                         & (Refund.status == RefundStatus.REQUESTED))
        if amount_minor > credit - waiting:
            held = (f" ({format_money(waiting, customer.currency)} of it is asked for by refunds waiting for "
                    f"approval)" if waiting else "")
            raise ValidationError("amount", f"{format_money(amount_minor, customer.currency)} is more than the "
                                            f"{format_money(credit, customer.currency)} credit on {account_no}{held}")
        _, number = take_number("RF")
        limit = int(get_setting("refund_approval_minor") or 0)
        needs_approval = amount_minor > limit
        refund = Refund.create(number=number, customer=customer.id, amount_minor=amount_minor,
                               currency=customer.currency, method=method, reference=reference.strip(),
                               status=RefundStatus.REQUESTED if needs_approval else RefundStatus.POSTED,
                               requested_by=current_operator())
        record_event("refund.request", "refund", number, customer_id=customer.id,
                     after={"amount_minor": amount_minor, "method": method, "needs_approval": needs_approval})
        if not needs_approval:
            _post_refund(refund)
            return RefundResult(number, "posted", amount_minor, customer.currency)
        why = reason.strip() or f"over the {format_money(limit, customer.currency)} refund approval limit"
        request = request_approval("refund", number, {"refund": number}, why, customer_id=customer.id,
                                   amount_minor=amount_minor, currency=customer.currency)
        return RefundResult(number, "requested", amount_minor, customer.currency, request.id)

    request = {"account": account_no, "amount": amount_minor, "method": method, "reference": reference}
    return run_service("request_refund", request, idempotency_key, RefundResult, body)


def approve_refund(number: str, *, approve: bool = True, reason: str = "") -> RefundResult:
    """Decide a requested refund through its approval request (the four-eyes rules live there)."""
    refund = Refund.get_or_none(Refund.number == number.strip().upper())
    if refund is None:
        raise NotFound(f"refund {number}: no such refund")
    pending = pending_for_subject("refund", refund.number)
    if pending is None:
        raise Conflict(f"refund {refund.number} is {refund.status}, not waiting for approval")
    if approve:
        approve_request(pending.id, reason)
    else:
        reject_request(pending.id, reason or "rejected")
    fresh = Refund.get_by_id(refund.id)
    return RefundResult(fresh.number, fresh.status, fresh.amount_minor, fresh.currency)


def post_requested_refund(number: str) -> str:
    """Pay out a refund that waited for approval (run by the approvals queue, in its transaction)."""
    refund = Refund.get_or_none(Refund.number == number)
    if refund is None or refund.status != "requested":
        raise Conflict(f"refund {number} is not waiting for approval")
    login = current_operator()
    Refund.update(approved_by=login, approved_at=utcnow()).where(Refund.id == refund.id).execute()
    record_event("refund.approve", "refund", refund.number, customer_id=refund.customer_id, after={"by": login})
    _post_refund(Refund.get_by_id(refund.id))
    return f"refund {refund.number} of {format_money(refund.amount_minor, refund.currency)} posted"


def reject_requested_refund(number: str) -> None:
    refund = Refund.get(Refund.number == number)
    login = current_operator()
    Refund.update(approved_by=login, approved_at=utcnow(), status="rejected").where(Refund.id == refund.id).execute()
    record_event("refund.reject", "refund", refund.number, customer_id=refund.customer_id, after={"by": login})


def _post_refund(refund: Refund) -> None:
    """Pay credit back: consume unallocated payments oldest first, then unapplied credit notes."""
    left = refund.amount_minor
    postings: list[ledger.Posting] = []
    sources: list[dict[str, object]] = []
    cur, cust = refund.currency, refund.customer_id
    for payment in (Payment.select().where((Payment.customer == cust) & (Payment.unallocated_minor > 0)
                                           & (Payment.status == PaymentStatus.OPEN)).order_by(Payment.received_date,
                                                                                              Payment.id)):
        if not left:
            break
        take = min(left, payment.unallocated_minor)
        _take_from_payment(payment, take)
        postings.append(ledger.debit(ledger.UNAPPLIED_CASH, take, cur, customer_id=cust, payment_id=payment.id))
        # Every row names both sources: insert_many takes its columns from the first row only.
        sources.append({"payment": payment.id, "credit_note": None, "amount_minor": take})
        left -= take
    for item in (OpenItem.select().where((OpenItem.customer == cust) & (OpenItem.open_minor < 0))
                 .order_by(OpenItem.due_date, OpenItem.id)):
        if not left:
            break
        take = min(left, -item.open_minor)
        OpenItem.update(open_minor=OpenItem.open_minor + take).where(OpenItem.id == item.id).execute()
        postings.append(ledger.debit(ledger.RECEIVABLES, take, cur, customer_id=cust, document_id=item.document_id))
        sources.append({"payment": None, "credit_note": item.document_id, "amount_minor": take})
        left -= take
    if left:
        raise ValidationError("amount", f"the account no longer has {format_money(refund.amount_minor, cur)} of credit")
    postings.append(ledger.credit(ledger.BANK, refund.amount_minor, cur, customer_id=cust))
    entry = ledger.post_entry(EntryKind.REFUND, clock.today(), postings, memo=refund.number)
    Allocation.insert_many([{**s, "refund": refund.id, "journal_entry": entry.id, "created_by": current_operator(),
                             "created_at": utcnow()} for s in sources]).execute()
    Refund.update(journal_entry=entry.id, status=RefundStatus.POSTED).where(Refund.id == refund.id).execute()
    record_event("refund.post", "refund", refund.number, customer_id=cust,
                 after={"amount_minor": refund.amount_minor, "method": refund.method})


# ---------------------------------------------------------------- write-offs and returns

def write_off(invoice_number: str, reason: str, amount_minor: int | None = None, *,
              idempotency_key: str | None = None) -> WriteOffResult:
    """Write off all (or part) of what is open on an invoice: Dr bad debts / Cr receivables.

    Above `write_off_approval_minor` it is refused with NeedsApproval, which names the request to file.
    """
    required("reason", reason, "is required to write off a balance")

    def body() -> WriteOffResult:
        require(Action.WRITE_OFF)
        invoice = _open_invoice(invoice_number)
        item = OpenItem.get(OpenItem.document == invoice.id)
        amount = item.open_minor if amount_minor is None else amount_minor
        if amount <= 0:
            raise ValidationError("amount", f"invoice {invoice.number} has nothing open to write off"
                                  if amount_minor is None else "must be more than zero")
        limit = int(get_setting("write_off_approval_minor") or 0)
        if amount > limit and approving() is None:
            raise NeedsApproval("write_off", invoice.posted_number,
                                {"invoice": invoice.number, "amount_minor": amount, "reason": reason.strip()},
                                f"writing off {format_money(amount, invoice.currency)} of {invoice.number} is over "
                                f"the {format_money(limit, invoice.currency)} limit: it needs a supervisor's approval",
                                customer_id=invoice.customer_id, amount_minor=amount, currency=invoice.currency)
        _settle_item(invoice, amount)
        refs = {"customer_id": invoice.customer_id}
        entry = ledger.post_entry(EntryKind.WRITE_OFF, clock.today(), [
            ledger.debit(ledger.BAD_DEBTS, amount, invoice.currency, **refs),
            ledger.credit(ledger.RECEIVABLES, amount, invoice.currency, document_id=invoice.id, **refs),
        ], memo=f"write off {invoice.number}: {reason.strip()}")
        WriteOff.create(invoice=invoice.id, amount_minor=amount, reason=reason.strip(), journal_entry=entry.id,
                        created_by=current_operator())
        open_now = item.open_minor - amount
        record_event("invoice.write_off", "invoice", invoice.number, customer_id=invoice.customer_id,
                     before={"open_minor": item.open_minor},
                     after={"open_minor": open_now, "reason": reason.strip(), "amount_minor": amount})
        return WriteOffResult(invoice.posted_number, amount, open_now, invoice.currency)

    request = {"invoice": invoice_number, "reason": reason, "amount": amount_minor}
    return run_service("write_off", request, idempotency_key, WriteOffResult, body)


def return_payment(number: str, note: str) -> PaymentResult:
    """'Not ours': send an unallocated payment back to the sender (Cr bank for what is left)."""
    if not note.strip():
        raise ValidationError("note", "say why the payment goes back")

    def body() -> PaymentResult:
        require(Action.POST)
        payment = get_payment(number)
        if payment.status != PaymentStatus.OPEN:
            raise Conflict(f"payment {payment.number} was already returned")
        if payment.unallocated_minor != payment.amount_minor:
            raise Conflict(f"payment {payment.number} is partly allocated; unallocate it before returning it")
        account = ledger.UNAPPLIED_CASH if payment.customer_id else ledger.UNIDENTIFIED
        changed = (Payment.update(status=PaymentStatus.RETURNED, unallocated_minor=0, note=note.strip(),
                                  version=Payment.version + 1)
                   .where((Payment.id == payment.id) & (Payment.status == PaymentStatus.OPEN)
                          & (Payment.unallocated_minor == payment.amount_minor)).execute())
        if not changed:
            raise Conflict(f"payment {payment.number} changed while you were looking at it; nothing was done")
        refs = {"customer_id": payment.customer_id, "payment_id": payment.id}
        ledger.post_entry(EntryKind.PAYMENT_RETURN, clock.today(), [
            ledger.debit(account, payment.amount_minor, payment.currency, **refs),
            ledger.credit(ledger.BANK, payment.amount_minor, payment.currency, **refs),
        ], memo=f"{payment.number} returned: {note.strip()}")
        record_event("payment.return", "payment", payment.number, customer_id=payment.customer_id,
                     before={"status": PaymentStatus.OPEN}, after={"status": PaymentStatus.RETURNED,
                                                                   "note": note.strip()})
        return _payment_result(Payment.get_by_id(payment.id))

    return run_service("return_payment", {}, None, PaymentResult, body)
