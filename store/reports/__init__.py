"""Reports: month-end and quarter-end figures as one generic record any renderer can show.

Every report is a function of a `Period` (month or quarter) or an as-of date and returns a
`Report`: named columns of a known kind, rows of plain values, an optional totals row, notes in
plain sentences and an optional chart. Renderers (text, CSV, PDF) and the preview screen need to
know nothing else. Cell values by column kind:

    text     str                    money    int minor units (the report's currency, or the row's
    int      int                             "currency" column when the report has none)
    date     datetime.date          percent  Decimal percentage (Decimal("12.5") is 12.5 %)

Any cell may be None (shown blank), in rows and in the totals row (a column that does not add
up, such as a balance at a date, has no total). `REPORTS` maps a report's name to its function;
each takes a Period, a date or None (this month / today) and keyword options (`currency`, ...).
`REPORT_TAKES` says what the argument means: "period" reports take the month of a date;
"as_of" reports take a period's last day (today while it runs); "now" reports show the books
as they are and only label the argument. Reports of money in one currency take `currency=`
(default: the base currency setting) and name the other currencies in their notes.

Figures are aggregated in SQL, not by looping over documents in Python, with one measured
exception: aging by customer at a past day (see `_per_customer_at`). Journal balances at a
date come from `ledger_day` (the journal summed per day, account, currency and entry kind), and
aging at a past date from `receivable_move` (each receivable journal line of a document with its
entry date); database triggers keep both with every journal line (migration 0005). Aging reads
what is open from `aging_item` (each posted document's open amount with its number, kind and
dates and its last two move days, indexed in report order), kept by triggers on open_item and
receivable_move (migrations 0006 to 0008).
`check_report_totals` compares all three with the rows they repeat.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any, Literal

from store.audit_trail import chain_head
from store.errors import ValidationError
from store.reports.accounts_on_hold import accounts_on_hold
from store.reports.ar_aging import ar_aging
from store.reports.ar_aging_detail import ar_aging_detail
from store.reports.billing_collections import billing_and_collections
from store.reports.checks import check_report_totals
from store.reports.control_account import control_account
from store.reports.dunning_log import dunning_log
from store.reports.open_disputes import open_disputes
from store.reports.payments_received import payments_received
from store.reports.periods import Period, When, as_of_date, month, parse_period, period_of, quarter
from store.reports.record import Chart, ChartKind, Column, ColumnKind, PeriodKind, Report, Row
from store.reports.trial_balance import trial_balance
from store.reports.unapplied_credits import unapplied_credits

__all__ = [
    "CURRENCY_REPORTS",
    "REPORTS",
    "REPORT_TAKES",
    "Chart",
    "ChartKind",
    "Column",
    "ColumnKind",
    "Period",
    "PeriodKind",
    "Report",
    "ReportFunction",
    "Row",
    "When",
    "accounts_on_hold",
    "ar_aging",
    "ar_aging_detail",
    "as_of_date",
    "billing_and_collections",
    "check_report_totals",
    "control_account",
    "dunning_log",
    "month",
    "open_disputes",
    "parse_period",
    "payments_received",
    "period_of",
    "quarter",
    "report_names",
    "run_report",
    "trial_balance",
    "unapplied_credits",
]

ReportFunction = Callable[..., Report]

REPORTS: dict[str, ReportFunction] = {
    "ar_aging": ar_aging,
    "ar_aging_detail": ar_aging_detail,
    "billing_collections": billing_and_collections,
    "payments_received": payments_received,
    "unapplied_credits": unapplied_credits,
    "open_disputes": open_disputes,
    "accounts_on_hold": accounts_on_hold,
    "dunning_log": dunning_log,
    "control_account": control_account,
    "trial_balance": trial_balance,
}

# What each report's argument means: "period" (a month or quarter) or "as_of" (a day; a period's last day).
REPORT_TAKES: dict[str, Literal["period", "as_of", "now"]] = {
    "ar_aging": "as_of", "ar_aging_detail": "as_of", "billing_collections": "period", "payments_received": "period",
    "unapplied_credits": "now", "open_disputes": "now", "accounts_on_hold": "now", "dunning_log": "period",
    "control_account": "now", "trial_balance": "period",
}

# Reports whose money is in one currency take `currency=` (default: the base currency setting).
CURRENCY_REPORTS = frozenset({"ar_aging", "ar_aging_detail", "billing_collections", "payments_received",
                              "unapplied_credits", "open_disputes", "trial_balance"})


def run_report(name: str, when: When = None, **options: Any) -> Report:
    """A report by name (unknown names are refused with the list of known ones); a period still running
    is read up to store.clock's today."""
    function = REPORTS.get(name)
    if function is None:
        raise ValidationError("report", f"'{name}' is not a report; choose one of {', '.join(REPORTS)}")
    report = function(when, **options)
    return with_chain_head(report) if name in MONTHLY else report


# The month-end reports carry the audit chain's head, so that it leaves the building on paper
# and `billfold verify --anchor HASH` can later prove the trail still passes through it.
MONTHLY = frozenset({"billing_collections", "trial_balance"})


def with_chain_head(report: Report) -> Report:
    head = chain_head()
    note = (f"Audit chain head when printed: {head.hash} ({head.count} events); "
            "check later with: billfold verify --anchor HASH")
    return dataclasses.replace(report, notes=(*report.notes, note))


def report_names() -> Iterable[str]:
    return tuple(REPORTS)
