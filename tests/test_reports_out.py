"""Report renderers: text, spreadsheet-safe CSV, PDF read back; and the report command."""
from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from exports import reports_out
from exports.reports_out import cell_text, column_widths, safe_csv_text, to_csv, to_pdf, to_text
from store.customers import CustomerData, create_customer
from store.errors import ValidationError
from store.reports import Column, Report, run_report
from tests.conftest import line, post


def test_csv_neutralises_formulas_and_keeps_amounts_numbers(books) -> None:
    for name in ("=HYPERLINK(\"http://x\")", "+44 trick", "-minus", "@SUM(A1)", "\tTab Ltd", "Plain Ltd"):
        account = create_customer(CustomerData(name=name, email="x@example.com")).account_no
        post(account, line(price=123456))
    report = run_report("ar_aging")
    rows = list(csv.reader(io.StringIO(to_csv(report))))
    names = [r[report.column("name")] if "name" in [c.key for c in report.columns] else r[1] for r in rows[1:-1]]
    assert "'=HYPERLINK(\"http://x\")" in names and "'+44 trick" in names and "'-minus" in names
    assert "'@SUM(A1)" in names and "'\tTab Ltd" in names and "Plain Ltd" in names
    totals = rows[-1]
    assert "8888.83" in totals or "8888.832" not in totals  # 6 x 1,481.47 as a plain number
    assert any(cell == "1481.47" for cell in rows[1])
    assert safe_csv_text("-12") == "'-12"


def test_text_and_pdf_show_the_figures(books) -> None:
    account = create_customer(CustomerData(name="Дмитрий Шостакович", email="d@example.com")).account_no
    post(account, line(price=250000))
    report = run_report("ar_aging")
    text = to_text(report)
    assert "Дмитрий Шостакович" in text and "3,000.00" in text
    pdf = to_pdf(report, "Billfold Test Ltd")
    extracted = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Дмитрий Шостакович" in extracted and "3,000.00" in extracted and "Billfold Test Ltd" in extracted


def test_report_command_writes_each_format(books, tmp_path, capsys) -> None:
    from store.models import database_proxy
    from tui.cli import main

    account = create_customer(CustomerData(name="Kestrel", email="k@example.com")).account_no
    post(account, line(price=1000))
    db = database_proxy.obj.database
    assert main(["--db", db, "report", "control_account"]) == 0
    assert "The books balance: every difference is zero." in capsys.readouterr().out
    assert main(["--db", db, "report", "ar_aging", "--format", "csv", "-o", str(tmp_path / "a.csv")]) == 0
    assert "12.00" in (tmp_path / "a.csv").read_text()
    assert main(["--db", db, "report", "billing_collections", "--month", "2026-11", "--format", "pdf",
                 "-o", str(tmp_path / "b.pdf")]) == 0
    assert "Billing and collections" in PdfReader(str(tmp_path / "b.pdf")).pages[0].extract_text()
    assert main(["--db", db, "report", "nonsense"]) == 2
    assert "'nonsense' is not a report" in capsys.readouterr().err


row_values = st.tuples(st.text(max_size=60), st.none() | st.integers(-10**13, 10**13),
                       st.none() | st.integers(-10**6, 10**6), st.none() | st.decimals(-999, 999, places=1))


@given(st.lists(row_values, max_size=40), st.none() | row_values)
def test_column_widths_are_the_widest_cell_as_written(rows, totals) -> None:
    """Measured from two figures per number column, the widths still match writing every cell out."""
    report = Report("t", "T", "now", (Column("name", "Customer"), Column("owed", "Owed", "money"),
                                      Column("days", "Days", "int"), Column("share", "Share", "percent")),
                    tuple(rows), totals, currency="GBP")
    every = rows + ([totals] if totals else [])
    expected = [max([len(c.heading)] + [min(40, len(cell_text(report, r, i))) if i == 0 else
                                        len(cell_text(report, r, i)) for r in every if r[i] is not None])
                for i, c in enumerate(report.columns)]
    assert column_widths(report) == expected


def test_a_long_pdf_report_has_its_headings_on_every_page_and_the_totals_with_the_last_rows() -> None:
    rows = tuple((f"{100001 + n}", f"Customer {n:03d} Ltd", 1000 + n) for n in range(70))
    report = Report("t", "Long report", "as of today", (Column("account", "Account"), Column("name", "Customer"),
                                                         Column("owed", "Owed", "money")),
                    rows, ("Total", "", sum(r[2] for r in rows)), ("A note.",), currency="GBP")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(to_pdf(report, "Billfold Test Ltd"))).pages]
    assert [p.count("Customer ") for p in pages] == [26, 29, 15]  # rows: "Customer 000 Ltd" ...
    assert all("Account" in p and "Owed" in p for p in pages)
    # 70,000 + 2,415 minor units:
    assert "Customer 069 Ltd" in pages[-1] and "Total" in pages[-1] and "724.15" in pages[-1]
    assert "A note." in pages[-1]
    with pytest.raises(ValidationError, match="format: Long report has 70 rows and a PDF holds at most 69"), \
            pytest.MonkeyPatch.context() as patch:
        patch.setattr(reports_out, "MAX_PDF_ROWS", 69)
        to_pdf(report, "Billfold Test Ltd")
