"""Invoice entry throughput: 200 three-line invoices keyed into the real screen, headless.

    python tests/bench/bench_entry.py [--db /tmp/billfold-scale.db] [--invoices 200] [--keyed 20] [--stress 20]

Keys are posted straight to the application (`app.post_message(events.Key(...))`), as a fast
typist or a paste delivers them, never with Pilot's per-key waits. Each invoice is: the account and
Enter (the dates have defaults), a reference and Enter (past the memo), then three lines (an item
code and a quantity, a second item code and a quantity, a free line with description, quantity,
price and tax code), Enter, and F10 to post: 55 keys (64 before Enter skipped defaulted fields).

1. Throughput (--invoices): each field's keys and its Enter are posted at once, and the next field
   follows as soon as the application has handled them (it never waits for a human). Reports
   invoices per minute and keys per second.
2. The application's own time per keystroke (--keyed more invoices, one key at a time): from
   posting the key until the application has handled it, the focused field has processed
   everything handed to it, and the screen has been refreshed. The background work a key starts
   (loading the account, posting) is timed apart, "until workers done".
3. Post latency: how long `app.post_message` itself takes, over every key sent.
4. Stress (--stress invoices each, a fresh application each time): (a) all keys of an invoice posted
   at once, as a paste or a fast typist on a slow link delivers them; (b) one key at a time but F10
   pressed straight after the last line's tax code, without Enter; (c) both. Reports whether the
   screen survives. (b) and (c) once stopped the screen: F10 cleared the form while a removed line's
   tax-code field still had its Blur to come, and the totals read a half-removed line. Lines being
   removed are now marked `gone` first and never read.

Every phase checks its invoices in the books: all posted, three lines each, own reference, one total.

--db PATH works on a copy (PATH.entry, removed afterwards unless --keep): the original is never
written. Without --db: demo books (store.demo, 40 customers) in a temporary directory, and the
output says so.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tabulate import tabulate

warnings.filterwarnings("ignore", message="coroutine .* was never awaited", category=RuntimeWarning)

ITEMS = (("CONS-HR", "Consulting, per hour", 9500, "S"), ("TONER", "Toner cartridge", 6899, "S"))
NAMED = {"enter", "f10"}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def copy_books(source: str, target: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(target + suffix).unlink(missing_ok=True)
        if Path(source + suffix).exists():
            shutil.copy(source + suffix, target + suffix)


def prepare(args: argparse.Namespace, tmp: Path) -> tuple[str, str, list[str]]:
    """Open the books to key into; (path, where they came from, account numbers to use)."""
    from store.catalogue import save_item
    from store.db import open_database
    from store.models import Customer, Item
    from store.session import ensure_operator

    if args.db:
        path = args.db + ".entry"
        started = time.perf_counter()
        copy_books(args.db, path)
        note = f"a copy of {args.db} (copied in {time.perf_counter() - started:.0f} s)"
        open_database(path)
    else:
        from store.demo import DemoSpec, build_demo

        path, note = str(tmp / "demo.db"), "DEMO books (store.demo, 40 customers), NOT scale books"
        open_database(path)
        ensure_operator("bench", "Bench", "admin")
        build_demo(DemoSpec(seed=7, today=dt.date.today()))
    ensure_operator("bench", "Bench", "admin")
    for code, desc, price, tax in ITEMS:
        if Item.get_or_none(Item.code == code) is None:
            save_item(code, desc, price, "GBP", tax)
    accounts = [a for (a,) in Customer.select(Customer.account_no)
                .where((Customer.status == "active") & (Customer.credit_limit_minor == 0)
                       & (Customer.currency == "GBP"))
                .order_by(Customer.id).limit(500).tuples()]
    if not accounts:
        raise SystemExit("no active GBP account without a credit limit to key invoices for")
    return path, note, accounts


def invoice_keys(account: str, reference: str, enter_before_f10: bool = True) -> list[str]:
    """The keys of one invoice: named keys ('enter', 'f10') and characters.

    With `enter_before_f10` the last tax code is left with Enter and F10 is pressed on the blank
    next line (as the screen's own tests do); without it F10 follows the tax code at once, which
    the screen does not survive (see the module's docstring).
    """
    # Enter after the account skips the dates (defaults), after the reference the memo; the item code
    # jumps to quantity, and Enter there skips the item's price, the discount and the item's tax code.
    keys: list[str] = [*account, "enter", *reference, "enter"]
    keys += [*"cons-hr", "enter", "3", "enter"]
    keys += [*"toner", "enter", "2", "enter"]
    keys += ["enter", *"Carriage", "enter", "1", "enter", *"12.50", "enter", "enter", "S"]
    return keys + (["enter", "f10"] if enter_before_f10 else ["f10"])


def fields_of(keys: list[str]) -> list[list[str]]:
    """The keys split after each Enter or F10: one field's typing and the key that leaves it."""
    out: list[list[str]] = [[]]
    for key in keys:
        out[-1].append(key)
        if key in NAMED:
            out.append([])
    return [chunk for chunk in out if chunk]


def key_event(key: str):
    from textual import events
    from textual.keys import _character_to_key

    return events.Key(_character_to_key(key), key) if len(key) == 1 else events.Key(key, None)


class Driver:
    """One application on the invoice entry screen, keys posted to it directly."""

    def __init__(self, label: str) -> None:
        from tui.app import BillfoldApp
        from tui.context import AppContext

        self.app = BillfoldApp(AppContext("bench", label))
        self.post_us: list[float] = []
        self.pause_before_f10 = 0.0
        self.paused = 0.0  # seconds spent in those pauses, taken off the timings

    async def before(self, key: str) -> None:
        """Wait before F10 (--pause-before-post): to compare with a typist who looks before posting."""
        if key == "f10" and self.pause_before_f10:
            await asyncio.sleep(self.pause_before_f10)
            self.paused += self.pause_before_f10

    def post(self, key: str) -> None:
        event = key_event(key)
        start = time.perf_counter()
        self.app.post_message(event)
        self.post_us.append((time.perf_counter() - start) * 1e6)

    async def handled(self, timeout: float = 10.0) -> float:
        """The app has handled what was posted, the focused field has caught up, the screen is drawn.

        Returns when the keys were handled (perf_counter), before waiting for the screen refresh,
        which Textual runs on its own clock (up to 1/60 s later).
        """
        app = self.app
        done = asyncio.get_running_loop().create_future()
        handled_at = [0.0]

        def drawn() -> None:
            if not done.done():
                done.set_result(None)

        def field_caught_up() -> None:
            handled_at[0] = time.perf_counter()
            app.call_after_refresh(drawn)

        def app_caught_up() -> None:
            focused = app.screen.focused
            if focused is not None and focused.is_attached:
                focused.call_later(field_caught_up)
            else:
                field_caught_up()

        app.call_later(app_caught_up)
        await asyncio.wait_for(done, timeout)
        return handled_at[0]

    def failures(self) -> list[str]:
        from tui.screens.invoice_entry import InvoiceEntryScreen

        out = [n.message for n in self.app._notifications if "Unexpected error" in n.message]
        if not self.app.is_running:
            out.append("the application stopped")
        elif not isinstance(self.app.screen, InvoiceEntryScreen):
            out.append(f"the screen is now {type(self.app.screen).__name__}")
        return out

    async def run(self, body: Callable) -> dict[str, object]:
        out: dict[str, object] = {}
        async with self.app.run_test(size=(80, 24)) as pilot:
            await pilot.press("f3")
            for _ in range(3):
                await pilot.pause()
                await self.app.workers.wait_for_complete()
            try:
                await body(self, out)
            except TimeoutError:
                out["stopped"] = "a key was not handled within 10 s"
            out["failures"] = self.failures()
            for _ in range(3):
                await pilot.pause()
                await self.app.workers.wait_for_complete()
        return out


async def throughput(d: Driver, out: dict[str, object], accounts: list[str], count: int) -> None:
    keys = 0
    started = time.perf_counter()
    for n in range(count):
        for chunk in fields_of(invoice_keys(accounts[n % len(accounts)], f"T-{n:05d}")):
            for key in chunk:
                await d.before(key)
                d.post(key)
            keys += len(chunk)
            await d.handled()
            await d.app.workers.wait_for_complete()  # the account load, the posting
        if d.failures():
            out["stopped"] = f"after {n + 1} invoices"
            break
    out.update(seconds=time.perf_counter() - started - d.paused, keys=keys)


async def per_key(d: Driver, out: dict[str, object], accounts: list[str], count: int) -> None:
    kinds: dict[str, list[float]] = {"character": [], "Enter (next field)": [], "F10 (post)": []}
    own: dict[str, list[float]] = {"character": [], "Enter (next field)": [], "F10 (post)": []}
    workers: dict[str, list[float]] = {"Enter leaving the customer": [], "F10 (post)": []}
    for n in range(count):
        account = accounts[n % len(accounts)]
        for index, key in enumerate(invoice_keys(account, f"K-{n:05d}")):
            await d.before(key)
            start = time.perf_counter()
            d.post(key)
            handled_at = await d.handled()
            kind = "F10 (post)" if key == "f10" else "Enter (next field)" if key == "enter" else "character"
            kinds[kind].append((time.perf_counter() - start) * 1000)
            own[kind].append((handled_at - start) * 1000)
            if key == "f10" or (key == "enter" and index == len(account)):
                await d.app.workers.wait_for_complete()
                workers["F10 (post)" if key == "f10" else "Enter leaving the customer"].append(
                    (time.perf_counter() - start) * 1000)
        if d.failures():
            out["stopped"] = f"after {n + 1} invoices"
            break
    out.update(kinds=kinds, own=own, workers=workers)


async def stress(d: Driver, out: dict[str, object], accounts: list[str], count: int, prefix: str,
                 burst: bool, enter_before_f10: bool) -> None:
    started = time.perf_counter()
    for n in range(count):
        keys = invoice_keys(accounts[n % len(accounts)], f"{prefix}{n:05d}", enter_before_f10)
        for key in keys:
            d.post(key)
            if not burst:
                await d.handled()
                await d.app.workers.wait_for_complete()
        await d.handled()
        await d.app.workers.wait_for_complete()
        await d.handled()
        if d.failures():
            out["stopped"] = f"during invoice {n + 1}"
            break
    out.update(seconds=time.perf_counter() - started)


def check_posted(prefix: str, expected: int) -> tuple[int, list[str]]:
    """How many invoices with references `prefix`-NNNNN were posted, and what is wrong with them."""
    from store.models import Invoice, InvoiceLine

    problems: list[str] = []
    rows = list(Invoice.select().where((Invoice.kind == "invoice") & Invoice.reference.startswith(prefix)))
    totals = {r.total_minor for r in rows}
    if len(totals) > 1:
        problems.append(f"totals differ: {sorted(totals)[:4]}")
    refs = [r.reference for r in rows]
    if len(set(refs)) != len(refs):
        problems.append("a reference was posted twice")
    for r in rows:
        lines = InvoiceLine.select().where(InvoiceLine.invoice == r.id).count()
        if lines != 3:
            problems.append(f"{r.number} ({r.reference}) has {lines} lines")
    if len(rows) < expected:
        missing = sorted({f"{prefix}{n:05d}" for n in range(expected)} - set(refs))[:5]
        problems.append(f"{expected - len(rows)} not posted, e.g. {', '.join(missing)}")
    return len(rows), problems


def verdict(prefix: str, expected: int, out: dict[str, object]) -> str:
    posted, problems = check_posted(prefix, expected)
    text = f"{posted} of {expected} posted" + ("" if problems else ", each with 3 lines, its reference, one total")
    for problem in problems + list(out.get("failures", [])) + ([str(out["stopped"])] if "stopped" in out else []):
        text += f"\n   PROBLEM: {problem}"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="scale books to work on (a copy is made)")
    parser.add_argument("--invoices", type=int, default=200)
    parser.add_argument("--keyed", type=int, default=20, help="invoices keyed one key at a time")
    parser.add_argument("--stress", type=int, default=20, help="invoices each posted as one burst of keys")
    parser.add_argument("--pause-before-post", type=float, default=0.0, metavar="S",
                        help="phases 1-2: wait this long before F10 (not counted), as a typist who looks first")
    parser.add_argument("--keep", action="store_true", help="keep the working copy")
    args = parser.parse_args()
    from tests.bench.identity import act_as_bench

    act_as_bench()
    tmp = Path(tempfile.mkdtemp(prefix="billfold-entry-"))
    os.environ.setdefault("BILLFOLD_LOG", str(tmp / "billfold.log"))
    path, note, accounts = prepare(args, tmp)
    from store.db import close_database
    from store.models import Customer, Invoice

    print(f"books: {note}: {Customer.select().count():,} customers, {Invoice.select().count():,} invoices")
    label = Path(path).name
    drivers = {name: Driver(label) for name in ("throughput", "per key")}
    for driver in drivers.values():
        driver.pause_before_f10 = args.pause_before_post
    try:
        t = asyncio.run(drivers["throughput"].run(lambda d, o: throughput(d, o, accounts, args.invoices)))
        k = asyncio.run(drivers["per key"].run(lambda d, o: per_key(d, o, accounts, args.keyed)))
        stresses = []
        if args.stress:
            for prefix, burst, enter, what in (
                    ("SB-", True, True, "each invoice's keys posted at once (F10 on the blank next line)"),
                    ("SK-", False, False, "one key at a time, F10 straight after the last tax code (no Enter)"),
                    ("SX-", True, False, "each invoice's keys posted at once, F10 straight after the last tax code")):
                driver = Driver(label)
                drivers[prefix] = driver
                result = asyncio.run(driver.run(lambda d, o, p=prefix, b=burst, e=enter: stress(
                    d, o, accounts, args.stress, p, b, e)))
                stresses.append((prefix, what, result))

        seconds, keys = float(t["seconds"]), int(t["keys"])
        print(f"\n1. throughput: {args.invoices} invoices x 3 lines, each field's keys posted at once "
              f"({len(invoice_keys(accounts[0], 'T-00000'))} keys per invoice"
              + (f"; {args.pause_before_post:g} s pause before each F10 not counted)"
                 if args.pause_before_post else ")"))
        print(tabulate([[f"{seconds:.1f}", f"{args.invoices / seconds * 60:,.0f}", f"{keys / seconds:,.0f}",
                         f"{seconds / keys * 1000:.1f}"]],
                       headers=["seconds", "invoices / minute", "keys / second", "ms per key"], tablefmt="github"))
        print("   " + verdict("T-", args.invoices, t))

        def cells(values: list[float]) -> list[str]:
            return [f"{statistics.median(values):.1f}", f"{p95(values):.1f}", f"{max(values):.1f}"]

        rows = []
        own, shown = k["own"], k["kinds"]  # type: ignore[index]
        for kind, values in shown.items():  # type: ignore[union-attr]
            if values:
                rows.append([kind, len(values), *cells(own[kind]), *cells(values)])
        every_own = [v for values in own.values() for v in values]  # type: ignore[union-attr]
        every = [v for values in shown.values() for v in values]  # type: ignore[union-attr]
        rows.append(["every key", len(every), *cells(every_own), *cells(every)])
        for kind, values in k["workers"].items():  # type: ignore[union-attr]
            if values:
                rows.append([f"{kind}, until workers done", len(values), "", "", "", *cells(values)])
        print(f"\n2. the application's time per key, ms ({args.keyed} invoices, one key at a time): "
              "'handled' = posted -> the app and the focused field have processed it; "
              "'on screen' = and the screen refreshed (Textual refreshes on its own 60 Hz clock)")
        print(tabulate(rows, headers=["key", "n", "handled median", "p95", "max", "on screen median", "p95",
                                      "max"], tablefmt="github"))
        print("   " + verdict("K-", args.keyed, k))

        post_us = [v for d in drivers.values() for v in d.post_us]
        print(f"\n3. post latency (app.post_message): median {statistics.median(post_us):.1f} us, "
              f"p95 {p95(post_us):.1f} us, max {max(post_us):,.0f} us over {len(post_us):,} keys")
        for n, (prefix, what, result) in enumerate(stresses, 4):
            print(f"\n{n}. stress: {args.stress} invoices, {what} ({float(result.get('seconds', 0)):.1f} s)")
            print("   " + verdict(prefix, args.stress, result))
    finally:
        close_database()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
            if args.db:
                for suffix in ("", "-wal", "-shm"):
                    Path(path + suffix).unlink(missing_ok=True)
        else:
            print(f"kept {path} and {tmp}")


if __name__ == "__main__":
    main()
