"""Period close: a lock date nothing dated on or before can cross, and reports of a closed month that never change."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from store.errors import Conflict, ValidationError
from store.invoices import credit_invoice, void_invoice
from store.models import PeriodLock
from store.payments import PaymentInput, allocate_payment, record_payment, return_payment, unallocate_payment, write_off
from store.periods import close_period, lock_date, reopen_period
from store.permissions import PermissionDenied
from tests.conftest import acting_as, line, post, snapshot
from tui.cli import main

OCT = dt.date(2026, 10, 15)
NOV = dt.date(2026, 11, 20)
TODAY = dt.date(2026, 12, 5)
PERIOD_REPORTS = [("ar_aging", "--as-of", "2026-10-31"), ("ar_aging_detail", "--as-of", "2026-10-31"),
                  ("billing_collections", "--month", "2026-10"), ("payments_received", "--month", "2026-10"),
                  ("trial_balance", "--month", "2026-10"), ("dunning_log", "--month", "2026-10")]


def _reports(books: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    out = {}
    for name, flag, when in PERIOD_REPORTS:
        assert main(["--db", str(books), "report", name, flag, when, "--format", "csv"]) == 0
        out[name] = capsys.readouterr().out
    return out


def test_a_closed_month_reports_the_same_whatever_happens_later(books: Path, customer: str, capsys) -> None:
    october = post(customer, line(price=50000), issue=OCT).number
    spare = post(customer, line(price=7000), issue=OCT).number
    cheque = record_payment(PaymentInput(20000, "GBP", "cheque", OCT, customer)).number
    allocate_payment(cheque, [(october, 20000)], on=OCT)
    loose = record_payment(PaymentInput(9000, "GBP", "bank_transfer", OCT, customer)).number
    with acting_as("bob"):
        assert close_period("2026-10", today=TODAY).lock_date == dt.date(2026, 10, 31)
    before = _reports(books, capsys)
    assert "INV-000001" in before["ar_aging_detail"] and "200.00" in before["payments_received"]

    rows = snapshot()
    late = [
        lambda: post(customer, line(price=100), issue=dt.date(2026, 10, 31)),
        lambda: void_invoice(spare, "keyed twice"),
        lambda: allocate_payment(loose, [(october, 1000)], on=dt.date(2026, 10, 20)),
        lambda: record_payment(PaymentInput(500, "GBP", "cash", dt.date(2026, 9, 1), customer)),
    ]
    for attempt in late:
        with pytest.raises(Conflict, match=r"locked up to 2026-10-31.*billfold period reopen 2026-10 --reason"):
            attempt()
        assert snapshot() == rows  # refused: nothing written
    # What happens after the lock date is the next month's business, and leaves October's reports alone.
    post(customer, line(price=3000), issue=NOV)
    allocate_payment(loose, [(october, 1000)], on=NOV)
    credit_invoice(october, "goodwill", amount_minor=2400)
    write_off(spare, "small balance")
    unallocate_payment(cheque, october)
    return_payment(cheque, "cheque bounced")
    assert _reports(books, capsys) == before


def test_close_and_reopen_rules(books: Path) -> None:
    with pytest.raises(PermissionDenied, match="close a period needs a supervisor or admin; alice is a clerk"):
        close_period("2026-10", today=TODAY)
    with acting_as("bob"):
        with pytest.raises(ValidationError, match="2026-12 has not ended yet"):
            close_period("2026-12", today=TODAY)
        with pytest.raises(ValidationError, match="'2026-13' is not a month"):
            close_period("2026-13", today=TODAY)
        close_period("2026-10", today=TODAY)
        with pytest.raises(Conflict, match="2026-09 is already closed"):
            close_period("2026-09", today=TODAY)
        with pytest.raises(PermissionDenied, match="reopen a closed period needs an admin; bob is a supervisor"):
            reopen_period("2026-10", "late invoice")
    with acting_as("ada"):
        with pytest.raises(ValidationError, match="reason"):
            reopen_period("2026-10", " ")
        assert reopen_period("2026-10", "late invoice").lock_date == dt.date(2026, 9, 30)
    assert lock_date() == dt.date(2026, 9, 30)
    post(_customer(), line(), issue=OCT)  # October is open again


def _customer() -> str:
    from store.customers import CustomerData, create_customer

    return create_customer(CustomerData(name="Reopened Ltd")).account_no


def test_period_commands_and_reopening_through_an_approval(books: Path, capsys) -> None:
    from store.session import set_operator

    set_operator("bob")
    assert main(["--db", str(books), "period", "close", "2026-10", "--json"]) == 0
    assert '"lock_date": "2026-10-31"' in capsys.readouterr().out
    set_operator("alice")
    assert main(["--db", str(books), "period", "status"]) == 0
    assert capsys.readouterr().out.strip() == "locked up to 2026-10-31"
    assert main(["--db", str(books), "period", "reopen", "2026-11", "--reason", "late"]) == 1
    assert "2026-11 is not closed (locked up to 2026-10-31)" in capsys.readouterr().err
    assert main(["--db", str(books), "period", "reopen", "2026-10", "--reason", "a late invoice", "--json"]) == 0
    request = json.loads(capsys.readouterr().out)["id"]
    assert lock_date() == dt.date(2026, 10, 31)  # asked, not done
    set_operator("bob")  # a supervisor approves most requests, but reopening is an admin's
    assert main(["--db", str(books), "approve", str(request)]) == 1
    assert "reopen a closed period needs an admin; bob is a supervisor" in capsys.readouterr().err
    set_operator("ada")
    assert main(["--db", str(books), "approve", str(request)]) == 0
    capsys.readouterr()
    assert lock_date() == dt.date(2026, 9, 30)
    lock = PeriodLock.select().order_by(PeriodLock.id.desc()).get()
    assert (lock.action, lock.by, lock.reason) == ("reopen", "ada", "a late invoice")
