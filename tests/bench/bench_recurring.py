"""The recurring run at scale: --contracts contracts (one customer each, monthly in advance, every tenth
starting mid-month so its charge is prorated) in a fresh SQLite file, then the month's run.

    nice -n 10 python tests/bench/bench_recurring.py [--contracts 10000] [--month 2026-12]

Prints seconds to plan (the preview), to draft (invoices and their charges, chunk by chunk) and to
post (each draft numbered and posted with its journal entry and outbox row), with invoices per second,
and checks that a second run drafts nothing and that verify is clean.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tabulate import tabulate  # noqa: E402


def build(db: Path, contracts: int, month: dt.date) -> float:
    from store.contracts import ContractInput, add_contract
    from store.customers import CustomerData, create_customer
    from store.db import open_database
    from store.service import transaction
    from store.session import ensure_operator, set_operator

    open_database(str(db))
    ensure_operator("bench", "Bench supervisor", "supervisor")
    set_operator("bench")
    started = time.perf_counter()
    with transaction():  # the set-up is not what is measured: one transaction
        for n in range(contracts):
            account = create_customer(CustomerData(name=f"Contract Customer {n:05d} Ltd")).account_no
            start = month.replace(day=15) if n % 10 == 0 else month
            add_contract(ContractInput(account, "", Decimal(1 + n % 3), "monthly", "advance", start,
                                       f"{20 + n % 180}.00", description="Managed service", tax_code="S"))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contracts", type=int, default=10_000)
    parser.add_argument("--month", default="2026-12")
    args = parser.parse_args()
    from store import clock
    from store.recurring import draft_run, post_run
    from store.recurring_plan import plan_run
    from store.verify import verify_books

    month = dt.date.fromisoformat(args.month + "-01")
    with clock.pinned(month), tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "recurring.db"
        setup = build(db, args.contracts, month)
        t = time.perf_counter()
        plan = plan_run(args.month)
        planned = time.perf_counter() - t
        t = time.perf_counter()
        drafted = draft_run(args.month)
        to_drafts = time.perf_counter() - t
        t = time.perf_counter()
        posted = post_run(args.month)
        to_post = time.perf_counter() - t
        again = draft_run(args.month).drafts
        problems = verify_books()
    rows = [["set-up (customers and contracts, not measured)", f"{setup:.1f}", ""],
            ["preview (plan_run)", f"{planned:.2f}", f"{plan.charges:,} charges"],
            ["to drafts (draft_run)", f"{to_drafts:.2f}", f"{drafted.drafts:,} drafts, "
                                                          f"{drafted.drafts / to_drafts:,.0f}/s"],
            ["to post (post_run)", f"{to_post:.2f}",
             f"{posted.posted:,} posted ({posted.first} to {posted.last}), {posted.posted / to_post:,.0f}/s, "
             f"{len(posted.refused)} refused"],
            ["second run", "", f"{again} drafted"], ["verify", "", "clean" if not problems else problems[:3]]]
    print(tabulate(rows, headers=[f"recurring run, {args.contracts:,} contracts", "seconds", "result"]))


if __name__ == "__main__":
    main()
