"""Issue 15's figures: a long import beside a working operator, two senders on one outbox, a backup.

    python tests/bench/bench_outbox.py [--lines 85000] [--messages 1000] [--scale PATH | --customers N --invoices N]

1. import: an --lines statement (CSV) imported while another process posts an invoice, records a
   payment and allocates it, over and over, timing each of those waits. Prints the import's
   seconds and the writer's longest wait, p99, operations done and "database is locked" errors.
2. deliver: --messages invoices queued, then two `billfold deliver --pending --processes 1`
   processes at once against one aiosmtpd server on loopback: seconds, messages per second, and
   how many Message-IDs arrived twice (must be 0).
3. backup: `billfold backup` of scale books (tests/bench/scale.py; built first at --customers and
   --invoices when --scale is not given): seconds, size, and the check it ran.
"""
from __future__ import annotations

import argparse
import datetime as dt
import email
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from email import policy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The command line as the operator "bench" (tests/as_operator.py: the test-only seam; Billfold itself
# takes the operator from the OS login, and a benchmark's throwaway books have only "bench").
BILLFOLD = [sys.executable, str(ROOT / "tests" / "as_operator.py"), "bench", "billfold"]
sys.path.insert(0, str(ROOT))

from tabulate import tabulate  # noqa: E402


def writer(db: str, account: str) -> None:
    """The other operator: post, pay, allocate until stdin closes; prints the waits as JSON."""
    from store.db import open_database
    from store.invoices import DraftInput, LineInput, create_and_post
    from store.payments import PaymentInput, allocate_payment, record_payment

    open_database(db)
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    waits: list[float] = []
    errors: list[str] = []
    print("ready", flush=True)
    while not stop.is_set():
        try:
            t = time.perf_counter()
            lines = (LineInput("Beside", Decimal(1), 999, "S"),)
            posted = create_and_post(DraftInput(account, dt.date(2026, 11, 1), lines))
            waits.append(time.perf_counter() - t)
            t = time.perf_counter()
            paid = PaymentInput(posted.total_minor, "GBP", "bank_transfer", dt.date(2026, 11, 2), account)
            pay = record_payment(paid)
            waits.append(time.perf_counter() - t)
            t = time.perf_counter()
            allocate_payment(pay.number, [(posted.number, posted.total_minor)])
            waits.append(time.perf_counter() - t)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
    print(json.dumps({"waits": waits, "errors": errors}))


def bench_import(folder: Path, lines: int) -> list[list[object]]:
    from store.customers import CustomerData, create_customer
    from store.db import close_database, open_database
    from store.import_files import read_statement_file
    from store.importers import CsvMapping
    from store.imports import CHUNK_LINES, CHUNK_SECONDS, import_statement

    db = folder / "import.db"
    open_database(str(db))
    account = create_customer(CustomerData(name="Beside Ltd", email="b@example.com")).account_no
    path = folder / "statement.csv"
    rows = [f"2026-11-{1 + n % 28:02d},{10 + n % 900}.{n % 100:02d},REF-{n:07d},Payer {n % 997}" for n in range(lines)]
    path.write_text("Date,Amount,Reference,Payee\n" + "\n".join(rows) + "\n")
    proc = subprocess.Popen([sys.executable, __file__, "--writer", str(db), account], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdin is not None
    proc.stdout.readline()
    started = time.perf_counter()
    result = import_statement(read_statement_file(path), path.name,
                              CsvMapping("b", "Date", "%Y-%m-%d", amount="Amount", reference="Reference"))
    seconds = time.perf_counter() - started
    proc.stdin.close()
    stats = json.loads(proc.stdout.read().strip().splitlines()[-1])
    proc.wait()
    close_database()
    waits = sorted(stats["waits"])
    locked = sum("locked" in e for e in stats["errors"])
    chunks = f"up to {CHUNK_LINES} lines or ~{CHUNK_SECONDS} s to a transaction"
    return [["import", f"{lines:,} lines", f"{seconds:.1f} s", f"{result.new:,} new, {chunks}"],
            ["  writer beside it", f"{len(waits):,} waits", f"longest {waits[-1] * 1000:.0f} ms",
             f"p99 {waits[int(len(waits) * 0.99)] * 1000:.0f} ms, median {statistics.median(waits) * 1000:.0f} ms, "
             f"{len(stats['errors'])} errors ({locked} 'database is locked')"]]


class Inbox:
    def __init__(self) -> None:
        self.ids: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.ids.append(str(email.message_from_bytes(envelope.content, policy=policy.default)["Message-ID"]))
        return "250 OK"


def bench_deliver(folder: Path, messages: int) -> list[list[object]]:
    from aiosmtpd.controller import Controller

    from store.customers import CustomerData, create_customer
    from store.db import close_database, open_database
    from store.invoices import DraftInput, LineInput, create_and_post
    from store.service import transaction
    from store.settings import set_setting
    from tests.test_delivery import free_port

    db = folder / "deliver.db"
    open_database(str(db))
    port = free_port()
    with transaction():
        accounts = [create_customer(CustomerData(name=f"Mail {n}", email=f"ap{n}@bench.example")).account_no
                    for n in range(50)]
        for n in range(messages):
            create_and_post(DraftInput(accounts[n % 50], dt.date(2026, 11, 1),
                                       (LineInput("Service", Decimal(2), 1000 + n, "S"),)))
        for key, value in (("smtp_host", "127.0.0.1"), ("smtp_port", str(port)), ("smtp_security", "none"),
                           ("smtp_from", "billing@bench.example")):
            set_setting(key, value)
    close_database()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(folder)}
    started = time.perf_counter()
    procs = [subprocess.Popen([*BILLFOLD, "--db", str(db), "deliver", "--pending",
                               "--processes", "1", "--json"], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
             for _ in range(2)]
    sent = [json.loads(p.communicate()[0])["emailed"] for p in procs]
    seconds = time.perf_counter() - started
    controller.stop()
    twice = len(inbox.ids) - len(set(inbox.ids))
    return [["deliver, 2 senders", f"{messages:,} messages", f"{seconds:.1f} s",
             f"{messages / seconds:.0f}/s; sent {sent[0]} + {sent[1]}, received {len(inbox.ids):,}, twice {twice}"]]


def bench_backup(folder: Path, scale: str | None, customers: int, invoices: int) -> list[list[object]]:
    source = scale
    if source is None:
        source = str(folder / "scale.db")
        subprocess.run([sys.executable, str(ROOT / "tests" / "bench" / "scale.py"), source, "--customers",
                        str(customers), "--invoices", str(invoices)], check=True, stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    done = subprocess.run([*BILLFOLD, "--db", source, "backup", str(folder / "backup.db"),
                           "--json"], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    seconds = time.perf_counter() - started
    result = json.loads(done.stdout)
    return [["backup (with checks)", f"{Path(source).stat().st_size / 1e6:,.0f} MB books", f"{seconds:.1f} s",
             f"{', '.join(result['checks'])}; sha256 {result['sha256'][:16]}..."]]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writer", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--lines", type=int, default=85_000)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--scale", help="scale books to back up (not written to)")
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--invoices", type=int, default=200_000)
    parser.add_argument("--only", choices=["import", "deliver", "backup"], action="append")
    args = parser.parse_args()
    from tests.bench.identity import act_as_bench

    act_as_bench()
    if args.writer:
        writer(*args.writer)
        return
    folder = Path(tempfile.mkdtemp(prefix="billfold-outbox-"))
    rows: list[list[object]] = []
    only = args.only or ["import", "deliver", "backup"]
    if "import" in only:
        rows += bench_import(folder, args.lines)
    if "deliver" in only:
        rows += bench_deliver(folder, args.messages)
    if "backup" in only:
        rows += bench_backup(folder, args.scale, args.customers, args.invoices)
    print(tabulate(rows, headers=["what", "size", "time", "detail"]))


if __name__ == "__main__":
    main()
