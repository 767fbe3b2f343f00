"""Recurring contracts: what a customer is charged every month, quarter or year.

A contract is one line: a catalogue item (or free text), a quantity, and a price of its own or none
(then the catalogue's price in the customer's currency at billing time). Adding, changing and
ending a contract changes only what later runs bill: each period already billed is a ContractCharge
with its own invoice, and posted invoices are never touched (store/recurring.py bills the runs).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import JOIN, fn

from store.audit import record_event
from store.customers import get_customer
from store.dates import parse_date
from store.errors import Conflict, NotFound, ValidationError, required
from store.fields import utcnow
from store.kinds import ContractBilling, ContractPeriod, CustomerStatus
from store.models import Contract, ContractCharge, Customer, Invoice, Item, ItemPrice, TaxCode
from store.money import parse_amount, parse_quantity
from store.permissions import Action
from store.service import transaction
from store.session import current_operator, require


@dataclass(frozen=True, slots=True)
class ContractInput:
    account_no: str
    item: str  # a catalogue code, or empty for a free-text line (then description, price and tax code)
    quantity: Decimal
    period: str
    billing: str
    start: dt.date
    price: str | None = None  # as typed, in the customer's currency; None: the catalogue's price
    end: dt.date | None = None
    description: str = ""
    tax_code: str = ""


@dataclass(frozen=True, slots=True)
class ContractRow:
    id: int
    account_no: str
    customer_name: str
    currency: str
    item: str
    description: str
    quantity: Decimal
    price_minor: int | None  # None: the catalogue's price at billing time
    tax_code: str
    period: str
    billing: str
    start: dt.date
    end: dt.date | None
    billed_periods: int
    billed_through: dt.date | None  # the last day a charge of it covers
    version: int


def parse_contract_fields(raw: Mapping[str, str], today: dt.date) -> ContractInput:
    """A contract as typed on the screen's form (dates as store.dates reads them) -> ContractInput."""
    def text(key: str) -> str:
        return (raw.get(key) or "").strip()

    period, billing = text("period").lower() or "monthly", text("billing").lower() or "advance"
    if period not in {p.value for p in ContractPeriod}:
        raise ValidationError("period", "is monthly, quarterly or yearly")
    if billing not in {b.value for b in ContractBilling}:
        raise ValidationError("billing", "is advance or arrears")
    if not text("start"):
        raise ValidationError("start", "is required")
    return ContractInput(required("account", text("account")), text("item"),
                         parse_quantity(text("quantity") or "1", "quantity"), period, billing,
                         parse_date(text("start"), "start", today), text("price") or None,
                         parse_date(text("end"), "end", today) if text("end") else None,
                         text("description"), text("tax_code"))


def catalogue_price(item: Item, currency: str) -> int | None:
    """The item's price in a currency (its own, or its ItemPrice there), or None when it has none in it."""
    if item.currency == currency:
        return int(item.unit_price_minor)
    row = ItemPrice.get_or_none((ItemPrice.item == item.id) & (ItemPrice.currency == currency))
    return None if row is None else int(row.unit_price_minor)


def _item(code: str) -> Item | None:
    if not code.strip():
        return None
    item = Item.get_or_none((Item.code == code.strip().upper()) & (Item.active == True))  # noqa: E712
    if item is None:
        raise ValidationError("item", f"'{code.strip().upper()}' is not in the catalogue")
    return item


def _check_tax_code(code: str) -> str:
    code = code.strip().upper()
    if not code:
        raise ValidationError("tax_code", "is required for a free-text line (e.g. S)")
    if TaxCode.get_or_none(TaxCode.code == code) is None:
        raise ValidationError("tax_code", f"'{code}' is not a tax code")
    return code


def _price(price: str | None, item: Item | None, currency: str) -> int | None:
    if price is not None and price.strip():
        minor = parse_amount(price, currency, "price")
        if minor <= 0:
            raise ValidationError("price", "must be more than zero")
        return minor
    if item is None:
        raise ValidationError("price", "is required for a free-text line")
    if catalogue_price(item, currency) is None:
        raise ValidationError("price", f"item {item.code} has no {currency} price in the catalogue: give --price")
    return None


def _check_quantity(quantity: Decimal) -> Decimal:
    if quantity <= 0:
        raise ValidationError("quantity", "must be more than zero")
    return quantity


def _check_dates(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        raise ValidationError("end", f"{end.isoformat()} is before the start {start.isoformat()}")


def item_code(row: Contract) -> str:
    item = row.item if row.item_id else None
    return item.code if item is not None else ""


def _values(row: Contract) -> dict[str, Any]:
    return {"item": item_code(row), "description": row.description, "quantity": row.quantity,
            "price_minor": row.price_minor, "tax_code": row.tax_code_id, "period": row.period,
            "billing": row.billing, "start": row.start_date, "end": row.end_date}


def add_contract(data: ContractInput) -> ContractRow:
    with transaction():
        require(Action.EDIT_ACCOUNTS)
        customer = get_customer(data.account_no)
        if customer.status == CustomerStatus.CLOSED:
            raise ValidationError("account", f"account {customer.account_no} is closed")
        item = _item(data.item)
        description = data.description.strip() or (item.description if item else "")
        if not description:
            raise ValidationError("description", "is required for a free-text line")
        row = Contract.create(
            customer=customer.id, item=item.id if item else None, description=description,
            quantity=_check_quantity(data.quantity), price_minor=_price(data.price, item, customer.currency),
            tax_code=_check_tax_code(data.tax_code or (item.tax_code_id if item else "")),
            period=ContractPeriod(data.period), billing=ContractBilling(data.billing), start_date=data.start,
            end_date=data.end, created_by=current_operator(), updated_by=current_operator())
        _check_dates(data.start, data.end)
        record_event("contract.add", "contract", row.id, customer_id=customer.id, after=_values(row))
        return get_contract(row.id)


def _contract(contract_id: int) -> Contract:
    row = Contract.get_or_none(Contract.id == contract_id)
    if row is None:
        raise NotFound(f"contract {contract_id}: no such contract")
    return row


def _save(row: Contract, before: dict[str, Any], expected_version: int | None, action: str,
          **changes: Any) -> ContractRow:
    version = row.version if expected_version is None else expected_version
    done = (Contract.update(version=Contract.version + 1, updated_at=utcnow(), updated_by=current_operator(),
                            **changes)
            .where((Contract.id == row.id) & (Contract.version == version)).execute())
    if not done:
        raise Conflict(f"contract {row.id} was changed by someone else since you read it")
    record_event(action, "contract", row.id, customer_id=row.customer_id, before=before,
                 after=_values(_contract(row.id)))
    return get_contract(row.id)


def change_contract(contract_id: int, *, quantity: Decimal | None = None, price: str | None = None,
                    catalogue_priced: bool = False, description: str | None = None,
                    expected_version: int | None = None) -> ContractRow:
    """Change what the periods not yet billed will charge; periods billed keep their invoices as they are."""
    with transaction():
        require(Action.EDIT_ACCOUNTS)
        row = _contract(contract_id)
        changes: dict[str, Any] = {}
        if quantity is not None:
            changes["quantity"] = _check_quantity(quantity)
        if price is not None or catalogue_priced:
            currency = Customer.get_by_id(row.customer_id).currency
            item = Item.get_by_id(row.item_id) if row.item_id else None
            changes["price_minor"] = _price(None if catalogue_priced else price, item, currency)
        if description is not None:
            if not description.strip():
                raise ValidationError("description", "cannot be empty")
            changes["description"] = description.strip()
        if not changes:
            raise ValidationError("change", "name something to change: --quantity, --price, --catalogue-price "
                                            "or --description")
        return _save(row, _values(row), expected_version, "contract.change", **changes)


def end_contract(contract_id: int, on: dt.date, expected_version: int | None = None) -> ContractRow:
    """The last day the contract charges for. Periods already billed past it stay billed (credit by hand)."""
    with transaction():
        require(Action.EDIT_ACCOUNTS)
        row = _contract(contract_id)
        _check_dates(row.start_date, on)
        return _save(row, _values(row), expected_version, "contract.end", end_date=on)


def _rows(where: Any) -> list[ContractRow]:
    query: Any = (Contract.select(Contract.id, Customer.account_no, Customer.name, Customer.currency, Item.code,
                             Contract.description, Contract.quantity, Contract.price_minor, Contract.tax_code,
                             Contract.period, Contract.billing, Contract.start_date, Contract.end_date,
                             Contract.version)
             .join(Customer).switch(Contract).join(Item, join_type=JOIN.LEFT_OUTER)
             .where(where).order_by(Customer.account_no, Contract.id))
    per_contract: Any = (ContractCharge.select(ContractCharge.contract, fn.COUNT(ContractCharge.id),
                                               fn.MAX(ContractCharge.covers_to))
                         .join(Contract).join(Customer).where(where).group_by(ContractCharge.contract).tuples())
    billed: dict[int, tuple[int, Any]] = {cid: (n, through) for cid, n, through in per_contract}
    rows = []
    for cid, account, name, currency, code, text, quantity, price, tax, period, billing, start, end, version \
            in query.tuples():
        n, through = billed.get(cid, (0, None))
        rows.append(ContractRow(cid, account, name, currency, code or "", text, quantity, price, tax, period, billing,
                                start, end, n, dt.date.fromisoformat(str(through)) if through else None, version))
    return rows


def get_contract(contract_id: int) -> ContractRow:
    rows = _rows(Contract.id == contract_id)
    if not rows:
        raise NotFound(f"contract {contract_id}: no such contract")
    return rows[0]


def list_contracts(account_no: str | None = None) -> list[ContractRow]:
    if account_no:
        return _rows(Contract.customer == get_customer(account_no).id)
    return _rows(Contract.id > 0)


@dataclass(frozen=True, slots=True)
class ChargeRow:
    period_start: dt.date
    covers_from: dt.date
    covers_to: dt.date
    run_month: str
    document: str  # the invoice number, or "draft N" until it is posted
    net_minor: int


def contract_charges(contract_id: int) -> list[ChargeRow]:
    """The periods a contract has billed, oldest first."""
    _contract(contract_id)
    c = ContractCharge
    query: Any = (c.select(c.period_start, c.covers_from, c.covers_to, c.run_month, Invoice.number, Invoice.id,
                           c.net_minor)
                  .join(Invoice).where(c.contract == contract_id).order_by(c.period_start))
    return [ChargeRow(start, first, last, run, number or f"draft {draft}", net)
            for start, first, last, run, number, draft, net in query.tuples()]
