"""The billing run: approved orders become posted invoices, each in a transaction of its own.

Each order is claimed (approved -> billed), invoiced through the one posting service
(store.invoices.create_and_post: gapless number, journal entry, delivery queued by the customer's
channel, audit event) and linked to its invoice, all in one transaction. An order is billed or it
is not: a re-run, or a run after kill -9, finds only the orders still approved. An order the books
refuse (the account went on hold meanwhile, the period is locked) stays approved and is reported.
Approving an order is the reviewer's consent to the credit-limit warning it showed, so the run
does not stop at the limit again.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN

from store import clock
from store.audit import record_event
from store.errors import BooksError
from store.invoices import DraftInput, LineInput, create_and_post
from store.kinds import OrderStatus
from store.models import Customer, Item, SalesOrder, SalesOrderLine
from store.orders import OrderView, item_code, list_orders
from store.permissions import Action
from store.service import transaction
from store.session import require


@dataclass(frozen=True, slots=True)
class CurrencyTotal:
    currency: str
    invoices: int
    subtotal_minor: int
    tax_minor: int
    total_minor: int


@dataclass(frozen=True, slots=True)
class BillingPreview:
    """What a run would invoice now: counts and totals per currency, and each order's warnings."""

    orders: int
    totals: list[CurrencyTotal]
    warnings: list[tuple[str, str]]  # (order id, warning)


@dataclass(frozen=True, slots=True)
class BilledOrder:
    order_id: str
    invoice: str
    account: str
    total_minor: int
    currency: str


@dataclass(frozen=True, slots=True)
class BillingResult:
    billed: list[BilledOrder]
    skipped: list[tuple[str, str]]  # (order id, why the books refused it); it stays approved
    totals: list[CurrencyTotal]


def _totals(rows: list[tuple[str, int, int, int]]) -> list[CurrencyTotal]:
    sums: dict[str, list[int]] = {}
    for currency, subtotal, tax, total in rows:
        acc = sums.setdefault(currency, [0, 0, 0, 0])
        for n, value in enumerate((1, subtotal, tax, total)):
            acc[n] += value
    return [CurrencyTotal(cur, *values) for cur, values in sorted(sums.items())]


def preview_billing() -> BillingPreview:
    """Writes nothing."""
    orders: list[OrderView] = list_orders(OrderStatus.APPROVED)
    return BillingPreview(len(orders), _totals([(o.currency, o.subtotal_minor, o.tax_minor, o.total_minor)
                                                for o in orders]),
                          [(o.order_id, w) for o in orders for w in o.warnings])


def bill_orders(progress: Callable[[BilledOrder | None, int, int], None] | None = None) -> BillingResult:
    """Invoice every approved order; `progress(billed or None, done, total)` after each one."""
    require(Action.POST)
    waiting = [o.id for o in SalesOrder.select(SalesOrder.id)
               .where((SalesOrder.status == OrderStatus.APPROVED) & SalesOrder.invoice.is_null())
               .order_by(SalesOrder.id)]
    billed: list[BilledOrder] = []
    skipped: list[tuple[str, str]] = []
    for done, order_id in enumerate(waiting, 1):
        try:
            result = _bill_one(order_id)
        except BooksError as exc:
            result = None
            skipped.append((SalesOrder.get_by_id(order_id).order_no, str(exc)))
        if result is not None:
            billed.append(result)
        if progress is not None:
            progress(result, done, len(waiting))
    return BillingResult(billed, skipped, _totals([(b.currency, 0, 0, b.total_minor) for b in billed]))


def _bill_one(order_pk: int) -> BilledOrder | None:
    with transaction():
        claimed = (SalesOrder.update(status=OrderStatus.BILLED)
                   .where((SalesOrder.id == order_pk) & (SalesOrder.status == OrderStatus.APPROVED)).execute())
        if not claimed:
            return None  # billed (or changed) by someone else since the run began
        order = SalesOrder.select(SalesOrder, Customer).join(Customer).where(SalesOrder.id == order_pk).get()
        lines = tuple(LineInput(ln.description, ln.quantity, ln.unit_price_minor, ln.tax_code_id, Decimal(0),
                                item_code(ln) or None)
                      for ln in SalesOrderLine.select(SalesOrderLine, Item).join(Item, join_type=JOIN.LEFT_OUTER)
                      .where(SalesOrderLine.order == order_pk).order_by(SalesOrderLine.position))
        account = order.customer.account_no
        posted = create_and_post(DraftInput(account, clock.today(), lines, reference=order.po,
                                            memo=f"Order {order.order_no}"), allow_over_limit=True)
        SalesOrder.update(invoice=posted.id).where(SalesOrder.id == order_pk).execute()
        record_event("order.bill", "order", order.order_no, customer_id=order.customer_id,
                     before={"status": OrderStatus.APPROVED},
                     after={"status": OrderStatus.BILLED, "invoice": posted.number, "po": order.po})
        return BilledOrder(order.order_no, posted.number, account, posted.total_minor, posted.currency)
