"""Issue 17's table: each measure at a million invoices, its figure, its goal, pass or fail.

    python tests/bench/run_all.py --issue17 [--db /tmp/billfold-scale.db] [--skip MEASURE ...]

Builds the scale books when missing (tests/bench/scale.py), then the TUI books next to them
(bench_tui.tui_books: a copy with every invoice queued for delivery and one customer with 5,000
open items; the benchmarks that write work on that copy, never on the scale books). Each figure
comes from the benchmark that owns it: tui_startup and bench_tui here, the store's from
bench_books, bench_matching and bench_reports (run as they are, their own rows read back), the
command-line ones from `billfold` itself, timed as whole processes. The load average of the
machine is printed with each figure: on a shared machine it says how far to trust it.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

Row = list[str]


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def _row(measure: str, figure: float, unit: str, goal: float, note: str = "") -> Row:
    return [measure, f"{figure:.3g} {unit}", f"< {goal:g} {unit}" if unit != "x" else f"<= {goal:g}x",
            "pass" if figure <= goal else "FAIL", _load(), note]


def _bench_rows(script: str, *args: str) -> str:
    """A benchmark's own output, run as it is (it opens its books and acts as its operator itself)."""
    out = subprocess.run([sys.executable, str(HERE / script), *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{script} failed: {out.stderr[-2000:]}")
    return out.stdout


def _figure(text: str, label: str, column: int) -> float:
    """The `column`-th value on the row of a benchmark's table that starts with `label`."""
    for line in text.splitlines():
        if line.strip().startswith(label):
            values = re.findall(r"(?<![\w-])\d[\d,]*\.?\d*", line[len(label) + line.index(label):])
            return float(values[column].replace(",", ""))
    raise LookupError(f"no row '{label}' in:\n{text}")


def startup(db: str, tui_db: str) -> list[Row]:
    from tests.bench.tui_startup import GOAL_RATIO, measure

    r = measure(db, 5)
    return [_row("start to first usable screen / bare Textual app", float(r["ratio"]), "x",  # type: ignore[arg-type]
                 GOAL_RATIO, f"{r['app_s']:.2f} s vs {r['bare_s']:.2f} s; first key answered "
                             f"in {r['first_key_s']:.3f} s")]


def post(db: str, tui_db: str) -> list[Row]:
    text = _bench_rows("bench_books.py", "--db", tui_db, "--n", "200", "--skip-verify")
    return [_row("post a 3-line invoice (p95)", _figure(text, "post a 3-line invoice (ms)", 1), "ms", 10)]


def matching(db: str, tui_db: str) -> list[Row]:
    text = _bench_rows("bench_matching.py", "--db", tui_db, "--lines", "10000")
    return [_row("import a 10,000-line statement", _figure(text, "import a 10,000-line statement (s)", 0), "s", 5),
            _row("auto-match apply on 10,000 payments", _figure(text, "auto-match applied", 0), "s", 5)]


def _whole_process(db: str, *argv: str, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sys; from tests.bench.identity import act_as_bench; "
                        "act_as_bench(); from tui.cli import main; sys.exit(main(sys.argv[1:]))", "--db", db, *argv],
                       check=True, capture_output=True, cwd=HERE.parents[1])
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli_reports(db: str, tui_db: str) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("ar_aging", "ar_aging_detail", "control_account"):
            rows.append(_row(f"CLI `report {name}` (whole process)",
                             _whole_process(db, "report", name, "-o", f"{tmp}/{name}.txt"), "s", 1))
        rows.append(_row("text export of the aging detail (report rows)",
                         _whole_process(db, "report", "ar_aging_detail", "--format", "text", "-o",
                                        f"{tmp}/detail.txt", runs=1), "s", 5))
    return rows


def dunning(db: str, tui_db: str) -> list[Row]:
    from store import clock
    from store.db import close_database, open_database
    from tests.bench.bench_reports import cases, timed
    from tests.bench.identity import act_as_bench

    act_as_bench()
    open_database(db)
    try:
        [(_name, _when, run)] = [c for c in cases(clock.today(), None) if c[0] == "(dunning preview)"]
        median, _worst, _report = timed(run, 3)
    finally:
        close_database()
    return [_row("dunning run preview", median, "s", 0.5)]


def tui(db: str, tui_db: str) -> list[Row]:
    from tests.bench.bench_tui import GOALS, run_measure

    memory = run_measure("memory", tui_db)
    rows = [_row("TUI resident memory after every screen", float(memory["memory_mib"]), "MiB",  # type: ignore[arg-type]
                 GOALS["memory_mib"], f"peak {float(memory['memory_peak_mib']):.0f} MiB; most after "  # type: ignore[arg-type]
                                      f"{memory['memory_worst_screen']}")]
    delivery = run_measure("delivery", tui_db)
    rows.append(_row("delivery screen, 1M documents pending", float(delivery["delivery_s"]), "s",  # type: ignore[arg-type]
                     GOALS["delivery_s"], f"RSS {float(delivery['delivery_rss_before_mib']):.0f} -> "  # type: ignore[arg-type]
                                          f"{float(delivery['delivery_rss_mib']):.0f} MiB"))  # type: ignore[arg-type]
    account = run_measure("account", tui_db)
    rows.append(_row("account view, 5,000 open items, to first screen", float(account["account_s"]) * 1000,  # type: ignore[arg-type]
                     "ms", GOALS["account_s"] * 1000, f"{account['account_rows_held']} rows held; an account with "
                                                     f"{account['account_small_rows_held']} items: "
                                                     f"{float(account['account_small_s']) * 1000:.0f} ms"))
    return rows


def verify(db: str, tui_db: str) -> list[Row]:
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M", sys.executable, "-c",
                          "import sys; from tests.bench.identity import act_as_bench; act_as_bench(); "
                          "from tui.cli import main; sys.exit(main(sys.argv[1:]))", "--db", db, "verify"],
                         capture_output=True, text=True, cwd=HERE.parents[1])
    seconds, kib = out.stderr.strip().splitlines()[-1].split()
    return [_row("`billfold verify`", float(seconds), "s", 60, f"{int(kib) / 1024:.0f} MB resident (goal < 300)")]


# In the issue's order. Those marked True touch the database (and so have a PostgreSQL figure too).
MEASURES: dict[str, tuple[Callable[[str, str], list[Row]], bool]] = {
    "startup": (startup, False), "post": (post, True), "matching": (matching, True),
    "cli-reports": (cli_reports, True), "dunning": (dunning, True), "tui": (tui, True), "verify": (verify, True),
}


def issue_table(db: str, skip: list[str], postgres: bool = False) -> list[Row]:
    from tests.bench.bench_tui import tui_books

    if not postgres and not Path(db).exists():
        print(f"building the scale books at {db} ...", flush=True)
        subprocess.run([sys.executable, str(HERE / "scale.py"), db], check=True)
    tui_db = tui_books(db)
    rows: list[Row] = []
    for name, (measure, touches_db) in MEASURES.items():
        if name in skip or (postgres and not touches_db):
            continue
        print(f"measuring {name} ... (load {_load()}, {dt.datetime.now(dt.UTC):%H:%M:%S} UTC)", flush=True)
        try:
            rows += measure(db, tui_db)
        except Exception as exc:  # one broken measure must not hide the others' figures
            rows.append([name, "error", "", "FAIL", _load(), f"{type(exc).__name__}: {str(exc)[:80]}"])
    return rows


HEADERS = ["measure", "figure", "goal", "result", "load", "note"]
