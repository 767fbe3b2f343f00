"""The item catalogue and tax codes: what invoice lines are keyed from."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from store.audit import record_event
from store.errors import ValidationError
from store.models import Item, TaxCode
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


def _item_row(item: Item) -> ItemRow:
    return ItemRow(item.code, item.description, item.unit_price_minor, item.currency, item.tax_code_id, item.active)


def list_items(code_prefix: str = "", exact: bool = False, include_inactive: bool = False) -> list[ItemRow]:
    query = Item.select().order_by(Item.code)
    if code_prefix:
        code = code_prefix.strip().upper()
        query = query.where(Item.code == code) if exact else query.where(Item.code.startswith(code))
    if not include_inactive and not exact:
        query = query.where(Item.active == True)  # noqa: E712 - peewee expression
    return [_item_row(i) for i in query]


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
