"""Bank statements in: each line of money in becomes a payment, once, whatever overlaps.

A line is known again by the bank's own transaction id (scoped to the statement's account) or,
where the bank gives none, by a fingerprint of its date, amount, reference and position. The
whole file is parsed before anything is written, and written in one transaction: a malformed
file imports nothing.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from store.audit import record_event
from store.errors import NotFound, ValidationError
from store.importers import parse_statement
from store.importers.csv_statement import CsvMapping, parse_csv
from store.importers.records import Statement, StatementFormatError, StatementLine, fingerprint
from store.models import CsvMappingRecord, ImportBatch, Payment
from store.money import format_money
from store.payments import PaymentInput, insert_payment
from store.permissions import Action
from store.service import transaction
from store.session import current_operator, require


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
    lines: list[dict[str, object]] = field(default_factory=list)


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


def import_statement(data: bytes, filename: str, mapping: str | CsvMapping | None = None) -> ImportResult:
    """Parse a statement file and record each new line of money in as an unidentified payment."""
    csv_mapping = load_mapping(mapping) if isinstance(mapping, str) else mapping
    statement = parse_statement(data, filename, csv_mapping)  # raises before anything is written
    if csv_mapping is not None:
        check_currency_of(statement, csv_mapping)
    digest = hashlib.sha256(data).hexdigest()
    with transaction():
        require(Action.POST)
        batch = ImportBatch.create(filename=filename, file_sha256=digest, format=statement.format,
                                   statement_account=statement.account or "", created_by=current_operator())
        new: list[str] = []
        skipped: list[SkippedLine] = []
        outcomes: list[dict[str, object]] = []
        duplicate = 0
        for line in statement.lines:
            said = {"position": line.position, "date": line.booking_date.isoformat(),
                    "amount": format_money(line.amount_minor, line.currency), "reference": line.reference}
            if line.amount_minor <= 0:
                reason = "money out" if line.amount_minor else "zero amount"
                skipped.append(SkippedLine(line.position, reason))
                outcomes.append({**said, "outcome": "skipped", "detail": reason})
                continue
            bank_id, print_ = _bank_id(statement, line), fingerprint(line)
            seen = Payment.select(Payment.number).where((Payment.bank_txn_id == bank_id) if bank_id
                                                        else (Payment.fingerprint == print_)).first()
            if seen is not None:
                duplicate += 1
                outcomes.append({**said, "outcome": "duplicate", "detail": f"already imported as {seen.number}"})
                continue
            payment = insert_payment(PaymentInput(
                line.amount_minor, line.currency, "bank_transfer", line.booking_date, None, line.reference,
                line.payer, line.payer_account, bank_id, None if bank_id else print_, batch.id))
            new.append(payment.number)
            outcomes.append({**said, "outcome": "new", "detail": payment.number})
        skipped_rows = [{"position": s.position, "reason": s.reason} for s in skipped]
        ImportBatch.update(new_count=len(new), duplicate_count=duplicate, skipped_count=len(skipped),
                           skipped=skipped_rows).where(ImportBatch.id == batch.id).execute()
        total = sum(ln.amount_minor for ln in statement.lines if ln.amount_minor > 0)
        record_event("import.statement", "import_batch", batch.id,
                     after={"file": filename, "sha256": digest, "format": statement.format, "new": len(new),
                            "duplicate": duplicate, "skipped": len(skipped),
                            "money_in": format_money(total, statement.currency) if statement.currency else total})
        return ImportResult(batch.id, filename, statement.format, len(new), duplicate, len(skipped), new,
                            skipped_rows, outcomes)


def check_currency_of(statement: Statement, mapping: CsvMapping) -> None:
    """A bank account holds one currency: a line in another is refused, and with it the file."""
    for line in statement.lines:
        if line.currency != mapping.default_currency:
            raise ValidationError(
                "default_currency", f"line {line.position} is in {line.currency} but the bank account of mapping "
                            f"'{mapping.name}' is in {mapping.default_currency}: nothing was imported "
                            f"(set the mapping's currency to {line.currency} if this is that account)")
