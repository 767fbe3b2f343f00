"""Delivery throughput: N invoices rendered and e-mailed to a local SMTP server, 1 process vs every core.

    python tests/bench/bench_delivery.py [--invoices 1000] [--runs 3]

Prints a table: for each process count (the same code path, deliver_pending(processes=N)), the
best and median seconds and invoices per second over the runs (1 process and every core take
turns), and the speed-up of the best and of the medians. The SMTP server is aiosmtpd on
127.0.0.1 in this process (it accepts and counts; nothing leaves the machine).

"CPU ms/inv" is the CPU time per invoice e-mailed (median of the runs) of this process (sending,
keeping the deliveries, and the SMTP server) and of the render workers. "others" is how many cores
other programs kept busy during the run, on average (the machine's busy time less this benchmark's own
processes): near 0 means the figures are clean; when other work shares the cores,
the speed-up over every core is understated.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from aiosmtpd.controller import Controller
from tabulate import tabulate


class Counter:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def counting_smtp() -> tuple[Counter, Controller, int]:
    """An aiosmtpd server on a free loopback port, in this process, counting what it accepts."""
    counter = Counter()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    return counter, controller, port


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


def _machine_busy() -> int:
    """Clock ticks every core spent busy since boot (Linux; 0 elsewhere)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0
    return sum(fields) - fields[3] - fields[4]  # less idle and iowait


def _ticks(pid: int | str) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime


class OwnCpu:
    """Clock ticks of this process and of the render workers, read as each worker stops."""

    def __init__(self) -> None:
        from exports.pdf import pool as pdf_pool

        self.workers = 0
        original_stop, original_kill = pdf_pool._Worker.stop, pdf_pool._Worker.kill

        def stop(worker) -> None:
            self.workers += _ticks(worker.process.pid)
            original_stop(worker)

        def kill(worker) -> None:
            self.workers += _ticks(worker.process.pid)
            original_kill(worker)

        pdf_pool._Worker.stop, pdf_pool._Worker.kill = stop, kill  # type: ignore[method-assign]

    def total(self) -> tuple[int, int]:
        """(this process, the workers) so far."""
        return _ticks("self"), self.workers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1, help="runs per process count (best and median shown)")
    args = parser.parse_args()
    from tests.bench.identity import act_as_bench

    act_as_bench()
    work = Path(tempfile.mkdtemp(prefix="billfold-bench-"))
    template = str(work / "template.db")
    build(template, args.invoices)
    from store.db import close_database, open_database
    from store.settings import set_setting

    close_database()
    counter, controller, port = counting_smtp()
    from exports.deliver import deliver_pending

    own = OwnCpu()
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    cores = os.cpu_count() or 1
    counts = sorted({1, cores})
    runs: dict[int, list[tuple[float, int, int, int, float, float, float]]] = {n: [] for n in counts}
    for run in range(args.runs):
        for processes in counts:
            path = str(work / f"run{processes}-{run}.db")
            shutil.copy(template, path)
            open_database(path)
            set_setting("smtp_host", "127.0.0.1")
            set_setting("smtp_port", str(port))
            before = counter.count
            busy, mine = _machine_busy(), own.total()
            start = time.perf_counter()
            summary = deliver_pending(processes=processes, print_dir=work)
            seconds = time.perf_counter() - start
            main_used, workers_used = (after - before for after, before in zip(own.total(), mine, strict=True))
            others = max(0, (_machine_busy() - busy) - main_used - workers_used) / tick / seconds
            emailed = max(1, summary.emailed)
            close_database()
            os.remove(path)
            runs[processes].append((seconds, summary.emailed, len(summary.failed), counter.count - before, others,
                                    main_used / tick * 1000 / emailed, workers_used / tick * 1000 / emailed))
    controller.stop()
    rows = []
    for processes in counts:
        results = runs[processes]
        best = min(results)
        median = statistics.median(r[0] for r in results)
        rows.append([processes, best[1], best[2], best[3], f"{best[0]:.1f}", f"{median:.1f}",
                     f"{best[1] / best[0]:.1f}", f"{best[1] / median:.1f}",
                     f"{statistics.median(r[5] for r in results):.1f} + {statistics.median(r[6] for r in results):.1f}",
                     " ".join(f"{r[4]:.2f}" for r in results)])
    if len(counts) > 1:
        best_1, best_n = min(runs[1])[0], min(runs[counts[-1]])[0]
        median_1 = statistics.median(r[0] for r in runs[1])
        median_n = statistics.median(r[0] for r in runs[counts[-1]])
        rows.append(["speed-up", "", "", "", "", "", f"{best_1 / best_n:.2f}x", f"{median_1 / median_n:.2f}x", "", ""])
    print(tabulate(rows, headers=["processes", "e-mailed", "failed", "SMTP received", "best s", "median s",
                                  "best inv/s", "median inv/s", "CPU ms/inv: main + workers",
                                  "others (cores), each run"]))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
