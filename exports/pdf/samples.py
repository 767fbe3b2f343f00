"""Believable documents for previews, tests and benchmarks: the same seed gives the same data."""
from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from exports.documents import (
    Aging,
    Company,
    DocLine,
    InvoiceDoc,
    OverdueItem,
    PageSize,
    Party,
    ReminderDoc,
    StatementDoc,
    StatementRow,
    TaxSummary,
)
from store.money import apply_rate, round_minor

ITEMS = (
    ("Stainless hex bolts M8 x 40, box of 100", "12.50"),
    ("Site survey and measured drawings", "480.00"),
    ("Nylon cable ties 300 mm (pack of 500)", "18.90"),
    ("Delivery and unloading, Bristol zone 2", "65.00"),
    ("Annual maintenance contract: loading bay doors 1-4, including two scheduled visits", "1,250.00"),
    ("Safety gloves, cut level C, size 9", "4.20"),
    ("Pallet wrap 500 mm x 300 m", "14.75"),
)
TAXES = {"S": "20", "Z": "0"}


def sample_company(page_size: PageSize = "A4", logo_path: str | None = None) -> Company:
    return Company(
        name="Northwind Trading Ltd",
        address_lines=("Unit 4, Harbourside Business Park", "Bristol BS1 5TY", "United Kingdom"),
        tax_id="GB 123 4567 89",
        payment_lines=("Bank: Barclays Bank plc, Bristol", "Sort code 20-00-00 · Account 12345678",
                       "IBAN GB29 NWBK 6016 1331 9268 19 · BIC NWBKGB2L"),
        email="accounts@northwind.example", phone="+44 117 496 0000",
        logo_path=logo_path, page_size=page_size, locale="en_US" if page_size == "Letter" else "en_GB",
    )


def sample_customer(name: str = "Harbour Supplies Ltd") -> Party:
    return Party("C-000042", name, ("Dock Office, Wapping Wharf", "Gas Ferry Road"), "Bristol", "BS1 6UN",
                 "", "GB 987 6543 21")


def _minor(text: str) -> int:
    return int(Decimal(text.replace(",", "")) * 100)


def sample_invoice(lines: int = 7, *, seed: int = 1, customer: Party | None = None, number: str = "INV-000123",
                   paid_minor: int = 0) -> InvoiceDoc:
    rng = random.Random(seed)
    doc_lines: list[DocLine] = []
    by_code: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i in range(lines):
        description, price = ITEMS[i % len(ITEMS)]
        quantity = str(rng.choice((1, 1, 2, 3, 5, 10, 12)))
        discount = rng.choice(("", "", "", "10"))
        code = "Z" if i % 5 == 3 else "S"
        net = round_minor(Decimal(_minor(price)) * Decimal(quantity) * (100 - Decimal(discount or 0)) / 100)
        tax = round_minor(apply_rate(net, Decimal(TAXES[code])))
        doc_lines.append(DocLine(description, quantity, _minor(price), discount, code, TAXES[code], net, tax))
        by_code[code][0] += net
        by_code[code][1] += tax
    summaries = tuple(TaxSummary(code, TAXES[code], net, tax) for code, (net, tax) in sorted(by_code.items()))
    subtotal = sum(t.net_minor for t in summaries)
    tax_total = sum(t.tax_minor for t in summaries)
    total = subtotal + tax_total
    return InvoiceDoc(
        kind="invoice", number=number, issue_date=dt.date(2026, 11, 1), due_date=dt.date(2026, 12, 1),
        currency="GBP", customer=customer or sample_customer(), lines=tuple(doc_lines), tax_summaries=summaries,
        subtotal_minor=subtotal, tax_total_minor=tax_total, total_minor=total, amount_paid_minor=paid_minor,
        amount_due_minor=total - paid_minor, reference="PO 7781-B",
        memo="Goods remain our property until paid in full.\nThank you for your business.",
    )


def sample_statement(rows: int = 30, *, seed: int = 2, customer: Party | None = None) -> StatementDoc:
    rng = random.Random(seed)
    start = dt.date(2026, 1, 1)
    opening = 125_000
    balance = opening
    out: list[StatementRow] = []
    for i in range(rows):
        day = start + dt.timedelta(days=i * 300 // max(rows, 1))
        if i % 3 == 2:
            amount = rng.randrange(5_000, 150_000)
            out.append(StatementRow(day, "Payment", f"PAY-{i:07d}", "Bank transfer, thank you", 0, amount,
                                    balance - amount))
            balance -= amount
        else:
            amount = rng.randrange(2_000, 120_000)
            out.append(StatementRow(day, "Invoice", f"INV-{i:06d}", ITEMS[i % len(ITEMS)][0], amount, 0,
                                    balance + amount))
            balance += amount
    aging = Aging(current_minor=balance // 2, days_1_30_minor=balance // 4, days_31_60_minor=balance // 8,
                  days_61_90_minor=balance // 16, over_90_minor=balance - balance // 2 - balance // 4
                  - balance // 8 - balance // 16)
    return StatementDoc(customer or sample_customer(), "GBP", start, start + dt.timedelta(days=303), opening,
                        tuple(out), balance, aging)


def sample_reminder(level: int = 2, *, customer: Party | None = None) -> ReminderDoc:
    items = (OverdueItem("INV-000101", dt.date(2026, 8, 3), dt.date(2026, 9, 2), 81, 84_000),
             OverdueItem("INV-000117", dt.date(2026, 9, 14), dt.date(2026, 10, 14), 39, 12_345),
             OverdueItem("INV-000123", dt.date(2026, 10, 1), dt.date(2026, 10, 31), 22, 150_000))
    return ReminderDoc(level, customer or sample_customer(), dt.date(2026, 11, 22), "GBP", items,
                       sum(i.amount_due_minor for i in items))
