"""Payments and the matching queue (F5)."""
from __future__ import annotations

from tui.screens.not_yet import NotYetScreen


class PaymentsScreen(NotYetScreen):
    PLACE = "Payments"
    WHAT = "Until then: billfold payment record / allocate, billfold match --dry-run."


class PaymentEntryScreen(NotYetScreen):
    PLACE = "Record a payment"
    WHAT = "Until then: billfold payment record --customer ACCOUNT --amount ..."

    def __init__(self, account_no: str | None = None) -> None:
        super().__init__()
        self.account_no = account_no
