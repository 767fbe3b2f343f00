"""Orders in for review: import (all of a file or nothing), what each invoice would be, approve, hold, reject.

Prices are taken when an order is imported (the file's unit_price, else the catalogue's price in the
customer's currency) and kept on its lines, so the review shows what will be billed and a later
catalogue change does not re-price an order already reviewed. Billing is store/order_billing.py.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from peewee import JOIN

from store.audit import record_event
from store.catalogue import Catalogue, load_catalogue, price_for
from store.customers import customer_balance
from store.errors import Conflict, NotFound, ValidationError, required
from store.fields import utcnow
from store.import_files import read_statement_file
from store.kinds import CustomerStatus, OrderStatus
from store.models import Customer, Invoice, Item, SalesOrder, SalesOrderLine
from store.money import check_currency, format_money, parse_amount, parse_quantity
from store.order_files import OrderFileError, RawLine, RawOrder, read_orders
from store.permissions import Action
from store.pricing import price_lines
from store.service import transaction
from store.session import current_operator, require
from store.settings import get_setting

# A line without an item takes the customer's default tax code, else the standard rate (the file has no
# tax column), as a free-text line keyed on the entry screen does.
FREE_TEXT_TAX = "S"
MAX_ORDER_ID = 40
REVIEWABLE = (OrderStatus.PENDING, OrderStatus.HELD)


@dataclass(frozen=True, slots=True)
class ImportResult:
    imported: list[str]
    skipped: list[str]  # order ids already in the books: importing again creates nothing
    lines: int


@dataclass(frozen=True, slots=True)
class OrderLineView:
    position: int
    item: str
    description: str
    quantity: Decimal
    unit_price_minor: int
    tax_code: str
    net_minor: int
    tax_minor: int


@dataclass(frozen=True, slots=True)
class OrderView:
    """An order and the invoice it would become: totals by the books' tax rounding, and warnings."""

    id: int
    order_id: str
    account: str
    customer_name: str
    po: str
    order_date: dt.date
    currency: str
    status: str
    note: str
    subtotal_minor: int
    tax_minor: int
    total_minor: int
    warnings: tuple[str, ...]
    invoice: str | None
    lines: tuple[OrderLineView, ...]


# ---------------------------------------------------------------- import

def import_order_file(path: Path) -> ImportResult:
    """Read (within import_max_bytes), parse and import one orders file: .json by its name, else CSV."""
    return import_orders(read_orders(read_statement_file(path), path.name), path.name)


def import_orders(orders: Sequence[RawOrder], source: str) -> ImportResult:
    """Every order of a file in one transaction: a bad line refuses the file (naming the line), nothing written."""
    with transaction():
        require(Action.POST)
        catalogue = load_catalogue()
        known = {o.order_no for o in SalesOrder.select(SalesOrder.order_no)
                 .where(SalesOrder.order_no.in_([raw.order_id for raw in orders]))}
        imported: list[str] = []
        skipped: list[str] = []
        count = 0
        for raw in orders:
            order_id = raw.order_id.strip()
            if not order_id:
                raise OrderFileError(raw.line, "order_id is required")
            if len(order_id) > MAX_ORDER_ID:
                raise OrderFileError(raw.line, f"order_id is longer than {MAX_ORDER_ID} characters")
            if order_id in known:
                skipped.append(order_id)
                continue
            count += _import_one(raw, order_id, source, catalogue)
            imported.append(order_id)
        record_event("orders.import", "orders", source, after={"imported": imported, "skipped": skipped,
                                                                "lines": count})
        return ImportResult(imported, skipped, count)


def _import_one(raw: RawOrder, order_id: str, source: str, catalogue: Catalogue) -> int:
    customer = Customer.get_or_none(Customer.account_no == raw.account.strip())
    if customer is None:
        raise OrderFileError(raw.line, f"account '{raw.account}' is not a customer")
    try:
        order_date = dt.date.fromisoformat(raw.order_date)
    except ValueError:
        raise OrderFileError(raw.line, f"order_date '{raw.order_date}' is not a date (YYYY-MM-DD)") from None
    if len(raw.po) > 100:
        raise OrderFileError(raw.line, "po is longer than 100 characters")
    lines = [_order_line(ln, customer, catalogue) for ln in raw.lines]
    order = SalesOrder.create(order_no=order_id, customer=customer.id, po=raw.po, order_date=order_date,
                              currency=customer.currency, source=source, imported_by=current_operator())
    items = {i.code: i.id for i in Item.select(Item.id, Item.code).where(Item.code.in_([ln[0] for ln in lines]))}
    SalesOrderLine.insert_many([
        {"order": order.id, "position": n, "item": items.get(code), "description": description,
         "quantity": quantity, "unit_price_minor": price, "tax_code": tax}
        for n, (code, description, quantity, price, tax) in enumerate(lines, 1)]).execute()
    return len(lines)


def _order_line(raw: RawLine, customer: Customer, catalogue: Catalogue) -> tuple[str, str, Decimal, int, str]:
    try:
        return _check_line(raw, customer.currency, catalogue, customer.tax_code or FREE_TEXT_TAX)
    except ValidationError as exc:
        if isinstance(exc, OrderFileError):
            raise
        raise OrderFileError(raw.line, f"{exc.field} {exc.message}") from None


def _check_line(raw: RawLine, currency: str, catalogue: Catalogue, free_text_tax: str
                ) -> tuple[str, str, Decimal, int, str]:
    code = raw.item.strip().upper()
    item = catalogue.items.get(code) if code else None
    if code and item is None:
        raise ValidationError("item", f"'{code}' is not in the catalogue")
    description = raw.description or (item.description if item else "")
    required("description", description, "is required on a line without an item")
    quantity = parse_quantity(required("quantity", raw.quantity), "quantity")
    if quantity <= 0:
        raise ValidationError("quantity", "must be more than zero")
    if raw.currency and check_currency(raw.currency) != currency:
        raise ValidationError("currency", f"{raw.currency.upper()} is not the account's currency {currency} "
                                          "(an invoice is in its customer's currency)")
    if raw.unit_price:
        price = parse_amount(raw.unit_price, currency, "unit_price")
        if price < 0:
            raise ValidationError("unit_price", "cannot be negative")
    elif item is not None:
        price = price_for(item, currency)
    else:
        raise ValidationError("unit_price", "is required on a line without an item")
    return code, description, quantity, price, item.tax_code if item else free_text_tax


# ---------------------------------------------------------------- what each order would be

def order_views(orders: Sequence[SalesOrder]) -> list[OrderView]:
    """Orders with their lines priced as invoices would be (two queries, whatever the count)."""
    if not orders:
        return []
    lines: dict[int, list[SalesOrderLine]] = defaultdict(list)
    for ln in (SalesOrderLine.select(SalesOrderLine, Item).join(Item, join_type=JOIN.LEFT_OUTER)
               .where(SalesOrderLine.order.in_([o.id for o in orders])).order_by(SalesOrderLine.position)):
        lines[ln.order_id].append(ln)
    rates = dict(load_catalogue().tax_rates.items())
    rounding = get_setting("tax_rounding")
    numbers = {i.id: i.number for i in Invoice.select(Invoice.id, Invoice.number)
               .where(Invoice.id.in_([o.invoice_id for o in orders if o.invoice_id]))}
    balances: dict[int, int] = {}
    return [_view(o, lines[o.id], rates, rounding, numbers.get(o.invoice_id or 0), balances) for o in orders]


def _view(order: SalesOrder, lines: list[SalesOrderLine], rates: dict[str, Decimal], rounding: str,
          invoice: str | None, balances: dict[int, int]) -> OrderView:
    priced = price_lines([(ln.quantity, ln.unit_price_minor, Decimal(0), ln.tax_code_id,
                           rates.get(ln.tax_code_id, Decimal(0))) for ln in lines], rounding)
    customer: Customer = order.customer
    warnings = []
    if order.status not in (OrderStatus.BILLED, OrderStatus.REJECTED):
        warnings = _warnings(customer, priced.total_minor, balances)
    views = tuple(OrderLineView(ln.position, item_code(ln), ln.description, ln.quantity,
                                ln.unit_price_minor, ln.tax_code_id, p.net_minor, p.tax_minor)
                  for ln, p in zip(lines, priced.lines, strict=True))
    return OrderView(order.id, order.order_no, customer.account_no, customer.name, order.po, order.order_date,
                     order.currency, order.status, order.note, priced.subtotal_minor, priced.tax_minor,
                     priced.total_minor, tuple(warnings), invoice, views)


def item_code(line: SalesOrderLine) -> str:
    """The catalogue code of a line read with its item joined; "" for a free-text line."""
    item: Item | None = line.item
    return item.code if item is not None else ""


def _warnings(customer: Customer, total: int, balances: dict[int, int]) -> list[str]:
    out = []
    if customer.status == CustomerStatus.ON_HOLD:
        out.append(f"account on hold: {customer.hold_reason or 'no reason given'} (not billed while on hold)")
    elif customer.status != CustomerStatus.ACTIVE:
        out.append(f"account {customer.status.replace('_', ' ')}: it cannot be invoiced")
    if customer.credit_limit_minor:
        if customer.id not in balances:
            balances[customer.id] = customer_balance(customer.id)
        after = balances[customer.id] + total
        if after > customer.credit_limit_minor:
            out.append(f"over credit limit: balance plus this order {format_money(after, customer.currency)} > "
                       f"limit {format_money(customer.credit_limit_minor, customer.currency)}")
    return out


def _query(status: str | None = None) -> list[SalesOrder]:
    query = (SalesOrder.select(SalesOrder, Customer).join(Customer).order_by(SalesOrder.id))
    if status:
        if status not in set(OrderStatus):
            raise ValidationError("status", f"'{status}' is not one of {', '.join(OrderStatus)}")
        query = query.where(SalesOrder.status == status)
    return list(query)


def list_orders(status: str | None = None) -> list[OrderView]:
    return order_views(_query(status))


def _fetch(order_ids: Sequence[str]) -> list[SalesOrder]:
    rows: list[SalesOrder] = []
    for start in range(0, len(order_ids), 500):  # under every database's limit on bound parameters
        rows.extend(SalesOrder.select(SalesOrder, Customer).join(Customer)
                    .where(SalesOrder.order_no.in_(list(order_ids[start:start + 500]))))
    return rows


def _get(order_id: str) -> SalesOrder:
    order: SalesOrder | None = (SalesOrder.select(SalesOrder, Customer).join(Customer)
                                .where(SalesOrder.order_no == order_id.strip()).first())
    if order is None:
        raise NotFound(f"order {order_id}: no such order")
    return order


def show_order(order_id: str) -> OrderView:
    return order_views([_get(order_id)])[0]


# ---------------------------------------------------------------- review

def _decide(order_ids: Sequence[str], to: OrderStatus, note: str, allowed: Sequence[str]) -> list[OrderView]:
    """Move each order from one of `allowed` to `to`, all in one transaction (any refusal: none moves)."""
    if not order_ids:
        raise ValidationError("order", "name at least one order")
    with transaction():
        require(Action.REVIEW_ORDERS)
        wanted = list(dict.fromkeys(o.strip() for o in order_ids))
        found = {o.order_no: o for o in _fetch(wanted)}  # one query, however many are approved at once
        missing = [o for o in wanted if o not in found]
        if missing:
            raise NotFound(f"order {missing[0]}: no such order")
        who, when = current_operator(), utcnow()
        for order_id in wanted:
            order = found[order_id]
            if order.status == to and to == OrderStatus.APPROVED:
                continue  # approving twice (a retried command, a second F7) changes nothing
            if order.status not in allowed:
                raise Conflict(f"order {order.order_no} is {order.status}; only "
                               f"{' or '.join(allowed)} orders can be {to}")
            changed = (SalesOrder.update(status=to, note=note, decided_by=who, decided_at=when)
                       .where((SalesOrder.id == order.id) & (SalesOrder.status == order.status)).execute())
            if not changed:
                raise Conflict(f"order {order.order_no} was changed by someone else; look again")
            record_event(f"order.{to}", "order", order.order_no, customer_id=order.customer_id,
                         before={"status": order.status}, after={"status": to, "note": note})
            order.status, order.note = to, note
        return order_views([found[o] for o in wanted])


def approve_orders(order_ids: Sequence[str]) -> list[OrderView]:
    """Approved orders are invoiced by the next billing run; a held order may be approved."""
    return _decide(order_ids, OrderStatus.APPROVED, "", REVIEWABLE)


def hold_order(order_id: str, note: str) -> OrderView:
    return _decide([order_id], OrderStatus.HELD, required("note", note, "is required to hold an order"),
                   (OrderStatus.PENDING, OrderStatus.APPROVED))[0]


def reject_order(order_id: str, reason: str) -> OrderView:
    return _decide([order_id], OrderStatus.REJECTED, required("reason", reason, "is required to reject an order"),
                   (*REVIEWABLE, OrderStatus.APPROVED))[0]
