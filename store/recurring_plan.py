"""What a recurring run for a month would bill: each contract's charge, priced, grouped into invoices.

Read-only: the preview (counts and totals per currency) and the run itself (store/recurring.py) both
start here, so what the operator was shown is what is drafted.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from peewee import JOIN

from store.contract_periods import Span, charge_span, month_text, parse_month, prorate
from store.contracts import catalogue_price, item_code
from store.invoices import LineInput, preview_totals
from store.kinds import ContractBilling, CustomerStatus, InvoiceStatus
from store.models import Contract, ContractCharge, Customer, Invoice, Item, TaxCode
from store.money import format_amount, round_minor
from store.pricing import line_net
from store.settings import get_setting

RUN_REFERENCE = "REC-{month}"  # each run's invoices carry it, so they are found and shown together


@dataclass(frozen=True, slots=True)
class DueCharge:
    contract_id: int
    period: Span
    covers: Span
    line: LineInput
    net_minor: int


@dataclass(frozen=True, slots=True)
class InvoicePlan:
    """One invoice of the run: a customer's charges billed the same way (in advance or in arrears)."""

    customer_id: int
    account_no: str
    customer_name: str
    currency: str
    billing: str
    issue_date: dt.date
    charges: tuple[DueCharge, ...]
    total_minor: int


@dataclass(frozen=True, slots=True)
class Skipped:
    contract_id: int
    account_no: str
    reason: str


@dataclass(frozen=True, slots=True)
class CurrencyTotal:
    currency: str
    invoices: int
    charges: int
    total_minor: int


@dataclass(frozen=True, slots=True)
class RunPlan:
    month: str
    invoices: tuple[InvoicePlan, ...]
    skipped: tuple[Skipped, ...]
    already_billed: int  # charges of this month made by an earlier run (drafted or posted)
    drafts_waiting: int  # this month's run drafts not yet posted
    posted: int  # this month's run invoices posted
    totals: tuple[CurrencyTotal, ...] = field(default=())

    @property
    def charges(self) -> int:
        return sum(len(i.charges) for i in self.invoices)


def totals_by_currency(plans: list[tuple[str, int, int]]) -> tuple[CurrencyTotal, ...]:
    """(currency, charges, total) per invoice -> per currency, in currency order."""
    acc: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for currency, charges, total in plans:
        acc[currency][0] += 1
        acc[currency][1] += charges
        acc[currency][2] += total
    return tuple(CurrencyTotal(c, *acc[c]) for c in sorted(acc))


def _line(contract: Contract, unit_minor: int, period: Span, covers: Span, currency: str) -> tuple[LineInput, int]:
    code = item_code(contract) or None
    when = f"{covers.first:%d %b %Y} to {covers.last:%d %b %Y}"
    if covers.days == period.days:
        line = LineInput(f"{contract.description}, {when}", contract.quantity, unit_minor, contract.tax_code_id,
                         item_code=code)
        return line, round_minor(line_net(contract.quantity, unit_minor, Decimal(0)))
    amount = prorate(round_minor(line_net(contract.quantity, unit_minor, Decimal(0))), covers, period)
    text = (f"{contract.description}, {when} ({covers.days}/{period.days} days of "
            f"{contract.quantity} x {format_amount(unit_minor, currency)})")
    return LineInput(text, Decimal(1), amount, contract.tax_code_id, item_code=code), amount


def _candidates(month: Span) -> list[Contract]:
    oldest = dt.date(month.first.year - 1, month.first.month, 1)  # no period is longer than a year
    return list(Contract.select(Contract, Customer, Item)
                .join(Customer).switch(Contract).join(Item, join_type=JOIN.LEFT_OUTER)
                .where((Contract.start_date <= month.last)
                       & (Contract.end_date.is_null() | (Contract.end_date >= oldest)))
                .order_by(Customer.account_no, Contract.id))


def _billed(month: Span) -> set[tuple[int, dt.date]]:
    starts = [dt.date(month.first.year, m, 1) for m in {month.first.month, (month.first.month - 1) // 3 * 3 + 1, 1}]
    return {(c.contract_id, c.period_start) for c in
            ContractCharge.select(ContractCharge.contract, ContractCharge.period_start)
            .where(ContractCharge.period_start.in_(starts))}


def due_charges(month: Span) -> tuple[list[tuple[Contract, DueCharge]], list[Skipped], int]:
    """Every charge the run of `month` should bill and has not: (contract, charge), skipped, already billed."""
    billed = _billed(month)
    due: list[tuple[Contract, DueCharge]] = []
    skipped: list[Skipped] = []
    already = 0
    for contract in _candidates(month):
        spans = charge_span(contract.period, contract.billing, contract.start_date, contract.end_date, month)
        if spans is None:
            continue
        period, covers = spans
        if (contract.id, period.first) in billed:
            already += 1
            continue
        customer = contract.customer
        item = contract.item if contract.item_id else None
        unit = contract.price_minor if contract.price_minor is not None else (
            catalogue_price(item, customer.currency) if item is not None else None)
        reason = ""
        if customer.status == CustomerStatus.CLOSED:
            reason = "the account is closed"
        elif unit is None:
            reason = f"item {item_code(contract)} has no {customer.currency} price in the catalogue"
        if reason:
            skipped.append(Skipped(contract.id, customer.account_no, reason))
            continue
        line, net = _line(contract, unit, period, covers, customer.currency)  # type: ignore[arg-type]
        if net <= 0:
            skipped.append(Skipped(contract.id, customer.account_no, "its share of the period rounds to nothing"))
            continue
        due.append((contract, DueCharge(contract.id, period, covers, line, net)))
    return due, skipped, already


def group_invoices(month: Span, due: list[tuple[Contract, DueCharge]]) -> list[InvoicePlan]:
    """One invoice per customer and billing way: in advance dated the month's first day, in arrears its last."""
    groups: dict[tuple[int, str], list[tuple[Contract, DueCharge]]] = defaultdict(list)
    for contract, charge in due:
        groups[(contract.customer_id, contract.billing)].append((contract, charge))
    rates = {t.code: t.rate for t in TaxCode.select()}
    rounding = get_setting("tax_rounding")
    plans = []
    for (_customer_id, billing), pairs in groups.items():
        customer = pairs[0][0].customer
        charges = tuple(charge for _c, charge in pairs)
        total = preview_totals([c.line for c in charges], rates, rounding).total_minor
        issued = month.first if billing == ContractBilling.ADVANCE else month.last
        plans.append(InvoicePlan(customer.id, customer.account_no, customer.name, customer.currency, billing,
                                 issued, charges, total))
    return plans


def run_invoices(month: str) -> list[tuple[int, str]]:
    """(invoice id, status) of every invoice a run of `month` drafted that is still there."""
    return [(i.id, i.status) for i in Invoice.select(Invoice.id, Invoice.status).where(
        Invoice.id.in_(ContractCharge.select(ContractCharge.invoice).where(ContractCharge.run_month == month)))]


def plan_run(month_text_: str) -> RunPlan:
    """The preview of a month's run: what it would draft now, and what earlier runs of it did."""
    month = parse_month(month_text_)
    due, skipped, already = due_charges(month)
    invoices = group_invoices(month, due)
    statuses = [status for _id, status in run_invoices(month_text(month))]
    return RunPlan(month_text(month), tuple(invoices), tuple(skipped), already,
                   statuses.count(InvoiceStatus.DRAFT), statuses.count(InvoiceStatus.POSTED),
                   totals_by_currency([(i.currency, len(i.charges), i.total_minor) for i in invoices]))
