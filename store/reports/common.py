"""Small helpers every report shares: its currency, sums as int, money text, journal balances."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from peewee import fn

from store.models import LedgerDay
from store.money import check_currency, format_money
from store.reports.periods import _today
from store.settings import get_setting


def _currency(currency: str | None) -> str:
    return check_currency(currency or get_setting("base_currency") or "GBP")


def _i(value: Any) -> int:
    """An aggregate as int (PostgreSQL sums bigints as numeric)."""
    return int(value or 0)


def _money(minor: int, currency: str) -> str:
    return format_money(minor, currency)



def _ledger_balances(account: str, *, through: dt.date | None = None,
                     currency: str | None = None) -> dict[str, int]:
    """Debit-minus-credit of an account per currency, over entries dated up to `through` (all when None)."""
    where = LedgerDay.account == account
    if through is not None:
        where &= LedgerDay.entry_date <= through
    if currency is not None:
        where &= LedgerDay.currency == currency
    query = (LedgerDay.select(LedgerDay.currency, fn.SUM(LedgerDay.debit_minor - LedgerDay.credit_minor))
             .where(where).group_by(LedgerDay.currency).tuples())
    return {cur: _i(n) for cur, n in query}


def _other_currencies_note(balances: dict[str, int], currency: str, what: str) -> list[str]:
    others = sorted(c for c, n in balances.items() if n and c != currency)
    if not others:
        return []
    amounts = ", ".join(_money(balances[c], c) for c in others)
    return [f"{what} in other currencies too ({amounts}): run this report for each of {', '.join(others)}."]


def _now_label() -> str:
    return f"as at {_today().isoformat()} (the books as they are now)"


def _chunks(ids: Iterable[int], size: int = 5000) -> Iterable[list[int]]:
    batch: list[int] = []
    for i in ids:
        batch.append(i)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
