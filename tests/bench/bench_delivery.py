"""Delivery throughput: N invoices rendered and e-mailed to a local SMTP server, 1 process vs every core.

    python tests/bench/bench_delivery.py [--invoices 1000]

Prints a table: total seconds and invoices per second for each process count, and the speed-up.
The SMTP server is aiosmtpd on 127.0.0.1 (it accepts and counts; nothing leaves the machine).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import socket
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from aiosmtpd.controller import Controller  # noqa: E402
from tabulate import tabulate  # noqa: E402


class Counter:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802
        self.count += 1
        return "250 OK"


def build(path: str, invoices: int) -> None:
    from store.customers import CustomerData, create_customer
    from store.db import open_database
    from store.invoices import DraftInput, LineInput, create_and_post
    from store.service import transaction
    from store.settings import set_setting

    open_database(path)
    with transaction():
        accounts = [create_customer(CustomerData(name=f"Bench Customer {n}", email=f"ap{n}@bench.example")).account_no
                    for n in range(50)]
        for n in range(invoices):
            create_and_post(DraftInput(accounts[n % 50], dt.date(2026, 11, 1), tuple(
                LineInput(f"Service line {k}", Decimal(k + 1), 1000 + 37 * k, "S") for k in range(3))))
        set_setting("smtp_security", "none")
        set_setting("smtp_from", "billing@bench.example")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=1000)
    args = parser.parse_args()
    os.environ.setdefault("BILLFOLD_OPERATOR", "bench")
    work = Path(tempfile.mkdtemp(prefix="billfold-bench-"))
    template = str(work / "template.db")
    build(template, args.invoices)
    from store.db import close_database, open_database
    from store.settings import set_setting

    close_database()
    counter = Counter()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    from exports.deliver import deliver_pending

    rows = []
    cores = os.cpu_count() or 1
    for processes in sorted({1, cores}):
        path = str(work / f"run{processes}.db")
        shutil.copy(template, path)
        open_database(path)
        set_setting("smtp_host", "127.0.0.1")
        set_setting("smtp_port", str(port))
        before = counter.count
        start = time.perf_counter()
        summary = deliver_pending(processes=processes, print_dir=work)
        seconds = time.perf_counter() - start
        close_database()
        rows.append([processes, summary.emailed, len(summary.failed), counter.count - before, f"{seconds:.1f}",
                     f"{summary.emailed / seconds:.1f}"])
    controller.stop()
    if len(rows) > 1:
        speedup = float(rows[0][4]) / float(rows[-1][4])
        rows.append(["speed-up", "", "", "", "", f"{speedup:.2f}x"])
    print(tabulate(rows, headers=["processes", "e-mailed", "failed", "SMTP received", "seconds", "invoices/s"]))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
