"""Bank statements in: each line of money in becomes a payment, once, whatever overlaps.

A line is known again by the bank's own transaction id (scoped to the statement's account) or,
where the bank gives none, by a fingerprint of its date, amount, reference and position. The
whole file is read (bounded: store/import_files.py) and parsed before anything is written, so a
malformed file imports nothing; then it is written a few hundred lines to a transaction, the
batch row keeping how far it got, so an import of 85,000 lines never holds the write lock for
more than one chunk and a killed one is finished by the next run of the same file.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from store.audit import record_event
from store.claims import claimant, process_gone
from store.errors import Conflict, NotFound, ValidationError
from store.importers import parse_statement
from store.importers.csv_statement import CsvMapping, parse_csv
from store.importers.records import Statement, StatementFormatError, StatementLine, fingerprint
from store.models import CsvMappingRecord, ImportBatch, Payment
from store.money import format_money
from store.payments import PaymentInput, insert_payment
from store.permissions import Action
from store.service import transaction
from store.session import current_operator, require

CHUNK_LINES = 200  # lines to a transaction at most: what another operator may wait for
CHUNK_SECONDS = 0.15  # and no more than about this long (0.25 s: a waiting writer saw 1.5 s at load 9)
HANDOVER_S = 0.01  # between chunks, longer than a waiting writer's 2 ms look at the lock (store/db.py)


@dataclass(frozen=True, slots=True)
class SkippedLine:
    position: int
    reason: str


@dataclass(frozen=True, slots=True)
class ImportResult:
    batch_id: int
    filename: str
    format: str
    new: int
    duplicate: int
    skipped: int
    payments: list[str] = field(default_factory=list)
    skipped_lines: list[dict[str, object]] = field(default_factory=list)
    # Every line of the file and what became of it: position, outcome (new, duplicate, skipped),
    # date, amount (formatted), reference, and the payment made or found, or why it was skipped.
    # A resumed import lists the lines it wrote itself (those before `resumed_at` were written by
    # the run that was killed).
    lines: list[dict[str, object]] = field(default_factory=list)
    resumed_at: int = 0


def save_mapping(mapping: CsvMapping) -> None:
    """Keep a CSV column mapping by its name, so the next statement from that bank needs none."""
    if not mapping.name.strip():
        raise ValidationError("mapping name", "is required")
    with transaction():
        require(Action.POST)
        CsvMappingRecord.insert(name=mapping.name, mapping=mapping.to_dict()).on_conflict(
            conflict_target=[CsvMappingRecord.name], update={CsvMappingRecord.mapping: mapping.to_dict()}).execute()
        record_event("import.mapping", "csv_mapping", mapping.name, after=mapping.to_dict())


def load_mapping(name: str) -> CsvMapping:
    row = CsvMappingRecord.get_or_none(CsvMappingRecord.name == name)
    if row is None:
        raise NotFound(f"CSV mapping '{name}': no such mapping (save one first)")
    return CsvMapping.from_dict(row.mapping)


def mapping_for(data: bytes) -> CsvMapping | None:
    """The saved mapping that reads this CSV whole, so a bank's next statement asks nothing.

    A mapping names columns by their header text; one whose columns, dates and amounts all read
    this file is the bank's. None when no saved mapping does (the operator maps it once).
    """
    for row in CsvMappingRecord.select().order_by(CsvMappingRecord.name):
        try:
            mapping = CsvMapping.from_dict(row.mapping)
            if parse_csv(data, mapping).lines:
                return mapping
        except (StatementFormatError, ValidationError):
            continue
    return None


def mapping_names() -> list[str]:
    return [r.name for r in CsvMappingRecord.select(CsvMappingRecord.name).order_by(CsvMappingRecord.name)]


def _bank_id(statement: Statement, line: StatementLine) -> str | None:
    """The bank's id, scoped to the account the line belongs to (a file may hold several accounts)."""
    account = getattr(line, "statement_account", "") or statement.account or "-"
    return f"{account}:{line.bank_txn_id}" if line.bank_txn_id else None


def _start(digest: str, filename: str, statement: Statement) -> tuple[int, int]:
    """The batch this file's lines go to, and how many lines it has already: a killed import of the
    same file is taken up where it stopped; one still running elsewhere is refused."""
    with transaction():
        require(Action.POST)
        running = ImportBatch.get_or_none((ImportBatch.file_sha256 == digest) & (ImportBatch.status == "running"))
        if running is not None:
            if not process_gone(running.claimed_by):
                raise Conflict(f"{filename} is being imported now (by {running.claimed_by}); wait for it to finish")
            ImportBatch.update(claimed_by=claimant()).where(ImportBatch.id == running.id).execute()
            record_event("import.resume", "import_batch", running.id,
                         after={"file": filename, "from_line": running.lines_done, "was": running.claimed_by})
            return running.id, running.lines_done
        batch = ImportBatch.create(filename=filename, file_sha256=digest, format=statement.format,
                                   statement_account=statement.account or "", created_by=current_operator(),
                                   status="running", claimed_by=claimant())
        return batch.id, 0


def _said(line: StatementLine) -> dict[str, object]:
    return {"position": line.position, "date": line.booking_date.isoformat(),
            "amount": format_money(line.amount_minor, line.currency), "reference": line.reference}


def _write_chunk(statement: Statement, batch_id: int, lines: Sequence[StatementLine], done_after: int
                 ) -> tuple[list[str], list[dict[str, object]]]:
    """One short transaction: the new lines of money in of `lines` become payments; returns their
    numbers and what became of each line. The batch row moves on in the same transaction."""
    keys = [(_bank_id(statement, ln), fingerprint(ln)) for ln in lines]
    new: list[str] = []
    outcomes: list[dict[str, object]] = []
    duplicate = 0
    with transaction():
        require(Action.POST)
        ids = [b for b, _f in keys if b]
        prints = [f for b, f in keys if not b]
        seen: dict[str, str] = {}
        if ids:
            seen.update(Payment.select(Payment.bank_txn_id, Payment.number).where(
                Payment.bank_txn_id.in_(ids)).tuples().iterator())
        if prints:
            seen.update(Payment.select(Payment.fingerprint, Payment.number).where(
                Payment.fingerprint.in_(prints)).tuples().iterator())
        for line, (bank_id, print_) in zip(lines, keys, strict=True):
            said = _said(line)
            if line.amount_minor <= 0:
                reason = "money out" if line.amount_minor else "zero amount"
                outcomes.append({**said, "outcome": "skipped", "detail": reason})
                continue
            key = bank_id or print_
            if key in seen:
                duplicate += 1
                outcomes.append({**said, "outcome": "duplicate", "detail": f"already imported as {seen[key]}"})
                continue
            payment = insert_payment(PaymentInput(
                line.amount_minor, line.currency, "bank_transfer", line.booking_date, None, line.reference,
                line.payer, line.payer_account, bank_id, None if bank_id else print_, batch_id))
            seen[key] = payment.number
            new.append(payment.number)
            outcomes.append({**said, "outcome": "new", "detail": payment.number})
        ImportBatch.update(lines_done=done_after, new_count=ImportBatch.new_count + len(new),
                           duplicate_count=ImportBatch.duplicate_count + duplicate).where(
            ImportBatch.id == batch_id).execute()
    return new, outcomes


def import_statement(data: bytes, filename: str, mapping: str | CsvMapping | None = None, *,
                     chunk: int = CHUNK_LINES, progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Parse a statement file and record each new line of money in as an unidentified payment.

    The file is parsed whole before anything is written (a malformed file imports nothing), then
    written `chunk` lines to a transaction so other operators wait for one chunk at most, never
    for the whole file. Importing the same file again takes a killed import up where it stopped
    and otherwise finds every line already there.
    """
    csv_mapping = load_mapping(mapping) if isinstance(mapping, str) else mapping
    statement = parse_statement(data, filename, csv_mapping)  # raises before anything is written
    if csv_mapping is not None:
        check_currency_of(statement, csv_mapping)
    digest = hashlib.sha256(data).hexdigest()
    lines = list(statement.lines)
    batch_id, start = _start(digest, filename, statement)
    new: list[str] = []
    outcomes: list[dict[str, object]] = []
    at, size = start, chunk
    while at < len(lines):
        part = lines[at:at + size]
        began = time.monotonic()
        made, said = _write_chunk(statement, batch_id, part, at + len(part))
        took = time.monotonic() - began
        new += made
        outcomes += said
        at += len(part)
        if progress:
            progress(at, len(lines))
        if at < len(lines):
            # A busy machine writes slower: the next chunk is sized to hold the lock about
            # CHUNK_SECONDS, whatever the machine, within [10, `chunk`] lines.
            size = max(10, min(chunk, int(len(part) * CHUNK_SECONDS / max(took, 1e-3))))
            time.sleep(HANDOVER_S)  # the lock is free: let an operator waiting for it have it first
    skipped = [SkippedLine(ln.position, "money out" if ln.amount_minor else "zero amount")
               for ln in lines if ln.amount_minor <= 0]
    skipped_rows = [{"position": s.position, "reason": s.reason} for s in skipped]
    total = sum(ln.amount_minor for ln in lines if ln.amount_minor > 0)
    with transaction():
        ImportBatch.update(skipped_count=len(skipped), skipped=skipped_rows, status="done", lines_done=len(lines),
                           claimed_by=None).where(ImportBatch.id == batch_id).execute()
        batch = ImportBatch.get_by_id(batch_id)
        record_event("import.statement", "import_batch", batch_id,
                     after={"file": filename, "sha256": digest, "format": statement.format, "new": batch.new_count,
                            "duplicate": batch.duplicate_count, "skipped": len(skipped), "resumed_at": start,
                            "money_in": format_money(total, statement.currency) if statement.currency else total})
    return ImportResult(batch_id, filename, statement.format, batch.new_count, batch.duplicate_count, len(skipped),
                        new, skipped_rows, outcomes, start)


def interrupted_imports() -> list[tuple[int, str, int]]:
    """Imports stopped part way (id, file, lines written): importing the same file again finishes each."""
    return [(b.id, b.filename, b.lines_done) for b in ImportBatch.select().where(ImportBatch.status == "running")
            if process_gone(b.claimed_by)]


def check_currency_of(statement: Statement, mapping: CsvMapping) -> None:
    """A bank account holds one currency: a line in another is refused, and with it the file."""
    for line in statement.lines:
        if line.currency != mapping.default_currency:
            raise ValidationError(
                "default_currency", f"line {line.position} is in {line.currency} but the bank account of mapping "
                            f"'{mapping.name}' is in {mapping.default_currency}: nothing was imported "
                            f"(set the mapping's currency to {line.currency} if this is that account)")
