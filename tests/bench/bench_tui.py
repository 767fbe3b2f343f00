"""The application at scale: the delivery screen, the account view, and memory after every screen.

    python tests/bench/bench_tui.py --db /tmp/billfold-scale.db [--only delivery account memory]

Runs the real application headless at 80x24 (Pilot), each measure in a fresh process of its own so
that resident memory is that measure's alone:

- delivery: F10's screen opened with every posted invoice of the books (a million) waiting in the
  outbox; seconds from opening it to its counts on screen, and resident memory before and after.
- account: the account view of a customer with 5,000 open invoices; seconds from opening it to
  its open items on screen.
- memory: resident memory (RSS, and its peak) after opening every screen in turn, each with its
  data loaded: My work, lookup (a search typed), an account, a document, invoice entry, payments,
  reports (every preview), dunning, delivery, delivery log, period end, audit, approvals,
  catalogue, operators, help.

These need books the scale books lack (the outbox is empty there, no customer has 5,000 open
items): `tui_books()` makes them once next to the scale books (PATH-tui.db, a copy: the scale books
are only read) and reuses them after. On PostgreSQL (--db postgresql://...) the rows are added to
that database itself, once.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

MANY_ITEMS = 5000
MANY_NAME = "Bench Many Open Items Ltd"
GOALS = {"delivery_s": 0.5, "account_s": 0.1, "memory_mib": 150.0}


def rss_mib() -> tuple[float, float]:
    """Resident memory now and its peak, MiB (from /proc: the process's own accounting)."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def is_url(db: str) -> bool:
    return "://" in db


def tui_books(db: str) -> str:
    """Books with a million documents waiting in the outbox and one customer with 5,000 open items."""
    target = db if is_url(db) else str(Path(db).with_name(Path(db).stem + "-tui.db"))
    if not is_url(db) and not Path(target).exists():
        print(f"copying {db} to {target} (once) ...", file=sys.stderr, flush=True)
        shutil.copyfile(db, target + ".part")
        os.replace(target + ".part", target)
    from store.db import close_database, open_database
    from tests.bench.identity import act_as_bench

    act_as_bench()
    open_database(target)
    try:
        _queue_every_invoice()
        _many_open_items()
    finally:
        close_database()
    return target


def _queue_every_invoice() -> None:
    """Every posted invoice queued for delivery, as posting it queues it (store.outbox.queue_document)."""
    from store.models import Outbox, database_proxy

    if Outbox.select().where(Outbox.created_by == "scale").exists():
        return
    print("queueing every posted invoice in the outbox (once) ...", file=sys.stderr, flush=True)
    with database_proxy.atomic():
        database_proxy.execute_sql(
            "INSERT INTO outbox (kind, channel, document_id, notice_id, customer_id, recipient, message_id, status, "
            "attempts, error, created_at, created_by) "
            "SELECT i.kind, CASE WHEN c.channel = 'email' AND c.email <> '' THEN 'email' ELSE 'post' END, i.id, "
            "NULL, i.customer_id, CASE WHEN c.channel = 'email' THEN c.email ELSE '' END, "
            "'<scale-' || i.id || '@bench.invalid>', 'queued', 0, '', i.posted_at, 'scale' "
            "FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE i.status = 'posted'")


def _many_open_items() -> str:
    """A customer with MANY_ITEMS open invoices, posted by the service (once, in one transaction)."""
    import datetime as dt
    from decimal import Decimal

    from store.customers import CustomerData, create_customer
    from store.invoices import DraftInput, LineInput, create_and_post
    from store.models import Customer
    from store.service import transaction

    found = Customer.get_or_none(Customer.name == MANY_NAME)
    if found is not None:
        return str(found.account_no)
    print(f"posting {MANY_ITEMS:,} invoices for one customer (once) ...", file=sys.stderr, flush=True)
    with transaction():
        account = create_customer(CustomerData(name=MANY_NAME, email="ap@many.example")).account_no
        from store import clock

        today = clock.today()
        for n in range(MANY_ITEMS):
            line = LineInput(f"Service {n}", Decimal(1), 1000 + n, "S", Decimal(0))
            create_and_post(DraftInput(account, today - dt.timedelta(days=n % 400), (line,)), allow_over_limit=True)
    return str(account)


def many_items_account() -> str:
    from store.models import Customer

    return str(Customer.get(Customer.name == MANY_NAME).account_no)


# ---------------------------------------------------------------- the measures, each in its own process


async def _until(predicate, timeout: float = 600.0, step: float = 0.005) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    while not predicate():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the screen never showed its rows")
        await asyncio.sleep(step)
    return time.perf_counter() - start


def _app(db: str):  # type: ignore[no-untyped-def]
    import store.db
    from store.db import open_database
    from tests.bench.identity import act_as_bench
    from tui.app import BillfoldApp
    from tui.context import AppContext

    act_as_bench()
    less_memory = getattr(store.db, "prefer_less_memory", None)  # as tui.launch opens the books (not in older code)
    if less_memory is not None:
        less_memory()
    open_database(db)
    return BillfoldApp(AppContext("bench", Path(db).name, first_mode="mywork"))


async def measure_delivery(db: str) -> dict[str, float]:
    from textual.widgets import Static

    from tui.screens.deliver import DeliverScreen

    app = _app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        before = rss_mib()[0]
        start = time.perf_counter()
        app.push_screen(DeliverScreen())
        await pilot.pause()
        await _until(lambda: "not yet delivered" in str(app.screen.query_one("#deliver-pending", Static).render()))
        seconds = time.perf_counter() - start
        text = str(app.screen.query_one("#deliver-pending", Static).render())
        now, peak = rss_mib()
    return {"delivery_s": seconds, "delivery_rss_before_mib": before, "delivery_rss_mib": now,
            "delivery_peak_mib": peak, "delivery_text": text.split(".")[0]}  # type: ignore[dict-item]


async def measure_account(db: str) -> dict[str, float]:
    """The 5,000-item account, then (for the screen's own floor) an account with a handful of items."""
    from textual.widgets import DataTable

    from tui.screens.account_view import AccountViewScreen

    app = _app(db)
    times: dict[str, float] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for label, account in (("account_small_s", "100001"), ("account_s", many_items_account())):
            start = time.perf_counter()
            app.push_screen(AccountViewScreen(account))
            await pilot.pause(0)
            await _until(lambda: isinstance(app.screen, AccountViewScreen)
                         and app.screen.query_one("#t-open", DataTable).row_count > 0)
            await pilot.pause(0)  # the rows drawn
            times[label] = time.perf_counter() - start
            await app.workers.wait_for_complete()
            times[label[:-2] + "_rows_held"] = app.screen.query_one("#t-open", DataTable).row_count
            app.pop_screen()
            await pilot.pause()
    return times


async def measure_memory(db: str) -> dict[str, float]:
    from tui.screens.audit import AuditScreen
    from tui.screens.catalogue import CatalogueScreen
    from tui.screens.deliver import DeliverScreen
    from tui.screens.delivery_log import DeliveryLogScreen
    from tui.screens.document_view import DocumentScreen
    from tui.screens.dunning import DunningScreen
    from tui.screens.operators import OperatorsScreen
    from tui.screens.period_end import PeriodEndScreen
    from tui.screens.reports import REPORTS

    app = _app(db)
    account = many_items_account()
    per_screen: dict[str, float] = {}
    async with app.run_test(size=(80, 24)) as pilot:

        async def settle(name: str) -> None:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            per_screen[name] = rss_mib()[0]

        await settle("my work")
        await pilot.press("f2")
        await pilot.press(*"smith")
        await settle("lookup")
        await pilot.press("enter")
        await settle("account")
        app.push_screen(DocumentScreen("INV-000001"))
        await settle("document")
        await pilot.press("f3")
        await settle("invoice entry")
        await pilot.press("escape", "f4")
        await settle("payments")
        await pilot.press("f6")
        await settle("reports")
        for n in range(len(REPORTS)):
            await pilot.press(str((n + 1) % 10))
            await settle(f"report {REPORTS[n][1]}")
        for name, screen in (("dunning", DunningScreen()), ("deliver", DeliverScreen()),
                             ("delivery log", DeliveryLogScreen()), ("period end", PeriodEndScreen()),
                             ("audit", AuditScreen()), ("catalogue", CatalogueScreen()),
                             ("operators", OperatorsScreen())):
            app.push_screen(screen)
            await settle(name)
            app.pop_screen()
        await pilot.press("f1")
        await settle("help")
        await pilot.press("escape")
        del account
        await settle("after all")
    now, peak = rss_mib()
    import ctypes
    import gc

    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    per_screen["trimmed"] = rss_mib()[0]  # what is still held, once freed memory is given back
    worst = max(per_screen, key=lambda k: per_screen[k])
    return {"memory_mib": now, "memory_peak_mib": peak, "memory_worst_screen": worst,  # type: ignore[dict-item]
            "memory_worst_mib": per_screen[worst], "memory_by_screen": per_screen}  # type: ignore[dict-item]


MEASURES = {"delivery": measure_delivery, "account": measure_account, "memory": measure_memory}


def run_measure(name: str, db: str) -> dict[str, object]:
    """One measure in a fresh process (its memory its own); returns what it reported."""
    out = subprocess.run([sys.executable, __file__, "--db", db, "--measure", name], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{out.stderr[-3000:]}")
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/billfold-scale.db")
    parser.add_argument("--only", nargs="*", choices=list(MEASURES))
    parser.add_argument("--measure", choices=list(MEASURES), help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--ready", action="store_true", help="the books given are the -tui books already")
    args = parser.parse_args()
    if args.measure:
        import logging

        logging.disable(logging.CRITICAL)
        result = asyncio.run(MEASURES[args.measure](args.db))
        print(json.dumps(result, default=str))
        return
    db = args.db if args.ready else tui_books(args.db)
    for name in args.only or list(MEASURES):
        started = os.getloadavg()[0]
        result = run_measure(name, db)
        print(f"{name}: {json.dumps(result)}  (load {started:.2f})", flush=True)


if __name__ == "__main__":
    main()
