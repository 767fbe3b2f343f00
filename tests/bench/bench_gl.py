"""Ledger export benchmark: `python tests/bench/bench_gl.py --db COPY.db [--period 2026-11] [--bean-check]`.

Exports one month of scale books in every format (each format's first export is the whole month),
then times a second export with nothing new (refused), one late posting into the month exported as
the difference, and (--bean-check) beancount's loader on the month's file. Export records are
written into the database: give it a COPY of the scale books (`cp billfold-scale.db /tmp/x.db`), or no
--db to build small books with tests/bench/scale.py (--customers, --invoices). Prints a table.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tabulate import tabulate

from exports.gl_formats import export_to_file
from store.db import close_database, open_database
from store.errors import Conflict
from store.gl_export import FORMATS, parse_month
from store.gl_mapping import account_mapping, set_mapping
from store.models import JournalEntry
from store.reports import Period
from store.session import ensure_operator, set_operator

MAPPING = {"1000": "Checking", "1100": "Accounts Receivable", "2100": "Customer Deposits",
           "2150": "Suspense:Unidentified Receipts", "2200": "Sales Tax Payable", "4000": "Sales Income",
           "6900": "Bad Debt Expense"}


def last_full_month() -> Period:
    latest = JournalEntry.select(JournalEntry.entry_date).order_by(JournalEntry.entry_date.desc()).limit(1).scalar()
    latest = dt.date.fromisoformat(str(latest)) if latest else dt.date.today()
    return Period.containing(latest.replace(day=1) - dt.timedelta(days=1))


def late_posting(period: Period) -> str:
    """One invoice back-dated into the exported month: what the next export must carry alone."""
    from store.invoices import DraftInput, LineInput, create_and_post
    from store.models import Customer

    account = Customer.select(Customer.account_no).where(Customer.currency == "GBP").limit(1).scalar()
    return create_and_post(DraftInput(account, period.start, (LineInput("Late", Decimal(1), 1234, "S"),)),
                           allow_over_limit=True).number


def run(period: Period, out: Path, bean_check: bool) -> list[list[object]]:
    rows: list[list[object]] = []
    for fmt in FORMATS:
        started = time.perf_counter()
        result = export_to_file(period.code, fmt, out / f"full.{fmt}", currency="GBP" if fmt in (
            "quickbooks-iif", "xero-csv") else None)
        seconds = time.perf_counter() - started
        record = result.record
        files = sorted(out.glob(f"full*.{fmt}"))  # Xero's: numbered files of at most 300 lines
        size = sum(f.stat().st_size for f in files)
        several = f", {len(files):,} files" if len(files) > 1 else ""
        rows.append([f"{fmt} (whole month{several})", f"{record.entry_count:,}", f"{record.line_count:,}",
                     f"{size / 1e6:.1f}", f"{seconds:.2f}", f"{record.entry_count / seconds:,.0f}"])
    started = time.perf_counter()
    try:
        export_to_file(period.code, "csv", out / "again.csv")
        refused = "not refused!"
    except Conflict:
        refused = "refused"
    rows.append([f"csv again, nothing new ({refused})", "0", "0", "", f"{time.perf_counter() - started:.2f}", ""])
    late_posting(period)
    started = time.perf_counter()
    record = export_to_file(period.code, "csv", out / "difference.csv").record
    rows.append([f"csv difference ({record.kind})", f"{record.entry_count:,}", f"{record.line_count:,}", "",
                 f"{time.perf_counter() - started:.2f}", ""])
    if bean_check:
        from beancount import loader

        started = time.perf_counter()
        _entries, errors, _options = loader.load_file(str(out / "full.beancount"))
        rows.append([f"beancount loader on the month ({len(errors)} errors)", "", "", "",
                     f"{time.perf_counter() - started:.2f}", ""])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a COPY of scale books (export records are written into it)")
    parser.add_argument("--period", help="the month (default: the last full month of the books)")
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--bean-check", action="store_true", help="also time beancount's loader on the file")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-gl-"))
    path = args.db
    if not path:
        from tests.bench.scale import build_scale_books

        path = str(work / "scale.db")
        print(build_scale_books(path, args.customers, args.invoices))
    started = time.perf_counter()
    open_database(path)
    opened = time.perf_counter() - started
    ensure_operator("bench-gl", "Ledger export benchmark", "admin")
    set_operator("bench-gl")
    for row in account_mapping():
        if not row.mapped:
            set_mapping(row.account, MAPPING.get(row.account, f"GL {row.account}"))
    period = parse_month(args.period) if args.period else last_full_month()
    rows = run(period, work, args.bean_check)
    close_database()
    print(f"Ledger export of {period.label} from {path} (opened and migrated in {opened:.1f} s); files in {work}")
    print(tabulate(rows, headers=["what", "entries", "lines", "MB", "seconds", "entries/s"],
                   colalign=("left", "right", "right", "right", "right", "right")))


if __name__ == "__main__":
    main()
