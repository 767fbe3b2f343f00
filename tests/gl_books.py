"""Books for the ledger export tests: a month of GBP and EUR invoices, payments and a credit, the chart mapped,
and the trial balance's debits and credits per company account, to hold each format's file against."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from store.customers import CustomerData, create_customer
from store.gl_mapping import MappingRow, account_mapping, set_mapping
from store.invoices import credit_invoice
from store.payments import PaymentInput, allocate_payment, record_payment
from store.reports import Period
from store.reports.trial_balance import trial_balance
from tests.conftest import acting_as, line, post

NOVEMBER = Period.month(2026, 11)
# What QuickBooks calls the accounts (two of Billfold's to one of the company's: totals add up per target).
MAPPING = {"1000": "Checking", "1100": "Accounts Receivable", "2100": "Customer Deposits",
           "2150": "Customer Deposits", "2200": "Sales Tax Payable", "4000": "Sales Income",
           "6900": "Bad Debt Expense"}


def map_chart(mapping: dict[str, str] = MAPPING) -> None:
    with acting_as("bob"):
        for account, target in mapping.items():
            set_mapping(account, target)


def month_of_books(customer: str) -> dict[str, str]:
    """October and November activity in GBP, and one EUR customer in November; returns the invoice numbers."""
    eur = create_customer(CustomerData(name="Maison Dupont SARL", email="compta@dupont.example", currency="EUR",
                                       city="Lyon", country="FR")).account_no
    october = post(customer, line("Old work", "1", 5000), issue=dt.date(2026, 10, 20)).number
    first = post(customer, line("Widget", "3", 1250), line("Service", "1", 9999, "Z")).number
    second = post(customer, line("Gadget", "2", 4100), issue=dt.date(2026, 11, 10)).number
    euro = post(eur, line("Conseil", "2", 15000), issue=dt.date(2026, 11, 12)).number
    payment = record_payment(PaymentInput(5000, "GBP", "cheque", dt.date(2026, 11, 5), customer)).number
    allocate_payment(payment, [(october, 5000)], on=dt.date(2026, 11, 5))
    record_payment(PaymentInput(2500, "GBP", "bank_transfer", dt.date(2026, 11, 6), None, payer="Someone"))
    credit_invoice(second, "Damaged", positions=[1], on=dt.date(2026, 11, 15))
    return {"october": october, "first": first, "second": second, "euro": euro}


def expected(currency: str, name_of: Callable[[MappingRow], str] = lambda r: r.target,
             period: Period = NOVEMBER) -> dict[str, tuple[int, int]]:
    """The trial balance's debits and credits of the month, per company account (minor units)."""
    rows = {r.account: r for r in account_mapping()}
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in trial_balance(period, currency=currency).rows:
        account, debits, credits = str(row[0]), int(row[3]), int(row[4])  # type: ignore[call-overload]
        if debits or credits:
            target = name_of(rows[account])
            sums[target][0] += debits
            sums[target][1] += credits
    return {k: (d, c) for k, (d, c) in sums.items()}


def add_signed(sums: dict[str, list[int]], account: str, minor: int) -> None:
    """A signed amount (debit positive) into debits or credits of its account."""
    pair = sums.setdefault(account, [0, 0])
    if minor >= 0:
        pair[0] += minor
    else:
        pair[1] -= minor


def frozen(sums: dict[str, list[int]]) -> dict[str, tuple[int, int]]:
    return {k: (d, c) for k, (d, c) in sums.items()}


def out_file(tmp_path: Path, name: str) -> str:
    return str(tmp_path / name)
