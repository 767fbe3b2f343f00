"""Every customer's name prints: each script of exports.pdf.scripts.SCRIPTS on a real invoice, read back
with pypdf (text) and fontTools (the embedded glyphs), and what the engine does not shape, pinned."""
from __future__ import annotations

import dataclasses
import io
import unicodedata
from functools import cache
from pathlib import Path

import pypdf
import pytest
from fontTools.ttLib import TTFont

from exports.documents import Party
from exports.pdf import render_html, render_invoice, render_reminder, render_statement
from exports.pdf.resources import FAMILIES, FONT_DIR, FONT_FILES, FONT_STACK, font_faces_css, without_unused_fonts
from exports.pdf.samples import sample_company, sample_customer, sample_invoice, sample_reminder, sample_statement
from exports.pdf.scripts import SCRIPTS, ScriptSupport, support_table
from tests.pdf_fonts import drawn_runs, embedded_fonts

README = Path(__file__).parents[1] / "README.md"
BY_NAME = {s.script: s for s in SCRIPTS}
IDS = [s.script for s in SCRIPTS]


def face_of(role: str) -> str:
    """The PostScript-style name an embedded subset of FONT_FILES[role] carries."""
    return FONT_FILES[role].removesuffix(".ttf")


@pytest.fixture(scope="module")
def pdf() -> bytes:
    """An invoice whose customer is named in Devanagari (printed bold), with a Bengali and a Thai
    address line, and one line per script."""
    customer = dataclasses.replace(sample_customer(BY_NAME["Devanagari"].sample),
                                   address_lines=(BY_NAME["Bengali"].sample, BY_NAME["Thai"].sample),
                                   city="Kolkata", postcode="700001", country="IN")
    doc = sample_invoice(len(SCRIPTS), customer=customer)
    lines = tuple(dataclasses.replace(line, description=s.sample) for line, s in zip(doc.lines, SCRIPTS, strict=True))
    return render_invoice(dataclasses.replace(doc, lines=lines), sample_company())


@pytest.fixture(scope="module")
def text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_each_script_extracts_as_typed(script: ScriptSupport, text: str) -> None:
    if script.shaping == "bidi+joining":
        # Drawn as joined presentation forms, which NFKC folds back to the letters typed.
        assert script.sample in unicodedata.normalize("NFKC", text)
    else:
        assert script.sample in text


@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_each_script_is_drawn_from_its_embedded_font_with_real_glyphs(script: ScriptSupport, pdf: bytes) -> None:
    fonts = [f for f in embedded_fonts(pdf).values() if f.base in (face_of(script.font), face_of(script.font)
                                                                    .replace("-Regular", "-Bold"))]
    assert fonts, f"{FONT_FILES[script.font]} is not embedded"
    # Every character of the sample has a code in that font whose glyph is an outline, not .notdef
    # (Arabic's codes stand for presentation forms, which NFKC folds back to the letters typed).
    drawable = {form for f in fonts for code, text in f.to_unicode.items() if f.drawable(code)
                for form in (text, unicodedata.normalize("NFKC", text))}
    letters = "".join(drawable)
    missing = {ch for ch in script.sample if not ch.isspace() and ch not in letters}
    assert not missing, f"{script.script}: no glyph for {sorted(missing)}"


def test_nothing_on_the_page_is_drawn_as_a_box(pdf: bytes) -> None:
    boxes = [(run.face, char) for run in drawn_runs(pdf) for code, char in zip(run.codes, run.chars, strict=True)
             if not char.isspace() and not run.font.drawable(code)]
    assert boxes == []



def test_a_script_no_shipped_font_covers_is_caught_as_boxes() -> None:
    """The check above can fail: Sinhala, which no shipped font draws, comes out as .notdef boxes."""
    pdf = render_html(f"<html><head><style>{font_faces_css()} body {{ font-family: {FONT_STACK}; }}</style></head>"
                      "<body><p>ලංකා x</p></body></html>")
    drawable = [run.font.drawable(code) for run in drawn_runs(pdf)
                for code, char in zip(run.codes, run.chars, strict=True) if not char.isspace()]
    assert drawable == [False, False, False, False, True]  # the four Sinhala characters are boxes, the x is not

@cache
def _cmap(role: str) -> frozenset[int]:
    return frozenset(TTFont(FONT_DIR / FONT_FILES[role], lazy=True).getBestCmap())


@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_the_font_list_picks_the_scripts_font_and_latin_keeps_dejavu(script: ScriptSupport) -> None:
    """xhtml2pdf draws each character with the first family that has it: that must be the script's own."""
    for ch in script.sample:
        if ch.isspace():
            continue
        first = next((regular for _, regular, _ in FAMILIES if ord(ch) in _cmap(regular)), None)
        assert first == script.font, f"{script.script} {ch!r} U+{ord(ch):04X} is drawn by {first}"
    assert all(ord(ch) in _cmap("regular") for ch in "Invoice £1,234.56 Müller")


@pytest.mark.parametrize("script", [s for s in SCRIPTS if s.shaping == "none"], ids=lambda s: s.script)
def test_unshaped_scripts_are_drawn_letter_by_letter_in_typed_order(script: ScriptSupport, pdf: bytes) -> None:
    """The known limitation, pinned: one nominal glyph per character, in the order typed. A shaping
    engine would draw conjuncts (one glyph for several characters) and move pre-base vowel signs
    ahead of their consonant. If this starts failing, shaping arrived: update SCRIPTS and the README."""
    runs = [run.chars for run in drawn_runs(pdf) if run.face.startswith(face_of(script.font).split("-")[0])]
    assert list(script.sample) in runs


def test_right_to_left_scripts_are_drawn_in_visual_order_and_arabic_joined(pdf: bytes) -> None:
    drawn = ["".join(run.chars) for run in drawn_runs(pdf) if run.face == face_of("regular")]
    hebrew, arabic = BY_NAME["Hebrew"].sample, BY_NAME["Arabic"].sample
    assert any(hebrew[::-1] in run for run in drawn)
    joined = next(run for run in drawn if hebrew not in run and unicodedata.normalize("NFKC", run).endswith(
        arabic[::-1]))
    letters = [ch for ch in joined if unicodedata.bidirectional(ch) == "AL"]
    assert letters and all(0xFB50 <= ord(ch) <= 0xFEFF for ch in letters)  # presentation forms: joined


def test_a_document_loads_only_the_script_fonts_it_draws_with(pdf: bytes) -> None:
    latin = render_invoice(sample_invoice(3), sample_company())
    assert {f.base for f in embedded_fonts(latin).values()} == {"DejaVuSans", "DejaVuSans-Bold"}
    html = f"<style>{font_faces_css()}</style><p>செல்வம் ।</p>"  # the danda: Devanagari's, first in the list
    kept = without_unused_fonts(html)
    assert "Billfold Tamil" in kept and "Billfold Devanagari" in kept and "Billfold Sans" in kept
    assert "Billfold Bengali" not in kept and "Billfold Thai" not in kept and "Billfold CJK" not in kept
    assert {f.base for f in embedded_fonts(pdf).values()} >= {face_of(s.font) for s in SCRIPTS}


def test_the_readme_support_table_is_the_one_the_tests_check() -> None:
    assert support_table(dict(FONT_FILES)) in README.read_text(encoding="utf-8")


def test_the_bundled_fonts_carry_their_licences_and_are_truetype() -> None:
    for name in set(FONT_FILES.values()):
        assert (FONT_DIR / name).read_bytes()[:4] in (b"\x00\x01\x00\x00", b"true"), name  # ReportLab embeds no CFF
    assert "SIL Open Font License" in (FONT_DIR / "LICENSE-Noto.txt").read_text(encoding="utf-8")


# --- the same address block on every document -------------------------------------------------------

def test_invoice_statement_and_reminder_print_the_destinations_layout_and_country_name() -> None:
    customer = Party("C-9", "राजेश कुमार", ("12 MG Road",), "Mumbai", "400001", "IN")
    company = sample_company()
    for pdf in (render_invoice(sample_invoice(2, customer=customer), company),
                render_statement(sample_statement(3, customer=customer), company),
                render_reminder(sample_reminder(customer=customer), company)):
        first = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        assert "राजेश कुमार\n12 MG Road\nMUMBAI 400001\nINDIA" in first
