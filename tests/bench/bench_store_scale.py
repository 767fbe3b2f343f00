"""Issue 17's store-side figures that no other benchmark prints: `billfold verify` (seconds and peak
memory, in a process of its own), the text export of the largest report, and `billfold report` as a
whole process.

    nice -n 10 python tests/bench/bench_store_scale.py [--db /tmp/billfold-scale.db] [--skip-verify]

Reads the books only (verify and the reports write nothing); builds them with tests/bench/scale.py
when missing. Run `uptime` alongside: on a shared machine the figures follow its load.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tabulate import tabulate

ROOT = Path(__file__).resolve().parents[2]
VERIFY = """
import sys, time
sys.path.insert(0, {root!r})
from tests.bench.identity import act_as_bench
act_as_bench()
from store.db import open_database
open_database({db!r})
from store.verify import verify_books
start = time.perf_counter()
problems = verify_books()
print(f"{{time.perf_counter() - start:.1f}} {{len(problems)}}")
"""
EXPORT = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from tests.bench.identity import act_as_bench
act_as_bench()
from store.db import open_database
open_database({db!r})
from exports.reports_out import write_report_file
from store.reports import run_report
report = run_report("ar_aging_detail")
start = time.perf_counter()
size = write_report_file(report, "txt", Path({out!r}), "Bench")
print(f"{{time.perf_counter() - start:.2f}} {{len(report.rows)}} {{size}}")
"""


def child(code: str) -> tuple[list[str], float, int]:
    """Run `code` in a fresh interpreter: its printed words, wall seconds and peak resident MB."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return done.stdout.split(), time.perf_counter() - start, peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/tmp/billfold-scale.db")
    parser.add_argument("--skip-verify", action="store_true")
    args = parser.parse_args()
    if not Path(args.db).exists():
        from tests.bench.scale import build_scale_books

        build_scale_books(args.db)
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        words, _wall, _peak = child(EXPORT.format(root=str(ROOT), db=args.db, out=f"{tmp}/aging.txt"))
        rows.append(["text export of ar_aging_detail (s)", words[0], "< 5", f"{int(words[1]):,} rows, "
                     f"{int(words[2]):,} bytes"])
    for name, goal in (("ar_aging", "< 1"), ("ar_aging_detail", "< 1"), ("control_account", "< 1")):
        # The command as an operator runs it, as the benchmarks' operator (the OS login may be none of the books').
        code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); from tests.bench.identity import act_as_bench; "
                f"act_as_bench(); from tui.cli import main; sys.exit(main(['--db', {args.db!r}, 'report', {name!r}]))")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
        rows.append([f"billfold report {name}, whole process (s)", f"{time.perf_counter() - start:.2f}", goal, ""])
    if not args.skip_verify:
        # Last: the peak memory of children is the largest so far, and verify's is the one asked for.
        words, _wall, peak = child(VERIFY.format(root=str(ROOT), db=args.db))
        rows.append(["billfold verify (s)", words[0], "< 60", f"{int(words[1]):,} problems"])
        rows.append(["billfold verify peak resident (MB)", str(peak), "< 300", "largest of this run's processes"])
    print(tabulate(rows, headers=["measure", "value", "goal", "note"]))


if __name__ == "__main__":
    main()
