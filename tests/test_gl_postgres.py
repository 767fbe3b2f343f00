"""The ledger export on PostgreSQL: a whole month, a late void as the difference, the refusal (skipped without
a server, saying so)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from exports.gl_formats import export_to_file
from store.errors import Conflict
from tests.conftest import line, post
from tests.gl_books import add_signed, expected, frozen, map_chart
from tests.test_postgres import pg_books  # noqa: F401  (the fixture)


def test_a_month_then_its_late_void_on_postgresql(pg_books: str, tmp_path: Path) -> None:  # noqa: F811
    from store.customers import CustomerData, create_customer
    from store.invoices import void_invoice
    from store.session import ensure_operator, set_operator

    for login, role in (("bob", "supervisor"), ("alice", "clerk")):
        ensure_operator(login, login.title(), role)
    account = create_customer(CustomerData(name="Postgres Pty", email="pg@example.com")).account_no
    first = post(account, line("a", "2", 1999)).number
    post(account, line(price=10000, tax="Z"))
    map_chart()  # as bob, a supervisor (it leaves alice acting)
    set_operator("pat")
    whole = export_to_file("2026-11", "csv", tmp_path / "1.csv")
    assert whole.record.kind == "full" and whole.trial_balance_checked and whole.record.exported_by == "pat"
    with pytest.raises(Conflict, match=r"already exported as csv .*by pat"):
        export_to_file("2026-11", "csv", tmp_path / "x.csv")
    void_invoice(first, "keyed twice")
    late = export_to_file("2026-11", "csv", tmp_path / "2.csv")
    assert late.record.kind == "difference" and late.record.entry_count == 1
    sums: dict[str, list[int]] = {}
    for name in ("1.csv", "2.csv"):
        with (tmp_path / name).open(newline="") as handle:
            for row in csv.DictReader(handle):
                add_signed(sums, row["mapped_account"], int(row["debit_minor"]) - int(row["credit_minor"]))
    assert frozen(sums) == expected("GBP")
