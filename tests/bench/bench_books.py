"""The books at scale: service latencies, account lookup, auto-match and verify on a big database.

    python tests/bench/bench_books.py [--db /tmp/billfold-scale.db] [--customers 100000] [--invoices 1000000]

Builds the scale database with tests/bench/scale.py when it is missing, works on a copy of it
(the measurements write), and prints one table. For comparison it also times a raw
INSERT+COMMIT on the same file with WAL and synchronous=FULL.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tabulate import tabulate


def percentiles(samples: list[float]) -> tuple[str, str]:
    ordered = sorted(samples)
    return f"{statistics.median(ordered):.2f}", f"{ordered[int(len(ordered) * 0.95) - 1]:.2f}"


def timed(fn, n: int) -> list[float]:
    out = []
    for i in range(n):
        start = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/tmp/billfold-scale.db")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--skip-verify", action="store_true")
    args = parser.parse_args()
    from tests.bench.identity import act_as_bench

    act_as_bench()
    rows: list[list[str]] = []
    if not Path(args.db).exists():
        from tests.bench.scale import build_scale_books

        counts = build_scale_books(args.db, args.customers, args.invoices)
        rows.append(["build scale books", f"{counts['seconds']} s total", f"{counts['rows_per_second']:,} rows/s", ""])
    work = args.db + ".bench"
    for suffix in ("", "-wal", "-shm"):
        if Path(args.db + suffix).exists():
            shutil.copy(args.db + suffix, work + suffix)
    from store.db import open_database

    open_database(work)
    from store.invoices import DraftInput, LineInput, create_and_post
    from store.lookup import find_accounts
    from store.matching import auto_match, suggest_allocations
    from store.models import database_proxy
    from store.payments import PaymentInput, allocate_payment, record_payment
    from store.queries import books_summary

    summary = books_summary()
    rows.append(["books", f"{summary.customers:,} customers", f"{summary.invoices:,} invoices",
                 f"{summary.payments:,} payments"])
    rng = random.Random(5)
    accounts = [str(100001 + rng.randrange(summary.customers)) for _ in range(args.n)]
    lines = tuple(LineInput(f"Line {k}", Decimal(k + 1), 1999 + k, "S") for k in range(3))

    posted: list[str] = []

    def post(i: int) -> None:
        posted.append(create_and_post(DraftInput(accounts[i], dt.date.today(), lines), allow_over_limit=True).number)

    rows.append(["post a 3-line invoice (ms)", *percentiles(timed(post, args.n)), f"n={args.n}"])

    def pay(i: int) -> None:
        p = record_payment(PaymentInput(5000, "GBP", "bank_transfer", dt.date.today(), accounts[i]))
        allocate_payment(p.number, [(posted[i], 5000)])

    rows.append(["record + allocate a payment (ms)", *percentiles(timed(pay, args.n)), f"n={args.n}"])

    conn = database_proxy.obj.connection()
    conn.cursor().execute("CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY, v INTEGER)")

    def raw(i: int) -> None:
        cursor = conn.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        cursor.execute("INSERT INTO bench_raw (v) VALUES (?)", (i,))
        cursor.execute("COMMIT")

    rows.append(["raw INSERT+COMMIT, WAL, synchronous=FULL (ms)", *percentiles(timed(raw, args.n)), ""])

    typed = ["h", "ha", "har", "harb", "harbo", "harbour", "w", "wi", "wil", "willow", "1000", "10042", "100420",
             "+44 2", "020 7", "bs1", "ec1a 1", "INV-0004", "INV-000400", "harbuor", "kestrl", "ap1234@",
             "o'brien", "müller", "zoe", "smith tr", "granite eng"]
    rows.append(["lookup query per keystroke (ms)",
                 *percentiles(timed(lambda i: find_accounts(typed[i % len(typed)]), len(typed) * 8)),
                 f"{len(typed)} inputs x 8"])

    imported = [record_payment(PaymentInput(rng.randint(1000, 90000), "GBP", "bank_transfer", dt.date.today(),
                                            reference=f"INV-{rng.randint(1, summary.invoices):06d}",
                                            payer=rng.choice(["HARBOUR SUPPLIES", "Kestrel Trading", "J SMITH"])))
                .number for _ in range(100)]
    rows.append(["suggestions for one payment (ms)",
                 *percentiles(timed(lambda i: suggest_allocations(imported[i]), len(imported))), "100 payments"])
    start = time.perf_counter()
    matches = auto_match(dry_run=True)
    rows.append(["auto-match dry run over the queue (s)", f"{time.perf_counter() - start:.2f}", "",
                 f"{len(matches)} certain"])
    if not args.skip_verify:
        from store.verify import verify_books

        start = time.perf_counter()
        problems = verify_books()
        rows.append(["billfold verify (s)", f"{time.perf_counter() - start:.1f}", "",
                     "ok" if not problems else f"{len(problems)} problems"])
    print(tabulate(rows, headers=["measure", "median", "p95", "note"]))


if __name__ == "__main__":
    main()
