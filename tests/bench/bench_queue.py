"""The matching queue (F5): from a key to the next payment shown with its suggestions.

    python tests/bench/bench_queue.py [--db /tmp/billfold-scale.db] [--payments 300] [--moves 100] [--accepts 50]

Records --payments unidentified payments (no account) of the kinds a bank statement brings: some
name an open invoice in the reference and pay its balance, some carry the payer's name and the
amount of one of its open invoices, some are neither. Then, in the real application (headless,
80x24, keys posted with `app.post_message`), times from the key to the next payment being shown
with its suggestions, the reason line, and the screen refreshed:

- `k` (Skip) and Down: the next payment in the queue (release the claim on this one, claim the
  next, rank its suggestions);
- Enter (accept the top suggestion): the allocation is written, the queue reloaded and the payment
  that took its place shown.

--db PATH works on a copy (PATH.queue, removed afterwards unless --keep); the original is never
written. Without --db: demo books (store.demo, 40 customers) in a temporary directory, said so.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tabulate import tabulate

warnings.filterwarnings("ignore", message="coroutine .* was never awaited", category=RuntimeWarning)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def prepare(args: argparse.Namespace, tmp: Path) -> tuple[str, str]:
    from store.db import open_database
    from store.session import ensure_operator

    if args.db:
        path = args.db + ".queue"
        started = time.perf_counter()
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
            if Path(args.db + suffix).exists():
                shutil.copy(args.db + suffix, path + suffix)
        note = f"a copy of {args.db} (copied in {time.perf_counter() - started:.0f} s)"
        open_database(path)
    else:
        from store.demo import DemoSpec, build_demo

        path, note = str(tmp / "demo.db"), "DEMO books (store.demo, 40 customers), NOT scale books"
        open_database(path)
        ensure_operator("bench", "Bench", "admin")
        build_demo(DemoSpec(seed=7, today=dt.date.today()))
    ensure_operator("bench", "Bench", "admin")
    return path, note


def add_payments(count: int, seed: int) -> dict[str, int]:
    """Unidentified payments, in one transaction; how many of each kind."""
    from store.models import Customer, Invoice, OpenItem
    from store.payments import PaymentInput, record_payment

    rng = random.Random(seed)
    top = OpenItem.select(OpenItem.id).order_by(OpenItem.id.desc()).limit(1).scalar() or 0
    items = []
    for start in rng.sample(range(1, top + 1), min(top, count * 3)):
        row = (OpenItem.select(OpenItem.open_minor, Invoice.number, Customer.name).join(Invoice)
               .switch(OpenItem).join(Customer)
               .where((OpenItem.id == start) & (OpenItem.open_minor > 0) & (Invoice.kind == "invoice")
                      & (OpenItem.currency == "GBP")).tuples().first())
        if row:
            items.append(row)
        if len(items) >= count:
            break
    kinds = {"invoice in the reference": 0, "payer name, amount of an open invoice": 0, "neither": 0}
    today = dt.date.today()
    for n in range(count):  # through the service, as an import or a clerk records them
        roll = rng.random()
        day = today - dt.timedelta(days=rng.randint(0, 20))
        method = rng.choice(["bank_transfer", "bank_transfer", "card", "cheque"])
        if items and roll < 0.4:
            amount, number, name = rng.choice(items)
            data = PaymentInput(amount, "GBP", method, day, reference=f"paying {number}", payer=f"AP {n}")
            kinds["invoice in the reference"] += 1
        elif items and roll < 0.7:
            amount, number, name = rng.choice(items)
            data = PaymentInput(amount, "GBP", method, day, reference=f"remittance {n}", payer=name.upper())
            kinds["payer name, amount of an open invoice"] += 1
        else:
            data = PaymentInput(rng.randint(500, 90000), "GBP", method, day, reference=f"TX {n:06d}",
                                payer=f"Unknown payer {n}")
            kinds["neither"] += 1
        record_payment(data)
    return kinds


async def run_queue(args: argparse.Namespace, label: str) -> dict[str, object]:
    from textual import events
    from textual.widgets import DataTable

    from tui.app import BillfoldApp
    from tui.context import AppContext
    from tui.screens.matching_queue import PaymentsScreen

    app = BillfoldApp(AppContext("bench", label))
    results: dict[str, list[float]] = {"k (skip)": [], "Down": [], "Enter (accept top)": []}
    out: dict[str, object] = {"results": results}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        for _ in range(4):
            await pilot.pause()
            await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, PaymentsScreen), screen
        queue = screen.query_one("#queue", DataTable)
        out["queue rows"] = len(screen.rows)
        loop = asyncio.get_running_loop()
        waiting: dict[str, object] = {}
        select = screen._select

        async def select_and_mark(number: str) -> None:
            await select(number)
            want = waiting.get("want")
            if screen.current == number and (want is None or want(number)):
                future = waiting.pop("future", None)
                if future is not None:
                    app.call_after_refresh(lambda: future.done() or future.set_result(number))

        screen._select = select_and_mark  # type: ignore[method-assign]

        async def timed(key: str, want) -> float | None:
            future = loop.create_future()
            waiting.update(future=future, want=want)
            start = time.perf_counter()
            app.post_message(events.Key(key, None if len(key) > 1 else key))
            try:
                await asyncio.wait_for(future, 10)
            except TimeoutError:
                waiting.pop("future", None)
                return None
            ms = (time.perf_counter() - start) * 1000
            await app.workers.wait_for_complete()
            await pilot.pause()
            return ms

        for n in range(args.moves):
            key = "k" if n % 2 == 0 else "down"
            if key == "down" and queue.cursor_row >= len(screen.rows) - 1:
                key = "k"  # Down stops at the end; k wraps round
            following = screen.rows[(queue.cursor_row + 1) % len(screen.rows)].number
            ms = await timed(key, lambda number, f=following: number == f)
            if ms is not None:
                results["k (skip)" if key == "k" else "Down"].append(ms)
        accepted = skipped = 0
        while accepted < args.accepts and screen.rows:
            if not screen.suggestions or not screen.suggestions[0].allocations or screen.taken_by:
                if skipped > len(screen.rows):
                    break
                skipped += 1
                await timed("k", None)
                continue
            current = screen.current
            ms = await timed("enter", lambda number, c=current: number != c)
            if ms is not None:
                results["Enter (accept top)"].append(ms)
                accepted += 1
        out["queue rows after"] = len(screen.rows)
        out["errors"] = [n.message for n in app._notifications if "Unexpected error" in n.message]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="scale books to work on (a copy is made)")
    parser.add_argument("--payments", type=int, default=300)
    parser.add_argument("--moves", type=int, default=100, help="k and Down presses to time")
    parser.add_argument("--accepts", type=int, default=50, help="Enter (accept) presses to time")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    from tests.bench.identity import act_as_bench

    act_as_bench()
    tmp = Path(tempfile.mkdtemp(prefix="billfold-queue-"))
    os.environ.setdefault("BILLFOLD_LOG", str(tmp / "billfold.log"))
    path, note = prepare(args, tmp)
    from store.db import close_database
    from store.matching import match_queue
    from store.models import Customer, Invoice

    try:
        kinds = add_payments(args.payments, args.seed)
        waiting = len(match_queue(limit=100_000))
        print(f"books: {note}: {Customer.select().count():,} customers, {Invoice.select().count():,} invoices; "
              f"{waiting} payments waiting ({', '.join(f'{v} {k}' for k, v in kinds.items())})")
        out = asyncio.run(run_queue(args, Path(path).name))
    finally:
        close_database()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
            if args.db:
                for suffix in ("", "-wal", "-shm"):
                    Path(path + suffix).unlink(missing_ok=True)
    rows = []
    every: list[float] = []
    for key, values in out["results"].items():  # type: ignore[union-attr]
        if values:
            every += values if key != "Enter (accept top)" else []
            rows.append([key, len(values), f"{statistics.median(values):.1f}", f"{p95(values):.1f}",
                         f"{max(values):.1f}"])
    if every:
        rows.append(["k and Down together", len(every), f"{statistics.median(every):.1f}", f"{p95(every):.1f}",
                     f"{max(every):.1f}"])
    print(f"\nkey -> next payment shown with its suggestions, screen refreshed (ms; {out['queue rows']} rows in the "
          f"queue on screen, {out['queue rows after']} after)")
    print(tabulate(rows, headers=["key", "n", "median", "p95", "max"], tablefmt="github"))
    for message in out["errors"]:  # type: ignore[union-attr]
        print(f"APPLICATION ERROR: {message}")


if __name__ == "__main__":
    main()
