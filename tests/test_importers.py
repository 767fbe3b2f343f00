"""Statement parsers on files written from each format's specification, awkward parts included."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.importers import CsvMapping, StatementFormatError, detect_format, guess_mapping, parse_statement

DATA = Path(__file__).parent / "data" / "statements"
D = dt.date


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_ofx_sgml_without_closing_tags_and_a_windows_1252_payee() -> None:
    s = parse_statement(read("sgml-1252.ofx"), "sgml-1252.ofx")
    assert (s.format, s.account, s.currency, s.closing_minor) == ("ofx", "12345678", "GBP", 500000)
    assert [(ln.booking_date, ln.amount_minor, ln.bank_txn_id) for ln in s.lines] == [
        (D(2026, 11, 5), 123450, "F1"), (D(2026, 11, 6), -2000, "F2"), (D(2026, 11, 7), 6000, "F3")]
    assert s.lines[0].payer == "Müller & Söhne – Café" and s.lines[0].reference == "INV-000001 thanks"
    assert s.lines[2].reference == "000123"


def test_ofx_2_xml() -> None:
    s = parse_statement(read("v220.ofx"), "v220.ofx")
    assert (s.currency, s.account) == ("EUR", "DE89370400440532013000")
    assert [(ln.amount_minor, ln.payer, ln.reference) for ln in s.lines] == [(9995, "Zoë Ångström", "Rechnung INV-000002")]


@pytest.mark.parametrize("name", ["camt053-v02.xml", "camt053-v08.xml"])
def test_camt053_batch_entry_becomes_one_line_per_transaction(name: str) -> None:
    s = parse_statement(read(name), name)
    assert (s.format, s.account, s.currency, s.opening_minor, s.closing_minor) == (
        "camt.053", "GB29NWBK60161331926819", "GBP", 100000, 126500)
    assert [(ln.amount_minor, ln.bank_txn_id, ln.reference, ln.payer) for ln in s.lines] == [
        (10000, "TX-1", "INV-000003", "Harbour Supplies Ltd"), (15000, "TX-2", "INV-000004", "Heron Granite"),
        (5000, "TX-3", "", "Kestrel Trading"), (-3500, "FEE-11", "Account fee", "")]
    assert s.lines[0].payer_account == "GB33BUKB20201555555555"
    assert sum(ln.amount_minor for ln in s.lines) == s.closing_minor - s.opening_minor


def test_uk_csv_with_paid_in_and_paid_out_columns() -> None:
    mapping = CsvMapping("uk", "Date", "%d/%m/%Y", money_in="Paid in", money_out="Paid out", reference="Description")
    s = parse_statement(read("uk-bank.csv"), "uk-bank.csv", mapping)
    assert [(ln.booking_date, ln.amount_minor, ln.reference) for ln in s.lines] == [
        (D(2026, 11, 5), 123450, "INV-000001 KESTREL"), (D(2026, 11, 6), -2000, "Bank fee"),
        (D(2026, 11, 7), 106000, "HERON, GRANITE INV-000002")]


def test_german_csv_semicolons_comma_decimals_trailing_minus_and_1252() -> None:
    mapping = CsvMapping("de", "Buchungstag", "%d.%m.%Y", amount="Betrag", reference="Verwendungszweck",
                         payer="Auftraggeber", currency="Währung", decimal_sep=",")
    s = parse_statement(read("de-bank.csv"), "de-bank.csv", mapping)
    assert [(ln.amount_minor, ln.currency, ln.payer) for ln in s.lines] == [(123456, "EUR", "Müller GmbH"),
                                                                           (-1200, "EUR", "Bank")]


def test_signed_amount_column_by_position_and_a_guessed_mapping() -> None:
    mapping = CsvMapping("signed", "1", "%Y-%m-%d", amount="2", reference="3", payer="4")
    s = parse_statement(read("signed.csv"), "signed.csv", mapping)
    assert [ln.amount_minor for ln in s.lines] == [25000, -1250]
    guessed = guess_mapping(read("uk-bank.csv"))
    assert guessed and (guessed.date, guessed.money_in, guessed.money_out, guessed.date_format) == (
        "Date", "Paid in", "Paid out", "%d/%m/%Y")


@pytest.mark.parametrize("content,where,message", [
    (b"Date,Amount\n05/11/2026,12.00\n31/02/2026,1.00\n", "line 3", "is not written as"),
    (b"Date,Amount\n05/11/2026,12.0x\n", "line 2", "is not an amount"),
    (b"Date,Amount\n05/11/2026,\n", "line 2", "has no amount"),
])
def test_malformed_csv_names_the_line(content: bytes, where: str, message: str) -> None:
    with pytest.raises(StatementFormatError) as err:
        parse_statement(content, "x.csv", CsvMapping("x", "Date", amount="Amount"))
    assert err.value.where == where and message in err.value.message


def test_malformed_xml_and_doctype_are_refused() -> None:
    truncated = read("camt053-v02.xml")[:900]
    with pytest.raises(StatementFormatError, match="is not well-formed"):
        parse_statement(truncated, "cut.xml")
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Document><BkToCstmrStmt/></Document>'
    with pytest.raises(StatementFormatError, match="may not declare"):
        parse_statement(evil, "evil.xml")
    bad = read("camt053-v02.xml").replace(b"<CdtDbtInd>DBIT</CdtDbtInd><Sts>", b"<CdtDbtInd>XX</CdtDbtInd><Sts>")
    with pytest.raises(StatementFormatError) as err:
        parse_statement(bad, "bad.xml")
    assert err.value.where == "Ntry[2]/CdtDbtInd"
    with pytest.raises(StatementFormatError, match="choose or save a column mapping"):
        parse_statement(read("signed.csv"), "signed.csv")
    assert detect_format(read("sgml-1252.ofx"), "a") == "ofx" and detect_format(read("camt053-v08.xml"), "b") == "camt.053"


lines_strategy = st.lists(st.tuples(st.dates(D(2000, 1, 1), D(2099, 12, 31)), st.integers(-10**9, 10**9),
                                    st.text(alphabet="abcdefXYZ 0123456789-/", max_size=20)), min_size=1, max_size=20)


@settings(max_examples=40, deadline=None)
@given(lines_strategy)
def test_a_csv_written_from_lines_parses_back_to_them(rows) -> None:
    from store.money import plain_amount

    text = "Date,Amount,Reference\n" + "".join(
        f"{d:%d/%m/%Y},{plain_amount(a, 'GBP')},\"{r}\"\n" for d, a, r in rows)
    s = parse_statement(text.encode(), "p.csv", CsvMapping("p", "Date", amount="Amount", reference="Reference"))
    assert [(ln.booking_date, ln.amount_minor, ln.reference) for ln in s.lines] == [(d, a, r.strip()) for d, a, r in rows]
