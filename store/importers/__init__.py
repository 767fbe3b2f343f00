"""Bank statements in: CSV (with a column mapping), OFX and ISO 20022 camt.053, all to one Statement.

Pure functions, no database: store/imports.py decides what the lines mean for the books.
"""
from __future__ import annotations

from pathlib import PurePath

from store.importers.camt053 import parse_camt053
from store.importers.csv_statement import CsvMapping, guess_mapping, parse_csv
from store.importers.ofx import parse_ofx
from store.importers.records import Statement, StatementFormatError, StatementLine, fingerprint

__all__ = ["CsvMapping", "Statement", "StatementFormatError", "StatementLine", "detect_format", "fingerprint",
           "guess_mapping", "parse_statement"]

# Files that are certainly not statements, by their first bytes, so the operator hears what they are.
_NOT_STATEMENTS = {b"%PDF": "a PDF", b"PK\x03\x04": "a zip file or an Excel workbook",
                   b"\xd0\xcf\x11\xe0": "an old Excel workbook"}


def _head(data: bytes) -> bytes:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: look at it as text
        head = head.decode("utf-16", "ignore").encode("utf-8", "ignore")
    return head.lstrip(b"\xef\xbb\xbf \r\n\t").upper()


def detect_format(data: bytes, filename: str) -> str:
    """"csv", "ofx" or "camt.053" from the content (the file name only breaks a tie), or "unknown"."""
    head = _head(data)
    suffix = PurePath(filename).suffix.lower()
    if head.startswith(b"OFXHEADER") or b"<OFX>" in head or b"<?OFX " in head:
        return "ofx"
    if head.startswith(b"<"):
        if b"BKTOCSTMRSTMT" in head or b"CAMT.053" in head:
            return "camt.053"
        return "ofx" if suffix in (".ofx", ".qfx", ".qbo") else "unknown"
    if head.startswith(tuple(_NOT_STATEMENTS)) or b"\x00" in head:
        return "unknown"
    return "csv"


def parse_statement(data: bytes, filename: str, csv_mapping: CsvMapping | None = None) -> Statement:
    """The whole file read, or a StatementFormatError naming what is wrong: never part of a file."""
    kind = detect_format(data, filename)
    if kind == "ofx":
        return parse_ofx(data)
    if kind == "camt.053":
        return parse_camt053(data)
    if kind == "unknown":
        what = next((name for magic, name in _NOT_STATEMENTS.items() if _head(data).startswith(magic.upper())),
                    "neither CSV, OFX nor a camt.053 statement")
        raise StatementFormatError(filename, f"is {what}: export the statement as CSV, OFX or camt.053")
    if csv_mapping is None:
        raise StatementFormatError(filename, "is a CSV file: it needs a column mapping first "
                                             "(choose or save one, e.g. --mapping NAME)")
    return parse_csv(data, csv_mapping)
