"""Collections: promises to pay, sending an account to an agency, and the agency's packet.

The dunning run (store.dunning) leaves alone a customer with a promise in force and one in
collections; the packet gathers the account's statement, open invoices and dunning history.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN

from store import clock
from store.approvals import approving
from store.audit import record_event
from store.customers import customer_balance, get_customer
from store.errors import Conflict, NeedsApproval, ValidationError
from store.fields import utcnow
from store.kinds import CustomerStatus, DisputeStatus
from store.models import (
    CollectionCase,
    Customer,
    CustomerNote,
    Delivery,
    Dispute,
    DunningNotice,
    Invoice,
    OpenItem,
    PromiseToPay,
)
from store.money import format_money
from store.permissions import Action, allows, roles_for
from store.service import run_service
from store.session import current_operator, operator_role, require

# ---------------------------------------------------------------- promises to pay

@dataclass(frozen=True, slots=True)
class PromiseResult:
    id: int
    account_no: str
    promised_date: dt.date
    amount_minor: int
    currency: str


def record_promise(account_no: str, promised_date: dt.date, amount_minor: int, note: str = "", *,
                   on: dt.date | None = None) -> PromiseResult:
    """The customer promises to pay `amount_minor` by `promised_date`; dunning leaves them alone until then."""
    def body() -> PromiseResult:
        require(Action.DUNNING)
        customer = get_customer(account_no)
        today = on or clock.today()
        if customer.status == CustomerStatus.CLOSED:
            raise Conflict(f"account {customer.account_no} is closed")
        if promised_date < today:
            raise ValidationError("promised_date", f"{promised_date.isoformat()} has already passed")
        if amount_minor <= 0:
            raise ValidationError("amount", "must be more than zero")
        owed = customer_balance(customer.id)
        if owed <= 0:
            raise ValidationError("account", f"account {customer.account_no} owes nothing; there is nothing to promise")
        if amount_minor > owed:
            raise ValidationError("amount", f"{format_money(amount_minor, customer.currency)} is more than the "
                                            f"{format_money(owed, customer.currency)} the account owes")
        promise = PromiseToPay.create(customer=customer.id, promised_date=promised_date, amount_minor=amount_minor,
                                      currency=customer.currency, note=note.strip(), created_by=current_operator())
        record_event("promise.record", "promise_to_pay", promise.id, customer_id=customer.id,
                     after={"promised_date": promised_date, "amount_minor": amount_minor,
                            "currency": customer.currency, "note": note.strip()})
        return PromiseResult(promise.id, customer.account_no, promised_date, amount_minor, customer.currency)

    return run_service("record_promise", {}, None, PromiseResult, body)


# ---------------------------------------------------------------- collections

@dataclass(frozen=True, slots=True)
class CollectionResult:
    case_id: int
    account_no: str
    agency: str
    amount_minor: int
    currency: str


def _collections_operator(account_no: str, agency: str, note: str) -> str:
    """The supervisor sending the account; a clerk is told to ask, with the request to file."""
    role = operator_role()
    if role is not None and not allows(role, Action.SEND_TO_COLLECTIONS) and approving() is None:
        customer = get_customer(account_no)
        raise NeedsApproval("collections", customer.account_no,
                            {"account": customer.account_no, "agency": agency.strip(), "note": note.strip()},
                            f"{Action.SEND_TO_COLLECTIONS.value} needs a "
                            f"{' or '.join(roles_for(Action.SEND_TO_COLLECTIONS))}; {current_operator()} is a "
                            f"{role}: ask for approval",
                            customer_id=customer.id)
    return require(Action.SEND_TO_COLLECTIONS)


def send_to_collections(account_no: str, agency: str, note: str = "") -> CollectionResult:
    """Hand an account to a collection agency (supervisors only): status in collections, a case for what it owes.

    The account leaves the dunning run and can no longer be invoiced.
    """
    if not agency.strip():
        raise ValidationError("agency", "is required: name the agency the account goes to")

    def body() -> CollectionResult:
        login = _collections_operator(account_no, agency, note)
        customer = get_customer(account_no)
        if customer.status not in (CustomerStatus.ACTIVE, CustomerStatus.ON_HOLD):
            raise Conflict(f"account {customer.account_no} is {customer.status.replace('_', ' ')}; "
                           "it cannot be sent to collections")
        owed = customer_balance(customer.id)
        if owed <= 0:
            raise Conflict(f"account {customer.account_no} owes nothing "
                           f"(balance {format_money(owed, customer.currency)}); there is nothing to collect")
        changed = (Customer.update(status=CustomerStatus.IN_COLLECTIONS, hold_reason=f"sent to {agency.strip()}",
                                   version=Customer.version + 1, updated_at=utcnow(), updated_by=login)
                   .where((Customer.id == customer.id) & (Customer.status == customer.status)).execute())
        if not changed:
            raise Conflict(f"account {customer.account_no} was changed by someone else just now; nothing was done")
        case = CollectionCase.create(customer=customer.id, agency=agency.strip(), note=note.strip(),
                                     amount_minor=owed, currency=customer.currency, opened_by=login)
        record_event("customer.collections", "customer", customer.account_no, customer_id=customer.id,
                     before={"status": customer.status},
                     after={"status": CustomerStatus.IN_COLLECTIONS, "case": case.id, "agency": agency.strip(),
                            "amount_minor": owed, "note": note.strip()})
        return CollectionResult(case.id, customer.account_no, agency.strip(), owed, customer.currency)

    return run_service("send_to_collections", {}, None, CollectionResult, body)


# ---------------------------------------------------------------- the collections packet

@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    contact_name: str
    email: str
    phone: str
    address: tuple[str, ...]  # the non-empty lines: street, street, city, postcode, country


@dataclass(frozen=True, slots=True)
class StatementRow:
    date: dt.date
    kind: str  # as printed on a statement: Invoice, Credit note, Payment, Refund, Write-off, Void, ...
    reference: str
    debit_minor: int  # raises what the customer owes
    credit_minor: int  # lowers it
    balance_minor: int  # running: open documents less unallocated payments


@dataclass(frozen=True, slots=True)
class PacketInvoice:
    number: str
    issue_date: dt.date
    due_date: dt.date
    total_minor: int
    open_minor: int
    days_overdue: int
    disputed: bool


@dataclass(frozen=True, slots=True)
class PacketNotice:
    notice_date: dt.date
    level: int
    total_minor: int
    channel: str
    invoices: tuple[str, ...]
    delivery: str  # the delivery's status, or "not sent"


@dataclass(frozen=True, slots=True)
class PacketPromise:
    made_on: dt.date
    promised_date: dt.date
    amount_minor: int
    note: str
    by: str


@dataclass(frozen=True, slots=True)
class PacketCase:
    id: int
    status: str
    agency: str
    note: str
    amount_minor: int
    opened_on: dt.date
    opened_by: str


@dataclass(frozen=True, slots=True)
class CollectionsPacket:
    account_no: str
    currency: str
    status: str
    as_of: dt.date
    contact: Contact
    balance_minor: int
    open_invoices: tuple[PacketInvoice, ...]
    statement: tuple[StatementRow, ...]
    dunning: tuple[PacketNotice, ...]
    promises: tuple[PacketPromise, ...]
    cases: tuple[PacketCase, ...]
    notes: tuple[str, ...]  # the account's notes, oldest first


def _statement(account_no: str, as_of: dt.date) -> tuple[StatementRow, ...]:
    """Every entry that moved what the customer owes, in date order (store.statements, from the start)."""
    from store.statements import statement_of_account

    rows, balance = [], 0
    for move in statement_of_account(account_no, dt.date(1900, 1, 1), as_of).moves:
        balance += move.change_minor
        rows.append(StatementRow(move.date, move.kind, move.reference, max(move.change_minor, 0),
                                 max(-move.change_minor, 0), balance))
    return tuple(rows)


def collections_packet_data(account_no: str, as_of: dt.date | None = None) -> CollectionsPacket:
    """Plain data for an agency's packet: contacts, statement, open invoices, dunning history, promises, cases."""
    customer = get_customer(account_no)
    as_of = as_of or clock.today()
    disputed = Dispute.select(Dispute.invoice).where(Dispute.status == DisputeStatus.OPEN)
    open_invoices = tuple(
        PacketInvoice(number, issued, due, total, open_minor, max(0, (as_of - due).days), bool(is_disputed))
        for number, issued, due, total, open_minor, is_disputed in
        OpenItem.select(Invoice.number, Invoice.issue_date, OpenItem.due_date, Invoice.total_minor,
                        OpenItem.open_minor, Invoice.id.in_(disputed))
        .join(Invoice, on=(OpenItem.document == Invoice.id))
        .where((OpenItem.customer == customer.id) & (OpenItem.open_minor != 0) & (OpenItem.open_minor > 0))
        .order_by(OpenItem.due_date, Invoice.number).tuples().iterator())
    dunning = tuple(
        PacketNotice(day, level, total, channel, tuple(str(i.get("invoice")) for i in items or []),
                     delivered or "not sent")
        for day, level, total, channel, items, delivered in
        DunningNotice.select(DunningNotice.notice_date, DunningNotice.level, DunningNotice.total_minor,
                             DunningNotice.channel, DunningNotice.items, Delivery.status)
        .join(Delivery, JOIN.LEFT_OUTER, on=(DunningNotice.delivery == Delivery.id))
        .where(DunningNotice.customer == customer.id)
        .order_by(DunningNotice.notice_date, DunningNotice.id).tuples().iterator())
    promises = tuple(PacketPromise(p.created_at.date(), p.promised_date, p.amount_minor, p.note, p.created_by)
                     for p in PromiseToPay.select().where(PromiseToPay.customer == customer.id)
                     .order_by(PromiseToPay.created_at))
    cases = tuple(PacketCase(c.id, c.status, c.agency, c.note, c.amount_minor, c.opened_at.date(), c.opened_by)
                  for c in CollectionCase.select().where(CollectionCase.customer == customer.id)
                  .order_by(CollectionCase.opened_at))
    notes = tuple(n.text for n in CustomerNote.select().where(CustomerNote.customer == customer.id)
                  .order_by(CustomerNote.id))
    address = tuple(part for part in (customer.address1, customer.address2, customer.city, customer.postcode,
                                      customer.country) if part)
    return CollectionsPacket(
        customer.account_no, customer.currency, customer.status, as_of,
        Contact(customer.name, customer.contact_name, customer.email, customer.phone, address),
        customer_balance(customer.id), open_invoices, _statement(customer.account_no, as_of), dunning, promises,
        cases, notes)
