"""Statuses and kinds: the closed sets of words the books store, as enums.

Each is a `StrEnum`, so a member is the very string the column holds ("posted", "on_hold"): the
schema does not change, rows read back compare equal to the members, and a member can be passed
to a query, to JSON or to an f-string as it is. Code compares against members, never bare
strings, so a misspelt status is a NameError at import rather than a query that matches nothing.
"""
from __future__ import annotations

from enum import StrEnum


class OperatorRole(StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class CustomerStatus(StrEnum):
    ACTIVE = "active"
    ON_HOLD = "on_hold"  # no new invoices; still dunned
    IN_COLLECTIONS = "in_collections"  # with an agency; out of the dunning run
    CLOSED = "closed"


class Channel(StrEnum):
    """How a customer's documents go out."""

    EMAIL = "email"
    POST = "post"


class DocumentKind(StrEnum):
    """What an invoice row (store.models.Invoice.kind) is."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


class InvoiceStatus(StrEnum):
    DRAFT = "draft"  # changes freely, has no number
    POSTED = "posted"  # numbered and in the journal; never changes again


class PaymentStatus(StrEnum):
    OPEN = "open"
    RETURNED = "returned"  # sent back to its sender


class RefundStatus(StrEnum):
    REQUESTED = "requested"  # waiting for a supervisor
    POSTED = "posted"
    REJECTED = "rejected"


class DisputeStatus(StrEnum):
    OPEN = "open"
    CREDITED = "credited"
    REJECTED = "rejected"


class DeliveryKind(StrEnum):
    """What a delivery carries (store.models.Delivery.kind)."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    STATEMENT = "statement"
    REMINDER = "reminder"
    COLLECTIONS_PACKET = "collections_packet"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    PRINTED = "printed"


class CaseStatus(StrEnum):
    """A collections case with an agency."""

    OPEN = "open"
    CLOSED = "closed"


class EntryKind(StrEnum):
    """What posted a journal entry (store.models.JournalEntry.kind, and ledger_day's kind)."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    VOID = "void"
    PAYMENT = "payment"
    IDENTIFY = "identify"  # an unidentified receipt put on its customer's account
    ALLOCATION = "allocation"
    UNALLOCATION = "unallocation"
    CREDIT_APPLICATION = "credit_application"
    REFUND = "refund"
    WRITE_OFF = "write_off"
    PAYMENT_RETURN = "payment_return"


class DocumentState(StrEnum):
    """A document as the views show it: its status, or void once a void has reversed it."""

    DRAFT = "draft"
    POSTED = "posted"
    VOID = "void"


class OrderStatus(StrEnum):
    """Where an imported order stands: reviewed (approved, held, rejected), then billed once."""

    PENDING = "pending"  # imported, awaiting review
    APPROVED = "approved"  # the next billing run invoices it
    HELD = "held"  # waiting, with the reviewer's note; may be approved or rejected later
    REJECTED = "rejected"  # never billed
    BILLED = "billed"  # its invoice is posted (SalesOrder.invoice)
class ContractPeriod(StrEnum):
    """How often a recurring contract is billed: calendar months, quarters or years."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


class ContractBilling(StrEnum):
    """A period's charge is billed in the run of the month it starts (advance) or ends (arrears)."""

    ADVANCE = "advance"
    ARREARS = "arrears"
