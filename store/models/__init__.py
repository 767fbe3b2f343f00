"""The tables of the books. Only store/ imports this module.

Posted invoices and credit notes, their lines, allocations, journal entries and lines and audit
events are append-only: services never change them and database triggers (see migrations)
refuse it as well. What does change as money moves (how much of a document is still open,
how much of a payment is still unallocated) lives in small state columns kept apart from the
documents themselves, and `verify` recomputes each of them from the append-only rows.

One module per kind of record (store/models/*.py); everything is imported from here."""

from __future__ import annotations

from peewee import CharField, TextField

from store.fields import DecimalTextField, JsonField, drop_controls_on_write
from store.models.base import BaseModel, database_proxy
from store.models.catalogue import Item, ItemPrice, TaxCode
from store.models.chasing import CollectionCase, Dispute, PromiseToPay
from store.models.customers import Customer, CustomerNote, SearchToken
from store.models.delivery import Delivery, DunningNotice, Outbox, OutboxStatus
from store.models.documents import Invoice, InvoiceLine, InvoiceVoid, OpenItem
from store.models.journal import Account, JournalEntry
from store.models.journal_lines import JournalLine, LedgerDay, ReceivableMove
from store.models.money_in import Allocation, CsvMappingRecord, ImportBatch, Payment, Refund, WriteOff
from store.models.period_end import (
    Contract,
    ContractCharge,
    GlExport,
    GlExportEntry,
    SalesOrder,
    SalesOrderLine,
    StatementRun,
)
from store.models.team import (
    ApprovalRequest,
    AuditEvent,
    AuditHead,
    IdempotencyKey,
    NumberSeries,
    Operator,
    PeriodLock,
    Setting,
    WorkAssignment,
)

__all__ = [
    "ALL_MODELS",
    "Account",
    "Allocation",
    "ApprovalRequest",
    "AuditEvent",
    "AuditHead",
    "BaseModel",
    "CollectionCase",
    "Contract",
    "ContractCharge",
    "CsvMappingRecord",
    "Customer",
    "CustomerNote",
    "Delivery",
    "Dispute",
    "DunningNotice",
    "GlExport",
    "GlExportEntry",
    "IdempotencyKey",
    "ImportBatch",
    "Invoice",
    "InvoiceLine",
    "InvoiceVoid",
    "Item",
    "ItemPrice",
    "JournalEntry",
    "JournalLine",
    "LedgerDay",
    "NumberSeries",
    "OpenItem",
    "Operator",
    "Outbox",
    "OutboxStatus",
    "Payment",
    "PeriodLock",
    "PromiseToPay",
    "ReceivableMove",
    "Refund",
    "SalesOrder",
    "SalesOrderLine",
    "SearchToken",
    "Setting",
    "StatementRun",
    "TaxCode",
    "WorkAssignment",
    "WriteOff",
    "database_proxy",
]

ALL_MODELS: list[type[BaseModel]] = [
    Setting,
    Operator,
    PeriodLock,
    NumberSeries,
    Account,
    Customer,
    SearchToken,
    CustomerNote,
    TaxCode,
    Item,
    JournalEntry,
    Invoice,
    InvoiceLine,
    OpenItem,
    InvoiceVoid,
    ImportBatch,
    Payment,
    Refund,
    Allocation,
    WriteOff,
    JournalLine,
    Dispute,
    PromiseToPay,
    Delivery,
    DunningNotice,
    Outbox,
    CollectionCase,
    AuditEvent,
    AuditHead,
    IdempotencyKey,
    CsvMappingRecord,
    LedgerDay,
    ReceivableMove,
    ApprovalRequest,
    WorkAssignment,
    ItemPrice,
    SalesOrder,
    SalesOrderLine,
    GlExport,
    GlExportEntry,
    Contract,
    ContractCharge,
    StatementRun,
]


def _store_text_without_controls() -> None:
    """Every text column of the books drops control characters as it is written: one place, so an
    operator's form, the command line and a bank statement import all get it (issue 15)."""
    for model in ALL_MODELS:
        for field in model._meta.sorted_fields:
            if isinstance(field, (CharField, TextField)) and not isinstance(field, (JsonField, DecimalTextField)):
                drop_controls_on_write(field)


_store_text_without_controls()
