"""`billfold verify`: recompute every invariant of the books from the append-only rows.

Each check returns sentences describing discrepancies; an empty list from all of them means the
books are sound. The checks aggregate in SQL and compare dictionaries, so they stay linear.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from peewee import JOIN, Field, ModelSelect, PostgresqlDatabase, fn

from store import ledger
from store.audit import event_hash, timestamp_text
from store.audit_rows import check_rows_match_audit
from store.audit_trail import chain_passes_through
from store.kinds import DocumentKind, InvoiceStatus, PaymentStatus, RefundStatus
from store.models import (
    Allocation,
    AuditEvent,
    AuditHead,
    Invoice,
    InvoiceVoid,
    JournalEntry,
    JournalLine,
    NumberSeries,
    OpenItem,
    Payment,
    Refund,
    WriteOff,
    database_proxy,
)

GENESIS = "0" * 64
Check = Callable[[], list[str]]
K = TypeVar("K")


def _net(account: str, key: Field[Any], sign: int = 1) -> dict[Any, int]:
    """Debit-minus-credit (times sign) of an account, grouped by a journal line column."""
    query = (JournalLine.select(key, fn.SUM(JournalLine.debit_minor - JournalLine.credit_minor))
             .where((JournalLine.account == account) & key.is_null(False)).group_by(key))
    return {k: sign * int(n) for k, n in query.tuples().iterator()}


def _grouped(query: ModelSelect[Any]) -> dict[Any, int]:
    """A query of (key, amount) rows as a dictionary."""
    return {k: int(n) for k, n in query.tuples().iterator()}


def _compare(what: str, expected: Mapping[K, int], actual: Mapping[K, int], label: Callable[[K], str],
             sides: tuple[str, str] = ("expected", "found")) -> list[str]:
    out = []
    for key in sorted(set(expected) | set(actual), key=str):
        a, b = expected.get(key, 0), actual.get(key, 0)
        if a != b:
            out.append(f"{what} {label(key)}: {sides[0]} {a}, {sides[1]} {b} (difference {b - a})")
    return out


def check_entries_balance() -> list[str]:
    query = (JournalLine.select(JournalLine.entry, JournalLine.currency,
                                fn.SUM(JournalLine.debit_minor).alias("d"), fn.SUM(JournalLine.credit_minor).alias("c"))
             .group_by(JournalLine.entry, JournalLine.currency)
             .having(fn.SUM(JournalLine.debit_minor) != fn.SUM(JournalLine.credit_minor)))
    return [f"journal entry {entry_id} does not balance in {currency}: debits {debits}, credits {credits}"
            for entry_id, currency, debits, credits in query.tuples().iterator()]


def check_customer_balances() -> list[str]:
    """Receivables and unapplied cash in the journal, per customer and per document, against the open items."""
    open_by_customer = _grouped(OpenItem.select(OpenItem.customer.alias("k"), fn.SUM(OpenItem.open_minor).alias("n"))
                                .group_by(OpenItem.customer))
    unapplied = _grouped(Payment.select(Payment.customer.alias("k"), fn.SUM(Payment.unallocated_minor).alias("n"))
                         .where(Payment.customer.is_null(False)).group_by(Payment.customer))
    unidentified = _grouped(Payment.select(Payment.currency.alias("k"), fn.SUM(Payment.unallocated_minor).alias("n"))
                            .where(Payment.customer.is_null()).group_by(Payment.currency))
    open_vs_journal = ("open items", "journal")
    out = _compare("receivables of customer", open_by_customer, _net(ledger.RECEIVABLES, JournalLine.customer),
                   lambda k: f"#{k}", open_vs_journal)
    out += _compare("receivables of document", _grouped(OpenItem.select(OpenItem.document.alias("k"),
                                                                        OpenItem.open_minor.alias("n"))),
                    _net(ledger.RECEIVABLES, JournalLine.document), lambda k: f"#{k}", open_vs_journal)
    payments_vs_journal = ("payments", "journal")
    out += _compare("unapplied cash of customer", unapplied, _net(ledger.UNAPPLIED_CASH, JournalLine.customer, -1),
                    lambda k: f"#{k}", payments_vs_journal)
    out += _compare("unidentified receipts in", unidentified, _net(ledger.UNIDENTIFIED, JournalLine.currency, -1),
                    str, payments_vs_journal)
    return out


def check_open_items() -> list[str]:
    """Each document's open amount recomputed from its total, allocations, write-offs and void."""
    totals = {d.id: (d.kind, d.total_minor, d.number) for d in
              Invoice.select(Invoice.id, Invoice.kind, Invoice.total_minor, Invoice.number)
              .where(Invoice.status == InvoiceStatus.POSTED)}
    settled: dict[int, int] = defaultdict(int)
    for doc_id, amount in (Allocation.select(Allocation.invoice, fn.SUM(Allocation.amount_minor))
                           .where(Allocation.invoice.is_null(False)).group_by(Allocation.invoice).tuples().iterator()):
        settled[doc_id] += int(amount)
    for doc_id, amount in (WriteOff.select(WriteOff.invoice, fn.SUM(WriteOff.amount_minor))
                           .group_by(WriteOff.invoice).tuples().iterator()):
        settled[doc_id] += int(amount)
    for void in InvoiceVoid.select(InvoiceVoid.invoice):
        settled[void.invoice_id] += totals[void.invoice_id][1]
    used = _grouped(Allocation.select(Allocation.credit_note.alias("k"), fn.SUM(Allocation.amount_minor).alias("n"))
                    .where(Allocation.credit_note.is_null(False)).group_by(Allocation.credit_note))
    expected: dict[int, int] = {}
    for doc_id, (kind, total, _number) in totals.items():
        expected[doc_id] = total - settled[doc_id] if kind == DocumentKind.INVOICE else -(total - used.get(doc_id, 0))
    actual = {row.document_id: row.open_minor for row in OpenItem.select(OpenItem.document, OpenItem.open_minor)}
    out = _compare("open amount of document", expected, actual, lambda k: str(totals.get(k, ("", 0, k))[2]))
    for doc_id, open_minor in actual.items():
        kind, total, number = totals.get(doc_id, ("?", 0, doc_id))
        if kind == DocumentKind.INVOICE and not 0 <= open_minor <= total:
            out.append(f"invoice {number} has {open_minor} open, outside 0..{total} (allocated beyond its total)")
        if kind == DocumentKind.CREDIT_NOTE and not -total <= open_minor <= 0:
            out.append(f"credit note {number} has {open_minor} open, outside -{total}..0 (applied beyond its total)")
    return out


def check_payments() -> list[str]:
    allocated = _grouped(Allocation.select(Allocation.payment.alias("k"), fn.SUM(Allocation.amount_minor).alias("n"))
                         .where(Allocation.payment.is_null(False)).group_by(Allocation.payment))
    out = []
    for p in Payment.select(Payment.id, Payment.number, Payment.amount_minor, Payment.unallocated_minor,
                            Payment.status):
        used = allocated.get(p.id, 0)
        returned = p.amount_minor if p.status == PaymentStatus.RETURNED else 0
        if p.amount_minor - used - returned != p.unallocated_minor:
            out.append(f"payment {p.number}: amount {p.amount_minor} less allocations {used} should leave "
                       f"{p.amount_minor - used - returned} unallocated, found {p.unallocated_minor}")
        if not 0 <= p.unallocated_minor <= p.amount_minor:
            out.append(f"payment {p.number} is allocated beyond its amount ({p.unallocated_minor} left)")
    refunded = _grouped(Allocation.select(Allocation.refund.alias("k"), fn.SUM(Allocation.amount_minor).alias("n"))
                        .where(Allocation.refund.is_null(False)).group_by(Allocation.refund))
    for r in Refund.select().where(Refund.status == RefundStatus.POSTED):
        if refunded.get(r.id, 0) != r.amount_minor:
            out.append(f"refund {r.number}: {r.amount_minor} refunded but {refunded.get(r.id, 0)} drawn from credit")
    return out


def check_numbers() -> list[str]:
    """Posted document numbers are unique and gapless, in each series, up to the counter."""
    out = []
    for series in NumberSeries.select():
        if series.code in ("INV", "CN"):
            # A posted document without a number counts as 0: reported below as out of the series.
            seqs = [r.seq or 0 for r in Invoice.select(Invoice.seq).where(
                (Invoice.series == series.code) & (Invoice.status == InvoiceStatus.POSTED)).order_by(Invoice.seq)]
        elif series.code in ("PAY", "RF"):
            model = Payment if series.code == "PAY" else Refund
            seqs = sorted(int(r.number[len(series.prefix):]) for r in model.select(model.number))
        else:
            continue
        if seqs != list(range(1, len(seqs) + 1)):
            missing = sorted(set(range(1, (max(seqs) if seqs else 0) + 1)) - set(seqs))
            dupes = len(seqs) - len(set(seqs))
            out.append(f"series {series.code}: {len(missing)} numbers missing (first {missing[:3]}), "
                       f"{dupes} used twice")
        if series.next_value != len(seqs) + 1:
            out.append(f"series {series.code}: counter at {series.next_value} but {len(seqs)} numbers used")
    return out


def _events() -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.select().where(AuditEvent.id > last).order_by(AuditEvent.id).limit(5000))
        if not batch:
            return
        yield from batch
        last = batch[-1].id


def check_audit_chain() -> list[str]:
    prev, count = GENESIS, 0
    for event in _events():
        count += 1
        if event.prev_hash != prev:
            return [f"audit event {event.id}: chain broken (does not follow the event before it)"]
        digest = event_hash(prev, timestamp_text(event.at), event.operator, event.action, event.entity,
                            event.entity_id, event.customer_id, event.before, event.after)
        if digest != event.hash:
            return [f"audit event {event.id} ({event.action} {event.entity_id}) was altered after it was written"]
        prev = digest
    head = AuditHead.get_by_id(1)
    if head.last_hash != prev or head.count != count:
        return [f"audit chain head says {head.count} events ending {head.last_hash[:12]}, "
                f"found {count} ending {prev[:12]}"]
    return []


def check_integrity() -> list[str]:
    database = database_proxy.obj
    if isinstance(database, PostgresqlDatabase):
        return []
    rows = [r[0] for r in database.execute_sql("PRAGMA integrity_check").fetchall()]
    fk = database.execute_sql("PRAGMA foreign_key_check").fetchall()
    out = [] if rows == ["ok"] else [f"SQLite integrity check: {r}" for r in rows[:10]]
    return out + [f"foreign key check: {row}" for row in fk[:10]]


def check_journal_links() -> list[str]:
    """Every posted document has the entry that posted it."""
    orphans = (Invoice.select(Invoice.number)
               .join(JournalEntry, JOIN.LEFT_OUTER, on=(Invoice.journal_entry == JournalEntry.id))
               .where((Invoice.status == InvoiceStatus.POSTED) & JournalEntry.id.is_null()))
    return [f"document {row.number} has no journal entry" for row in orphans]


CHECKS: list[tuple[str, Check]] = [
    ("journal entries balance", check_entries_balance),
    ("customer balances agree with the journal", check_customer_balances),
    ("open items agree with documents", check_open_items),
    ("payments are not over-allocated", check_payments),
    ("document numbers are unique and gapless", check_numbers),
    ("audit chain is unbroken", check_audit_chain),
    ("audit events agree with the rows they describe", check_rows_match_audit),
    ("posted documents have journal entries", check_journal_links),
    ("database integrity", check_integrity),
    ("report totals agree with the journal", lambda: _report_totals()),
]


def _report_totals() -> list[str]:
    from store.reports import check_report_totals  # reports import much of store; keep verify light to import

    return check_report_totals()


def verify_books(anchor: str | None = None) -> list[str]:
    """Every discrepancy in the books, as sentences; [] when all is well.

    With `anchor` (a head hash printed earlier) the chain must also still pass through it.
    """
    problems: list[str] = chain_passes_through(anchor) if anchor else []
    for _name, check in CHECKS:
        problems.extend(check())
    return problems
