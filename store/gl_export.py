"""The accountant's ledger: a month's journal handed over in the company's package format, each handover recorded.

An export carries journal entries, each in one currency (an entry that moved two currencies is two
transactions, each balanced). Every entry-and-currency that leaves is written down with the export
(`gl_export_entry`, unique per format), so a second export of the same month in the same format
carries only what was posted or voided into the month since (a difference), refuses when there is
nothing new, and writes the whole month again only when asked (`again`). The file is written by a
callable the caller passes (exports/gl_formats.py) while the month is read in a read view (no write
lock: other operators post on meanwhile); a short transaction then records it, refusing if another
export of the month and format was recorded meanwhile, so two people exporting at once cannot both
take the same entries, and an export is recorded only once its file is written.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from peewee import JOIN, IntegrityError, fn

from store.audit import record_event
from store.bulk import bulk_rows
from store.errors import Conflict, ValidationError
from store.gl_mapping import MappingRow, mapped_targets
from store.models import (
    Customer,
    GlExport,
    GlExportEntry,
    Invoice,
    JournalEntry,
    JournalLine,
    Payment,
    database_proxy,
)
from store.money import check_currency
from store.permissions import Action
from store.reports.periods import Period
from store.reports.trial_balance import trial_balance
from store.service import read_view, transaction
from store.session import require
from store.settings import get_setting
from store.sql import as_date

FORMATS = ("beancount", "quickbooks-iif", "xero-csv", "csv")
# Basic QuickBooks IIF and Xero manual journals have no currency per line: one currency a file.
ONE_CURRENCY = frozenset({"quickbooks-iif", "xero-csv"})


@dataclass(frozen=True, slots=True)
class GlLine:
    account: str
    debit_minor: int
    credit_minor: int
    customer: str  # the customer's name where the line is on one, else ""


@dataclass(frozen=True, slots=True)
class GlEntry:
    """One journal entry in one currency: a balanced transaction of the export."""

    entry_id: int
    entry_date: dt.date
    kind: str
    description: str
    currency: str
    lines: tuple[GlLine, ...]


@dataclass(frozen=True, slots=True)
class GlExportRecord:
    id: int
    period: str
    format: str
    currency: str | None
    kind: str
    exported_by: str
    exported_at: dt.datetime
    entry_count: int
    line_count: int
    first_entry: int | None
    last_entry: int | None
    sha256: str
    file_name: str

    def describe(self) -> str:
        what = f"{self.entry_count:,} entr{'y' if self.entry_count == 1 else 'ies'}"
        if self.first_entry is not None:
            what += f", #{self.first_entry}-#{self.last_entry}"
        return (f"export {self.id} ({self.kind}) by {self.exported_by} at {self.exported_at:%Y-%m-%d %H:%M} UTC, "
                f"{what}")


@dataclass(frozen=True)
class GlBatch:
    """What one export writes: the entries, the mapping of every account they use, and the context."""

    period: Period
    format: str
    currency: str | None
    kind: str  # full, difference, again
    entries: tuple[GlEntry, ...]
    accounts: dict[str, MappingRow]
    previous: tuple[GlExportRecord, ...]
    base_currency: str
    company: str

    def totals(self) -> dict[tuple[str, str], tuple[int, int]]:
        """Debits and credits per (Billfold account, currency)."""
        sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        for entry in self.entries:
            for line in entry.lines:
                pair = sums[(line.account, entry.currency)]
                pair[0] += line.debit_minor
                pair[1] += line.credit_minor
        return {key: (d, c) for key, (d, c) in sums.items()}


@dataclass(frozen=True)
class GlPlan:
    """What exporting now would do, for the screen and the refusals: nothing is written."""

    period: Period
    format: str
    currency: str | None
    currencies: tuple[str, ...]  # every currency the month's journal holds
    entries: int  # entry-and-currency transactions of the month (in `currency` when given)
    new_entries: int  # those no export in this format carried yet
    previous: tuple[GlExportRecord, ...]

    @property
    def kind(self) -> str:
        return "difference" if self.previous else "full"


@dataclass(frozen=True)
class GlExportResult:
    record: GlExportRecord
    previous: tuple[GlExportRecord, ...]
    trial_balance_checked: bool  # the file's totals were compared with the trial balance (whole-month files)


def parse_month(text: str) -> Period:
    period = Period.parse(text)
    if period.kind != "month":
        raise ValidationError("period", f"'{text.strip()}' is not a month; the ledger is exported a month at a "
                                        "time, e.g. 2026-11")
    return period


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValidationError("format", f"'{fmt[:40]}' is not a format; the formats are {', '.join(FORMATS)}")
    return fmt


def _record(row: GlExport) -> GlExportRecord:
    return GlExportRecord(row.id, row.period, row.format, row.currency, row.kind, row.exported_by, row.exported_at,
                          row.entry_count, row.line_count, row.first_entry, row.last_entry, row.sha256, row.file_name)


def period_exports(period: Period, fmt: str | None = None) -> list[GlExportRecord]:
    """The exports of a month (in one format, or all), oldest first."""
    where = GlExport.period == period.code
    if fmt is not None:
        where &= GlExport.format == fmt
    return [_record(r) for r in GlExport.select().where(where).order_by(GlExport.id)]


def _in_period(period: Period) -> object:
    return (JournalEntry.entry_date >= period.start) & (JournalEntry.entry_date <= period.end)


def period_currencies(period: Period) -> tuple[str, ...]:
    query = (JournalLine.select(JournalLine.currency).join(JournalEntry).where(_in_period(period))
             .distinct().tuples().iterator())
    return tuple(sorted(str(c) for (c,) in query))


def used_accounts(period: Period, currency: str | None = None) -> set[str]:
    """Billfold's accounts the month's journal (in `currency` when given) posts to."""
    where = _in_period(period)
    if currency is not None:
        where &= JournalLine.currency == currency
    query = JournalLine.select(JournalLine.account).join(JournalEntry).where(where).distinct().tuples().iterator()
    return {str(a) for (a,) in query}


def _exported(period: Period, fmt: str) -> set[tuple[int, str]]:
    query = (GlExportEntry.select(GlExportEntry.entry, GlExportEntry.currency).join(JournalEntry)
             .where(_in_period(period) & (GlExportEntry.format == fmt)).tuples().iterator())
    return {(int(e), str(c)) for e, c in query}


def period_entries(period: Period, currency: str | None = None, *, not_carried_in: str | None = None
                   ) -> list[GlEntry]:
    """The month's journal, entry by entry (one GlEntry per entry and currency), by date then entry number;
    `not_carried_in` a format: only what no export in that format carried yet."""
    where = _in_period(period)
    if currency is not None:
        where &= JournalLine.currency == currency
    if not_carried_in is not None:
        where &= ~fn.EXISTS(GlExportEntry.select(GlExportEntry.id).where(
            (GlExportEntry.entry == JournalLine.entry) & (GlExportEntry.format == not_carried_in)
            & (GlExportEntry.currency == JournalLine.currency)))
    query = (JournalLine.select(JournalLine.entry, JournalEntry.entry_date, JournalEntry.kind, JournalEntry.memo,
                                JournalLine.account, JournalLine.currency, JournalLine.debit_minor,
                                JournalLine.credit_minor, Customer.name, Invoice.number, Payment.number)
             .join(JournalEntry).switch(JournalLine).join(Customer, JOIN.LEFT_OUTER)
             .switch(JournalLine).join(Invoice, JOIN.LEFT_OUTER)
             .switch(JournalLine).join(Payment, JOIN.LEFT_OUTER)
             .where(where).order_by(JournalEntry.entry_date, JournalLine.entry, JournalLine.currency, JournalLine.id))
    # Run as written, rows as the driver returns them: per-value conversion was half the time of a month
    # of a hundred thousand entries; the few distinct dates are converted once each.
    rows = database_proxy.execute_sql(*query.sql())
    days: dict[object, dt.date] = {}
    entries: list[GlEntry] = []
    key: tuple[int, str] | None = None
    head: tuple[int, dt.date, str, str, str] | None = None
    lines: list[GlLine] = []

    def flush() -> None:
        if head is not None:
            entries.append(GlEntry(head[0], head[1], head[2], head[3], head[4], tuple(lines)))

    with bulk_rows():
        for entry_id, raw_day, kind, memo, account, cur, debit, credit, customer, document, payment in rows:
            if (entry_id, cur) != key:
                flush()
                day = days.get(raw_day) or days.setdefault(raw_day, as_date(raw_day))
                key, lines = (entry_id, cur), []
                head = (int(entry_id), day, str(kind), str(memo or document or payment or ""), str(cur))
            lines.append(GlLine(str(account), int(debit), int(credit), str(customer or "")))
        flush()
    return entries


def _record_carried(export_id: int, fmt: str, entries: list[GlEntry]) -> None:
    """One row per entry carried: multi-row INSERTs as written (peewee's insert_many built each value's SQL
    one by one, a third of an export's time at a hundred thousand entries)."""
    param = database_proxy.obj.param
    for start in range(0, len(entries), 500):
        chunk = entries[start:start + 500]
        values = ", ".join([f"({param}, {param}, {param}, {param})"] * len(chunk))
        database_proxy.execute_sql(
            f"INSERT INTO {GlExportEntry._meta.table_name} (export_id, format, entry_id, currency) VALUES {values}",
            [v for e in chunk for v in (export_id, fmt, e.entry_id, e.currency)])


def _pick_currency(period: Period, fmt: str, currency: str | None) -> str | None:
    """The one currency to export: as asked, else for a one-currency format the month's only one (None: all)."""
    if currency is not None:
        return check_currency(currency.strip().upper())
    if fmt not in ONE_CURRENCY:
        return None
    currencies = period_currencies(period)
    if len(currencies) > 1:
        raise ValidationError("currency", f"{period.label} has entries in {', '.join(currencies)}; a {fmt} file "
                                          "holds one currency: give --currency (one file for each)")
    return currencies[0] if currencies else None


def _same_target(records: list[GlExportRecord], currency: str | None) -> tuple[GlExportRecord, ...]:
    return tuple(r for r in records if r.currency == currency)


def plan_export(period_text: str, fmt: str, currency: str | None = None) -> GlPlan:
    """What `export_journal` would do now: counts, earlier exports, currencies (read only; counted in the
    database, so the screen stays quick on a month of a hundred thousand entries)."""
    period, fmt = parse_month(period_text), check_format(fmt)
    cur = _pick_currency(period, fmt, currency)
    lines, carried = _in_period(period), _in_period(period) & (GlExportEntry.format == fmt)
    if cur is not None:
        lines, carried = lines & (JournalLine.currency == cur), carried & (GlExportEntry.currency == cur)
    total = (JournalLine.select(JournalLine.entry, JournalLine.currency).join(JournalEntry).where(lines)
             .distinct().count())
    done = GlExportEntry.select().join(JournalEntry).where(carried).count()
    return GlPlan(period, fmt, cur, period_currencies(period), total, total - done,
                  _same_target(period_exports(period, fmt), cur))


def _check_trial_balance(batch: GlBatch) -> None:
    """A whole month's file must hold, per account, the trial balance's debits and credits for the month."""
    totals = batch.totals()
    for cur in sorted({c for _a, c in totals} | ({batch.currency} if batch.currency else set())):
        report = trial_balance(batch.period, currency=cur)
        expected = {str(r[0]): (int(r[3]), int(r[4])) for r in report.rows if r[3] or r[4]}
        got = {a: dc for (a, c), dc in totals.items() if c == cur}
        if got != expected:
            raise Conflict(f"the journal of {batch.period.label} in {cur} does not agree with its trial balance "
                           f"({got} against {expected}): run `billfold verify`; nothing exported")


Writer = Callable[[GlBatch], tuple[str, str]]  # writes the file; returns (its name, its sha256)


def export_journal(period_text: str, fmt: str, write: Writer, *, currency: str | None = None,
                   again: bool = False) -> GlExportResult:
    """Export the month's journal (or what is new in it since the last export in this format) and record it."""
    period, fmt = parse_month(period_text), check_format(fmt)
    # Read, check and write the file in a read view (minutes at scale would otherwise hold every other
    # operator's posting up); then record it in a short write transaction that makes sure nobody
    # recorded an export of the same month and format meanwhile.
    with read_view():
        login = require(Action.EXPORT_LEDGER)
        cur = _pick_currency(period, fmt, currency)
        previous = _same_target(period_exports(period, fmt), cur)
        if previous and not again:  # only what was posted into the month since: never read the rest
            kind, chosen = "difference", period_entries(period, cur, not_carried_in=fmt)
            new = chosen
            if not chosen:
                raise Conflict(f"{period.code} was already exported as {fmt} ("
                               f"{'; '.join(p.describe() for p in previous)}) and nothing was posted into it "
                               "since; --again writes the whole month again")
        else:
            kind, chosen = ("again" if previous else "full"), period_entries(period, cur)
            if not chosen:
                what = f" in {cur}" if cur else ""
                raise Conflict(f"no journal entries{what} are dated in {period.label}; nothing exported")
            done = _exported(period, fmt)
            new = [e for e in chosen if (e.entry_id, e.currency) not in done]
        accounts = mapped_targets(sorted({line.account for e in chosen for line in e.lines}),
                                  f"{period.label}'s journal")
        batch = GlBatch(period, fmt, cur, kind, tuple(chosen), accounts, previous,
                        get_setting("base_currency") or "GBP", get_setting("company_name"))
        checked = kind != "difference"
        if checked:
            _check_trial_balance(batch)
        file_name, digest = write(batch)
    raced = Conflict(f"someone recorded an export of {period.code} as {fmt} while {file_name} was being written; "
                     "that file is not recorded: discard it and export again")
    try:
        with transaction():
            if [p.id for p in _same_target(period_exports(period, fmt), cur)] != [p.id for p in previous]:
                raise raced
            ids = [e.entry_id for e in chosen]
            row = GlExport.create(period=period.code, format=fmt, currency=cur, kind=kind, exported_by=login,
                                  entry_count=len(chosen), line_count=sum(len(e.lines) for e in chosen),
                                  first_entry=min(ids), last_entry=max(ids), sha256=digest, file_name=file_name)
            _record_carried(row.id, fmt, new)
            record = _record(GlExport.get_by_id(row.id))
            record_event("gl.export", "gl_export", row.id,
                         after={"period": period.code, "format": fmt, "currency": cur, "kind": kind,
                                "entries": len(chosen), "lines": record.line_count, "sha256": digest,
                                "file": file_name, "currencies": sorted({e.currency for e in chosen})})
    except IntegrityError as exc:  # another export carried one of these entries first
        raise raced from exc
    return GlExportResult(record, previous, checked)
