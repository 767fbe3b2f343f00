"""Trial balance."""
from __future__ import annotations

from peewee import JOIN, Case, fn

from store.models import Account, LedgerDay
from store.reports.common import _currency, _i, _money
from store.reports.periods import When, period_of
from store.reports.record import Column, Report


def trial_balance(when: When = None, *, currency: str | None = None) -> Report:
    """Per account: opening balance, debits, credits and closing balance for the period (debit minus credit)."""
    period, cur = period_of(when), _currency(currency)
    before = LedgerDay.entry_date < period.start
    movement = LedgerDay.entry_date >= period.start
    query = (LedgerDay.select(LedgerDay.account, Account.name,
                              fn.SUM(Case(None, ((before, LedgerDay.debit_minor - LedgerDay.credit_minor),), 0)),
                              fn.SUM(Case(None, ((movement, LedgerDay.debit_minor),), 0)),
                              fn.SUM(Case(None, ((movement, LedgerDay.credit_minor),), 0)))
             .join(Account, JOIN.LEFT_OUTER, on=(LedgerDay.account == Account.code))
             .where((LedgerDay.currency == cur) & (LedgerDay.entry_date <= period.end))
             .group_by(LedgerDay.account, Account.name).order_by(LedgerDay.account).tuples())
    rows = []
    for account, name, opening, debits, credits in query:
        opening, debits, credits = _i(opening), _i(debits), _i(credits)
        if opening or debits or credits:
            rows.append((account, name or "", opening, debits, credits, opening + debits - credits))
    totals = ("Total", "", *(sum(r[i] for r in rows) for i in range(2, 6)))
    notes = [
        "Balances are debits less credits: a credit balance (liabilities, income) shows negative.",
        f"Debits {_money(totals[3], cur)} against credits {_money(totals[4], cur)} in the period: difference "
        f"{_money(totals[3] - totals[4], cur)} (must be zero).",
        f"Opening balances sum to {_money(totals[2], cur)} and closing balances to {_money(totals[5], cur)} "
        "(each must be zero).",
    ]
    all_currencies = {c for (c,) in LedgerDay.select(LedgerDay.currency).where(LedgerDay.entry_date <= period.end)
                      .distinct().tuples()}
    others = sorted(all_currencies - {cur})
    if others:
        notes.append(f"The journal has entries in {', '.join(others)} too: each currency balances on its own; "
                     "run this report for each.")
    return Report(
        "trial_balance", "Trial balance", period.label,
        (Column("account", "Account"), Column("name", "Name"), Column("opening", "Opening", "money"),
         Column("debits", "Debits", "money"), Column("credits", "Credits", "money"),
         Column("closing", "Closing", "money")),
        tuple(rows), totals, tuple(notes), None, cur)
