"""kill -9 in the middle of a recurring run's drafting and posting: each contract is billed once for the
month, every draft has its charges (and every charge its draft), numbers stay gapless, verify is clean."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from store.customers import CustomerData, create_customer
from store.db import close_database, open_database
from store.kinds import InvoiceStatus
from store.models import ContractCharge, Invoice, database_proxy
from store.recurring import draft_run, post_run
from store.verify import verify_books
from tests.conftest import acting_as
from tests.recurring_books import contract

ROOT = Path(__file__).resolve().parents[1]
MONTH = "2026-12"


def _kill_after(db: Path, mode: str, lines: int) -> int:
    """Run the worker, kill -9 it after `lines` of its progress lines; how many lines it said."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "recurring_worker.py"), mode, str(db), MONTH],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    said = 0
    for _ in range(lines):
        text = proc.stdout.readline().strip()
        if not text or text == "done":
            break
        said += 1
    proc.send_signal(signal.SIGKILL)
    _out, err = proc.communicate()
    assert proc.returncode in (-signal.SIGKILL, 0), err[-2000:]
    return said


def test_a_killed_run_bills_each_contract_once(books) -> None:
    accounts = [create_customer(CustomerData(name=f"Kill {n} Ltd")).account_no for n in range(40)]
    for n, account in enumerate(accounts):
        contract(account, "2026-11-01", price=f"{10 + n}.00")
        if n % 3 == 0:
            contract(account, "2026-12-10", price="31.00")  # a part month on the same invoice
    contracts = 40 + 14
    close_database()
    rng = random.Random(18)
    for _ in range(3):
        _kill_after(books, "draft", rng.randint(0, 3))
    open_database(str(books))
    partly = Invoice.select().count()
    assert 0 < partly < 40, partly  # the kills landed midway
    # No draft without its charges: each went in with them or not at all.
    assert Invoice.select().where(Invoice.id.not_in(ContractCharge.select(ContractCharge.invoice))).count() == 0
    assert draft_run(MONTH).drafts == 40 - partly
    assert ContractCharge.select().where(ContractCharge.run_month == MONTH).count() == contracts
    assert Invoice.select().count() == 40
    close_database()
    for _ in range(2):
        _kill_after(books, "post", rng.randint(0, 3))
    open_database(str(books))
    posted = Invoice.select().where(Invoice.status == InvoiceStatus.POSTED).count()
    assert 0 < posted < 40, posted
    with acting_as("bob"):
        post_run(MONTH)
    assert database_proxy.obj.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert verify_books() == []
    assert Invoice.select().where(Invoice.status == InvoiceStatus.POSTED).count() == 40
    assert sorted(i.seq for i in Invoice.select(Invoice.seq)) == list(range(1, 41))
    per_contract = ContractCharge.select(ContractCharge.contract).distinct().count()
    assert per_contract == contracts
    assert draft_run(MONTH).drafts == 0
