"""Balance the books: control accounts against their sub-ledgers."""
from __future__ import annotations

from collections import defaultdict

from peewee import fn

from store import ledger
from store.kinds import PaymentStatus
from store.models import LedgerDay, OpenItem, Payment
from store.reports.common import _currency, _i, _ledger_balances, _money, _now_label
from store.reports.periods import When
from store.reports.record import Column, Report


def control_account(when: When = None) -> Report:
    """The journal's control accounts against the sub-ledgers they summarise, per currency (as they are now)."""
    receivables = _ledger_balances(ledger.RECEIVABLES)
    unapplied = {c: -n for c, n in _ledger_balances(ledger.UNAPPLIED_CASH).items()}
    unidentified = {c: -n for c, n in _ledger_balances(ledger.UNIDENTIFIED).items()}
    positive = {c: _i(n) for c, n in OpenItem.select(OpenItem.currency, fn.SUM(OpenItem.open_minor))
                .where(OpenItem.open_minor > 0).group_by(OpenItem.currency).tuples().iterator()}
    negative = {c: _i(n) for c, n in OpenItem.select(OpenItem.currency, fn.SUM(OpenItem.open_minor))
                .where(OpenItem.open_minor < 0)  # migration 0016's index holds exactly these
                .group_by(OpenItem.currency).tuples().iterator()}
    cash: dict[str, int] = defaultdict(int)
    loose: dict[str, int] = defaultdict(int)
    for c, customer_id, n in (Payment.select(Payment.currency, Payment.customer, fn.SUM(Payment.unallocated_minor))
                              .where((Payment.status == PaymentStatus.OPEN) & (Payment.unallocated_minor > 0))
                              .group_by(Payment.currency, Payment.customer).tuples().iterator()):
        (loose if customer_id is None else cash)[c] += _i(n)
    sides = {c: (_i(d), _i(cr)) for c, d, cr in LedgerDay.select(LedgerDay.currency, fn.SUM(LedgerDay.debit_minor),
                                                                fn.SUM(LedgerDay.credit_minor))
             .group_by(LedgerDay.currency).tuples().iterator()}
    checks = [
        ("Receivables: account 1100 vs open documents", receivables,
         {c: positive.get(c, 0) + negative.get(c, 0) for c in set(positive) | set(negative)}),
        ("Customer credit: account 2100 vs unallocated payments", unapplied, cash),
        ("Unidentified receipts: account 2150 vs unidentified payments", unidentified, loose),
        ("Journal: debits vs credits", {c: d for c, (d, _cr) in sides.items()},
         {c: cr for c, (_d, cr) in sides.items()}),
    ]
    currencies = sorted(set(sides) | set(positive) | set(negative) | set(cash) | set(loose) | {_currency(None)})
    rows, notes, wrong = [], [], 0
    for label, journal, ledger_side in checks:
        for c in currencies:
            a, b = journal.get(c, 0), ledger_side.get(c, 0)
            rows.append((label, c, a, b, a - b))
            wrong += a != b
            notes.append(f"{label} in {c}: {_money(a, c)} against {_money(b, c)}, difference "
                         f"{_money(a - b, c)} (must be zero){'' if a == b else ' -- WRONG'}.")
    notes.append("The books balance: every difference is zero." if not wrong else
                 f"{wrong} differences are not zero: the books do not balance; run `billfold verify` to find where.")
    notes.append("Journal figures are the daily journal totals, kept with every journal line; `billfold verify` "
                 "checks them against the journal lines themselves.")
    return Report(
        "control_account", "Balance the books: control accounts", _now_label(),
        (Column("check", "Check"), Column("currency", "Currency"), Column("journal", "Journal", "money"),
         Column("ledger", "Sub-ledger", "money"), Column("difference", "Difference", "money")),
        tuple(rows), None, tuple(notes), None, None)
