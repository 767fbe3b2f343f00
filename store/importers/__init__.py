"""Bank statements in: CSV (with a column mapping), OFX and ISO 20022 camt.053, all to one Statement."""
from __future__ import annotations

from store.importers.csv_statement import CsvMapping, guess_mapping, parse_csv
from store.importers.records import Statement, StatementFormatError, StatementLine, fingerprint

__all__ = ["CsvMapping", "Statement", "StatementFormatError", "StatementLine", "detect_format", "fingerprint",
           "guess_mapping", "parse_statement"]


def detect_format(data: bytes, filename: str) -> str:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \r\n\t").upper()
    if head.startswith(b"OFXHEADER") or b"<OFX>" in head or b"?OFX " in head:
        return "ofx"
    if b"CAMT.053" in data[:4096].upper() or b"BKTOCSTMRSTMT" in data[:4096].upper():
        return "camt.053"
    if head.startswith(b"<"):
        return "xml"
    return "csv"


def parse_statement(data: bytes, filename: str, csv_mapping: CsvMapping | None = None) -> Statement:
    kind = detect_format(data, filename)
    if kind == "ofx":
        from store.importers.ofx import parse_ofx

        return parse_ofx(data)
    if kind == "camt.053":
        from store.importers.camt053 import parse_camt053

        return parse_camt053(data)
    if kind == "xml":
        raise StatementFormatError(filename, "is XML but neither OFX nor a camt.053 statement")
    if csv_mapping is None:
        raise StatementFormatError(filename, "is CSV: choose or save a column mapping first (--mapping NAME)")
    return parse_csv(data, csv_mapping)
