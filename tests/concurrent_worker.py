"""One operator hammering the books: run as a separate OS process by test_concurrency.py."""
from __future__ import annotations

import datetime as dt
import json
import random
import sys
from decimal import Decimal


def main(path: str, seed: int, rounds: int, accounts: list[str]) -> None:
    from store.db import open_database
    from store.errors import BooksError
    from store.invoices import DraftInput, LineInput, create_and_post
    from store.payments import PaymentInput, allocate_payment, record_payment

    open_database(path)
    rng = random.Random(seed)
    stats = {"posted": [], "payments": 0, "allocated_minor": 0, "refused": 0, "errors": []}
    shared = "INV-000001"  # every worker races to pay the same first invoice
    # A start line rather than a head start: say ready, then wait for the test's "go" on stdin, so that
    # every worker's rounds overlap however slowly the processes started.
    print("ready", flush=True)
    sys.stdin.readline()
    for _ in range(rounds):
        account = rng.choice(accounts)
        try:
            posted = create_and_post(DraftInput(account, dt.date(2026, 11, 1), (
                LineInput("Race", Decimal(rng.randint(1, 3)), rng.randint(100, 5000), "S"),)))
            stats["posted"].append(posted.number)
            pay = record_payment(PaymentInput(posted.total_minor + 100, "GBP", "bank_transfer", dt.date(2026, 11, 2),
                                              account))
            stats["payments"] += 1
            allocate_payment(pay.number, [(posted.number, posted.total_minor)])
            stats["allocated_minor"] += posted.total_minor
            other = record_payment(PaymentInput(100, "GBP", "cash", dt.date(2026, 11, 2)))
            stats["payments"] += 1
            try:
                allocate_payment(other.number, [(shared, 100)])
                stats["allocated_minor"] += 100
            except BooksError:
                stats["refused"] += 1
        except BooksError as exc:
            stats["errors"].append(f"{type(exc).__name__}: {exc}")
        except Exception as exc:
            stats["errors"].append(f"{type(exc).__name__}: {exc}")
    print(json.dumps(stats))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].split(","))
