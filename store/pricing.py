"""Line and invoice arithmetic: net, discount and tax, rounded by the books' one rule.

Tax is rounded per line or per invoice (a company setting each invoice records). Per invoice,
each tax code's tax is rounded once from the code's net total; the line figures stay for display.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from store.money import apply_rate, round_minor

ROUNDING_MODES = ("line", "invoice")


@dataclass(frozen=True, slots=True)
class PricedLine:
    net_minor: int
    tax_minor: int


@dataclass(frozen=True, slots=True)
class TaxTotal:
    code: str
    rate: Decimal
    net_minor: int
    tax_minor: int


@dataclass(frozen=True, slots=True)
class PricedInvoice:
    lines: tuple[PricedLine, ...]
    taxes: tuple[TaxTotal, ...]
    subtotal_minor: int
    tax_minor: int
    total_minor: int


def line_net(quantity: Decimal, unit_price_minor: int, discount_percent: Decimal) -> Decimal:
    """Unrounded net minor units of a line."""
    return Decimal(unit_price_minor) * quantity * (Decimal(100) - discount_percent) / Decimal(100)


def price_lines(lines: list[tuple[Decimal, int, Decimal, str, Decimal]], rounding: str) -> PricedInvoice:
    """Price (quantity, unit price, discount %, tax code, tax rate %) lines."""
    if rounding not in ROUNDING_MODES:
        raise ValueError(rounding)
    priced: list[PricedLine] = []
    by_code_net: dict[str, int] = defaultdict(int)
    by_code_tax: dict[str, int] = defaultdict(int)
    rates: dict[str, Decimal] = {}
    for quantity, price, discount, code, rate in lines:
        net = round_minor(line_net(quantity, price, discount))
        tax = round_minor(apply_rate(net, rate))
        priced.append(PricedLine(net, tax))
        by_code_net[code] += net
        by_code_tax[code] += tax
        rates[code] = rate
    if rounding == "invoice":
        by_code_tax = defaultdict(int, {code: round_minor(apply_rate(net, rates[code]))
                                        for code, net in by_code_net.items()})
    taxes = tuple(TaxTotal(code, rates[code], by_code_net[code], by_code_tax[code]) for code in sorted(by_code_net))
    subtotal = sum(t.net_minor for t in taxes)
    tax = sum(t.tax_minor for t in taxes)
    return PricedInvoice(tuple(priced), taxes, subtotal, tax, subtotal + tax)


def split_gross(gross_minor: int, rate: Decimal) -> tuple[int, int]:
    """A tax-inclusive amount as (net, tax) at `rate`; net + tax == gross exactly."""
    net = round_minor(Decimal(gross_minor) * Decimal(100) / (Decimal(100) + rate))
    return net, gross_minor - net
