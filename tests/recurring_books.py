"""Helpers for the recurring billing tests: an item, contracts in one call, the invoices a run made."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from store.catalogue import save_item
from store.contracts import ContractInput, ContractRow, add_contract
from store.models import ContractCharge, Invoice, InvoiceLine
from tests.conftest import acting_as


def support_item(price: int = 25000, currency: str = "GBP") -> None:
    with acting_as("bob"):  # the catalogue is a supervisor's
        save_item("SUPP", "Support plan", price, currency, "S")


def contract(account: str, start: str, *, period: str = "monthly", billing: str = "advance", price: str | None = None,
             end: str | None = None, quantity: str = "1", item: str = "", description: str = "Hosting"
             ) -> ContractRow:
    return add_contract(ContractInput(account, item, Decimal(quantity), period, billing, dt.date.fromisoformat(start),
                                      price, dt.date.fromisoformat(end) if end else None,
                                      "" if item else description, "" if item else "S"))


def lines_of(month: str) -> list[tuple[int, str, Decimal, int, int, str]]:
    """(contract, issue date, quantity, unit price, net, status) of every line a month's run drafted or posted."""
    query = (ContractCharge.select(ContractCharge.contract, Invoice.issue_date, InvoiceLine.quantity,
                                   InvoiceLine.unit_price_minor, InvoiceLine.net_minor, Invoice.status)
             .join(Invoice).join(InvoiceLine).where((ContractCharge.run_month == month)
                                                    & (InvoiceLine.net_minor == ContractCharge.net_minor))
             .order_by(ContractCharge.contract).tuples())
    return [(c, str(d), q, u, n, s) for c, d, q, u, n, s in query]


def charges(contract_id: int) -> list[tuple[str, str, str, int]]:
    """(period start, covers from, covers to, net) of each period a contract billed."""
    return [(str(c.period_start), str(c.covers_from), str(c.covers_to), c.net_minor)
            for c in ContractCharge.select().where(ContractCharge.contract == contract_id)
            .order_by(ContractCharge.period_start)]
