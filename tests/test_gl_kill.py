"""kill -9 in the middle of a ledger export, at each of its steps: the month is recorded as exported only
with its whole file in place, a re-run exports it once (or says it was exported), and verify stays clean."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from exports.gl_formats import export_to_file
from store.db import close_database, open_database
from store.errors import Conflict
from store.models import AuditEvent, GlExport, GlExportEntry
from store.verify import verify_books
from tests.gl_books import expected, map_chart, month_of_books

ROOT = Path(__file__).resolve().parents[1]


def _kill_at(db: Path, fmt: str, out: Path, stop_at: str) -> list[str]:
    """Run the export as its own process, SIGKILL it once it says `stop_at`; the lines it said."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "gl_kill_worker.py"), str(db), fmt, str(out),
                             stop_at], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    assert proc.stdout is not None
    said: list[str] = []
    while (text := proc.stdout.readline().strip()) not in ("", "done"):
        said.append(text)
        if text == stop_at:
            break
    proc.send_signal(signal.SIGKILL)
    _out, err = proc.communicate()
    assert proc.returncode == -signal.SIGKILL, err[-2000:]
    return said


def _csv_totals(path: Path) -> dict[str, tuple[int, int]]:
    """Debits and credits per Billfold account of an exported csv file (its minor-unit columns)."""
    import csv

    sums: dict[str, list[int]] = {}
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["currency"] != "GBP":
                continue
            pair = sums.setdefault(row["account"], [0, 0])
            pair[0] += int(row["debit_minor"])
            pair[1] += int(row["credit_minor"])
    return {k: (d, c) for k, (d, c) in sums.items()}


@pytest.mark.parametrize("stop_at", ["writing", "written", "recording"])
def test_a_kill_before_the_record_commits_leaves_the_month_unexported(books: Path, customer: str, tmp_path: Path,
                                                                     stop_at: str) -> None:
    month_of_books(customer)
    map_chart()
    close_database()
    out = tmp_path / "nov.csv"
    said = _kill_at(books, "csv", out, stop_at)
    assert said[-1] == stop_at
    open_database(str(books))
    # Nothing recorded: no export, no entry carried, no audit event; the file is whole or absent.
    assert GlExport.select().count() == 0 and GlExportEntry.select().count() == 0
    assert AuditEvent.select().where(AuditEvent.action == "gl.export").count() == 0
    assert out.exists() == (stop_at != "writing")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".nov.csv.")] == []  # no half-written temp
    assert verify_books() == []
    # The re-run exports the whole month once, over the unrecorded file.
    from tests.conftest import acting_as

    with acting_as("alice"):
        result = export_to_file("2026-11", "csv", out)
    assert result.record.kind == "full" and GlExport.select().count() == 1
    assert result.record.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    assert GlExportEntry.select().count() == result.record.entry_count
    assert _csv_totals(out) == expected("GBP", lambda r: r.account)
    assert verify_books() == []


def test_a_kill_after_the_record_commits_keeps_the_export_once(books: Path, customer: str, tmp_path: Path) -> None:
    month_of_books(customer)
    map_chart()
    close_database()
    out = tmp_path / "nov.csv"
    assert _kill_at(books, "csv", out, "recorded")[-1] == "recorded"
    open_database(str(books))
    record = GlExport.get()
    assert record.sha256 == hashlib.sha256(out.read_bytes()).hexdigest() and record.exported_by == "alice"
    assert GlExportEntry.select().count() == record.entry_count
    from tests.conftest import acting_as

    with acting_as("alice"), pytest.raises(Conflict, match="2026-11 was already exported as csv"):
        export_to_file("2026-11", "csv", tmp_path / "again.csv")
    assert GlExport.select().count() == 1 and not (tmp_path / "again.csv").exists()
    assert verify_books() == []
