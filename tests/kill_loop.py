"""kill -9 in the middle of posting, importing, delivering and dunning --send, then the checks.

Used by tests/test_kill.py (a handful of runs) and tests/bench/bench_kill.py (a hundred and more).
Each run starts tests/outbox_worker.py, reads a chosen number of its progress lines and kills it
with SIGKILL: the kill lands wherever the process is after that step, with no sleeping.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODES = ("post", "import", "deliver", "dunning")


@dataclass
class KillBooks:
    db: Path
    folder: Path
    accounts: list[str]
    statement: Path
    kills: Counter[str] = field(default_factory=Counter)


def prepare(db: Path, folder: Path, smtp_port: int) -> KillBooks:
    """Customers by e-mail and by post, overdue invoices for dunning, a statement to import."""
    from decimal import Decimal

    from store.customers import CustomerData, create_customer
    from store.importers import CsvMapping
    from store.imports import save_mapping
    from store.invoices import DraftInput, LineInput, create_and_post
    from tests.conftest import admin_setting

    for key, value in (("smtp_host", "127.0.0.1"), ("smtp_port", str(smtp_port)), ("smtp_security", "none"),
                       ("smtp_from", "billing@billfold.example")):
        admin_setting(key, value)
    accounts = [create_customer(CustomerData(name=f"Mail {n}", email=f"ap{n}@mail.example")).account_no
                for n in range(4)]
    accounts.append(create_customer(CustomerData(name="Paper Ltd", channel="post")).account_no)
    old = dt.date.today() - dt.timedelta(days=80)
    for n, account in enumerate(accounts * 2):
        create_and_post(DraftInput(account, old, (LineInput("Overdue", Decimal(1), 500 + n, "S"),)))
    save_mapping(CsvMapping("kill", "Date", "%Y-%m-%d", amount="Amount", reference="Reference", payer="Payee"))
    statement = folder / "statement.csv"
    rows = [f"2026-11-{1 + n % 28:02d},{5 + n % 50}.{n % 100:02d},K-{n:06d},Payer {n % 11}" for n in range(2000)]
    statement.write_text("Date,Amount,Reference,Payee\n" + "\n".join(rows) + "\n")
    return KillBooks(db, folder, accounts, statement)


def _command(books: KillBooks, mode: str, rng: random.Random) -> list[str]:
    worker = [sys.executable, str(ROOT / "tests" / "outbox_worker.py"), mode, str(books.db)]
    if mode == "post":
        return [*worker, rng.choice(books.accounts), "40"]
    if mode == "import":
        return [*worker, str(books.statement), "100", "kill"]
    if mode == "dunning":
        return [*worker, str(books.folder / "print"), dt.date.today().isoformat()]
    return [*worker, str(books.folder / "print")]


def kill_once(books: KillBooks, mode: str, rng: random.Random) -> str:
    """Run `mode`, kill -9 it after a random number of its steps; what it said last."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(books.folder)}
    proc = subprocess.Popen(_command(books, mode, rng), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    assert proc.stdout is not None
    last = ""
    for _ in range(rng.randint(0, 6)):
        last = proc.stdout.readline().strip()
        if not last or last == "done":
            break
    proc.send_signal(signal.SIGKILL)
    _out, err = proc.communicate()
    if proc.returncode not in (-signal.SIGKILL, 0):
        raise AssertionError(f"{mode} failed before it was killed: {err[-2000:]}")
    books.kills[mode] += 1
    return last


def check(received_ids: list[str]) -> dict[str, int]:
    """After the kills and one more delivery run: the books are whole, every outbox row is sent
    exactly once or uncertain, and the server got each message at most once."""
    from store.models import database_proxy
    from store.outbox import delivery_log, mark_uncertain_if_abandoned
    from store.verify import verify_books

    assert database_proxy.obj.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    problems = verify_books()
    assert problems == [], problems[:5]
    mark_uncertain_if_abandoned()
    rows = delivery_log(limit=1_000_000)
    statuses = Counter(r.status for r in rows)
    assert set(statuses) <= {"sent", "uncertain"}, statuses
    seen = Counter(received_ids)
    assert all(n == 1 for n in seen.values()), [m for m, n in seen.items() if n > 1]
    for row in rows:
        if row.channel == "email" and row.status == "sent":
            assert seen[row.message_id] == 1, row
    return dict(statuses)
