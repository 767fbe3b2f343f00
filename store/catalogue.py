"""The item catalogue and tax codes: what invoice lines are keyed from.

An item has its own price in its own currency (Item.unit_price_minor, Item.currency: the books' home
currency in a single-currency catalogue) and may have a price in any other currency (ItemPrice). A line
in a currency the item has no price in is refused, naming the item and the currency.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from store.audit import record_event
from store.errors import ValidationError
from store.models import Item, ItemPrice, TaxCode
from store.money import check_currency
from store.permissions import Action
from store.service import transaction
from store.session import require


@dataclass(frozen=True, slots=True)
class ItemRow:
    code: str
    description: str
    unit_price_minor: int
    currency: str
    tax_code: str
    active: bool
    prices: tuple[tuple[str, int], ...] = ()  # (currency, unit price) in currencies other than its own

    def price_in(self, currency: str) -> int | None:
        """The item's unit price in `currency`, or None when it has none there."""
        if currency == self.currency:
            return self.unit_price_minor
        return dict(self.prices).get(currency)


def price_for(item: ItemRow, currency: str, field: str = "unit_price") -> int:
    """The catalogue's price of `item` in `currency`; refused (naming both) when it has none."""
    price = item.price_in(currency)
    if price is None:
        raise ValidationError(field, f"item {item.code} has no price in {currency}; type a price or add a "
                                     f"{currency} price to the catalogue")
    return price


@dataclass(frozen=True, slots=True)
class TaxCodeRow:
    code: str
    name: str
    rate: Decimal
    active: bool


def _check_code(code: str, field: str) -> str:
    code = code.strip().upper()
    if not code or len(code) > 20 or not all(ch.isalnum() or ch in "-_." for ch in code):
        raise ValidationError(field, "is 1 to 20 letters, digits, '-', '_' or '.'")
    return code


def save_item(code: str, description: str, unit_price_minor: int, currency: str, tax_code: str,
              active: bool = True) -> ItemRow:
    """Create an item, or change it (lines already keyed keep what they were keyed with)."""
    code = _check_code(code, "code")
    if not description.strip():
        raise ValidationError("description", "is required")
    if unit_price_minor < 0:
        raise ValidationError("unit_price", "cannot be negative")
    currency = check_currency(currency)
    if TaxCode.get_or_none(TaxCode.code == tax_code.strip().upper()) is None:
        raise ValidationError("tax_code", f"'{tax_code}' is not a tax code")
    values = {"description": description.strip(), "unit_price_minor": unit_price_minor, "currency": currency,
              "tax_code": tax_code.strip().upper(), "active": active}
    with transaction():
        require(Action.CATALOGUE)
        before = Item.get_or_none(Item.code == code)
        if before is None:
            Item.create(code=code, **values)
        else:
            Item.update(**values).where(Item.id == before.id).execute()
        record_event("item.save", "item", code,
                     before=None if before is None else _item_values(before), after=values)
    return list_items(code_prefix=code, exact=True)[0]


def _item_values(item: Item) -> dict[str, object]:
    return {"description": item.description, "unit_price_minor": item.unit_price_minor, "currency": item.currency,
            "tax_code": item.tax_code_id, "active": item.active}


def _item_row(item: Item, prices: tuple[tuple[str, int], ...]) -> ItemRow:
    return ItemRow(item.code, item.description, item.unit_price_minor, item.currency, item.tax_code_id, item.active,
                   prices)


def list_items(code_prefix: str = "", exact: bool = False, include_inactive: bool = False) -> list[ItemRow]:
    query = Item.select().order_by(Item.code)
    if code_prefix:
        code = code_prefix.strip().upper()
        query = query.where(Item.code == code) if exact else query.where(Item.code.startswith(code))
    if not include_inactive and not exact:
        query = query.where(Item.active == True)  # noqa: E712 - peewee expression
    items = list(query)
    prices: dict[int, list[tuple[str, int]]] = {}
    for price in (ItemPrice.select().where(ItemPrice.item.in_([i.id for i in items])).order_by(ItemPrice.currency)
                  if items else []):
        prices.setdefault(price.item_id, []).append((price.currency, price.unit_price_minor))
    return [_item_row(i, tuple(prices.get(i.id, ()))) for i in items]


def save_item_price(code: str, currency: str, unit_price_minor: int) -> ItemRow:
    """Set an item's price in a currency: its own price when it is the item's currency, else an ItemPrice."""
    code = _check_code(code, "code")
    currency = check_currency(currency)
    if unit_price_minor < 0:
        raise ValidationError("price", "cannot be negative")
    with transaction():
        require(Action.CATALOGUE)
        item = Item.get_or_none(Item.code == code)
        if item is None:
            raise ValidationError("code", f"'{code}' is not in the catalogue")
        if currency == item.currency:
            before: int | None = item.unit_price_minor
            Item.update(unit_price_minor=unit_price_minor).where(Item.id == item.id).execute()
        else:
            row = ItemPrice.get_or_none((ItemPrice.item == item.id) & (ItemPrice.currency == currency))
            before = None if row is None else row.unit_price_minor
            if row is None:
                ItemPrice.create(item=item.id, currency=currency, unit_price_minor=unit_price_minor)
            else:
                ItemPrice.update(unit_price_minor=unit_price_minor).where(ItemPrice.id == row.id).execute()
        record_event("item.price", "item", code, before={"currency": currency, "unit_price_minor": before},
                     after={"currency": currency, "unit_price_minor": unit_price_minor})
    return list_items(code_prefix=code, exact=True)[0]


def save_tax_code(code: str, name: str, rate: Decimal, active: bool = True) -> TaxCodeRow:
    """Create a tax code or change its name/rate; lines keep the rate they were keyed at."""
    code = _check_code(code, "code")
    if not name.strip():
        raise ValidationError("name", "is required")
    if not Decimal(0) <= rate <= Decimal(100):
        raise ValidationError("rate", "is a percentage from 0 to 100")
    with transaction():
        require(Action.CATALOGUE)
        before = TaxCode.get_or_none(TaxCode.code == code)
        values = {"name": name.strip(), "rate": rate, "active": active}
        if before is None:
            TaxCode.create(code=code, **values)
        else:
            TaxCode.update(**values).where(TaxCode.code == code).execute()
        record_event("tax_code.save", "tax_code", code,
                     before=None if before is None else {"name": before.name, "rate": before.rate,
                                                         "active": before.active}, after=values)
    return TaxCodeRow(code, name.strip(), rate, active)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Active items and tax codes, loaded once so an entry screen can check a line without a query."""

    items: dict[str, ItemRow]
    tax_rates: dict[str, Decimal]

    def codes_starting(self, typed: str) -> list[str]:
        """Item codes a typed code can mean: itself if it is one, else every code it begins."""
        code = typed.strip().upper()
        if code in self.items:
            return [code]
        return sorted(c for c in self.items if c.startswith(code)) if code else []


def load_catalogue() -> Catalogue:
    return Catalogue({i.code: i for i in list_items()}, {t.code: t.rate for t in list_tax_codes()})


def list_tax_codes(include_inactive: bool = False) -> list[TaxCodeRow]:
    query = TaxCode.select().order_by(TaxCode.code)
    if not include_inactive:
        query = query.where(TaxCode.active == True)  # noqa: E712
    return [TaxCodeRow(t.code, t.name, t.rate, t.active) for t in query]
