"""Each ledger format read back: its totals per company account are the month's trial balance, and the file
is what its package reads (beancount's loader and bean-check, IIF's TRNS/SPL/ENDTRNS, Xero's journal columns)."""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data as bean

from exports.gl_formats import CSV_COLUMNS, XERO_COLUMNS, beancount_account, export_to_file
from store.money import exponent
from tests.gl_books import add_signed, expected, frozen, map_chart, month_of_books


def _minor(text: str | Decimal, currency: str) -> int:
    value = Decimal(text).scaleb(exponent(currency))
    assert value == value.to_integral_value(), text
    return int(value)


@pytest.fixture()
def books_month(books: Path, customer: str) -> dict[str, str]:
    numbers = month_of_books(customer)
    map_chart()
    return numbers


def test_beancount_passes_the_loader_and_bean_check_and_holds_the_trial_balance(books_month, tmp_path: Path
                                                                                 ) -> None:
    out = tmp_path / "nov.beancount"
    result = export_to_file("2026-11", "beancount", out)
    assert result.record.kind == "full" and result.trial_balance_checked
    entries, errors, options = loader.load_file(str(out))
    assert errors == []
    assert options["operating_currency"] == ["GBP"]
    sums: dict[str, dict[str, list[int]]] = {"GBP": {}, "EUR": {}}
    transactions = [e for e in entries if isinstance(e, bean.Transaction)]
    assert len(transactions) == result.record.entry_count
    for txn in transactions:
        assert {p.units.currency for p in txn.postings} in ({"GBP"}, {"EUR"})
        for posting in txn.postings:
            add_signed(sums[posting.units.currency], posting.account, _minor(posting.units.number,
                                                                             posting.units.currency))
    for currency in ("GBP", "EUR"):
        assert frozen(sums[currency]) == expected(currency, beancount_account)
    opened = {e.account for e in entries if isinstance(e, bean.Open)}
    assert "Assets:Accounts-Receivable" in opened and "Liabilities:Customer-Deposits" in opened
    bean_check = Path(sys.executable).with_name("bean-check")
    checker = str(bean_check) if bean_check.exists() else shutil.which("bean-check")
    assert checker, "bean-check comes with the beancount package (the test extra)"
    run = subprocess.run([checker, str(out)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def test_iif_is_trns_spl_endtrns_and_holds_the_trial_balance(books_month, tmp_path: Path) -> None:
    out = tmp_path / "nov.iif"
    result = export_to_file("2026-11", "quickbooks-iif", out, currency="GBP")
    raw = out.read_bytes().decode()
    assert raw.endswith("\r\n") and "\r\n" in raw
    rows = list(csv.reader(raw.splitlines(), delimiter="\t"))
    assert rows[0] == ["!TRNS", "TRNSID", "TRNSTYPE", "DATE", "ACCNT", "NAME", "AMOUNT", "DOCNUM", "MEMO"]
    assert rows[1] == ["!SPL", "SPLID", "TRNSTYPE", "DATE", "ACCNT", "NAME", "AMOUNT", "DOCNUM", "MEMO"]
    assert rows[2] == ["!ENDTRNS"]
    sums: dict[str, list[int]] = {}
    transactions, trns_amount, spl_total = 0, None, 0
    for row in rows[3:]:
        if row[0] == "ENDTRNS":
            assert trns_amount == -spl_total  # QuickBooks: the TRNS amount is minus the sum of its splits
            transactions, trns_amount, spl_total = transactions + 1, None, 0
            continue
        assert row[0] in ("TRNS", "SPL") and len(row) == 9
        assert row[2] == "GENERAL JOURNAL" and re.fullmatch(r"\d\d/\d\d/2026", row[3]) and row[3].startswith("11/")
        minor = _minor(row[6], "GBP")
        if row[0] == "TRNS":
            assert trns_amount is None
            trns_amount = minor
        else:
            spl_total += minor
        add_signed(sums, row[4], minor)
    assert transactions == result.record.entry_count and trns_amount is None
    assert frozen(sums) == expected("GBP")


def test_xero_manual_journal_columns_and_totals(books_month, tmp_path: Path) -> None:
    out = tmp_path / "nov-xero.csv"
    export_to_file("2026-11", "xero-csv", out, currency="EUR")
    with out.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == XERO_COLUMNS
    assert rows[0][:6] == ["*Narration", "*Date", "Description", "*AccountCode", "*TaxRate", "*Amount"]
    sums: dict[str, list[int]] = {}
    journals: dict[tuple[str, str], int] = {}
    for narration, date, _desc, code, tax_rate, amount, *_tracking in rows[1:]:
        assert re.fullmatch(r"\d\d/11/2026", date) and tax_rate == "No VAT"
        minor = _minor(amount, "EUR")
        journals[(narration, date)] = journals.get((narration, date), 0) + minor
        add_signed(sums, code, minor)
    assert journals and all(total == 0 for total in journals.values())  # each journal balances
    assert frozen(sums) == expected("EUR")


def test_our_csv_layout_and_totals_in_every_currency(books_month, tmp_path: Path) -> None:
    out = tmp_path / "nov.csv"
    export_to_file("2026-11", "csv", out)
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    for currency in ("GBP", "EUR"):
        sums: dict[str, list[int]] = {}
        for row in rows:
            if row["currency"] == currency:
                assert _minor(row["debit"], currency) == int(row["debit_minor"])
                add_signed(sums, row["mapped_account"], int(row["debit_minor"]) - int(row["credit_minor"]))
        assert frozen(sums) == expected(currency)
    assert {row["date"][:7] for row in rows} == {"2026-11"}


def test_a_name_that_would_be_a_formula_or_break_a_line_is_neutralised(books: Path, tmp_path: Path) -> None:
    from store.customers import CustomerData, create_customer
    from tests.conftest import line, post

    account = create_customer(CustomerData(name='=HYPERLINK("x")\tTab "Quoted"', email="a@b.example")).account_no
    post(account, line())
    map_chart()
    export_to_file("2026-11", "xero-csv", tmp_path / "x.csv")
    export_to_file("2026-11", "quickbooks-iif", tmp_path / "x.iif")
    with (tmp_path / "x.csv").open(newline="") as handle:
        descriptions = {row[2] for row in list(csv.reader(handle))[1:]}
    assert all(not d.startswith("=") for d in descriptions)
    iif_rows = [r.split("\t") for r in (tmp_path / "x.iif").read_text().splitlines()]
    assert {len(r) for r in iif_rows if r[0] in ("TRNS", "SPL")} == {9}
    assert all('"' not in cell for r in iif_rows for cell in r)


def test_a_xero_month_over_its_line_limit_goes_out_in_numbered_files_of_whole_journals(
        books_month, tmp_path: Path, monkeypatch) -> None:
    from exports import gl_formats

    monkeypatch.setattr(gl_formats, "XERO_MAX_LINES", 5)
    result = export_to_file("2026-11", "xero-csv", tmp_path / "nov.csv", currency="GBP")
    files = sorted(tmp_path.glob("nov-*.csv"))
    assert len(files) > 2 and not (tmp_path / "nov.csv").exists()
    assert result.record.file_name == str(tmp_path / f"nov-[001-{len(files):03d}].csv")
    sums: dict[str, list[int]] = {}
    seen: set[str] = set()
    digest = __import__("hashlib").sha256()
    for path in files:
        digest.update(path.read_bytes())
        with path.open(newline="") as handle:
            rows = list(csv.reader(handle))
        assert tuple(rows[0]) == XERO_COLUMNS and 1 <= len(rows) - 1 <= 5
        journals = {row[0] for row in rows[1:]}
        assert not journals & seen  # a journal is never cut between two files
        seen |= journals
        for row in rows[1:]:
            add_signed(sums, row[3], _minor(row[5], "GBP"))
    assert frozen(sums) == expected("GBP") and digest.hexdigest() == result.record.sha256


@pytest.mark.parametrize("currency", ["GBP", "JPY", "KWD", "EUR"])
def test_amount_text_is_plain_amount(currency: str) -> None:
    from exports.gl_formats import amount_text
    from store.money import plain_amount

    for minor in (0, 1, -1, 9, 10, 99, 100, 101, -637_46, 123_456_789, -10**15 + 7):
        assert amount_text(minor, currency) == plain_amount(minor, currency), (minor, currency)
