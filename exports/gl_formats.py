"""The accountant's ledger as files: beancount, QuickBooks IIF, Xero manual journals, and our own CSV.

Each writer turns a store.gl_export.GlBatch (a month's journal entries, or what was new in them, with the
account mapping) into the bytes of one file; `export_to_file` runs the books' export service with a
writer that puts the file in place before the export is recorded. Amounts are written from integer
minor units by integer arithmetic (never a float). Debits are positive, credits negative, in
every format that has one amount column.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import tempfile
from dataclasses import replace
from pathlib import Path

from exports.reports_out import safe_csv_text
from store.errors import ValidationError
from store.gl_export import GlBatch, GlEntry, GlExportResult, export_journal
from store.gl_mapping import MappingRow
from store.money import exponent

EXTENSIONS = {"beancount": "beancount", "quickbooks-iif": "iif", "xero-csv": "csv", "csv": "csv"}
ROOTS = {"asset": "Assets", "liability": "Liabilities", "equity": "Equity", "income": "Income",
         "expense": "Expenses"}
BEANCOUNT_ACCOUNT = re.compile(r"^(Assets|Liabilities|Equity|Income|Expenses)(:[A-Z0-9][A-Za-z0-9-]*)+$")
XERO_COLUMNS = ("*Narration", "*Date", "Description", "*AccountCode", "*TaxRate", "*Amount", "TrackingName1",
                "TrackingOption1", "TrackingName2", "TrackingOption2")
# Xero's manual journal import takes up to 300 lines a file: a bigger month goes out as numbered files,
# never splitting a journal.
XERO_MAX_LINES = 300
CSV_COLUMNS = ("date", "entry", "kind", "account", "mapped_account", "currency", "debit_minor", "credit_minor",
               "debit", "credit", "description")


def beancount_account(row: MappingRow) -> str:
    """The mapped account as a beancount name: as it is when it is one, else under the root of its kind
    ("Accounts Receivable" of an asset: Assets:Accounts-Receivable; QuickBooks' ':' makes sub-accounts)."""
    if BEANCOUNT_ACCOUNT.match(row.target):
        return row.target
    parts = [re.sub(r"[^A-Za-z0-9-]+", "-", part).strip("-") for part in row.target.split(":")]
    parts = [p[0].upper() + p[1:] for p in parts if p]
    return ":".join([ROOTS.get(row.kind, "Assets"), *(parts or [f"B{row.account}"])])


def amount_text(minor: int, currency: str) -> str:
    """store.money.plain_amount's text (`-637.46`) by integer arithmetic: a month is a million amounts, and
    Decimal's formatting was most of the time a CSV took (tests hold the two equal)."""
    places = exponent(currency)
    if not places:
        return str(minor)
    whole, part = divmod(abs(minor), 10 ** places)
    return f"{'-' if minor < 0 else ''}{whole}.{part:0{places}d}"


def _signed(line_debit: int, line_credit: int, currency: str) -> str:
    return amount_text(line_debit - line_credit, currency)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def narration(entry: GlEntry) -> str:
    """One line naming the entry: Xero groups the rows of a journal by it (with the date), so it is unique."""
    return f"Billfold entry {entry.entry_id} {entry.kind.replace('_', ' ')}: {entry.description}".strip(" :")


def to_beancount(batch: GlBatch) -> str:
    names = {code: beancount_account(row) for code, row in batch.accounts.items()}
    currencies = sorted({e.currency for e in batch.entries})
    opened = batch.period.start.isoformat()
    out = [f"; {batch.company}: the journal of {batch.period.label} ({batch.kind} export), written by Billfold.",
           "; The open and commodity directives make this file check on its own: leave them out when appending",
           "; it to a ledger that already opens these accounts.",
           f"option \"title\" {_quoted(batch.company + ' ' + batch.period.code)}",
           f"option \"operating_currency\" {_quoted(batch.base_currency)}", ""]
    out += [f"{opened} commodity {cur}" for cur in currencies] + [""]
    first_code: dict[str, str] = {}
    for code in sorted(names):
        first_code.setdefault(names[code], code)
    out += [f"{opened} open {name}  ; Billfold {code} {batch.accounts[code].name}"
            for name, code in sorted(first_code.items())] + [""]
    for entry in batch.entries:
        out.append(f"{entry.entry_date.isoformat()} * {_quoted(narration(entry))}")
        out.append(f"  entry: {entry.entry_id}")
        out.append(f"  kind: {_quoted(entry.kind)}")
        for line in entry.lines:
            amount = _signed(line.debit_minor, line.credit_minor, entry.currency)
            out.append(f"  {names[line.account]}  {amount} {entry.currency}")
        out.append("")
    return "\n".join(out)


def _iif_text(text: str) -> str:
    """IIF fields are separated by tabs, one record a line; quotes confuse its reader."""
    return re.sub(r"[\t\r\n\"]+", " ", text).strip()


def to_iif(batch: GlBatch) -> str:
    """QuickBooks IIF general journal transactions: TRNS (the first line), SPL (the others), ENDTRNS.
    The TRNS amount is minus the sum of the SPL amounts, as QuickBooks requires of a balanced entry."""
    head = ("TRNSID", "TRNSTYPE", "DATE", "ACCNT", "NAME", "AMOUNT", "DOCNUM", "MEMO")
    rows = ["\t".join(("!TRNS", *head)), "\t".join(("!SPL", "SPLID", *head[1:])), "!ENDTRNS"]
    for entry in batch.entries:
        day, memo = f"{entry.entry_date:%m/%d/%Y}", _iif_text(narration(entry))
        for i, line in enumerate(entry.lines):
            account = _iif_text(batch.accounts[line.account].target)
            amount = _signed(line.debit_minor, line.credit_minor, entry.currency)
            rows.append("\t".join(("TRNS" if i == 0 else "SPL", "", "GENERAL JOURNAL", day, account,
                                   _iif_text(line.customer), amount, f"BF{entry.entry_id}", memo)))
        rows.append("ENDTRNS")
    return "\r\n".join(rows) + "\r\n"


def _csv(header: tuple[str, ...], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def to_xero(batch: GlBatch, tax_rate: str) -> str:
    """Xero's manual journal import: one row a line, the rows of a journal sharing narration and date."""
    rows = []
    for entry in batch.entries:
        title, day = safe_csv_text(narration(entry)), f"{entry.entry_date:%d/%m/%Y}"
        for line in entry.lines:
            row = batch.accounts[line.account]
            rows.append([title, day, safe_csv_text(line.customer or row.name), row.target, tax_rate,
                         _signed(line.debit_minor, line.credit_minor, entry.currency), "", "", "", ""])
    return _csv(XERO_COLUMNS, rows)


def to_csv(batch: GlBatch) -> str:
    """Our own layout: one row a journal line, debit and credit in minor units and as amounts."""
    rows = []
    for entry in batch.entries:
        for line in entry.lines:
            rows.append([entry.entry_date.isoformat(), str(entry.entry_id), entry.kind, line.account,
                         batch.accounts[line.account].target, entry.currency, str(line.debit_minor),
                         str(line.credit_minor), amount_text(line.debit_minor, entry.currency),
                         amount_text(line.credit_minor, entry.currency),
                         safe_csv_text(" · ".join(t for t in (entry.description, line.customer) if t))])
    return _csv(CSV_COLUMNS, rows)


def xero_parts(batch: GlBatch, most: int) -> list[GlBatch]:
    """The batch cut into batches of at most `most` lines, whole entries each (an entry bigger than `most`
    goes alone: Xero then refuses that one file, not the month)."""
    parts: list[list[GlEntry]] = [[]]
    lines = 0
    for entry in batch.entries:
        if parts[-1] and lines + len(entry.lines) > most:
            parts.append([])
            lines = 0
        parts[-1].append(entry)
        lines += len(entry.lines)
    return [replace(batch, entries=tuple(part)) for part in parts]


def render(batch: GlBatch, xero_tax_rate: str = "No VAT") -> bytes:
    if batch.format == "beancount":
        return to_beancount(batch).encode()
    if batch.format == "quickbooks-iif":
        return to_iif(batch).encode()
    if batch.format == "xero-csv":
        return to_xero(batch, xero_tax_rate).encode()
    return to_csv(batch).encode()


def default_file_name(period_code: str, fmt: str, currency: str | None, sequence: int) -> str:
    """gl-2026-11-beancount.beancount; a second export of the month gets -2 (never over the first file)."""
    parts = ["gl", period_code, fmt, *([currency] if currency else []), *([str(sequence)] if sequence > 1 else [])]
    return "-".join(parts) + "." + EXTENSIONS[fmt]


def _write_atomically(path: Path, data: bytes) -> None:
    """The whole file or none of it: written beside its place, then renamed over it."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise ValidationError("out", f"{path.parent}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ValidationError("out", f"{path}: {exc.strerror}") from None


def export_to_file(period: str, fmt: str, out: str | Path | None = None, *, currency: str | None = None,
                   again: bool = False, folder: Path | None = None) -> GlExportResult:
    """Export the month in `fmt` to `out` (default: a name saying period, format and sequence, in `folder`)."""
    from store.settings import get_setting

    tax_rate = get_setting("gl_xero_tax_rate") or "No VAT"

    def write(batch: GlBatch) -> tuple[str, str]:
        target = (Path(out) if out else (folder or Path.cwd()) / default_file_name(
            batch.period.code, batch.format, batch.currency, len(batch.previous) + 1)).expanduser()
        parts = [batch]
        if batch.format == "xero-csv" and sum(len(e.lines) for e in batch.entries) > XERO_MAX_LINES:
            parts = xero_parts(batch, XERO_MAX_LINES)
        digest = hashlib.sha256()
        for n, part in enumerate(parts, 1):
            data = render(part, tax_rate)
            digest.update(data)
            _write_atomically(target if len(parts) == 1 else target.with_name(
                f"{target.stem}-{n:03d}{target.suffix}"), data)
        # Several files are recorded as their pattern (-001 to -NNN) and one digest of them in order.
        name = str(target) if len(parts) == 1 else str(target.with_name(
            f"{target.stem}-[001-{len(parts):03d}]{target.suffix}"))
        return name, digest.hexdigest()

    return export_journal(period, fmt, write, currency=currency, again=again)

