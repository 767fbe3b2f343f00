"""The report previews (F6) and the dunning run screen: from a key to the report on the screen.

    python tests/bench/bench_preview.py [--db /tmp/billfold-scale.db] [--runs 3]

In the real application (headless, 80x24, keys posted as events), times from a report's key
(1-9, 0, and d for the dunning run) to its rows drawn on the screen: the report computed on the
database thread, its columns measured, the first screenful formatted and the screen refreshed.
Every report is shown for this month (aging: as of today). The books are only read.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tabulate import tabulate


async def run_previews(label: str, runs: int) -> list[list[object]]:
    from textual import events

    from tui.app import BillfoldApp
    from tui.context import AppContext
    from tui.screens.reports import REPORTS
    from tui.widgets.report_table import ReportTable

    app = BillfoldApp(AppContext("bench", label))
    loop = asyncio.get_running_loop()
    waiting: dict[str, asyncio.Future[None]] = {}
    show_rows = ReportTable.show_rows

    def show_and_mark(table: ReportTable, *args: object, **kwargs: object) -> None:
        show_rows(table, *args, **kwargs)  # type: ignore[arg-type]
        future = waiting.pop("future", None)
        if future is not None:
            table.app.call_after_refresh(lambda: future.done() or future.set_result(None))

    ReportTable.show_rows = show_and_mark  # type: ignore[method-assign]
    out = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        keys = [(str((n + 1) % 10), label) for n, (_name, label) in enumerate(REPORTS)] + [("d", "Dunning run")]
        for key, name in keys:
            times, rows = [], 0
            for _ in range(runs):
                waiting["future"] = loop.create_future()
                start = time.perf_counter()
                app.post_message(events.Key(key, key))
                await asyncio.wait_for(waiting["future"], 120)
                times.append(time.perf_counter() - start)
                await app.workers.wait_for_complete()
                await pilot.pause()
                rows = len(app.screen.query_one(ReportTable).source)  # without the totals row
                if key == "d":  # back to the previews for the next run
                    await pilot.press("escape")
                    await pilot.pause()
            out.append([name, f"{rows:,}", f"{statistics.median(times):.2f}", f"{max(times):.2f}"])
        errors = [n.message for n in app._notifications if "Unexpected error" in n.message]
    for message in errors:
        print(f"APPLICATION ERROR: {message}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="/tmp/billfold-scale.db")
    parser.add_argument("--runs", type=int, default=3, help="times each report is shown")
    args = parser.parse_args()
    from tests.bench.identity import act_as_bench

    act_as_bench()
    os.environ.setdefault("BILLFOLD_LOG", str(Path(tempfile.mkdtemp(prefix="billfold-preview-")) / "billfold.log"))
    from store.db import close_database, open_database
    from store.models import Invoice

    open_database(args.db)
    print(f"{args.db}: {Invoice.select().count():,} documents")
    try:
        rows = asyncio.run(run_previews(Path(args.db).name, args.runs))
    finally:
        close_database()
    print("\nkey -> the report's rows on the screen (s), 80x24")
    print(tabulate(rows, headers=["report", "rows", "median s", "worst s"], tablefmt="github"))


if __name__ == "__main__":
    main()
