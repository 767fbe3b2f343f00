"""Every benchmark, one after another, on the same scale books: one command, one summary table.

    python tests/bench/run_all.py [--db /tmp/billfold-scale.db] [--quick] [--only NAME ...]
    python tests/bench/run_all.py --issue17 [--db PATH] [--pg postgresql://127.0.0.1/billfold_scale] [--skip M ...]

Builds the scale books first when --db does not exist (tests/bench/scale.py: 100,000 customers,
1,000,000 invoices, about 3 minutes). Each benchmark prints its own tables as it runs; the summary
at the end says how long each took and whether it finished. The books are only read: benchmarks
that write work on a copy of their own. --quick runs smaller counts (a minute or two each), for a
look rather than the figures of record.

--issue17 prints issue 17's table instead (tests/bench/issue17.py): each measure, its figure, its
goal, pass or fail, and the machine's load with each; with --pg, the same table again on that
PostgreSQL database for the measures that touch the books (build it first with
`tests/bench/scale.py postgresql://... --customers N --invoices N`).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from tabulate import tabulate

HERE = Path(__file__).resolve().parent


def benchmarks(db: str, quick: bool) -> dict[str, list[str]]:
    """name -> arguments, in the order they run (the ones that need no books last)."""
    return {
        "books": ["bench_books.py", "--db", db] + (["--n", "20", "--skip-verify"] if quick else []),
        "lookup": ["bench_lookup.py", "--db", db] + (["--rounds", "2"] if quick else []),
        "entry": ["bench_entry.py", "--db", db] + (["--invoices", "20", "--keyed", "5", "--stress", "5"]
                                                   if quick else []),
        "matching": ["bench_matching.py", "--db", db] + (["--lines", "1000"] if quick else []),
        "queue": ["bench_queue.py", "--db", db] + (["--payments", "100", "--moves", "30", "--accepts", "15"]
                                                   if quick else []),
        "reports": ["bench_reports.py", "--db", db] + (["--runs", "1"] if quick else []),
        "preview": ["bench_preview.py", "--db", db] + (["--runs", "1"] if quick else []),
        "pdf": ["bench_pdf.py"] + (["--quick"] if quick else []),
        "delivery": ["bench_delivery.py"] + (["--invoices", "100", "--runs", "1"] if quick else []),
        "ssh bytes": ["measure_ssh_bytes.py"] + (["--lines", "3"] if quick else []),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="/tmp/billfold-scale.db")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", nargs="*", help="run only these (names as in the summary)")
    parser.add_argument("--issue17", action="store_true", help="issue 17's table: figure, goal, pass or fail")
    parser.add_argument("--pg", help="with --issue17: the same table on this PostgreSQL database too")
    parser.add_argument("--skip", nargs="*", default=[], help="with --issue17: leave out these measures")
    args = parser.parse_args()
    if args.issue17:
        return issue17_tables(args.db, args.pg, args.skip)
    if not Path(args.db).exists():
        print(f"building the scale books at {args.db} ...", flush=True)
        subprocess.run([sys.executable, str(HERE / "scale.py"), args.db], check=True)
    summary = []
    for name, argv in benchmarks(args.db, args.quick).items():
        if args.only and name not in args.only:
            continue
        print(f"\n==== {name}: python tests/bench/{' '.join(argv)}", flush=True)
        start = time.monotonic()
        result = subprocess.run([sys.executable, str(HERE / argv[0]), *argv[1:]])
        summary.append([name, f"{time.monotonic() - start:.0f}", "ok" if result.returncode == 0
                        else f"FAILED (exit {result.returncode})", " ".join(argv)])
    print("\n" + tabulate(summary, headers=["benchmark", "seconds", "result", "command (in tests/bench)"],
                          tablefmt="github"))
    return 0 if all(row[2] == "ok" for row in summary) else 1


def issue17_tables(db: str, pg: str | None, skip: list[str]) -> int:
    sys.path.insert(0, str(HERE.parents[1]))
    from tests.bench.issue17 import HEADERS, issue_table

    tables = [(f"SQLite: {db}", issue_table(db, skip))]
    if pg:
        tables.append((f"PostgreSQL: {pg}", issue_table(pg, skip, postgres=True)))
    for title, rows in tables:
        print(f"\n{title}\n" + tabulate(rows, headers=HEADERS, tablefmt="github"))
    return 0 if all(row[3] == "pass" for _title, rows in tables for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
