"""PDF rendering benchmark: `python tests/bench/bench_pdf.py [--quick]` from the repository root.

Measures what an operator waits for: one invoice (against a bare xhtml2pdf render of the same
HTML, to show what our safety and templating add), a 4-page and a 2,000-line statement (chunked
tables against one long table), and a batch of 200 invoices through render_many on one process
and on every core.
"""
from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tabulate import tabulate

from exports.pdf import html as pdf_html
from exports.pdf import page_count, render_invoice, render_statement
from exports.pdf.layout import Chunks
from exports.pdf.pool import RenderJob, render_many
from exports.pdf.resources import LinkGate
from exports.pdf.samples import sample_company, sample_invoice, sample_statement
from exports.pdf.views import invoice_html, statement_html


def timed(fn: Callable[[], bytes], runs: int) -> tuple[float, bytes]:
    """Median seconds of `runs` calls (after one warm-up call), and the last result."""
    result = fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bare_render(html: str) -> bytes:
    """xhtml2pdf as the library ships: the fonts resolved, no policy, no limits, no cleaning."""
    from xhtml2pdf import pisa
    from xhtml2pdf.config.resources import PERMISSIVE_POLICY

    paths = {uri: str(path) for uri, path in LinkGate().allowed.items()}
    out = io.BytesIO()
    pisa.CreatePDF(html, dest=out, link_callback=lambda uri, rel: paths.get(uri), resource_policy=PERMISSIVE_POLICY)
    return out.getvalue()


def naive_html(html: str) -> str:
    """The same document as xhtml2pdf's own page count would print it (two layout passes)."""
    return re.sub(r"(Page <pdf:pagenumber> of )\d+", r"\1<pdf:pagecount>", html)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs and a 500-line long statement")
    args = parser.parse_args()
    runs = 3 if args.quick else 15
    long_rows = 500 if args.quick else 2000
    batch = 40 if args.quick else 200
    company = sample_company()
    rows: list[list[object]] = []

    invoice = sample_invoice(7)
    html = invoice_html(invoice, company).html
    ours, pdf = timed(lambda: render_invoice(invoice, company), runs)
    bare, _ = timed(lambda: bare_render(html), runs)
    naive, _ = timed(lambda: bare_render(naive_html(html)), runs)
    rows.append(["invoice, 7 lines: render_invoice", f"{ours * 1000:.0f} ms", page_count(pdf),
                 f"{ours / bare:.2f}x bare"])
    rows.append(["invoice, same HTML: bare xhtml2pdf", f"{bare * 1000:.0f} ms", page_count(pdf), "1.00x"])
    rows.append(["invoice, bare with <pdf:pagecount>", f"{naive * 1000:.0f} ms", page_count(pdf),
                 f"{naive / bare:.2f}x bare"])

    statement = sample_statement(75)
    seconds, pdf = timed(lambda: render_statement(statement, company), max(1, runs // 3))
    rows.append([f"statement, {len(statement.rows)} lines", f"{seconds:.2f} s", page_count(pdf), ""])

    long_statement = sample_statement(long_rows)
    start = time.perf_counter()
    pdf = render_statement(long_statement, company)
    chunked = time.perf_counter() - start
    rows.append([f"statement, {long_rows} lines: render_statement", f"{chunked:.2f} s", page_count(pdf),
                 f"{chunked / long_rows * 1000:.1f} ms/line"])
    with mock.patch.object(pdf_html, "chunk_rows", lambda rows_, *_: Chunks([list(rows_)], 0.0)):
        single_html = naive_html(statement_html(long_statement, company).html)
    start = time.perf_counter()
    pdf = bare_render(single_html)
    single = time.perf_counter() - start
    rows.append([f"statement, {long_rows} lines: one table, <pdf:pagecount>", f"{single:.2f} s", page_count(pdf),
                 f"{single / long_rows * 1000:.1f} ms/line"])

    jobs = [RenderJob(i, "invoice", sample_invoice(7, seed=i, number=f"INV-{i:06d}"), company) for i in range(batch)]
    cores = os.cpu_count() or 1
    for processes in sorted({1, cores}):
        start = time.perf_counter()
        failures = sum(not isinstance(result, bytes) for _, result in render_many(jobs, processes=processes))
        seconds = time.perf_counter() - start
        rows.append([f"render_many, {batch} invoices, {processes} process(es)", f"{seconds:.2f} s", "",
                     f"{batch / seconds:.1f} docs/s, {failures} failed"])

    print(tabulate(rows, headers=["case", "time (median)", "pages", "note"]))


if __name__ == "__main__":
    main()
