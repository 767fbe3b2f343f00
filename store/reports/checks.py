"""The derived report tables (ledger_day, receivable_move, aging_item) against the rows they repeat."""
from __future__ import annotations

from peewee import fn

from store import ledger
from store.models import Invoice, JournalEntry, JournalLine, LedgerDay, OpenItem, ReceivableMove
from store.reports.common import _i
from store.sql import run_sql
from store.verify_sql import differences


def check_report_totals() -> list[str]:
    """ledger_day, receivable_move and aging_item against the rows they repeat; [] when they agree.

    One pass over the journal: for `billfold verify`, not for a report.
    """
    key = (JournalEntry.entry_date, JournalLine.account, JournalLine.currency, JournalEntry.kind)
    journal = {(str(d), a, c, k): (_i(dr), _i(cr), _i(n)) for d, a, c, k, dr, cr, n in
               JournalLine.select(*key, fn.SUM(JournalLine.debit_minor), fn.SUM(JournalLine.credit_minor),
                                  fn.COUNT(JournalLine.id))
               .join(JournalEntry, on=(JournalLine.entry == JournalEntry.id)).group_by(*key).tuples().iterator()}
    days = {(str(d), a, c, k): (_i(dr), _i(cr), _i(n)) for d, a, c, k, dr, cr, n in
            LedgerDay.select(LedgerDay.entry_date, LedgerDay.account, LedgerDay.currency, LedgerDay.kind,
                             LedgerDay.debit_minor, LedgerDay.credit_minor, LedgerDay.lines).tuples().iterator()}
    out = []
    for k in sorted(set(journal) | set(days)):
        if journal.get(k, (0, 0, 0)) != days.get(k, (0, 0, 0)):
            out.append(f"daily journal totals {k[0]} account {k[1]} {k[2]} {k[3]}: journal lines (debits, credits, "
                       f"lines) {journal.get(k, (0, 0, 0))}, daily totals {days.get(k, (0, 0, 0))}")
    # Per document and day: a million keys at scale, so the database compares (store/verify_sql.py).
    lines = (f"SELECT jl.document_id AS k1, je.entry_date AS k2, jl.debit_minor - jl.credit_minor AS n1, 1 AS n2 "
             f"FROM {JournalLine._meta.table_name} jl JOIN {JournalEntry._meta.table_name} je ON je.id = jl.entry_id "
             f"WHERE jl.account = :receivables AND jl.document_id IS NOT NULL")
    moves = (f"SELECT document_id AS k1, entry_date AS k2, amount_minor AS n1, 1 AS n2 "
             f"FROM {ReceivableMove._meta.table_name}")
    for (doc, day), journal_side, moves_side in differences(lines, moves, keys=2, values=2,
                                                             receivables=ledger.RECEIVABLES):
        out.append(f"receivable moves of document #{doc} on {day!s}: journal (amount, lines) "
                   f"{journal_side}, moves {moves_side}")
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
