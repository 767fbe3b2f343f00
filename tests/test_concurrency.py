"""Several OS processes post, record and allocate on one database file at once."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from store.customers import CustomerData, create_customer
from store.db import close_database
from store.invoices import DraftInput, create_and_post
from store.queries import books_summary, invoice_view
from store.verify import verify_books
from tests.conftest import line

WORKERS = 4
ROUNDS = int(os.environ.get("BILLFOLD_RACE_ROUNDS", "6"))  # each worker's rounds: a count, not a time


def test_four_processes_on_one_file(books: Path) -> None:
    accounts = [create_customer(CustomerData(name=f"Racer {n}", email="r@example.com")).account_no for n in range(5)]
    shared = create_and_post(DraftInput(accounts[0], dt.date(2026, 11, 1), (line(price=1000),)))  # 12.00 to race for
    assert shared.number == "INV-000001"
    close_database()
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    runner = [sys.executable, str(root / "tests" / "as_operator.py"), "alice"]  # the test-only identity seam
    procs = [subprocess.Popen([*runner, str(root / "tests" / "concurrent_worker.py"), str(books), str(n),
                               str(ROUNDS), ",".join(accounts)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env, text=True) for n in range(WORKERS)]
    for proc in procs:  # every worker has opened the books before any starts: then all go at once
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    from store.db import open_database

    open_database(str(books))
    errors = [e for r in results for e in r["errors"]]
    assert errors == [], errors[:5]
    numbers = [n for r in results for n in r["posted"]]
    assert len(numbers) == len(set(numbers)) and len(numbers) >= WORKERS
    expected = {f"INV-{n:06d}" for n in range(2, len(numbers) + 2)}
    assert set(numbers) == expected, "numbers skipped or reused"
    assert books_summary().invoices == len(numbers) + 1
    # 12.00 was open on the shared invoice: however the race went, exactly twelve 1.00 allocations won
    # and every later one was refused.
    attempts = sum(r["payments"] for r in results) // 2
    won = sum(r["allocated_minor"] for r in results) - sum(invoice_view(n).total_minor for n in numbers)
    assert attempts > 12
    assert (won, invoice_view("INV-000001").open_minor) == (1200, 0)
    assert sum(r["refused"] for r in results) == attempts - 12
    assert verify_books() == []
