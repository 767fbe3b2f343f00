"""The derived report tables (ledger_day, receivable_move, aging_item) against the rows they repeat."""
from __future__ import annotations

from peewee import fn

from store import ledger
from store.models import Invoice, JournalEntry, JournalLine, LedgerDay, OpenItem, ReceivableMove
from store.reports.common import _i
from store.sql import run_sql


def check_report_totals() -> list[str]:
    """ledger_day, receivable_move and aging_item against the rows they repeat; [] when they agree.

    One pass over the journal: for `billfold verify`, not for a report.
    """
    key = (JournalEntry.entry_date, JournalLine.account, JournalLine.currency, JournalEntry.kind)
    journal = {(str(d), a, c, k): (_i(dr), _i(cr), _i(n)) for d, a, c, k, dr, cr, n in
               JournalLine.select(*key, fn.SUM(JournalLine.debit_minor), fn.SUM(JournalLine.credit_minor),
                                  fn.COUNT(JournalLine.id))
               .join(JournalEntry, on=(JournalLine.entry == JournalEntry.id)).group_by(*key).tuples()}
    days = {(str(d), a, c, k): (_i(dr), _i(cr), _i(n)) for d, a, c, k, dr, cr, n in
            LedgerDay.select(LedgerDay.entry_date, LedgerDay.account, LedgerDay.currency, LedgerDay.kind,
                             LedgerDay.debit_minor, LedgerDay.credit_minor, LedgerDay.lines).tuples()}
    out = []
    for k in sorted(set(journal) | set(days)):
        if journal.get(k, (0, 0, 0)) != days.get(k, (0, 0, 0)):
            out.append(f"daily journal totals {k[0]} account {k[1]} {k[2]} {k[3]}: journal lines (debits, credits, "
                       f"lines) {journal.get(k, (0, 0, 0))}, daily totals {days.get(k, (0, 0, 0))}")
    doc_key = (JournalLine.document, JournalEntry.entry_date)
    lines = {(doc, str(d)): (_i(n), _i(k)) for doc, d, n, k in
             JournalLine.select(*doc_key, fn.SUM(JournalLine.debit_minor - JournalLine.credit_minor),
                                fn.COUNT(JournalLine.id))
             .join(JournalEntry, on=(JournalLine.entry == JournalEntry.id))
             .where((JournalLine.account == ledger.RECEIVABLES) & JournalLine.document.is_null(False))
             .group_by(*doc_key).tuples()}
    moves = {(doc, str(d)): (_i(n), _i(k)) for doc, d, n, k in
             ReceivableMove.select(ReceivableMove.document_id, ReceivableMove.entry_date,
                                   fn.SUM(ReceivableMove.amount_minor), fn.COUNT(ReceivableMove.id))
             .group_by(ReceivableMove.document_id, ReceivableMove.entry_date).tuples()}
    for k in sorted(set(lines) | set(moves)):
        if lines.get(k, (0, 0)) != moves.get(k, (0, 0)):
            out.append(f"receivable moves of document #{k[0]} on {k[1]}: journal (amount, lines) "
                       f"{lines.get(k, (0, 0))}, moves {moves.get(k, (0, 0))}")
    return out + _check_aging_items()


def _check_aging_items(limit: int = 20) -> list[str]:
    """aging_item against the rows it repeats (open_item, invoice and the last two receivable move days of
    each document with what was open before the last): a message per document that differs."""
    columns = "document_id, customer_id, currency, due_date, issue_date, kind, number, open_minor"
    repeated = (f"SELECT o.document_id, o.customer_id, o.currency, o.due_date, i.issue_date, i.kind, i.number, "
                f"o.open_minor FROM {OpenItem._meta.table_name} o JOIN {Invoice._meta.table_name} i "
                "ON i.id = o.document_id")
    kept = f"SELECT {columns} FROM {{aging}}"
    moved = ("SELECT document_id, MAX(entry_date), MAX(CASE WHEN entry_date < latest THEN entry_date END), "
             "CAST(SUM(CASE WHEN entry_date < latest THEN amount_minor ELSE 0 END) AS BIGINT) FROM "
             "(SELECT document_id, entry_date, amount_minor, MAX(entry_date) OVER (PARTITION BY document_id) "
             "AS latest FROM {move}) w GROUP BY document_id")
    moved_on = "SELECT document_id, moved_on, prior_on, prior_minor FROM {aging}"
    sql = " UNION ".join(f"SELECT document_id FROM ({a} EXCEPT {b}) x{n}" for n, (a, b) in enumerate(
        ((repeated, kept), (kept, repeated), (moved, moved_on), (moved_on, moved)))) + " ORDER BY 1"
    wrong = [doc for (doc,) in run_sql(sql, {})]
    out = [f"aging item of document #{doc} differs from its open item, invoice or receivable moves"
           for doc in wrong[:limit]]
    if len(wrong) > limit:
        out.append(f"... and {len(wrong) - limit} more aging items differ")
    return out
