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

import calendar
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from peewee import JOIN, Case, fn

from store import ledger
from store.errors import ValidationError
from store.models import (
    Account,
    CollectionCase,
    Customer,
    Delivery,
    Dispute,
    DunningNotice,
    Invoice,
    JournalEntry,
    JournalLine,
    LedgerDay,
    OpenItem,
    Payment,
    ReceivableMove,
)
from store.money import check_currency, format_money, round_minor
from store.payments import METHODS
from store.settings import get_setting
from store.sql import DaysPast, bulk_rows, run_sql

ColumnKind = Literal["text", "money", "int", "date", "percent"]
ChartKind = Literal["bars", "spark"]
PeriodKind = Literal["month", "quarter"]
Row = tuple[Any, ...]


# ---------------------------------------------------------------- the record every report returns

@dataclass(frozen=True, slots=True)
class Column:
    key: str
    heading: str
    kind: ColumnKind = "text"


@dataclass(frozen=True, slots=True)
class Chart:
    kind: ChartKind
    labels: tuple[str, ...]
    values: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Report:
    name: str
    title: str
    period_label: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    totals: Row | None = None
    notes: tuple[str, ...] = ()
    chart: Chart | None = None
    currency: str | None = None  # of every money cell; None when a "currency" column gives it per row

    def column(self, key: str) -> int:
        """The position of a column by key (for renderers and tests)."""
        for i, col in enumerate(self.columns):
            if col.key == key:
                return i
        raise KeyError(key)


# ---------------------------------------------------------------- periods

_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})[-/ ]?q([1-4])$")
_QUARTER_FIRST = re.compile(r"^q([1-4])[-/ ]?(\d{4})$")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A calendar month or quarter: first and last day (inclusive)."""

    start: dt.date
    end: dt.date
    kind: PeriodKind

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise ValidationError("period", f"month {month} is not from 1 to 12")
        return cls(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]), "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValidationError("period", f"quarter {quarter} is not from 1 to 4")
        first = 3 * quarter - 2
        return cls(dt.date(year, first, 1), cls.month(year, first + 2).end, "quarter")

    @classmethod
    def containing(cls, day: dt.date, kind: PeriodKind = "month") -> Period:
        if kind == "quarter":
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        return cls.month(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Period:
        """'2026-11' (a month) or '2026-Q4' (a quarter; 'Q4 2026' and '2026q4' too)."""
        raw = (text or "").strip().lower()
        try:
            if m := _MONTH.match(raw):
                return cls.month(int(m.group(1)), int(m.group(2)))
            if m := _QUARTER.match(raw):
                return cls.quarter(int(m.group(1)), int(m.group(2)))
            if m := _QUARTER_FIRST.match(raw):
                return cls.quarter(int(m.group(2)), int(m.group(1)))
        except ValueError:
            pass
        raise ValidationError("period", f"'{(text or '').strip()}' is not a period; try 2026-11 or 2026-Q4")

    @property
    def code(self) -> str:
        """'2026-11' or '2026-Q4': what `parse` reads back."""
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def label(self) -> str:
        """'November 2026' or 'Q4 2026 (Oct-Dec)'."""
        if self.kind == "quarter":
            return (f"Q{(self.start.month - 1) // 3 + 1} {self.start.year} "
                    f"({calendar.month_abbr[self.start.month]}-{calendar.month_abbr[self.end.month]})")
        return f"{calendar.month_name[self.start.month]} {self.start.year}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Period:
        return Period.containing(self.start - dt.timedelta(days=1), self.kind)

    def next(self) -> Period:
        return Period.containing(self.end + dt.timedelta(days=1), self.kind)

    def months(self) -> tuple[Period, ...]:
        out = [Period.containing(self.start)]
        while out[-1].end < self.end:
            out.append(out[-1].next())
        return tuple(out)

    def __str__(self) -> str:
        return self.code


def month(year: int, month_: int) -> Period:
    return Period.month(year, month_)


def quarter(year: int, quarter_: int) -> Period:
    return Period.quarter(year, quarter_)


def parse_period(text: str) -> Period:
    return Period.parse(text)


When = Period | dt.date | None


# The day a report counts as today: the clock's, unless run_report is told the application's day
# (a screen opened on the 22nd, or a test's fixed day, must not see the 30th).
_TODAY: ContextVar[dt.date | None] = ContextVar("report_today", default=None)


def _today() -> dt.date:
    return _TODAY.get() or dt.date.today()


def as_of_date(when: When) -> dt.date:
    """The as-of date a report argument means: a date itself; a period's last day, or today while it runs."""
    if when is None:
        return _today()
    if isinstance(when, Period):
        return min(when.end, max(_today(), when.start))
    return when


def period_of(when: When) -> Period:
    """The period a report argument means: a period itself; the month of a date (today when None)."""
    if isinstance(when, Period):
        return when
    return Period.containing(when or _today())


def _currency(currency: str | None) -> str:
    return check_currency(currency or get_setting("base_currency") or "GBP")


def _i(value: Any) -> int:
    """An aggregate as int (PostgreSQL sums bigints as numeric)."""
    return int(value or 0)


def _money(minor: int, currency: str) -> str:
    return format_money(minor, currency)


# ---------------------------------------------------------------- journal totals (ledger_day)

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


def check_report_totals() -> list[str]:
    """ledger_day, receivable_move and aging_item against the rows they repeat; [] when they agree.

    One pass over the journal: for `billfold verify`, not for a report.
    """
    key = (JournalEntry.entry_date, JournalLine.account, JournalLine.currency, JournalEntry.kind)
    journal = {(str(d), a, c, k): (_i(dr), _i(cr), _i(n)) for d, a, c, k, dr, cr, n in
               JournalLine.select(*key, fn.SUM(JournalLine.debit_minor), fn.SUM(JournalLine.credit_minor),
                                  fn.COUNT(JournalLine.id))
               .join(JournalEntry, on=(JournalLine.entry == JournalEntry.id)).group_by(*key).tuples()}
    days = {(str(d), a, c, k): (_i(dr), _i(cr), _i(n)) for d, a, c, k, dr, cr, n in
            LedgerDay.select(LedgerDay.entry_date, LedgerDay.account, LedgerDay.currency, LedgerDay.kind,
                             LedgerDay.debit_minor, LedgerDay.credit_minor, LedgerDay.lines).tuples()}
    out = []
    for k in sorted(set(journal) | set(days)):
        if journal.get(k, (0, 0, 0)) != days.get(k, (0, 0, 0)):
            out.append(f"daily journal totals {k[0]} account {k[1]} {k[2]} {k[3]}: journal lines (debits, credits, "
                       f"lines) {journal.get(k, (0, 0, 0))}, daily totals {days.get(k, (0, 0, 0))}")
    doc_key = (JournalLine.document, JournalEntry.entry_date)
    lines = {(doc, str(d)): (_i(n), _i(k)) for doc, d, n, k in
             JournalLine.select(*doc_key, fn.SUM(JournalLine.debit_minor - JournalLine.credit_minor),
                                fn.COUNT(JournalLine.id))
             .join(JournalEntry, on=(JournalLine.entry == JournalEntry.id))
             .where((JournalLine.account == ledger.RECEIVABLES) & JournalLine.document.is_null(False))
             .group_by(*doc_key).tuples()}
    moves = {(doc, str(d)): (_i(n), _i(k)) for doc, d, n, k in
             ReceivableMove.select(ReceivableMove.document_id, ReceivableMove.entry_date,
                                   fn.SUM(ReceivableMove.amount_minor), fn.COUNT(ReceivableMove.id))
             .group_by(ReceivableMove.document_id, ReceivableMove.entry_date).tuples()}
    for k in sorted(set(lines) | set(moves)):
        if lines.get(k, (0, 0)) != moves.get(k, (0, 0)):
            out.append(f"receivable moves of document #{k[0]} on {k[1]}: journal (amount, lines) "
                       f"{lines.get(k, (0, 0))}, moves {moves.get(k, (0, 0))}")
    return out + _check_aging_items()


def _check_aging_items(limit: int = 20) -> list[str]:
    """aging_item against the rows it repeats (open_item, invoice and the last two receivable move days of
    each document with what was open before the last): a message per document that differs."""
    columns = "document_id, customer_id, currency, due_date, issue_date, kind, number, open_minor"
    repeated = (f"SELECT o.document_id, o.customer_id, o.currency, o.due_date, i.issue_date, i.kind, i.number, "
                f"o.open_minor FROM {OpenItem._meta.table_name} o JOIN {Invoice._meta.table_name} i "
                "ON i.id = o.document_id")
    kept = f"SELECT {columns} FROM {{aging}}"
    moved = ("SELECT document_id, MAX(entry_date), MAX(CASE WHEN entry_date < latest THEN entry_date END), "
             "CAST(SUM(CASE WHEN entry_date < latest THEN amount_minor ELSE 0 END) AS BIGINT) FROM "
             "(SELECT document_id, entry_date, amount_minor, MAX(entry_date) OVER (PARTITION BY document_id) "
             "AS latest FROM {move}) w GROUP BY document_id")
    moved_on = "SELECT document_id, moved_on, prior_on, prior_minor FROM {aging}"
    sql = " UNION ".join(f"SELECT document_id FROM ({a} EXCEPT {b}) x{n}" for n, (a, b) in enumerate(
        ((repeated, kept), (kept, repeated), (moved, moved_on), (moved_on, moved)))) + " ORDER BY 1"
    wrong = [doc for (doc,) in run_sql(sql, {})]
    out = [f"aging item of document #{doc} differs from its open item, invoice or receivable moves"
           for doc in wrong[:limit]]
    if len(wrong) > limit:
        out.append(f"... and {len(wrong) - limit} more aging items differ")
    return out


# ---------------------------------------------------------------- accounts receivable aging
#
# Aging reads many rows (at a million documents about half are open), so its statements are SQL
# text made from the table names, as store.lookup does, each shaped to read in the cheap order:
# aging_item (migration 0006: open_item with each document's number, kind and issue date, kept by
# triggers) holds every open document in its partial index aging_item_open in report order, so
# the open items of today are one index range per customer, read customer by customer in account
# order (CROSS JOIN fixes that order on SQLite), and come out in the report's order with no sort.
# Before today the same range gives each open document's amount at the day from its last two move
# days (migration 0008), and the documents settled since the day are merged in (see _aging_source
# and _documents_sql).

BUCKET_COLUMNS = (Column("current", "Current", "money"), Column("d1_30", "1-30", "money"),
                  Column("d31_60", "31-60", "money"), Column("d61_90", "61-90", "money"),
                  Column("over_90", "Over 90", "money"))

@dataclass(frozen=True, slots=True)
class _Aging:
    """Where an aging at `as_of` reads what was open."""

    as_of: dt.date
    from_open_items: bool  # today or later: the open items as they are now
    source: str

    def values(self, currency: str) -> dict[str, Any]:
        d30, d60, d90 = (self.as_of - dt.timedelta(days=n) for n in (30, 60, 90))
        return {"as_of": self.as_of.isoformat(), "d30": d30.isoformat(), "d60": d60.isoformat(),
                "d90": d90.isoformat(), "currency": currency}


def _aging_source(as_of: dt.date) -> _Aging:
    """Today or later: the open items (what is open now). Before today: rebuilt from the journal.

    At a past day each document's open amount is what its receivable moves (the journal lines on
    account 1100 with their entry dates) add up to by that day. Allocations, credits and
    write-offs count from the day they were made. aging_item keeps the last two move days of each
    document with what was open after each (migration 0008), so the moves themselves are read
    only for a document with more move days after `as_of`. Documents issued after `as_of` are
    left out. The total equals the control account at that day whenever the books balance.
    """
    if as_of >= _today():
        return _Aging(as_of, True, "the open items of today")
    return _Aging(as_of, False, f"the receivables journal (account {ledger.RECEIVABLES}) up to {as_of.isoformat()}")


def _bucket_sums_sql(amount: str, due: str) -> str:
    """Five sums of `amount` by days past due at :as_of (credit, a negative amount, counts as current),
    the total and the number of documents: columns b0..b4, total, docs."""
    owed = f"{amount} > 0 AND {due} < "
    conditions = (f"{amount} < 0 OR {due} >= :as_of", f"{owed}:as_of AND {due} >= :d30",
                  f"{owed}:d30 AND {due} >= :d60", f"{owed}:d60 AND {due} >= :d90", f"{owed}:d90")
    sums = [f"SUM(CASE WHEN {c} THEN {amount} ELSE 0 END) AS b{n}" for n, c in enumerate(conditions)]
    return ", ".join([*sums, f"SUM({amount}) AS total", "COUNT(*) AS docs"])


# Today's open items of :currency (a).
_OPEN_NOW = "a.open_minor <> 0 AND a.currency = :currency"
# A document's open amount at :as_of, before today (a: its aging item; see _aging_source). 0 for one
# settled by then or not yet posted; the caller leaves those out.
_OPEN_AT = ("CASE WHEN a.moved_on <= :as_of THEN a.open_minor WHEN a.prior_on <= :as_of THEN a.prior_minor "
            "WHEN a.prior_on IS NULL THEN 0 ELSE (SELECT CAST(COALESCE(SUM(m.amount_minor), 0) AS BIGINT) "
            "FROM {move} m WHERE m.document_id = a.document_id AND m.entry_date <= :as_of) END")
# Settled documents (a) of :currency issued by :as_of and moved after it: perhaps open then.
_SETTLED_SINCE = "a.open_minor = 0 AND a.moved_on > :as_of AND a.issue_date <= :as_of AND a.currency = :currency"


def _documents_sql(src: _Aging, *, names: bool = False) -> str:
    """Every document open at :as_of in report order: account, due date, number, kind, issue date, open
    amount (and the customer's name). Before today: also documents whose amount then was 0, to skip.

    Today's open items and, before today, those of them issued by :as_of come from aging_item_open
    in report order; before today the documents settled since :as_of (aging_item_closed) are sorted
    and merged in (SQLite merges a UNION ALL whose first part is in order already)."""
    columns = "c.account_no, a.due_date, a.number, a.kind, a.issue_date" + (", c.name" if names else "")
    if src.from_open_items:
        return (f"SELECT {columns}, a.open_minor FROM {{customer}} c {{cross}} {{aging}} a "
                f"ON a.customer_id = c.id AND {_OPEN_NOW} ORDER BY c.account_no, a.due_date, a.number")
    return (f"SELECT {columns}, {_OPEN_AT} FROM {{customer}} c {{cross}} {{aging}} a "
            f"ON a.customer_id = c.id AND {_OPEN_NOW} WHERE a.issue_date <= :as_of UNION ALL "
            f"SELECT {columns}, {_OPEN_AT} FROM {{aging}} a JOIN {{customer}} c ON c.id = a.customer_id "
            f"WHERE {_SETTLED_SINCE} ORDER BY 1, 2, 3")


def _aging_notes(as_of: dt.date, currency: str, total: int, documents: int, accounts: int, src: _Aging) -> list[str]:
    control = _ledger_balances(ledger.RECEIVABLES, through=None if src.from_open_items else as_of)
    unapplied = {c: -n for c, n in _ledger_balances(ledger.UNAPPLIED_CASH,
                                                    through=None if src.from_open_items else as_of).items()}
    when = "now" if src.from_open_items else f"at {as_of.isoformat()}"
    notes = [f"{documents} open documents on {accounts} accounts; open amounts from {src.source}.",
             "Credit notes not yet applied count as current; unapplied cash is not deducted "
             f"({_money(unapplied.get(currency, 0), currency)} on account {when}).",
             f"Receivables control account {ledger.RECEIVABLES} {when}: {_money(control.get(currency, 0), currency)}; "
             f"aging total {_money(total, currency)}; difference {_money(total - control.get(currency, 0), currency)} "
             "(must be zero)."]
    return notes + _other_currencies_note(control, currency, "Receivables are open")


def ar_aging(when: When = None, *, currency: str | None = None) -> Report:
    """Accounts receivable aging by customer: open amounts by days past due at the as-of date."""
    as_of, cur = as_of_date(when), _currency(currency)
    src = _aging_source(as_of)
    rows, documents = (_per_customer_now if src.from_open_items else _per_customer_at)(src, cur)
    totals = tuple(sum(r[i] for r in rows) for i in range(2, 8))
    return Report(
        "ar_aging", "Accounts receivable aging by customer", f"as of {as_of.isoformat()}",
        (Column("account", "Account"), Column("name", "Customer"), *BUCKET_COLUMNS, Column("total", "Total", "money")),
        tuple(rows), ("Total", "", *totals),
        tuple(_aging_notes(as_of, cur, totals[-1], documents, len(rows), src)),
        Chart("bars", tuple(c.heading for c in BUCKET_COLUMNS), totals[:5]), cur)


def _per_customer_now(src: _Aging, currency: str) -> tuple[list[Row], int]:
    """Rows (account, name, five buckets, total) of each customer with open items now, summed in SQL; and
    the number of documents."""
    sql = (f"SELECT c.account_no, c.name, s.b0, s.b1, s.b2, s.b3, s.b4, s.total, s.docs FROM "
           f"(SELECT a.customer_id AS cid, {_bucket_sums_sql('a.open_minor', 'a.due_date')} FROM {{aging}} a "
           f"WHERE {_OPEN_NOW} GROUP BY a.customer_id) s JOIN {{customer}} c ON c.id = s.cid ORDER BY c.account_no")
    rows, documents = [], 0
    for account_no, name, b0, b1, b2, b3, b4, total, count in run_sql(sql, src.values(currency)):
        rows.append((account_no, name, _i(b0), _i(b1), _i(b2), _i(b3), _i(b4), _i(total)))
        documents += _i(count)
    return rows, documents


def _per_customer_at(src: _Aging, currency: str) -> tuple[list[Row], int]:
    """The same rows at a past day, summed here from the documents as they come, account by account:
    a document's amount at the day is one CASE in SQL (_OPEN_AT), which a sum per bucket in SQL would
    work out seven times over."""
    days_of = DaysPast(src.as_of, _bucket_of)
    rows: list[Row] = []
    sums: list[int] = []
    documents, last, last_name = 0, None, ""
    for account_no, due, _number, _kind, _issued, name, amount in run_sql(_documents_sql(src, names=True),
                                                                          src.values(currency)):
        if not amount:
            continue
        if account_no != last:
            if last is not None:
                rows.append((last, last_name, *sums, sum(sums)))
            last, last_name, sums = account_no, name, [0] * 5
        sums[0 if amount < 0 else days_of[due][2]] += amount
        documents += 1
    if last is not None:
        rows.append((last, last_name, *sums, sum(sums)))
    return rows, documents


def _bucket_of(days: int) -> int:
    """Days past due -> bucket 0 (current) to 4 (over 90)."""
    return 0 if days <= 0 else min(4, (days - 1) // 30 + 1)


# Bucket index -> the five bucket cells with an amount in that one (a call is cheaper than filling a list).
_IN_BUCKET: tuple[Callable[[int], tuple[int | None, ...]], ...] = (
    lambda n: (n, None, None, None, None), lambda n: (None, n, None, None, None),
    lambda n: (None, None, n, None, None), lambda n: (None, None, None, n, None),
    lambda n: (None, None, None, None, n))


def ar_aging_detail(when: When = None, *, currency: str | None = None) -> Report:
    """Accounts receivable aging by document: each open document in its bucket."""
    as_of, cur = as_of_date(when), _currency(currency)
    src = _aging_source(as_of)
    days_of = DaysPast(as_of, _bucket_of)
    rows: list[Row] = []
    add = rows.append
    bucket_totals = [0] * 5
    accounts, last = 0, None
    with bulk_rows():
        for account_no, due, number, kind, issued, amount in run_sql(_documents_sql(src), src.values(cur)):
            if not amount:  # settled by then (before today)
                continue
            due_date, days, index = days_of[due]
            if amount < 0:
                index = 0
            bucket_totals[index] += amount
            if account_no != last:
                accounts, last = accounts + 1, account_no
            add((account_no, number, "credit" if kind == "credit_note" else "invoice", days_of[issued][0], due_date,
                 days, *_IN_BUCKET[index](amount)))
        rows_ = tuple(rows)
    total = sum(bucket_totals)
    return Report(
        "ar_aging_detail", "Accounts receivable aging by document", f"as of {as_of.isoformat()}",
        (Column("account", "Account"), Column("document", "Document"), Column("kind", "Kind"),
         Column("issued", "Issued", "date"), Column("due", "Due", "date"), Column("days", "Days", "int"),
         *BUCKET_COLUMNS),
        rows_, ("Total", "", "", None, None, None, *bucket_totals),
        tuple(_aging_notes(as_of, cur, total, len(rows_), accounts, src)),
        Chart("bars", tuple(c.heading for c in BUCKET_COLUMNS), tuple(bucket_totals)), cur)


# ---------------------------------------------------------------- billing and collections

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
    for p, f in zip(periods, per_period):
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


# ---------------------------------------------------------------- payments, credit, disputes, holds, dunning

def payments_received(when: When = None, *, currency: str | None = None) -> Report:
    """Payments received in a period, by day and method (unidentified and returned ones included)."""
    period, cur = period_of(when), _currency(currency)
    in_period = ((Payment.received_date >= period.start) & (Payment.received_date <= period.end)
                 & (Payment.currency == cur))
    query = (Payment.select(Payment.received_date, Payment.method, fn.SUM(Payment.amount_minor), fn.COUNT(Payment.id))
             .where(in_period).group_by(Payment.received_date, Payment.method).tuples())
    days: dict[dt.date, list[int]] = defaultdict(lambda: [0] * (len(METHODS) + 2))
    for day, method, amount, count in query:
        cells = days[day]
        cells[METHODS.index(method) if method in METHODS else METHODS.index("other")] += _i(amount)
        cells[-2] += _i(amount)
        cells[-1] += _i(count)
    rows = tuple((day, *cells) for day, cells in sorted(days.items()))
    totals = ("Total", *(sum(r[i] for r in rows) for i in range(1, len(METHODS) + 3)))
    returned, returned_n = (Payment.select(fn.SUM(Payment.amount_minor), fn.COUNT(Payment.id))
                            .where(in_period & (Payment.status == "returned")).tuples().get())
    unidentified, unidentified_n = (Payment.select(fn.SUM(Payment.unallocated_minor), fn.COUNT(Payment.id))
                                    .where(in_period & Payment.customer.is_null() & (Payment.status == "open")
                                           & (Payment.unallocated_minor > 0)).tuples().get())
    notes = [f"{totals[-1]} payments received, {_money(totals[-2], cur)} in all, by the day they were received."]
    if _i(returned_n):
        notes.append(f"Of these, {_i(returned_n)} ({_money(_i(returned), cur)}) were returned to their senders.")
    if _i(unidentified_n):
        notes.append(f"{_i(unidentified_n)} are still unidentified "
                     f"({_money(_i(unidentified), cur)} not on any account).")
    method_columns = tuple(Column(m, m.replace("_", " ").capitalize(), "money") for m in METHODS)
    return Report(
        "payments_received", "Payments received by day and method", period.label,
        (Column("date", "Date", "date"), *method_columns, Column("total", "Total", "money"),
         Column("count", "Payments", "int")),
        rows, totals, tuple(notes),
        Chart("bars", tuple(c.heading for c in method_columns), tuple(totals[1:len(METHODS) + 1])), cur)


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


def unapplied_credits(when: When = None, *, currency: str | None = None) -> Report:
    """Money held for customers: unallocated payments and unapplied credit notes, by account (as they are now)."""
    cur = _currency(currency)
    # The conditions match the partial indexes payment_queue and open_item_open.
    unallocated = (Payment.status == "open") & (Payment.unallocated_minor > 0) & (Payment.currency == cur)
    cash: dict[int | None, tuple[int, int, dt.date]] = {
        c: (_i(n), _i(k), oldest) for c, n, k, oldest in
        Payment.select(Payment.customer, fn.SUM(Payment.unallocated_minor), fn.COUNT(Payment.id),
                       fn.MIN(Payment.received_date)).where(unallocated).group_by(Payment.customer).tuples()}
    credit_notes = {c: -_i(n) for c, n in OpenItem.select(OpenItem.customer, fn.SUM(OpenItem.open_minor))
                    .where((OpenItem.open_minor != 0) & (OpenItem.open_minor < 0) & (OpenItem.currency == cur))
                    .group_by(OpenItem.customer).tuples()}
    ids = sorted((set(cash) - {None}) | set(credit_notes))
    owed: dict[int, int] = {}
    names: dict[int, tuple[str, str]] = {}
    for batch in _chunks(ids):
        owed.update((c, _i(n)) for c, n in OpenItem.select(OpenItem.customer, fn.SUM(OpenItem.open_minor))
                    .where((OpenItem.open_minor != 0) & (OpenItem.open_minor > 0) & OpenItem.customer.in_(batch))
                    .group_by(OpenItem.customer).tuples())
        names.update((i, (a, n)) for i, a, n in Customer.select(Customer.id, Customer.account_no, Customer.name)
                     .where(Customer.id.in_(batch)).tuples())
    rows = []
    for cid in sorted(ids, key=lambda c: names[c][0]):
        pay, _k, oldest = cash.get(cid, (0, 0, None))
        cn = credit_notes.get(cid, 0)
        rows.append((names[cid][0], names[cid][1], pay, cn, pay + cn, owed.get(cid, 0), oldest))
    if None in cash:
        n, k, oldest = cash[None]
        rows.append(("", f"Unidentified receipts ({k})", n, 0, n, 0, oldest))
    totals = ("Total", "", *(sum(r[i] for r in rows) for i in range(2, 6)), None)
    applicable = sum(min(r[4], r[5]) for r in rows)
    notes = [f"{len(ids)} accounts hold credit: unallocated payments {_money(totals[2], cur)}, unapplied credit "
             f"notes {_money(totals[3], cur)}.",
             f"Up to {_money(applicable, cur)} of it could settle invoices still open on the same accounts."]
    return Report(
        "unapplied_credits", "Unapplied cash and customer credits", _now_label(),
        (Column("account", "Account"), Column("name", "Customer"), Column("payments", "Unallocated", "money"),
         Column("credit_notes", "Credit notes", "money"), Column("credit", "Total credit", "money"),
         Column("owed", "Open invoices", "money"), Column("oldest", "Oldest payment", "date")),
        tuple(rows), totals, tuple(notes), None, cur)


def open_disputes(when: When = None, *, currency: str | None = None) -> Report:
    """Disputes not yet resolved, oldest first (as they are now)."""
    cur, today = _currency(currency), _today()
    query = (Dispute.select(Dispute.opened_at, Customer.account_no, Customer.name, Invoice.number,
                            Dispute.amount_minor, OpenItem.open_minor, Dispute.reason)
             .join(Invoice, on=(Dispute.invoice == Invoice.id)).join(Customer, on=(Invoice.customer == Customer.id))
             .join(OpenItem, JOIN.LEFT_OUTER, on=(OpenItem.document == Invoice.id))
             .where((Dispute.status == "open") & (Invoice.currency == cur))
             .order_by(Dispute.opened_at, Dispute.id).tuples())
    rows = tuple((opened.date(), account, name, number, _i(amount), _i(open_minor), (today - opened.date()).days,
                  reason)
                 for opened, account, name, number, amount, open_minor, reason in query)
    totals = ("Total", "", "", "", sum(r[4] for r in rows), sum(r[5] for r in rows), None, "")
    return Report(
        "open_disputes", "Open disputes", _now_label(),
        (Column("opened", "Opened", "date"), Column("account", "Account"), Column("name", "Customer"),
         Column("invoice", "Invoice"), Column("disputed", "Disputed", "money"), Column("open", "Open", "money"),
         Column("days", "Days open", "int"), Column("reason", "Reason")),
        rows, totals, (f"{len(rows)} open disputes on {len({r[1] for r in rows})} accounts; disputed invoices are "
                       "left out of the dunning run.",), None, cur)


def accounts_on_hold(when: When = None) -> Report:
    """Accounts on hold and in collections, with what they owe (as they are now)."""
    chased = Customer.status.in_(("on_hold", "in_collections"))
    ids = Customer.select(Customer.id).where(chased)
    open_docs = {c: _i(n) for c, n in OpenItem.select(OpenItem.customer, fn.SUM(OpenItem.open_minor))
                 .where((OpenItem.open_minor != 0) & OpenItem.customer.in_(ids)).group_by(OpenItem.customer).tuples()}
    cash = {c: _i(n) for c, n in Payment.select(Payment.customer, fn.SUM(Payment.unallocated_minor))
            .where((Payment.status == "open") & (Payment.unallocated_minor > 0) & Payment.customer.in_(ids))
            .group_by(Payment.customer).tuples()}
    cases = {c: (agency, opened.date()) for c, agency, opened in
             CollectionCase.select(CollectionCase.customer, CollectionCase.agency, CollectionCase.opened_at)
             .where((CollectionCase.status == "open") & CollectionCase.customer.in_(ids))
             .order_by(CollectionCase.opened_at).tuples()}
    rows = []
    for cid, account, name, status, reason, currency in (
            Customer.select(Customer.id, Customer.account_no, Customer.name, Customer.status, Customer.hold_reason,
                            Customer.currency).where(chased).order_by(Customer.status, Customer.account_no).tuples()):
        agency, since = cases.get(cid, ("", None))
        detail = f"agency {agency}" if status == "in_collections" and agency else reason
        rows.append((account, name, status.replace("_", " "), detail, since, open_docs.get(cid, 0) - cash.get(cid, 0),
                     currency))
    by_currency: dict[str, int] = defaultdict(int)
    for r in rows:
        by_currency[r[6]] += r[5]
    held = sum(1 for r in rows if r[2] == "on hold")
    notes = [f"{held} accounts on hold (no new invoices), {len(rows) - held} in collections (out of the dunning run).",
             "Owed is open documents less unallocated payments: "
             + (", ".join(_money(n, c) for c, n in sorted(by_currency.items())) or "nothing") + "."]
    return Report(
        "accounts_on_hold", "Accounts on hold and in collections", _now_label(),
        (Column("account", "Account"), Column("name", "Customer"), Column("status", "Status"),
         Column("reason", "Reason / agency"), Column("since", "In collections since", "date"),
         Column("owed", "Owed", "money"), Column("currency", "Currency")),
        tuple(rows), None, tuple(notes), None, None)


def dunning_log(when: When = None) -> Report:
    """Reminders recorded in a period: to whom, at which level, for how much, and whether they went out."""
    period = period_of(when)
    query = (DunningNotice.select(DunningNotice.notice_date, Customer.account_no, Customer.name, DunningNotice.level,
                                  DunningNotice.items, DunningNotice.total_minor, DunningNotice.currency,
                                  DunningNotice.channel, Delivery.status)
             .join(Customer, on=(DunningNotice.customer == Customer.id))
             .join(Delivery, JOIN.LEFT_OUTER, on=(DunningNotice.delivery == Delivery.id))
             .where((DunningNotice.notice_date >= period.start) & (DunningNotice.notice_date <= period.end))
             .order_by(DunningNotice.notice_date, DunningNotice.id).tuples())
    rows = tuple((day, account, name, level, len(items or []), _i(total), currency, channel, delivered or "not sent")
                 for day, account, name, level, items, total, currency, channel, delivered in query)
    levels: dict[int, int] = defaultdict(int)
    for r in rows:
        levels[r[3]] += 1
    counts = ", ".join(f"level {lv}: {n}" for lv, n in sorted(levels.items())) or "none"
    return Report(
        "dunning_log", "Dunning log", period.label,
        (Column("date", "Date", "date"), Column("account", "Account"), Column("name", "Customer"),
         Column("level", "Level", "int"), Column("items", "Items", "int"), Column("total", "Total", "money"),
         Column("currency", "Currency"), Column("channel", "Channel"), Column("delivery", "Delivery")),
        rows, None, (f"{len(rows)} reminders ({counts}).",), None, None)


# ---------------------------------------------------------------- balancing the books

def control_account(when: When = None) -> Report:
    """The journal's control accounts against the sub-ledgers they summarise, per currency (as they are now)."""
    receivables = _ledger_balances(ledger.RECEIVABLES)
    unapplied = {c: -n for c, n in _ledger_balances(ledger.UNAPPLIED_CASH).items()}
    unidentified = {c: -n for c, n in _ledger_balances(ledger.UNIDENTIFIED).items()}
    positive = {c: _i(n) for c, n in OpenItem.select(OpenItem.currency, fn.SUM(OpenItem.open_minor))
                .where(OpenItem.open_minor > 0).group_by(OpenItem.currency).tuples()}
    negative = {c: _i(n) for c, n in OpenItem.select(OpenItem.currency, fn.SUM(OpenItem.open_minor))
                .where((OpenItem.open_minor != 0) & (OpenItem.open_minor < 0)).group_by(OpenItem.currency).tuples()}
    cash: dict[str, int] = defaultdict(int)
    loose: dict[str, int] = defaultdict(int)
    for c, customer_id, n in (Payment.select(Payment.currency, Payment.customer, fn.SUM(Payment.unallocated_minor))
                              .where((Payment.status == "open") & (Payment.unallocated_minor > 0))
                              .group_by(Payment.currency, Payment.customer).tuples()):
        (loose if customer_id is None else cash)[c] += _i(n)
    sides = {c: (_i(d), _i(cr)) for c, d, cr in LedgerDay.select(LedgerDay.currency, fn.SUM(LedgerDay.debit_minor),
                                                                fn.SUM(LedgerDay.credit_minor))
             .group_by(LedgerDay.currency).tuples()}
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


# ---------------------------------------------------------------- the registry

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


def run_report(name: str, when: When = None, today: dt.date | None = None, **options: Any) -> Report:
    """A report by name (unknown names are refused with the list of known ones), `today` being the day
    that a period still running is read up to (default: the clock's)."""
    function = REPORTS.get(name)
    if function is None:
        raise ValidationError("report", f"'{name}' is not a report; choose one of {', '.join(REPORTS)}")
    token = _TODAY.set(today)
    try:
        return function(when, **options)
    finally:
        _TODAY.reset(token)


def report_names() -> Iterable[str]:
    return tuple(REPORTS)
