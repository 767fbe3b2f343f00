"""Statement parsers on files written by hand from each format's specification, awkward parts included.

tests/data/statements/:
  sgml-1252.ofx    OFX 1.02 SGML, leaves without closing tags, CHARSET:1252 payee, DTPOSTED with zones
  v220.ofx         OFX 2.2 XML, UTF-8, entities, BANKACCTTO, a CURRENCY aggregate
  camt053-v02.xml  camt.053.001.02: a batch entry of 3 transactions (AmtDtls/TxAmt) and a debit
  camt053-v08.xml  camt.053.001.08: Pty/Nm, TxDtls/Amt, DtTm, Ustrd+Strd, a batch, a pending entry
  uk-bank.csv      DD/MM/YYYY, Paid in / Paid out, quoted comma, 1,060.00, blank trailing lines
  de-bank.csv      ';', 1.234,56, trailing minus, dd.mm.yy, windows-1252
  signed.csv       one signed Amount column, MM/DD/YYYY, (12.50), transaction ids
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.errors import ValidationError
from store.importers import (
    CsvMapping,
    Statement,
    StatementFormatError,
    detect_format,
    fingerprint,
    guess_mapping,
    parse_statement,
)
from store.importers.csv_statement import parse_csv

DATA = Path(__file__).parent / "data" / "statements"
D = dt.date
UK = CsvMapping("uk", "Date", "%d/%m/%Y", money_in="Paid in", money_out="Paid out", reference="Description")
DE = CsvMapping("de", "Buchungstag", "%d.%m.%y", amount="Betrag", reference="Verwendungszweck",
                payer="Beguenstigter/Zahlungspflichtiger", payer_account="Kontonummer/IBAN", currency="Waehrung",
                decimal_sep=",", default_currency="EUR", account="DE89370400440532013000")
SIGNED = CsvMapping("us", "Date", "%m/%d/%Y", amount="Amount", reference="Description", payer="Payee",
                    bank_id="Transaction ID")
XML_FILES = ["sgml-1252.ofx", "v220.ofx", "camt053-v02.xml", "camt053-v08.xml"]


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def parse(name: str, mapping: CsvMapping | None = None, data: bytes | None = None) -> Statement:
    return parse_statement(read(name) if data is None else data, name, mapping)


def refused(data: bytes, name: str, mapping: CsvMapping | None = None) -> StatementFormatError:
    with pytest.raises(StatementFormatError) as err:
        parse_statement(data, name, mapping)
    return err.value


def rows(s: Statement, *fields: str) -> list[tuple[object, ...]]:
    return [tuple(getattr(ln, f) for f in fields) for ln in s.lines]


# --- OFX -------------------------------------------------------------------------------------------

def test_ofx_1_sgml_without_closing_tags_and_a_windows_1252_payee() -> None:
    s = parse("sgml-1252.ofx")
    assert (s.format, s.account, s.currency, s.opening_minor, s.closing_minor) == (
        "ofx", "31926819", "GBP", None, 500000)
    assert rows(s, "position", "booking_date", "amount_minor", "bank_txn_id", "payer", "reference") == [
        (1, D(2026, 11, 5), 123450, "202611050001", "Müller & Söhne – Café", "INV-000001 thanks"),
        (2, D(2026, 11, 6), -2000, "202611060002", "Monthly account fee", ""),
        (3, D(2026, 11, 7), 6000, "202611070003", "Kestrel Trading", "000123")]  # PAYEE/NAME, CHECKNUM
    # The day as the bank wrote it: 20261105000000[+1:CET] is 5 November, not 4 November in UTC.
    assert s.lines[0].value_date == D(2026, 11, 6) and s.lines[1].value_date is None
    assert {ln.statement_account for ln in s.lines} == {"31926819"}


@pytest.mark.parametrize("changes", [
    [(b"&amp;", b"&")],  # a raw ampersand, as many banks write it
    [(b"<FITID>202611050001", b"<FITID>202611050001</FITID>")],  # some leaves closed, some not
    [(b"\r\n", b"\n")],
    [(b"<MEMO>INV-000001 thanks", b"<memo>INV-000001 thanks")],  # lower-case tags
    [(b"<CURDEF>GBP\r\n<BANKACCTFROM>", b"<BANKACCTFROM>"),  # out of the specification's order
     (b"</BANKACCTFROM>", b"</BANKACCTFROM>\r\n<CURDEF>GBP")],
    [(b"<SONRS>", b"<INTU.BID>3000<SONRS>")],  # a private leaf
    [(b"<LANGUAGE>ENG", b"<LANGUAGE>ENG\r\n<X.PRIV><X.A>1</X.PRIV>")],  # a private aggregate
    [(b"<SIGNONMSGSRSV1>", b"<X>"), (b"</SIGNONMSGSRSV1>", b"</X>")],  # no SONRS at all
])
def test_ofx_1_tolerates_what_banks_really_send(changes: list[tuple[bytes, bytes]]) -> None:
    data = read("sgml-1252.ofx")
    for old, new in changes:
        assert old in data
        data = data.replace(old, new)
    assert parse("sgml-1252.ofx", data=data) == parse("sgml-1252.ofx")


def test_ofx_1_labelled_1252_but_written_in_utf_8_reads_as_utf_8() -> None:
    utf8 = read("sgml-1252.ofx").decode("windows-1252").encode("utf-8")
    assert parse("x.ofx", data=utf8).lines[0].payer == "Müller & Söhne – Café"


def test_ofx_2_xml() -> None:
    s = parse("v220.ofx")
    assert (s.format, s.account, s.currency, s.closing_minor) == ("ofx", "DE89370400440532013000", "EUR", 100000)
    assert rows(s, "booking_date", "amount_minor", "currency", "bank_txn_id", "payer", "reference",
                "payer_account") == [
        (D(2026, 11, 10), 9995, "EUR", "X-100", "Zoë Ångström", "Rechnung INV-000002", "DE02100700000123456789"),
        (D(2026, 11, 12), -150000, "EUR", "X-101", "B&B Immobilien <Miete>", "Miete November", ""),
        (D(2026, 11, 15), 25000, "USD", "X-102", "Heron Granite Inc", "INV-000005", "")]


def test_ofx_with_two_accounts_keeps_each_lines_account_and_drops_the_ambiguous_balance() -> None:
    one = read("v220.ofx")
    start, end = one.index(b"<STMTTRNRS>"), one.index(b"</STMTTRNRS>") + len(b"</STMTTRNRS>")
    second = one[start:end].replace(b"DE89370400440532013000", b"DE44500105175407324931")
    s = parse("two.ofx", data=one[:end] + second + one[end:])
    assert len(s.lines) == 6 and s.closing_minor is None
    assert [ln.position for ln in s.lines] == [1, 2, 3, 4, 5, 6]
    assert [ln.statement_account for ln in s.lines] == ["DE89370400440532013000"] * 3 + ["DE44500105175407324931"] * 3
    assert s.account == "DE89370400440532013000, DE44500105175407324931"


@pytest.mark.parametrize("old,new,where,message", [
    (b"<TRNAMT>-20.00", b"<TRNAMT>-2x.00", "element STMTTRN[2]/TRNAMT", "amount '-2x.00' is not an amount"),
    (b"<TRNAMT>60", b"<TRNAMT>60.001", "element STMTTRN[3]/TRNAMT", "at most 2 decimal places"),
    (b"<TRNAMT>-20.00\r\n", b"", "element STMTTRN[2]/TRNAMT", "is missing"),
    (b"<DTPOSTED>20261106", b"<DTPOSTED>20261306", "element STMTTRN[2]/DTPOSTED", "date '20261306' is not a date"),
    (b"<DTPOSTED>20261106", b"<DTPOSTED>6 Nov", "element STMTTRN[2]/DTPOSTED", "is not a date"),
    (b"<CURDEF>GBP", b"<CURDEF>GBX", "element CURDEF", "currency 'GBX' is not an ISO 4217 code"),
    (b"</STMTTRN>\r\n<STMTTRN>\r\n<TRNTYPE>FEE", b"<STMTTRN>\r\n<TRNTYPE>FEE", "line 69",
     "</BANKTRANLIST> comes before <STMTTRN> (line 39) is closed"),
    (b"<TRNAMT>60", b"<TRNAMT>6<0", "line 58", "'<' that starts no tag"),
    (b"<STMTRS>", b"<STMTRX>", "element STMTRS", "holds no bank or credit-card statement"),
])
def test_malformed_ofx_names_the_element(old: bytes, new: bytes, where: str, message: str) -> None:
    data = read("sgml-1252.ofx")
    assert old in data
    err = refused(data.replace(old, new, 1), "bad.ofx")
    assert err.where == where and message in err.message


def test_truncated_ofx_is_refused_at_the_line_where_it_stops() -> None:
    data = read("sgml-1252.ofx")[:900]  # inside the second STMTTRN
    err = refused(data, "cut.ofx")
    assert (err.where, err.message) == ("line 57", "the file ends inside <STMTTRN> (line 55): it is cut short")
    cut = read("v220.ofx").rsplit(b"</BANKMSGSRSV1>", 1)[0]
    assert refused(cut, "cut.ofx").message == "the file ends inside <BANKMSGSRSV1> (line 11): it is cut short"


def test_a_doctype_is_refused_before_any_parser_sees_it() -> None:
    evil = read("v220.ofx").replace(b"<OFX>", b'<!DOCTYPE OFX [<!ENTITY a "aaaa">]>\n<OFX>', 1)
    assert refused(evil, "evil.ofx").where == "line 3"


# --- camt.053 --------------------------------------------------------------------------------------

def test_camt053_v02_batch_entry_becomes_one_line_per_transaction() -> None:
    s = parse("camt053-v02.xml")
    assert (s.format, s.account, s.currency, s.opening_minor, s.closing_minor) == (
        "camt.053", "GB29NWBK60161331926819", "GBP", 100000, 126500)
    assert rows(s, "amount_minor", "bank_txn_id", "reference", "payer", "payer_account") == [
        (10000, "TX-1", "INV-000003", "Harbour Supplies Ltd", "GB33BUKB20201555555555"),
        (15000, "TX-2", "INV-000004", "Heron Granite", "40308512345678"),  # Strd/CdtrRefInf/Ref, Othr/Id
        (5000, "TX-3", "", "Kestrel Trading", ""),  # TxId; no remittance information
        (-3500, "FEE-11", "Account fee", "", "")]  # a debit without TxDtls: NtryRef, AddtlNtryInf
    assert rows(s, "booking_date", "value_date")[:1] == [(D(2026, 11, 12), D(2026, 11, 13))]
    assert sum(ln.amount_minor for ln in s.lines) == s.closing_minor - s.opening_minor  # type: ignore[operator]


def test_camt053_v08() -> None:
    s = parse("camt053-v08.xml")
    assert (s.account, s.currency, s.opening_minor, s.closing_minor) == (
        "DE89370400440532013000", "EUR", -25000, 148951)
    assert rows(s, "booking_date", "value_date", "amount_minor", "bank_txn_id", "reference", "payer",
                "payer_account") == [
        (D(2026, 11, 20), D(2026, 11, 20), 119000, "2026112000012", "INV-000010 RF18539007547034", "Zoë Ångström GmbH",
         "DE02100700000123456789"),  # BookgDt/DtTm; Ustrd and Strd together; NOTPROVIDED is no id
        (D(2026, 11, 20), D(2026, 11, 20), 40000, "2026112000013/1", "INV-000011", "Heron Granite", ""),
        (D(2026, 11, 20), D(2026, 11, 20), 20000, "2026112000013/2", "INV-000012 and INV-000013", "Kestrel Trading",
         ""),
        (D(2026, 11, 20), D(2026, 11, 21), -5049, "2026112000014", "Strom 11/2026", "Stadtwerke München",
         "DE21700519950000007229")]  # a debit: the creditor is the other side
    # The pending entry (Sts/Cd PDNG) is not booked: it is left out, and the balances agree.
    assert sum(ln.amount_minor for ln in s.lines) == s.closing_minor - s.opening_minor  # type: ignore[operator]


def test_camt053_with_two_accounts() -> None:
    one = read("camt053-v02.xml")
    start, end = one.index(b"<Stmt>"), one.index(b"</Stmt>") + len(b"</Stmt>")
    other = one[start:end].replace(b"GB29NWBK60161331926819", b"GB94BARC10201530093459")
    s = parse("two.xml", data=one[:end] + other + one[end:])
    assert [ln.statement_account for ln in s.lines] == ["GB29NWBK60161331926819"] * 4 + ["GB94BARC10201530093459"] * 4
    assert (s.opening_minor, s.closing_minor) == (None, None)
    bad = one[:end] + other.replace(b"<Amt Ccy=\"GBP\">35.00", b"<Amt Ccy=\"GBP\">3x") + one[end:]
    assert refused(bad, "two.xml").where == "element Stmt[2]/Ntry[2]/Amt"


@pytest.mark.parametrize("old,new,where,message", [
    (b"<CdtDbtInd>DBIT</CdtDbtInd>", b"<CdtDbtInd>XX</CdtDbtInd>", "element Ntry[2]/CdtDbtInd",
     "neither CRDT nor DBIT"),
    (b'<Amt Ccy="GBP">150.00', b'<Amt Ccy="GBP">15O.00', "element Ntry[1]/TxDtls[2]/Amt", "amount '15O.00' is not"),
    (b'<Amt Ccy="GBP">150.00', b'<Amt Ccy="GBP">160.00', "element Ntry[1]/NtryDtls",
     "the transactions add up to 310.00 but the entry is 300.00"),
    (b'<AmtDtls><TxAmt><Amt Ccy="GBP">50.00</Amt></TxAmt></AmtDtls>', b"", "element Ntry[1]/TxDtls[3]/Amt",
     "is missing"),
    (b'<Amt Ccy="GBP">35.00', b'<Amt Ccy="GBP">-35.00', "element Ntry[2]/Amt", "has a sign"),
    (b'<Amt Ccy="GBP">35.00', b'<Amt Ccy="XYZ">35.00', "element Ntry[2]/Amt", "currency 'XYZ' is not an ISO 4217"),
    (b'<Amt Ccy="GBP">35.00', b'<Amt Ccy="GBP">35.001', "element Ntry[2]/Amt", "at most 2 decimal places"),
    (b"<BookgDt><Dt>2026-11-13", b"<BookgDt><Dt>2026-11-31", "element Ntry[2]/BookgDt", "date '2026-11-31' is not"),
    (b'<Amt Ccy="GBP">1265.00', b'<Amt Ccy="GBP">12,65.00', "element Bal[2]/Amt", "misplaced thousands separators"),
    (b"    <Stmt>", b"    <Stmnt>", "line 78", "(mismatched tag)"),  # </Stmt> on line 78 closes nothing open
])
def test_malformed_camt053_names_the_element(old: bytes, new: bytes, where: str, message: str) -> None:
    data = read("camt053-v02.xml")
    assert old in data
    err = refused(data.replace(old, new, 1), "bad.xml")
    assert err.where == where and message in err.message


def test_truncated_camt053_and_doctype_are_refused() -> None:
    data = read("camt053-v02.xml")
    cut = data[:data.index(b"<Refs><TxId>TX-3") + 8]  # inside a tag on line 62
    err = refused(cut, "cut.xml")
    assert err.where == "line 62" and err.message.endswith("(unclosed token): the file is cut short")
    no_stmt = data.replace(b"<Stmt>", b"<Rpt>").replace(b"</Stmt>", b"</Rpt>")
    assert refused(no_stmt, "x.xml").where == "element BkToCstmrStmt/Stmt"
    evil = data.replace(b"<Document", b'<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Document', 1)
    err = refused(evil, "evil.xml")
    assert (err.where, err.message) == ("line 2", "a statement may not declare a DOCTYPE or entities")
    utf16 = evil.replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode().encode("utf-16")
    assert refused(utf16, "evil.xml").where == "line 2"


@pytest.mark.parametrize("name", XML_FILES)
def test_every_cut_of_an_ofx_or_camt_file_is_refused_never_read_in_part(name: str) -> None:
    data = read(name)
    for end in range(0, len(data.rstrip()), 3):
        with pytest.raises(StatementFormatError):
            parse_statement(data[:end], name)


# --- CSV -------------------------------------------------------------------------------------------

def test_uk_csv_with_paid_in_and_paid_out_columns() -> None:
    s = parse("uk-bank.csv", UK)
    assert (s.format, s.currency, s.opening_minor, s.closing_minor) == ("csv", "GBP", None, None)
    assert rows(s, "position", "booking_date", "amount_minor", "reference", "bank_txn_id") == [
        (1, D(2026, 11, 5), 123450, "INV-000001 KESTREL", None), (2, D(2026, 11, 6), -2000, "Bank fee", None),
        (3, D(2026, 11, 7), 106000, "HERON, GRANITE INV-000002", None)]


def test_german_csv_semicolons_comma_decimals_trailing_minus_and_1252() -> None:
    s = parse("de-bank.csv", DE)
    assert (s.account, s.currency) == ("DE89370400440532013000", "EUR")
    assert rows(s, "booking_date", "amount_minor", "currency", "payer", "reference", "payer_account") == [
        (D(2026, 11, 12), 123456, "EUR", "Müller GmbH", "INV-000003; Danke", "DE02100700000123456789"),
        (D(2026, 11, 13), -1200, "EUR", "Sparkasse", "Gebühr 11/2026", ""),
        (D(2026, 11, 14), 2000000, "EUR", "Åse Bäckström", "RE 2026-17", "SE4550000000058398257466")]


def test_signed_amount_column_with_parentheses_and_us_dates() -> None:
    s = parse("signed.csv", SIGNED)
    assert rows(s, "booking_date", "amount_minor", "bank_txn_id", "payer") == [
        (D(2026, 11, 5), 125000, "T-9001", "Kestrel Trading"), (D(2026, 11, 6), -1250, "T-9002", "Bank"),
        (D(2026, 11, 30), -300, "T-9003", "Bank")]


def test_columns_by_position_in_a_file_without_a_header() -> None:
    body = read("signed.csv").split(b"\n", 1)[1]
    mapping = CsvMapping("np", "1", "%m/%d/%Y", amount="3", reference="2", bank_id="4", header=False, delimiter=",")
    assert rows(parse_csv(body, mapping), "amount_minor", "reference") == [
        (125000, "INV-000001"), (-1250, "Card fee"), (-300, "Interest adj.")]


def test_guessed_mappings_read_the_files() -> None:
    uk, de, us = (guess_mapping(read(n)) for n in ("uk-bank.csv", "de-bank.csv", "signed.csv"))
    assert uk and (uk.date, uk.date_format, uk.amount, uk.money_in, uk.money_out, uk.reference) == (
        "Date", "%d/%m/%Y", None, "Paid in", "Paid out", "Description")
    assert de and (de.date, de.date_format, de.amount, de.decimal_sep, de.payer, de.currency, de.default_currency) == (
        "Buchungstag", "%d.%m.%y", "Betrag", ",", "Beguenstigter/Zahlungspflichtiger", "Waehrung", "EUR")
    assert us and (us.date_format, us.amount, us.bank_id, us.payer) == ("%m/%d/%Y", "Amount", "Transaction ID", "Payee")
    assert rows(parse("uk-bank.csv", uk), "amount_minor") == rows(parse("uk-bank.csv", UK), "amount_minor")
    assert rows(parse("de-bank.csv", de), "amount_minor", "payer_account") == rows(
        parse("de-bank.csv", DE), "amount_minor", "payer_account")
    assert guess_mapping(b"Foo,Bar\n1,2\n") is None and guess_mapping(b"") is None


def test_a_mapping_round_trips_through_json_and_reads_cli_text() -> None:
    assert CsvMapping.from_dict(DE.to_dict()) == DE
    typed = CsvMapping.from_dict({"name": "x", "date": "Date", "amount": "Amount", "header": "no", "delimiter": "tab",
                                  "reference": ""})
    assert (typed.header, typed.delimiter, typed.reference) == (False, "\t", None)
    with pytest.raises(ValidationError, match="unknown field"):
        CsvMapping.from_dict({"name": "x", "date": "Date", "ammount": "Amount"})
    with pytest.raises(ValidationError, match="name an amount column"):
        CsvMapping("x", "Date")


@pytest.mark.parametrize("content,where,message", [
    (b"Date,Amount\n05/11/2026,12.00\n\n31/02/2026,1.00\n", "line 4",
     "date '31/02/2026' is not a date written as %d/%m/%Y"),
    (b"Date,Amount\n05/11/2026,1.2x\n", "line 2", "amount '1.2x' is not an amount"),
    (b"Date,Amount\n05/11/2026,\"12,34.00\"\n", "line 2", "amount '12,34.00' has misplaced thousands separators"),
    (b"Date,Amount\n05/11/2026,12.001\n", "line 2", "amount '12.001': GBP amounts have at most 2 decimal places"),
    (b"Date,Amount\n05/11/2026,\n", "line 2", "has no amount"),
    (b"Date,Amount\n05/11/2026\n", "line 2", "has no amount"),
    (b"Date,Amount,Currency\n05/11/2026,1.00,GBP\n06/11/2026,1.00,GBX\n", "line 3",
     "currency 'GBX' is not an ISO 4217"),
    (b"\nDatum,Amount,Currency\n05/11/2026,1.00,GBP\n", "line 2", "has no 'Date' column for the date"),
    (b"Date,Amount,Ref\n05/11/2026,1.00,\"a\nb\"\nxx,1.00,c\n", "line 4", "date 'xx'"),  # a cell on 2 lines
    (b"Date,Amount\n05/11/2026,1.00,\"" + b"x" * 200_000 + b"\"\n", "line 2", "cannot be read as CSV"),
    (b"\n\n", "line 1", "the file is empty"),
])
def test_malformed_csv_names_the_line(content: bytes, where: str, message: str) -> None:
    mapping = CsvMapping("x", "Date", amount="Amount", currency="Currency" if b"Currency" in content else None)
    err = refused(content, "x.csv", mapping)
    assert err.where == where and message in err.message, str(err)


def test_the_error_reads_as_a_sentence() -> None:
    err = refused(b"Datum;Betrag\n05.11.2026;1,00\n\n\n\n\n06.11.2026;1,2x\n", "x.csv",
                  CsvMapping("x", "Datum", "%d.%m.%Y", amount="Betrag", decimal_sep=","))
    assert str(err) == "line 7: amount '1,2x' is not an amount"


def test_a_named_encoding_that_does_not_fit_names_the_line() -> None:
    mapping = replace(DE, encoding="utf-8")
    assert refused(read("de-bank.csv"), "de.csv", mapping).where == "line 2"


# --- detection, dispatch, identity -----------------------------------------------------------------

def test_detect_format_and_dispatch() -> None:
    assert [detect_format(read(n), n) for n in [*XML_FILES, "uk-bank.csv", "de-bank.csv"]] == [
        "ofx", "ofx", "camt.053", "camt.053", "csv", "csv"]
    assert detect_format(b"%PDF-1.7 ...", "statement.csv") == "unknown"
    assert "is a PDF" in refused(b"%PDF-1.7\n", "s.pdf").message
    assert "neither CSV, OFX nor a camt.053" in refused(b"<?xml version='1.0'?><Invoice/>", "i.xml").message
    err = refused(read("signed.csv"), "signed.csv")
    assert err.where == "signed.csv" and "needs a column mapping" in err.message


def test_fingerprints_survive_overlapping_files_and_tell_identical_lines_apart() -> None:
    head = b"Date,Amount,Reference\n"
    a = parse_csv(head + b"01/11/2026,5.00,x\n02/11/2026,9.00,INV-1\n02/11/2026,9.00,INV-1\n", UK_SIGNED)
    b = parse_csv(head + b"02/11/2026,9.00,inv-1 \n02/11/2026,9.00,INV-1\n03/11/2026,1.00,y\n", UK_SIGNED)
    assert [ln.occurrence for ln in a.lines] == [1, 1, 2]
    assert [fingerprint(ln) for ln in a.lines[1:]] == [fingerprint(ln) for ln in b.lines[:2]]
    assert len({fingerprint(ln) for ln in a.lines + b.lines}) == 4
    assert len(fingerprint(a.lines[0])) == 64


UK_SIGNED = CsvMapping("s", "Date", amount="Amount", reference="Reference", delimiter=",")


def test_a_bank_id_repeated_within_a_file_is_made_unique() -> None:
    data = read("sgml-1252.ofx").replace(b"<FITID>202611060002", b"<FITID>202611050001")
    assert [ln.bank_txn_id for ln in parse("dup.ofx", data=data).lines] == [
        "202611050001", "202611050001#2", "202611070003"]


# --- properties ------------------------------------------------------------------------------------

texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=24).map(lambda t: " ".join(t.split()))
lines = st.lists(st.tuples(st.dates(D(1990, 1, 1), D(2099, 12, 31)), st.integers(-10**11, 10**11), texts, texts),
                 min_size=1, max_size=12)


def written(minor: int, decimal_sep: str, grouped: bool, style: str) -> str:
    whole, cents = divmod(abs(minor), 100)
    digits = f"{whole:,}".replace(",", "." if decimal_sep == "," else ",") if grouped else str(whole)
    text = f"{digits}{decimal_sep}{cents:02d}"
    return text if minor >= 0 else {"lead": f"-{text}", "trail": f"{text}-", "parens": f"({text})"}[style]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines, st.sampled_from([",", ";", "\t", "|"]), st.sampled_from([".", ","]), st.booleans(), st.booleans(),
       st.sampled_from(["lead", "trail", "parens"]), st.sampled_from(["%d/%m/%Y", "%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y"]))
def test_a_csv_written_from_lines_parses_back_to_them(data: list[tuple[dt.date, int, str, str]], delimiter: str,
                                                      decimal_sep: str, split: bool, grouped: bool, style: str,
                                                      date_format: str) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["Date", "In", "Out", "Reference", "Payer"] if split else ["Date", "Amount", "Reference", "Payer"])
    for day, minor, reference, payer in data:
        if split:
            money_in = written(minor, decimal_sep, grouped, style) if minor >= 0 else ""
            money_out = written(-minor, decimal_sep, grouped, style) if minor < 0 else ""
            writer.writerow([day.strftime(date_format), money_in, money_out, reference, payer])
        else:
            writer.writerow([day.strftime(date_format), written(minor, decimal_sep, grouped, style), reference, payer])
    columns = {"money_in": "In", "money_out": "Out"} if split else {"amount": "Amount"}
    mapping = CsvMapping("p", "Date", date_format, reference="Reference", payer="Payer", decimal_sep=decimal_sep,
                         delimiter=delimiter, **columns)  # type: ignore[arg-type]
    s = parse_csv(out.getvalue().encode("utf-8"), mapping)
    assert [(ln.booking_date, ln.amount_minor, ln.reference, ln.payer) for ln in s.lines] == data
    assert [ln.position for ln in s.lines] == list(range(1, len(data) + 1))


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([*XML_FILES, "uk-bank.csv", "de-bank.csv"]),
       st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=4))
def test_a_damaged_file_is_read_or_refused_never_crashes(name: str, damage: list[tuple[int, int]]) -> None:
    data = bytearray(read(name))
    for at, byte in damage:
        data[at % len(data)] = byte
    with contextlib.suppress(StatementFormatError):
        parse_statement(bytes(data), name, {"uk-bank.csv": UK, "de-bank.csv": DE}.get(name))
