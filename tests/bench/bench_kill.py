"""kill -9 loop: posting, import, deliver and dunning --send killed mid-work, N times, then the checks.

    python tests/bench/bench_kill.py [--runs 120] [--seed 15]

Each run starts tests/outbox_worker.py in one of the four modes (in turn), reads a random number
(0-6) of its progress lines and kills it with SIGKILL. After every 20 runs, and at the end, one
delivery run sends what was left queued and tests/kill_loop.check asserts: integrity_check ok,
verify clean, every outbox row sent exactly once or uncertain, and the aiosmtpd server on
loopback received each Message-ID at most once. Prints a table: kills per mode, outbox rows by
state, messages received, duplicates.
"""
from __future__ import annotations

import argparse
import email
import random
import sys
import tempfile
import time
from collections import Counter
from email import policy
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from aiosmtpd.controller import Controller
from tabulate import tabulate


class Inbox:
    def __init__(self) -> None:
        self.ids: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.ids.append(str(email.message_from_bytes(envelope.content, policy=policy.default)["Message-ID"]))
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=120)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    from exports.deliver import deliver_pending
    from store.db import close_database, open_database
    from tests.kill_loop import MODES, check, kill_once, prepare

    folder = Path(tempfile.mkdtemp(prefix="billfold-kill-"))
    db = folder / "books.db"
    inbox = Inbox()
    from tests.test_delivery import free_port

    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    open_database(str(db))
    books = prepare(db, folder, port)
    close_database()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    statuses: dict[str, int] = {}
    for run in range(1, args.runs + 1):
        kill_once(books, MODES[run % len(MODES)], rng)
        if run % 20 == 0 or run == args.runs:
            open_database(str(db))
            deliver_pending(processes=1, print_dir=folder / "print")
            statuses = check(inbox.ids)
            close_database()
    controller.stop()
    seen = Counter(inbox.ids)
    rows = [[mode, books.kills[mode]] for mode in MODES]
    print(tabulate([*rows, ["all", sum(books.kills.values())]], headers=["killed while", "runs"]))
    print()
    print(tabulate([[s, n] for s, n in sorted(statuses.items())]
                   + [["messages received", len(inbox.ids)], ["received twice", sum(n > 1 for n in seen.values())]],
                   headers=["outbox", "rows"]))
    print(f"\n{args.runs} kills in {time.perf_counter() - started:.0f} s; checks clean after every 20 "
          f"(integrity_check, verify, each row sent once or uncertain, each message at most once); books {db}")


if __name__ == "__main__":
    main()
