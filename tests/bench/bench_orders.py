"""The billing run at scale: 10,000 approved orders invoiced, one transaction per invoice.

    nice -n 10 python tests/bench/bench_orders.py [--orders 10000] [--customers 1000] [--keep PATH]

On a fresh SQLite file (in a temporary directory unless --keep): --customers customers (one in ten
in EUR, one in five by post), a catalogue priced in GBP and EUR, then --orders orders of one to three
lines written to a CSV file and imported (`import_order_file`), approved in one call, previewed, and
billed (`bill_orders`: claim, post through store.invoices, queue delivery, link, audit per order).
Prints a table of seconds and rows per second for each step; `verify` runs at the end (not timed
into the run) and must say nothing.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tabulate import tabulate

from tests.bench.identity import act_as_bench

HEADER = "order_id,account,po,order_date,item,description,quantity,unit_price,currency"
ITEMS = [("WIDGET", 1000, 1150), ("GADGET", 2450, 2800), ("SERVICE", 9500, 11000)]


def build(path: Path, customers: int, orders: int, folder: Path) -> Path:
    act_as_bench()  # before store.db.open_database is imported: it wraps it
    from store.catalogue import save_item, save_item_price
    from store.customers import CustomerData, create_customer
    from store.db import open_database
    from store.service import transaction

    open_database(str(path))
    with transaction():
        for code, gbp, eur in ITEMS:
            save_item(code, code.title(), gbp, "GBP", "S")
            save_item_price(code, "EUR", eur)
        accounts = [create_customer(CustomerData(
            name=f"Bench Customer {n}", currency="EUR" if n % 10 == 0 else "GBP",
            channel="post" if n % 5 == 0 else "email", email=f"ap{n}@bench.example", address1="1 Bench Road",
            city="Leeds", postcode="LS1 1AA")).account_no for n in range(customers)]
    rng = random.Random(18)
    rows = []
    for n in range(orders):
        account = accounts[n % customers]
        for _ in range(rng.randint(1, 3)):
            rows.append(f"B-{n:06d},{account},PO-{n},2026-11-20,{rng.choice(ITEMS)[0]},,{rng.randint(1, 9)},,")
    csv = folder / "orders.csv"
    csv.write_text("\n".join([HEADER, *rows]) + "\n")
    return csv


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--customers", type=int, default=1_000)
    parser.add_argument("--keep", help="build the books at this path and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "orders.db"
        started = time.perf_counter()
        csv = build(path, args.customers, args.orders, Path(tmp))
        setup = time.perf_counter() - started
        from store.kinds import OrderStatus
        from store.models import SalesOrder
        from store.order_billing import bill_orders, preview_billing
        from store.orders import approve_orders, import_order_file
        from store.verify import verify_books

        timings: list[tuple[str, int, float]] = []

        def timed(label: str, count: int, call):  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            result = call()
            timings.append((label, count, time.perf_counter() - t0))
            return result

        imported = timed("import CSV", args.orders, lambda: import_order_file(csv))
        lines = imported.lines
        ids = [o.order_no for o in SalesOrder.select(SalesOrder.order_no)]
        timed("approve (one call)", len(ids), lambda: approve_orders(ids))
        preview = timed("preview", len(ids), preview_billing)
        result = timed("billing run", len(ids), bill_orders)
        problems = verify_books()
        left = SalesOrder.select().where(SalesOrder.status != OrderStatus.BILLED).count()
        again = timed("re-run (nothing to bill)", 0, bill_orders)
    table = [(label, f"{count:,}", f"{seconds:.1f}", f"{count / seconds:,.0f}" if count and seconds else "")
             for label, count, seconds in timings]
    print(f"Billing run: {args.orders:,} orders ({lines:,} lines), {args.customers:,} customers; "
          f"setup {setup:.0f} s")
    print(tabulate(table, ["step", "orders", "seconds", "per second"], colalign=("left", "right", "right", "right")))
    totals = ", ".join(f"{t.currency} {t.invoices:,} invoices {t.total_minor / 100:,.2f}" for t in preview.totals)
    print(f"\ninvoices posted: {len(result.billed):,} ({totals}); skipped {len(result.skipped)}; "
          f"not billed afterwards {left}; re-run billed {len(again.billed)}; verify: "
          f"{'ok' if not problems else problems[:3]}")


if __name__ == "__main__":
    main()
