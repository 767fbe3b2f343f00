"""Billing and collections: invoiced, credited, collected, DSO per period."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from peewee import fn

from store import ledger
from store.errors import ValidationError
from store.models import LedgerDay
from store.money import round_minor
from store.reports.common import _currency, _i, _ledger_balances, _money, _other_currencies_note
from store.reports.periods import When, period_of
from store.reports.record import Chart, Column, Report

# figure -> (account, entry kind, side): each figure is one side of one account for one kind of entry.
_FIGURES = {
    "invoiced": (ledger.RECEIVABLES, "invoice", "debit"),
    "credited": (ledger.RECEIVABLES, "credit_note", "credit"),
    "voided": (ledger.RECEIVABLES, "void", "credit"),
    "collected": (ledger.BANK, "payment", "debit"),
    "refunded": (ledger.BANK, "refund", "credit"),
    "written_off": (ledger.BAD_DEBTS, "write_off", "debit"),
    "returned": (ledger.BANK, "payment_return", "credit"),
}


def _daily_figures(start: dt.date, end: dt.date, currency: str) -> list[tuple[dt.date, dict[str, int]]]:
    """Per day with activity: each figure of _FIGURES and the net change of receivables."""
    accounts = {a for a, _k, _s in _FIGURES.values()}
    query = (LedgerDay.select(LedgerDay.entry_date, LedgerDay.account, LedgerDay.kind,
                              fn.SUM(LedgerDay.debit_minor), fn.SUM(LedgerDay.credit_minor))
             .where((LedgerDay.entry_date >= start) & (LedgerDay.entry_date <= end) & (LedgerDay.currency == currency)
                    & LedgerDay.account.in_(sorted(accounts)))
             .group_by(LedgerDay.entry_date, LedgerDay.account, LedgerDay.kind).tuples())
    days: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, account, kind, debit, credit in query:
        figures = days[day]
        for name, (f_account, f_kind, side) in _FIGURES.items():
            if account == f_account and kind == f_kind:
                figures[name] += _i(debit if side == "debit" else credit)
        if account == ledger.RECEIVABLES:
            figures["net_change"] += _i(debit) - _i(credit)
    return sorted(days.items())


def billing_and_collections(when: When = None, *, currency: str | None = None, periods_before: int = 3) -> Report:
    """Invoiced, credited, collected, refunded, written off, receivables and DSO: a period and those before it."""
    if not 0 <= periods_before <= 24:
        raise ValidationError("periods_before", "is from 0 to 24")
    period, cur = period_of(when), _currency(currency)
    periods = [period]
    for _ in range(periods_before):
        periods.insert(0, periods[0].previous())
    opening = _ledger_balances(ledger.RECEIVABLES, through=periods[0].start - dt.timedelta(days=1), currency=cur)
    daily = _daily_figures(periods[0].start, periods[-1].end, cur)
    names = ("invoiced", "credited", "voided", "collected", "refunded", "written_off", "net_change", "returned")
    per_period = [dict.fromkeys(names, 0) for _ in periods]
    months = [m for p in periods for m in p.months()]
    collected_by_month = [0] * len(months)
    for day, figures in daily:
        i = next(n for n, p in enumerate(periods) if p.contains(day))
        for name, value in figures.items():
            per_period[i][name] += value
        collected_by_month[next(n for n, m in enumerate(months) if m.contains(day))] += figures.get("collected", 0)
    rows = []
    receivables = opening.get(cur, 0)
    for p, f in zip(periods, per_period, strict=True):
        receivables += f["net_change"]
        dso = round_minor(Decimal(receivables * p.days) / f["invoiced"]) if f["invoiced"] else None
        rows.append((p.code, f["invoiced"], f["credited"], f["voided"], f["collected"], f["refunded"],
                     f["written_off"], f["net_change"], receivables, dso))
    totals = ("Total", *(sum(r[i] for r in rows) for i in range(1, 8)), None, None)
    notes = [
        "Invoiced, credited and voided are the receivables (account 1100) of invoices, credit notes and voids "
        "posted in the period, tax included; collected is payments received (applied or not); refunded is money "
        "paid back; written off is bad debts; net change is the movement of account 1100 in the period.",
        "Receivables are account 1100 at the end of each period; days sales outstanding = receivables at the "
        "end / invoiced in the period x days in the period (blank when nothing was invoiced).",
        "Each figure is dated by its journal entry: allocations, credits, write-offs and refunds count on the "
        "day they were made.",
    ]
    returned = sum(f["returned"] for f in per_period)
    if returned:
        notes.append(f"Payments returned to their senders in these periods: {_money(returned, cur)} "
                     "(not deducted from collected).")
    notes += _other_currencies_note(_ledger_balances(ledger.RECEIVABLES, through=periods[-1].end), cur,
                                    "Receivables are open")
    label = period.label if not periods_before else f"{period.label}, with the {periods_before} before it"
    return Report(
        "billing_collections", "Billing and collections", label,
        (Column("period", "Period"), Column("invoiced", "Invoiced", "money"), Column("credited", "Credited", "money"),
         Column("voided", "Voided", "money"), Column("collected", "Collected", "money"),
         Column("refunded", "Refunded", "money"), Column("written_off", "Written off", "money"),
         Column("net_change", "Net change AR", "money"), Column("receivables", "AR at end", "money"),
         Column("dso", "DSO days", "int")),
        tuple(rows), totals, tuple(notes), Chart("spark", tuple(m.code for m in months), tuple(collected_by_month)),
        cur)
