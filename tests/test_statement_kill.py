"""kill -9 in the middle of a statement run, again and again: each customer gets exactly one statement
queued, the books stay whole, and each message reaches the server at most once (sent or uncertain)."""
from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from exports.deliver import deliver_pending, send_statements
from store.customers import CustomerData, create_customer
from store.db import close_database, open_database
from store.models import Customer, Outbox, StatementRun
from tests import test_delivery
from tests.conftest import line, post
from tests.kill_loop import check

smtp = test_delivery.smtp  # fixture

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-22"


def kill_after(books: Path, folder: Path, lines: int) -> list[str]:
    """Run the statement run as its own process and SIGKILL it after it has said `lines` lines."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(folder)}
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "statement_kill_worker.py"), str(books),
                             str(folder / "print"), AS_OF], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    assert proc.stdout is not None
    said = []
    while len(said) < lines and (last := proc.stdout.readline().strip()) not in ("", "done"):
        said.append(last)
    proc.send_signal(signal.SIGKILL)
    _out, err = proc.communicate()
    assert proc.returncode in (-signal.SIGKILL, 0), err[-2000:]
    return said


def test_killed_statement_runs_queue_each_customer_once_and_send_at_most_once(smtp, books, tmp_path) -> None:
    inbox, _running = smtp
    for n in range(12):
        data = (CustomerData(name=f"Mail {n}", email=f"ap{n}@mail.example") if n % 4
                else CustomerData(name=f"Paper {n}", channel="post"))
        post(create_customer(data).account_no, line("Month", "1", 1000 + n), issue=dt.date(2026, 11, 2))
    deliver_pending(processes=1, print_dir=tmp_path / "print")  # the invoices go first: only statements remain
    close_database()
    said = [kill_after(books, tmp_path, lines) for lines in (2, 5, 3, 9, 4)]
    assert any(s and s[-1].startswith("queued") for s in said)  # killed while queuing
    assert any(s and not s[-1].startswith("queued") for s in said)  # and while sending
    open_database(str(books))
    queued, _summary = send_statements(dt.date.fromisoformat(AS_OF), processes=1, print_dir=tmp_path / "print")
    assert queued.preview.to_queue == ()  # the killed runs between them queued every statement
    runs = Counter(r.customer_id for r in StatementRun.select())
    assert len(runs) == Customer.select().count() == 12 and set(runs.values()) == {1}
    rows = list(Outbox.select().where(Outbox.kind == "statement"))
    assert sorted(r.id for r in rows) == sorted(r.outbox_id for r in StatementRun.select())
    statuses = check([m["Message-ID"] for _to, m in inbox.messages])
    assert statuses.get("sent", 0) >= 1
    received = Counter(to[0] for to, m in inbox.messages if "statement of account" in m["Subject"])
    assert set(received.values()) <= {1}  # no customer got two statements
    for row in rows:
        if row.channel == "email" and row.status == "sent":
            assert received[row.recipient] == 1
