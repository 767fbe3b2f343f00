"""Text and CSV reports written row by row give exactly the bytes tabulate and the whole-string CSV gave."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import tabulate

from exports.reports_out import cell_text, chart_text, export_report, to_csv, to_text, write_report_file
from store.customers import CustomerData, create_customer
from store.payments import PaymentInput, record_payment
from store.reports import REPORT_TAKES, Chart, Column, Report, run_report
from tests.conftest import line, post


def tabulated(report: Report) -> str:
    """The text export as it was made before it streamed: the whole table through tabulate."""
    aligns = ["right" if c.kind in ("money", "int", "percent") else "left" for c in report.columns]
    body = [[cell_text(report, row, i) for i in range(len(report.columns))]
            for row in list(report.rows) + ([report.totals] if report.totals else [])]
    table = tabulate(body, headers=[c.heading for c in report.columns], colalign=aligns, disable_numparse=True)
    lines = [report.title, report.period_label, "", table]
    if report.chart:
        lines += ["", chart_text(report.chart, report.currency or "GBP")]
    if report.notes:
        lines += ["", *report.notes]
    return "\n".join(lines) + "\n"


def test_every_report_of_small_books_gives_the_same_bytes(books, tmp_path: Path) -> None:
    for name in ("Zoë Ångström", "  Spaced Ltd  ", "=Formula", "Дмитрий Шостакович", "A very long name " * 4):
        account = create_customer(CustomerData(name=name, email="x@example.com")).account_no
        post(account, line(price=123456))
        post(account, line(price=5))
    record_payment(PaymentInput(999, "GBP", "cash", dt.date(2026, 11, 3), None, "who?"))
    for name in REPORT_TAKES:
        report = run_report(name)
        assert to_text(report) == tabulated(report), name
        size = write_report_file(report, "txt", tmp_path / f"{name}.txt", "Co")
        assert (tmp_path / f"{name}.txt").read_bytes() == export_report(report, "txt", "Co")
        assert size == len(export_report(report, "txt", "Co"))
        write_report_file(report, "csv", tmp_path / f"{name}.csv", "Co")
        assert (tmp_path / f"{name}.csv").read_bytes() == to_csv(report).encode()


cells = st.one_of(st.none(), st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12))


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(cells, st.one_of(st.none(), st.integers(-10**12, 10**12)),
                               st.one_of(st.none(), st.integers(-500, 500)), st.one_of(st.none(), st.dates()),
                               st.sampled_from(["GBP", "JPY", "KWD"]), st.decimals(-999, 999, places=2)),
                     max_size=8),
       currency=st.sampled_from([None, "GBP"]), heading=st.text(max_size=6))
def test_any_rows_give_what_tabulate_gave(rows: list[tuple[object, ...]], currency: str | None, heading: str) -> None:
    columns = (Column("name", heading or "Name"), Column("amount", "Amount", "money"), Column("n", "N", "int"),
               Column("due", "Due", "date"), Column("currency", "Cur"), Column("share", "Share", "percent"))
    rows = [(*r[:5], None if r[5].is_nan() else Decimal(r[5])) for r in rows]
    report = Report("t", "Title", "Period", columns, tuple(rows), totals=None, notes=("a note",),
                    chart=Chart("bars", ("x",), (1,)), currency=currency)
    assert to_text(report) == tabulated(report)
