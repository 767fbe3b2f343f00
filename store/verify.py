"""`billfold verify`: recompute every invariant of the books from the append-only rows.

Each check returns sentences describing discrepancies; an empty list from all of them means the
books are sound. The database groups, sums and compares, and returns only what differs; whole
tables are walked a page at a time (store/verify_sql.py), so memory stays flat however big the books.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from peewee import JOIN, PostgresqlDatabase, fn

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
from store.verify_sql import differences, number_use, paged, rows, sorting_on_disk

GENESIS = "0" * 64
Check = Callable[[], list[str]]


def _net(account: str, key: str, sign: int = 1) -> str:
    """Debit-minus-credit (times sign) of an account per journal line column, as rows (k1, n1) to sum."""
    return (f"SELECT {key} AS k1, {int(sign)} * (debit_minor - credit_minor) AS n1 FROM {_table(JournalLine)} "
            f"WHERE account = '{account}' AND {key} IS NOT NULL")


def _table(model: Any) -> str:
    return str(model._meta.table_name)


def _compare(what: str, expected: str, actual: str, label: Callable[[Any], str],
             sides: tuple[str, str] = ("expected", "found"), params: dict[str, Any] | None = None) -> list[str]:
    """The keys where two (k1, n1) queries sum differently, as sentences (the database compares)."""
    return [f"{what} {label(key)}: {sides[0]} {a}, {sides[1]} {b} (difference {b - a})"
            for (key,), (a,), (b,) in differences(expected, actual, **(params or {}))]


def check_entries_balance() -> list[str]:
    query = (JournalLine.select(JournalLine.entry, JournalLine.currency,
                                fn.SUM(JournalLine.debit_minor).alias("d"), fn.SUM(JournalLine.credit_minor).alias("c"))
             .group_by(JournalLine.entry, JournalLine.currency)
             .having(fn.SUM(JournalLine.debit_minor) != fn.SUM(JournalLine.credit_minor)))
    return [f"journal entry {entry_id} does not balance in {currency}: debits {debits}, credits {credits}"
            for entry_id, currency, debits, credits in query.tuples().iterator()]


def check_customer_balances() -> list[str]:
    """Receivables and unapplied cash in the journal, per customer and per document, against the open items."""
    items, payments = _table(OpenItem), _table(Payment)
    open_vs_journal = ("open items", "journal")
    out = _compare("receivables of customer", f"SELECT customer_id AS k1, open_minor AS n1 FROM {items}",
                   _net(ledger.RECEIVABLES, "customer_id"), lambda k: f"#{k}", open_vs_journal)
    out += _compare("receivables of document", f"SELECT document_id AS k1, open_minor AS n1 FROM {items}",
                    _net(ledger.RECEIVABLES, "document_id"), lambda k: f"#{k}", open_vs_journal)
    payments_vs_journal = ("payments", "journal")
    out += _compare("unapplied cash of customer", f"SELECT customer_id AS k1, unallocated_minor AS n1 FROM {payments} "
                    "WHERE customer_id IS NOT NULL", _net(ledger.UNAPPLIED_CASH, "customer_id", -1),
                    lambda k: f"#{k}", payments_vs_journal)
    out += _compare("unidentified receipts in", f"SELECT currency AS k1, unallocated_minor AS n1 FROM {payments} "
                    "WHERE customer_id IS NULL", _net(ledger.UNIDENTIFIED, "currency", -1), str, payments_vs_journal)
    return out


def _expected_open() -> str:
    """Each posted document's open amount from its total, allocations, write-offs and void: rows (k1, n1)."""
    allocated, written, voids = _table(Allocation), _table(WriteOff), _table(InvoiceVoid)
    settled = (f"COALESCE((SELECT SUM(a.amount_minor) FROM {allocated} a WHERE a.invoice_id = i.id), 0) "
               f"+ COALESCE((SELECT SUM(w.amount_minor) FROM {written} w WHERE w.invoice_id = i.id), 0) "
               f"+ i.total_minor * (SELECT COUNT(*) FROM {voids} v WHERE v.invoice_id = i.id)")
    used = f"COALESCE((SELECT SUM(a.amount_minor) FROM {allocated} a WHERE a.credit_note_id = i.id), 0)"
    return (f"SELECT i.id AS k1, CASE WHEN i.kind = :invoice THEN i.total_minor - ({settled}) "
            f"ELSE -(i.total_minor - {used}) END AS n1 FROM {_table(Invoice)} i WHERE i.status = :posted")


def check_open_items() -> list[str]:
    """Each document's open amount recomputed from its total, allocations, write-offs and void."""
    posted = {"invoice": DocumentKind.INVOICE.value, "posted": InvoiceStatus.POSTED.value}

    def label(doc_id: int) -> str:
        number = Invoice.select(Invoice.number).where((Invoice.id == doc_id)
                                                      & (Invoice.status == InvoiceStatus.POSTED)).scalar()
        return str(number if number is not None else doc_id)

    out = _compare("open amount of document", _expected_open(),
                   f"SELECT document_id AS k1, open_minor AS n1 FROM {_table(OpenItem)}", label, params=posted)
    beyond = rows(f"SELECT i.number, i.kind, i.total_minor, o.open_minor FROM {_table(OpenItem)} o "
                  f"JOIN {_table(Invoice)} i ON i.id = o.document_id WHERE i.status = :posted AND ("
                  "(i.kind = :invoice AND (o.open_minor < 0 OR o.open_minor > i.total_minor)) OR "
                  "(i.kind = :credit_note AND (o.open_minor < -i.total_minor OR o.open_minor > 0))) ORDER BY o.id",
                  credit_note=DocumentKind.CREDIT_NOTE.value, **posted)
    for number, kind, total, open_minor in beyond:
        if kind == DocumentKind.INVOICE:
            out.append(f"invoice {number} has {open_minor} open, outside 0..{total} (allocated beyond its total)")
        else:
            out.append(f"credit note {number} has {open_minor} open, outside -{total}..0 (applied beyond its total)")
    return out


def check_payments() -> list[str]:
    out = []
    used = f"COALESCE((SELECT SUM(a.amount_minor) FROM {_table(Allocation)} a WHERE a.payment_id = p.id), 0)"
    returned = "CASE WHEN p.status = :returned THEN p.amount_minor ELSE 0 END"
    wrong = rows(f"SELECT p.number, p.amount_minor, p.unallocated_minor, {used}, {returned} FROM {_table(Payment)} p "
                 f"WHERE p.amount_minor - {used} - {returned} <> p.unallocated_minor "
                 "OR p.unallocated_minor < 0 OR p.unallocated_minor > p.amount_minor ORDER BY p.id",
                 returned=PaymentStatus.RETURNED.value)
    for number, amount, unallocated, allocated, back in wrong:
        amount, unallocated, allocated, back = int(amount), int(unallocated), int(allocated), int(back)
        if amount - allocated - back != unallocated:
            out.append(f"payment {number}: amount {amount} less allocations {allocated} should leave "
                       f"{amount - allocated - back} unallocated, found {unallocated}")
        if not 0 <= unallocated <= amount:
            out.append(f"payment {number} is allocated beyond its amount ({unallocated} left)")
    refunded = {k: int(n) for k, n in
                Allocation.select(Allocation.refund, fn.SUM(Allocation.amount_minor))
                .where(Allocation.refund.is_null(False)).group_by(Allocation.refund).tuples().iterator()}
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
            values = f"SELECT COALESCE(seq, 0) AS s FROM {_table(Invoice)} WHERE series = :code AND status = :posted"
        elif series.code in ("PAY", "RF"):
            model = Payment if series.code == "PAY" else Refund
            values = (f"SELECT CAST(SUBSTR(number, {len(series.prefix) + 1}) AS BIGINT) AS s "
                      f"FROM {_table(model)}")
        else:
            continue
        count, distinct, missing, first, in_order = number_use(values, code=series.code,
                                                               posted=InvoiceStatus.POSTED.value)
        if not in_order:
            out.append(f"series {series.code}: {missing} numbers missing (first {first}), "
                       f"{count - distinct} used twice")
        if series.next_value != count + 1:
            out.append(f"series {series.code}: counter at {series.next_value} but {count} numbers used")
    return out


def check_audit_chain() -> list[str]:
    prev, count = GENESIS, 0
    loads = json.loads
    columns = 'id, at, operator, action, entity, entity_id, customer_id, "before", "after", prev_hash, hash'
    for (event_id, at, operator, action, entity, entity_id, customer_id, before, after, prev_hash,
         stored) in paged(columns, _table(AuditEvent)):
        count += 1
        if prev_hash != prev:
            return [f"audit event {event_id}: chain broken (does not follow the event before it)"]
        # Read raw (a model object per event took three quarters of the time): converted exactly as the fields do.
        digest = event_hash(prev, timestamp_text(_at(at)), operator, action, entity, entity_id, customer_id,
                            None if before is None else loads(before), None if after is None else loads(after))
        if digest != stored:
            return [f"audit event {event_id} ({action} {entity_id}) was altered after it was written"]
        prev = digest
    head = AuditHead.get_by_id(1)
    if head.last_hash != prev or head.count != count:
        return [f"audit chain head says {head.count} events ending {head.last_hash[:12]}, "
                f"found {count} ending {prev[:12]}"]
    return []


def _at(value: Any) -> dt.datetime:
    converted: dt.datetime = AuditEvent.at.python_value(value)
    return converted


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
    with sorting_on_disk():
        for _name, check in CHECKS:
            problems.extend(check())
    return problems
