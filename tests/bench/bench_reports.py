"""Report benchmark: `python tests/bench/bench_reports.py [--db PATH] [--runs 3]` from the repository root.

Times every report in store.reports on a large database and prints a table; each must compute
in under a second at 1,000,000 invoices. The database is `--db PATH` (brought to the current
schema first, which on an old large file builds the report totals once), or else one made by
`tests.bench.scale.build_scale_books`. Aging is timed as of today (open items) and as of several
past dates (rebuilt from the journal), since its cost depends on where the date falls.
"""
from __future__ import annotations

import argparse
import datetime as dt
import inspect
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tabulate import tabulate

from store import reports
from store.db import close_database, open_database
from store.models import Invoice, database_proxy
from store.reports import Period, Report

LIMIT_S = 1.0


def build_books(invoices: int, directory: Path) -> str:
    """A scale database from tests.bench.scale, whatever its exact signature; its path."""
    try:
        from tests.bench.scale import build_scale_books
    except ImportError:
        sys.exit("no --db given and tests/bench/scale.py (build_scale_books) is not there yet: pass --db PATH")
    path = directory / "scale.db"
    params = inspect.signature(build_scale_books).parameters
    kwargs: dict[str, Any] = {}
    for name in ("path", "db_path", "target", "db"):
        if name in params:
            kwargs[name] = str(path)
            break
    for name in ("invoices", "n_invoices", "count", "n"):
        if name in params:
            kwargs[name] = invoices
            break
    result = build_scale_books(**kwargs)
    return str(result) if isinstance(result, (str, Path)) else str(path)


def timed(fn: Callable[[], Report], runs: int) -> tuple[float, float, Report]:
    """Median and worst seconds of `runs` calls (after one warm-up call), and the last report."""
    report = fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        report = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times), report


def cases(today: dt.date, first_day: dt.date | None) -> list[tuple[str, str, Callable[[], Report]]]:
    this_month = Period.containing(today)
    last_month, last_quarter = this_month.previous(), Period.containing(today, "quarter").previous()
    out: list[tuple[str, str, Callable[[], Report]]] = []
    past = [last_month.end, today - dt.timedelta(days=182), today - dt.timedelta(days=365)]
    if first_day and first_day < today:
        past.append(first_day + (today - first_day) / 2)  # the middle of the history: the slowest day
    for name in ("ar_aging", "ar_aging_detail"):
        out.append((name, "today", lambda n=name: reports.run_report(n)))
        for day in past:
            out.append((name, day.isoformat(), lambda n=name, d=day: reports.run_report(n, d)))
    for name, takes in reports.REPORT_TAKES.items():
        if name.startswith("ar_aging"):
            continue
        if takes == "period":
            for period in (last_month, last_quarter):
                out.append((name, period.code, lambda n=name, p=period: reports.run_report(n, p)))
        else:
            out.append((name, "now", lambda n=name: reports.run_report(n)))
    # Not a report, but read the same way: the dunning run an operator previews.
    out.append(("(dunning preview)", "today", lambda: _dunning(today)))
    return out


def _dunning(today: dt.date) -> Report:
    from store.dunning import dunning_run

    run = dunning_run(today)
    return Report("dunning", "Dunning preview", today.isoformat(), (), tuple((p.account_no,) for p in run.proposals))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing database to time (default: build one with tests.bench.scale)")
    parser.add_argument("--invoices", type=int, default=1_000_000, help="invoices to build when no --db is given")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per report (after one warm-up)")
    parser.add_argument("--only", help="time only the reports whose name contains this")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        target = args.db or build_books(args.invoices, Path(tmp))
        start = time.perf_counter()
        open_database(target)
        migrated = time.perf_counter() - start
        invoices = Invoice.select().where(Invoice.status == "posted").count()
        first = Invoice.select(Invoice.issue_date).order_by(Invoice.issue_date).limit(1).scalar()
        first_day = dt.date.fromisoformat(str(first)[:10]) if first else None
        lines = database_proxy.execute_sql("SELECT COUNT(*) FROM journal_line").fetchone()[0]
        print(f"{target}: {invoices:,} posted documents, {lines:,} journal lines "
              f"(opened and migrated in {migrated:.1f} s)")
        table, slow = [], 0
        for name, argument, run in cases(dt.date.today(), first_day):
            if args.only and args.only not in name:
                continue
            median, worst, report = timed(run, args.runs)
            slow += worst >= LIMIT_S
            table.append([name, argument, f"{len(report.rows):,}", f"{median:.3f}", f"{worst:.3f}",
                          "ok" if worst < LIMIT_S else "SLOW"])
        close_database()
    print(tabulate(table, headers=["report", "as of / period", "rows", "median s", "worst s", f"< {LIMIT_S:g} s"],
                   colalign=("left", "left", "right", "right", "right", "left")))
    print(f"{len(table) - slow} of {len(table)} under {LIMIT_S:g} s")


if __name__ == "__main__":
    main()
