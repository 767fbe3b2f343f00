"""A statement run at scale: N customers, their statements queued, printed and e-mailed or batched.

    nice -n 10 python tests/bench/bench_statements.py [--customers 10000] [--invoices 50000] [--processes 1,2]

Builds scale books (tests/bench/scale.py) as of 2026-11-30, sends one customer in ten by post, then
for each process count runs the statement run on a fresh copy exactly as `billfold statements
--as-of 2026-11-30 --send` does (exports.deliver.send_statements): choosing the customers, queuing
each statement with its outbox row, then rendering on N processes and e-mailing to aiosmtpd on
127.0.0.1 (in this process: it accepts and counts) or writing the print batch. Prints a table:
seconds to choose and queue, to render and deliver, in all, and statements per second.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tabulate import tabulate

from tests.bench.bench_delivery import counting_smtp

AS_OF = dt.date(2026, 11, 30)


def build(path: str, customers: int, invoices: int) -> None:
    from store.db import close_database, open_database
    from store.models import database_proxy
    from tests.bench.scale import build_scale_books

    build_scale_books(path, customers, invoices, today=AS_OF)
    open_database(path)
    database_proxy.obj.execute_sql("UPDATE customer SET channel = 'post' WHERE id % 10 = 0")
    close_database()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--invoices", type=int, default=50_000)
    parser.add_argument("--processes", default="1,2", help="process counts to run, e.g. 1,2")
    args = parser.parse_args()
    from tests.bench.identity import act_as_bench

    act_as_bench()
    from exports.deliver import send_statements
    from store import clock, statement_runs
    from store.db import close_database, open_database
    from store.settings import set_setting

    work = Path(tempfile.mkdtemp(prefix="billfold-bench-statements-"))
    template = str(work / "template.db")
    started = time.perf_counter()
    build(template, args.customers, args.invoices)
    print(f"scale books: {args.customers:,} customers, {args.invoices:,} invoices in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    counter, controller, port = counting_smtp()
    rows = []
    queue_seconds: list[float] = []
    original_queue = statement_runs.queue_statements

    def timed_queue(*a, **kw):  # the same call, its seconds kept apart from the sending's
        start = time.perf_counter()
        try:
            return original_queue(*a, **kw)
        finally:
            queue_seconds.append(time.perf_counter() - start)

    statement_runs.queue_statements = timed_queue  # type: ignore[assignment]
    for processes in [int(p) for p in args.processes.split(",")]:
        path = str(work / f"run{processes}.db")
        shutil.copy(template, path)
        open_database(path)
        for key, value in (("smtp_host", "127.0.0.1"), ("smtp_port", str(port)), ("smtp_security", "none"),
                           ("smtp_from", "billing@bench.example")):
            set_setting(key, value)
        before = counter.count
        with clock.pinned(AS_OF):
            start = time.perf_counter()
            queued, summary = send_statements(AS_OF, processes=processes, print_dir=work / "print")
            seconds = time.perf_counter() - start
        close_database()
        os.remove(path)
        queue_s = queue_seconds[-1]
        rows.append([processes, f"{queued.queued:,}", f"{summary.emailed:,}", f"{counter.count - before:,}",
                     f"{summary.queued_for_print:,}", len(summary.failed), f"{queue_s:.1f}",
                     f"{seconds - queue_s:.1f}", f"{seconds:.1f}", f"{queued.queued / seconds:.1f}",
                     f"{summary.emailed / max(seconds - queue_s, 1e-9):.1f}" if summary.emailed else ""])
        print(f"{processes} process(es): {seconds:.1f} s", flush=True)
    controller.stop()
    print(tabulate(rows, headers=["processes", "statements", "e-mailed", "SMTP received", "printed", "failed",
                                  "choose+queue s", "render+deliver s", "total s", "statements/s",
                                  "e-mailed/s (delivery)"]))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
