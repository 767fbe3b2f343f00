"""Cash application at scale: import a 10,000-line statement, then auto-match it against the open invoices.

    python tests/bench/bench_matching.py [--db /tmp/billfold-scale.db] [--lines 10000]

Works on a copy of the scale database (tests/bench/scale.py). The statement is a CSV a bank could
have written: most lines name one open invoice and pay exactly its balance, some pay part of it,
some name nothing; a few are money out. Prints seconds for the import and for auto-match (dry run
and applied), and the share that auto-match applied.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tabulate import tabulate


def statement(lines: int, open_items: list[tuple[str, int]], seed: int = 3) -> bytes:
    rng = random.Random(seed)
    rows = ["Date,Amount,Reference,Payee,Transaction id"]
    for n in range(lines):
        number, balance = rng.choice(open_items)
        roll = rng.random()
        if roll < 0.7:
            amount, reference = balance, f"Payment {number}"
        elif roll < 0.85:
            amount, reference = max(balance // 2, 1), f"part {number}"
        elif roll < 0.97:
            amount, reference = rng.randint(1000, 90000), "see remittance"
        else:
            amount, reference = -rng.randint(100, 5000), "bank charges"
        rows.append(f"2026-11-{1 + n % 20:02d},{amount / 100:.2f},{reference},Payer {n % 977},TX{n:07d}")
    return ("\n".join(rows) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/tmp/billfold-scale.db")
    parser.add_argument("--lines", type=int, default=10_000)
    args = parser.parse_args()
    from tests.bench.identity import act_as_bench

    act_as_bench()
    if not Path(args.db).exists():
        from tests.bench.scale import build_scale_books

        build_scale_books(args.db)
    work = args.db + ".match"
    for suffix in ("", "-wal", "-shm"):
        if Path(args.db + suffix).exists():
            shutil.copy(args.db + suffix, work + suffix)
    from store.db import open_database

    open_database(work)
    from store.importers import CsvMapping
    from store.imports import import_statement
    from store.matching import auto_match, queue_size
    from store.models import Invoice, OpenItem

    open_items = [(r.number, r.open_minor) for r in OpenItem.select(Invoice.number, OpenItem.open_minor)
                  .join(Invoice).where(OpenItem.open_minor > 0).limit(100_000).objects()]
    data = statement(args.lines, open_items)
    mapping = CsvMapping("bench", "Date", "%Y-%m-%d", amount="Amount", reference="Reference", payer="Payee",
                         bank_id="Transaction id")
    rows = [["open invoices to match against", f"{len(open_items):,}", ""]]
    start = time.perf_counter()
    result = import_statement(data, "bench.csv", mapping)
    rows.append([f"import a {args.lines:,}-line statement (s)", f"{time.perf_counter() - start:.1f}",
                 f"{result.new:,} new, {result.duplicate} duplicate, {result.skipped} skipped"])
    start = time.perf_counter()
    again = import_statement(data, "bench.csv", mapping)
    rows.append(["import it again (s)", f"{time.perf_counter() - start:.1f}", f"{again.duplicate:,} duplicates"])
    waiting = queue_size()
    start = time.perf_counter()
    dry = auto_match(dry_run=True)
    rows.append(["auto-match dry run (s)", f"{time.perf_counter() - start:.1f}",
                 f"{len(dry):,} certain of {waiting:,}"])
    start = time.perf_counter()
    applied = auto_match(dry_run=False)
    done = sum(m.applied for m in applied)
    rows.append(["auto-match applied, one transaction each (s)", f"{time.perf_counter() - start:.1f}",
                 f"{done:,} applied, {len(applied) - done} left"])
    print(tabulate(rows, headers=["measure", "value", "note"]))


if __name__ == "__main__":
    main()
