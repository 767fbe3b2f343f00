"""Books holding the longest realistic values, for the 80x24 snapshots of tests/screens/test_snapshots_screens.py.

Each text is as long as the field allows or an operator would plausibly type: a 60-character company name,
a 200-character dispute reason, amounts in the millions. Where a screen cuts one of these, the picture shows
it and a Pilot test checks one key shows the text whole.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from store.approvals import request_approval
from store.catalogue import save_item
from store.customers import CustomerData, create_customer, put_on_hold
from store.disputes import open_dispute
from store.gl_mapping import set_mapping
from store.invoices import DraftInput, LineInput, create_and_post, create_draft
from store.order_files import RawLine, RawOrder
from store.orders import hold_order, import_orders
from store.outbox import claim, record_failed
from store.payments import PaymentInput, record_payment
from store.worklists import assign_account
from tests.conftest import acting_as

NAME = "Fairweather, Hollingsworth & Pemberton-Smythe Logistics Ltd."  # 60 characters
HELD_NAME = "Consolidated Northern Agricultural Machinery Holdings PLC"
DISPUTE = ("Goods delivered on 3 November were short by forty-two pallets of the ordered stock; the customer's "
           "goods-in team counted and signed for 118 of 160 and sent the photographs to our warehouse manager Ed.")
HOLD = ("Credit control: three cheques returned unpaid since August; no further supply until the director "
        "confirms the new direct debit mandate in writing and the arrears of over a million are cleared.")
APPROVAL = ("Customer overpaid invoice INV-000001 twice by bank transfer and their finance director asked in "
            "writing for the surplus back by cheque before their year end on 30 November.")
LINE = ("Quarterly fleet maintenance contract, forty-two articulated trailers, including parts, labour and "
        "out-of-hours call-outs")
PAYER = "FAIRWEATHER HOLLINGSWORTH PEMBERTON SMYTHE LOGISTICS LIMITED"
BOUNCE = ("550 5.1.1 <accounts.payable@fairweather-hollingsworth-pemberton.example>: Recipient address rejected: "
          "User unknown in virtual mailbox table; the mailbox was closed on 1 November 2026 after the move")
ASSIGNMENT = ("Chase the disputed pallets with their goods-in team and agree a credit note before the December "
              "statement run")
ORDER_HOLD = ("Customer on credit hold: wait for the director's written confirmation of the direct debit mandate "
              "before anything ships.")
assert len(NAME) == 60 and len(DISPUTE) == 200


@dataclass(frozen=True)
class LongBooks:
    account: str
    held: str
    invoice: str


def build_long_books() -> LongBooks:
    """Two customers with long texts, invoices in the millions, one disputed, one overdue, a request waiting."""
    with acting_as("ada"):
        account = create_customer(CustomerData(name=NAME, email="accounts.payable@fairweather.example",
                                               contact_name="Mrs Philippa Hollingsworth-Pemberton",
                                               terms_days=30, credit_limit_minor=500_000_000)).account_no
        held = create_customer(CustomerData(name=HELD_NAME, email="ap@consolidated.example",
                                            terms_days=14)).account_no
        save_item("FLEET-MAINT", LINE[:80].strip(), 123_456_789, "GBP", "S")
        big = LineInput(LINE, Decimal(1), 123_456_789, "S")
        first = create_and_post(DraftInput(account, dt.date(2026, 8, 1), (big, LineInput(
            "Emergency call-out, Sunday, M6 junction 19", Decimal("2.5"), 87_500, "S")), reference="PO-2026-0001147"))
        create_and_post(DraftInput(account, dt.date(2026, 9, 1), (big,), reference="PO-2026-0001148"))
        create_and_post(DraftInput(held, dt.date(2026, 7, 15), (LineInput(
            "Combine harvester, reconditioned", Decimal(1), 98_765_432, "S"),)))
        open_dispute(first.number, 98_765_400, DISPUTE)
        put_on_hold(held, HOLD)
        create_draft(DraftInput(account, dt.date(2026, 11, 20), (big,), reference="PO-2026-0001149",
                                memo="Draft for the December run, waiting for the mileage logs"))
        for code, target in (("1000", "Checking"), ("1100", "Accounts Receivable"), ("2200", "Sales Tax Payable"),
                             ("4000", "Sales Income")):
            set_mapping(code, target)
    with acting_as("bob"):
        assign_account(account, "dispute", "bob", ASSIGNMENT)
        order = RawOrder(1, "WEB-2026-000042", held, "PO-AGRI-2026-11-0042", "2026-11-20")
        order.lines.append(RawLine(1, "", LINE, "1", "1234567.89", ""))
        [order_no] = import_orders([order], "orders.csv").imported
        hold_order(order_no, ORDER_HOLD)
    [mail] = claim("email", limit=1)
    record_failed(mail, BOUNCE, None)
    record_payment(PaymentInput(123_456_789, "GBP", "bank_transfer", dt.date(2026, 11, 20),
                                reference=f"REMITTANCE {first.number} AND PO-2026-0001147 THANK YOU", payer=PAYER))
    # More credit than the held account owes: the dunning run leaves it out, and says why at length.
    record_payment(PaymentInput(120_000_000, "GBP", "bank_transfer", dt.date(2026, 11, 21), held,
                                reference="ADVANCE FOR THE SPRING ORDER"))
    request_approval("refund", account, {"amount_minor": 123_456_78}, APPROVAL,
                     amount_minor=123_456_78, currency="GBP")
    return LongBooks(account, held, first.number)
