"""PDF documents: what prints, what is refused, what it costs. Real xhtml2pdf, read back with pypdf."""
from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import ClassVar, cast

import pypdf
import pytest

from exports.documents import Aging, DocLine, PageSize, Party, StatementDoc, TaxSummary
from exports.pdf import RenderError, render_html, render_invoice, render_reminder, render_statement
from exports.pdf import render as pdf_module
from exports.pdf.address import address_block
from exports.pdf.format import Formatter, clean_text
from exports.pdf.layout import GEOMETRY, PT_PER_MM, chunk_rows, wrapped_lines
from exports.pdf.pool import RenderJob, RenderTimeout, render_in_worker, render_many, shared_pool
from exports.pdf.resources import FONT_DIR, FONT_URIS, LinkGate
from exports.pdf.samples import sample_company, sample_customer, sample_invoice, sample_reminder, sample_statement
from exports.pdf.views import statement_html

LOGO = Path(__file__).parent / "data" / "pdf" / "logo.png"
FMT = Formatter("en_GB", "GBP")


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Whitespace collapsed, so a phrase matches whether or not the page wrapped it."""
    return " ".join(text.split())


def words_present(text: str, phrase: str) -> bool:
    """Every word of `phrase` is on the page (a wrapped cell interleaves with the cells beside it)."""
    words = set(flat(text).split())
    return all(word in words for word in phrase.split())


# --- audit: the only reliable way to see every open() and socket a C library or pypdf might make

class _Audit:
    active: ClassVar[bool] = False
    events: ClassVar[list[tuple[str, str]]] = []


def _audit_hook(event: str, args: tuple) -> None:
    if _Audit.active and (event.startswith("socket.") or event == "urllib.Request" or
                          (event == "open" and args and "/etc/" in str(args[0]))):
        _Audit.events.append((event, str(args)[:200]))


sys.addaudithook(_audit_hook)


@pytest.fixture()
def audited() -> Iterator[list[tuple[str, str]]]:
    _Audit.events = []
    _Audit.active = True
    try:
        yield _Audit.events
    finally:
        _Audit.active = False


@pytest.fixture()
def gates(monkeypatch: pytest.MonkeyPatch) -> list[LinkGate]:
    """Every link callback the renderer makes, to see what documents asked for."""
    made: list[LinkGate] = []

    @dataclasses.dataclass
    class RecordingGate(LinkGate):
        def __post_init__(self) -> None:
            made.append(self)

    monkeypatch.setattr(pdf_module, "LinkGate", RecordingGate)
    return made


# --- what an invoice prints --------------------------------------------------------------------

def test_invoice_prints_number_dates_customer_every_line_and_totals(gates: list[LinkGate]) -> None:
    doc = sample_invoice(7, paid_minor=10_000)
    pdf = render_invoice(doc, sample_company(logo_path=str(LOGO)))
    assert pdf.startswith(b"%PDF")
    text = "\n".join(pages_text(pdf))
    for expected in ("Invoice", doc.number, "1 Nov 2026", "1 Dec 2026", doc.customer.name, doc.customer.account_no,
                     "PO 7781-B", "Northwind Trading Ltd", "GB 123 4567 89", "Sort code 20-00-00 · Account 12345678",
                     "Page 1 of 1"):
        assert expected in text, expected
    for line in doc.lines:
        assert words_present(text, line.description), line.description
        assert FMT.amount(line.net_minor) in text
        assert FMT.amount(line.unit_price_minor) in text
    for tax in doc.tax_summaries:
        assert f"Tax {tax.code}" in text and FMT.money(tax.tax_minor) in text
    for amount in (doc.subtotal_minor, doc.total_minor, doc.amount_due_minor, doc.amount_paid_minor):
        assert FMT.money(amount) in text
    # The logo was the one file besides the fonts that the document read.
    (gate,) = gates
    assert gate.refused == []
    assert "billfold-asset:logo" in gate.asked


def test_credit_note_names_the_invoice_it_credits_and_asks_for_no_payment() -> None:
    doc = dataclasses.replace(sample_invoice(2), kind="credit_note", number="CN-000007",
                              credited_invoice_number="INV-000123")
    text = "\n".join(pages_text(render_invoice(doc, sample_company())))
    assert "Credit note" in text and "CN-000007" in text and "INV-000123" in text
    assert "Amount due" not in text and "How to pay" not in text.title()


def test_reminder_prints_level_items_and_total() -> None:
    doc = sample_reminder(3)
    text = flat("\n".join(pages_text(render_reminder(doc, sample_company()))))
    assert "Final notice" in text and "collections process" in text
    for item in doc.items:
        assert item.number in text and FMT.amount(item.amount_due_minor) in text
    assert FMT.money(doc.total_due_minor) in text


def test_documents_refuse_figures_that_do_not_add_up() -> None:
    doc = sample_invoice(3)
    with pytest.raises(ValueError, match="total"):
        dataclasses.replace(doc, total_minor=doc.total_minor + 1)
    with pytest.raises(TypeError, match="minor units"):
        DocLine("x", "1", 10.0, "", "S", "20", 10, 2)  # type: ignore[arg-type]
    statement = sample_statement(3)
    with pytest.raises(ValueError, match="closing balance"):
        dataclasses.replace(statement, closing_balance_minor=statement.closing_balance_minor + 1)


# --- pages -----------------------------------------------------------------------------------

def test_long_statement_breaks_across_pages_with_header_and_page_n_of_m() -> None:
    doc = sample_statement(150)
    company = sample_company()
    pdf = render_statement(doc, company)
    pages = pages_text(pdf)
    assert len(pages) >= 4
    for number, text in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Date Type Number Details Debit Credit Balance" in flat(text)  # the header row, every page
    everything = "\n".join(pages)
    for row in doc.rows:
        assert row.number in everything
    assert FMT.amount(doc.closing_balance_minor) in pages[-1]
    # Chunks are sized to pages: none overflowed into a page of its own, and the estimate printed
    # in the footer was the real count.
    document = statement_html(doc, company)
    assert document.html.count('<table class="items"') == document.pages == len(pages)


def test_a_wrong_page_estimate_is_printed_again_with_the_real_count() -> None:
    doc, company = sample_invoice(2), sample_company()
    wrong = partial(pdf_module.invoice_html, doc, company)
    pdf = pdf_module._render_document(lambda pages: wrong(pages or 5), company, pdf_module.DEFAULT_LIMITS)
    assert "Page 1 of 1" in pages_text(pdf)[0]


@pytest.mark.parametrize("size,points", [("A4", (595.3, 841.9)), ("Letter", (612.0, 792.0))])
def test_page_size_comes_from_the_company(size: str, points: tuple[float, float]) -> None:
    reader = pypdf.PdfReader(io.BytesIO(render_invoice(sample_invoice(2), sample_company(size))))  # type: ignore[arg-type]
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == points


@pytest.mark.parametrize("size", ["A4", "Letter"])
def test_customer_address_prints_inside_the_envelope_window(size: PageSize) -> None:
    customer = sample_customer()
    page = pypdf.PdfReader(io.BytesIO(render_invoice(sample_invoice(2, customer=customer),
                                                     sample_company(size)))).pages[0]
    height = float(page.mediabox.height)
    placed: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size_: float) -> None:
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        placed.setdefault(text.strip(), (x / PT_PER_MM, (height - y) / PT_PER_MM))  # mm from top left

    page.extract_text(visitor_text=visit)
    window = GEOMETRY[size].window
    for line in address_block(customer, sample_company(size).locale).lines:
        x, y = placed[line]
        assert window.left - 0.1 <= x < window.left + window.width, line
        assert window.top < y < window.top + window.height, line


# --- text as typed ---------------------------------------------------------------------------

NAMES = ("Zoë Ångström", "Дмитрий Шостакович", "Αλέξανδρος", "山田太郎", "김민준")
ARABIC = "محمد"


def test_every_script_prints_as_letters_and_extracts_as_typed() -> None:
    customer = dataclasses.replace(sample_customer(), name=NAMES[0], city="Санкт-Петербург")
    doc = sample_invoice(1, customer=customer)
    lines = tuple(dataclasses.replace(doc.lines[0], description=name) for name in (*NAMES, ARABIC))
    net = doc.lines[0].net_minor * len(lines)
    tax = doc.lines[0].tax_minor * len(lines)
    summary = (TaxSummary(doc.lines[0].tax_code, doc.lines[0].tax_rate, net, tax),)
    doc = dataclasses.replace(doc, lines=lines, tax_summaries=summary, subtotal_minor=net, tax_total_minor=tax,
                              total_minor=net + tax, amount_due_minor=net + tax)
    pdf = render_invoice(doc, sample_company())
    text = "\n".join(pages_text(pdf))
    for name in (*NAMES, "САНКТ-ПЕТЕРБУРГ"):  # the post town in capitals, as a UK address writes it
        assert name in text, name
    # Arabic is drawn joined (presentation forms) and right to left, so it extracts as those forms,
    # possibly in visual order: folded back with NFKC, every letter must be there.
    folded = unicodedata.normalize("NFKC", text)
    assert ARABIC in folded or ARABIC[::-1] in folded
    assert all(letter in folded for letter in ARABIC)
    # The glyphs came from fonts embedded in the file, not from whatever the reader has.
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    embedded = {str(font["/BaseFont"]).split("+")[-1] for font in _fonts(reader) if "/FontFile2" in
                font.get("/FontDescriptor", {})}
    assert {"DejaVuSans", "DejaVuSans-Bold", "DroidSansFallback"} <= embedded


def _fonts(reader: pypdf.PdfReader) -> list[dict]:
    """Every font dictionary the pages use (Type0 fonts through their descendants), resolved."""
    fonts: list[dict] = []
    for page in reader.pages:
        resources = cast(dict, page["/Resources"])
        for ref in cast(dict, resources["/Font"]).values():
            font = ref.get_object()
            fonts += [d.get_object() for d in font.get("/DescendantFonts", [])] + [font]
    return [{**f, "/FontDescriptor": f["/FontDescriptor"].get_object()} if "/FontDescriptor" in f else f
            for f in fonts]


# --- hostile input -----------------------------------------------------------------------------

HOSTILE = '<img src="/etc/passwd"> <b>bold?</b> & {{ 7*7 }} <pdf:pagenumber/>'


def test_hostile_fields_print_as_literal_text_and_fetch_nothing(gates: list[LinkGate],
                                                               audited: list[tuple[str, str]]) -> None:
    customer = Party("C-1", HOSTILE, ('<link rel="stylesheet" href="http://169.254.169.254/">',), "x\x00y\x1bz",
                     "", "", "")
    doc = sample_invoice(1, customer=customer)
    doc = dataclasses.replace(doc, lines=(dataclasses.replace(doc.lines[0], description=HOSTILE
                                                              + ' <div style="background: url(/etc/passwd)">'),),
                              memo="\u202eevil\u202c memo", reference="<script>alert(1)</script>")
    text = flat("\n".join(pages_text(render_invoice(doc, sample_company()))))
    assert '<img src="/etc/passwd">' in text and "<b>bold?</b> & {{ 7*7 }} <pdf:pagenumber/>" in text
    assert "http://169.254.169.254/" in text and "<script>alert(1)</script>" in text
    assert "XYZ" in text and "evil memo" in text  # control and bidi-override characters stripped (a town: capitals)
    (gate,) = gates
    assert gate.refused == []  # nothing a user typed became a resource request
    assert set(gate.asked) <= set(FONT_URIS.values())
    assert audited == []


def test_hostile_html_is_refused_by_the_link_callback_and_fetches_nothing(audited: list[tuple[str, str]]) -> None:
    uris = ["/etc/passwd", "http://169.254.169.254/latest/meta-data/", "file:///etc/shadow",
            "data:image/png;base64,iVBORw0KGgo=", "../../../../etc/hostname", "https://example.com/x.png"]
    html = f"""<html><head><style>
        @import url("http://169.254.169.254/a.css");
        @font-face {{ font-family: X; src: url("/etc/passwd"); }}
        body {{ background-image: url("file:///etc/passwd"); }}
      </style><link rel="stylesheet" href="https://example.com/b.css"></head>
      <body>{"".join(f'<img src="{uri}">' for uri in uris)}
      <div style="background-image: url(http://169.254.169.254/)">still renders</div></body></html>"""
    gate = LinkGate()
    pdf = render_html(html, gate=gate)
    assert "still renders" in pages_text(pdf)[0]
    for uri in [*uris, "http://169.254.169.254/a.css", "https://example.com/b.css", "file:///etc/passwd"]:
        assert uri in gate.refused, uri
    assert audited == []


def test_only_the_configured_logo_is_readable(tmp_path: Path) -> None:
    other = tmp_path / "secret.png"
    other.write_bytes(LOGO.read_bytes())
    gate = LinkGate(logo=LOGO.resolve())
    render_html(f'<img src="billfold-asset:logo"><img src="{other}"><img src="{LOGO}">', gate=gate)
    assert gate.refused == [str(other), str(LOGO)]  # even the logo file by its own path is refused


def test_very_long_words_wrap_inside_the_page() -> None:
    word = "Ж" * 400
    doc = sample_invoice(1)
    doc = dataclasses.replace(doc, lines=(dataclasses.replace(doc.lines[0], description=word),),
                              customer=dataclasses.replace(doc.customer, name="N" * 200))
    text = "\n".join(pages_text(render_invoice(doc, sample_company())))
    assert text.count("Ж") == 400
    assert max(len(run) for run in re.findall("Ж+", text)) < 80  # broken across lines, not run off the page


def test_clean_text_strips_what_must_not_print() -> None:
    assert clean_text("a\x00b\x07c\x1b[0m\u202ed\u2066e\ufeff\r\nf\tg") == "abc[0mde\nf g"


def test_render_limits_refuse_oversized_html() -> None:
    with pytest.raises(RenderError, match="bytes of HTML"):
        render_html("<p>x</p>" * 1000, limits=pdf_module.RenderLimits(max_html_bytes=1000))


# --- layout helpers ------------------------------------------------------------------------

def test_chunks_fill_pages_and_wrap_estimates_count_lines() -> None:
    table = chunk_rows(list(range(10)), lambda _: 1.0, 3, 4)
    assert table.chunks == [[0, 1, 2], [3, 4, 5, 6], [7, 8, 9]] and table.room_left == 1
    assert chunk_rows([], lambda _: 1.0, 3, 4).chunks == [[]]
    assert wrapped_lines("short", 50, 8) == 1
    assert wrapped_lines("word " * 40, 50, 8) > 2
    assert wrapped_lines("x" * 300, 50, 8) >= 5


def test_importing_the_renderer_does_not_load_xhtml2pdf() -> None:
    code = ("import sys, exports.pdf, exports.pdf.pool; "
            "assert not {'xhtml2pdf', 'reportlab'} & set(sys.modules), sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


# --- workers -----------------------------------------------------------------------------------

def test_render_in_worker_kills_an_overrunning_render_and_recovers() -> None:
    company = sample_company()
    assert render_in_worker("invoice", sample_invoice(2), company, timeout=30).startswith(b"%PDF")
    warm = set(shared_pool()._workers)
    with pytest.raises(RenderTimeout):
        render_in_worker("statement", sample_statement(2000), company, timeout=0.5)
    # The overrunning render was not waited for: its worker was killed and left the pool.
    killed = warm - shared_pool()._workers
    assert len(killed) == 1 and not next(iter(killed)).process.is_alive()
    assert render_in_worker("reminder", sample_reminder(1), company, timeout=30).startswith(b"%PDF")


def test_render_many_reports_each_failure_and_finishes_the_batch() -> None:
    company = sample_company()
    jobs = [RenderJob(1, "invoice", sample_invoice(2), company), RenderJob(2, "nonsense", None, company),
            RenderJob(3, "statement", "not a statement", company), RenderJob(4, "reminder", sample_reminder(), company),
            RenderJob(5, "html", "<p>plain</p>", None)]
    results = dict(render_many(jobs, processes=2))
    assert sorted(results) == [1, 2, 3, 4, 5]
    assert all(isinstance(results[i], bytes) and results[i].startswith(b"%PDF") for i in (1, 4, 5))  # type: ignore[union-attr]
    assert isinstance(results[2], RenderError) and isinstance(results[3], RenderError)


def test_shipped_fonts_and_their_licences_are_present() -> None:
    names = {p.name for p in FONT_DIR.iterdir()}
    assert {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DroidSansFallback.ttf", "LICENSE-DejaVu.txt",
            "LICENSE-DroidSansFallback.txt"} <= names
    assert sum(p.stat().st_size for p in FONT_DIR.glob("*.ttf")) < 6 * 1024 * 1024


def test_statement_aging_and_totals_print() -> None:
    doc = StatementDoc(sample_customer(), "GBP", sample_statement(1).period_from, sample_statement(1).period_to,
                       0, (), 0, Aging())
    text = "\n".join(pages_text(render_statement(doc, sample_company())))
    assert "Balance brought forward" in text and "Over 90 days" in text
