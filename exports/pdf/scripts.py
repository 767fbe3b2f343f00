"""Which writing systems a document prints, with which shipped font, and how faithfully.

The table below is the one the README's "Scripts and addresses" section prints and that
tests/test_pdf_scripts.py checks against real renders: a sample name per script, the font role
(exports.pdf.resources.FONT_FILES) expected to draw it, and what the PDF engine does with it.

ReportLab draws one glyph per character from the font's character map and applies none of the
font's OpenType layout (no GSUB/GPOS). xhtml2pdf adds two things on top: the Unicode bidi
algorithm (right-to-left text is drawn in visual order) and Arabic joining, by substituting the
presentation-form characters (U+FB50-U+FEFF) that arabic-reshaper chooses. So Latin, Greek,
Cyrillic, Hebrew, Arabic and CJK print correctly; Devanagari, Bengali and Tamil print every
letter but without conjuncts, and their pre-base vowel signs stand after the consonant they are
written before; Thai prints, but a tone mark over an upper vowel is not lifted above it. ReportLab
can shape with uharfbuzz in its own Paragraph, but xhtml2pdf lays text out with its own copy of
that code, which never calls the shaper: installing uharfbuzz changes not one byte of the page.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

Shaping = Literal["bidi+joining", "bidi", "none needed", "none"]


@dataclass(frozen=True, slots=True)
class ScriptSupport:
    script: str
    sample: str  # a customer's name written in it
    font: str  # the FONT_FILES role whose face draws it
    shaping: Shaping
    note: str  # what a reader sees, for the README

    @property
    def faithful(self) -> bool:
        """Whether a reader sees the name as it is written by hand or by a shaping engine."""
        return self.shaping != "none"


SCRIPTS: tuple[ScriptSupport, ...] = (
    ScriptSupport("Latin", "Zoë Łukasiewicz-Müller", "regular", "none needed", "prints as written"),
    ScriptSupport("Greek", "Αθηνά Παπαδοπούλου", "regular", "none needed", "prints as written"),
    ScriptSupport("Cyrillic", "Ольга Иванова", "regular", "none needed", "prints as written"),
    ScriptSupport("Hebrew", "אברהם כהן", "regular", "bidi", "right to left"),
    ScriptSupport("Arabic", "شركة النور للتجارة", "regular", "bidi+joining",
                  "right to left, letters joined (presentation forms)"),
    ScriptSupport("Devanagari", "श्री गणेश ट्रेडिंग", "devanagari", "none",
                  "every letter prints; no conjuncts (virama shown), the i-matra ि after its consonant"),
    ScriptSupport("Bengali", "মিত্র এন্টারপ্রাইজ", "bengali", "none",
                  "every letter prints; no conjuncts (hasanta shown), the vowel signs ি ে after their consonant"),
    ScriptSupport("Tamil", "செல்வம் ஸ்டோர்ஸ்", "tamil", "none",
                  "every letter prints; the pre-base vowel signs ெ ே ை after their consonant"),
    ScriptSupport("Thai", "บริษัท สยามการค้า จำกัด", "thai", "none",
                  "every letter prints; a tone mark over an upper vowel (ที่) is drawn into the vowel, not above it"),
    ScriptSupport("Chinese", "北京华联商贸有限公司", "cjk", "none needed", "prints as written"),
    ScriptSupport("Japanese", "株式会社さくら商事", "cjk", "none needed", "prints as written"),
    ScriptSupport("Korean", "한빛상사", "cjk", "none needed", "prints as written (precomposed Hangul)"),
)


def printed_form(text: str) -> str:
    """What a PDF text extractor gives back for `text`, compared in logical order.

    Arabic comes back as presentation forms, which NFKC folds back to the letters typed; right-to-left
    runs come back in the order they are drawn, which for one run is the reverse of the typed one.
    """
    return unicodedata.normalize("NFKC", text)


_SHAPING_TEXT = {"bidi+joining": "right to left and joined", "bidi": "right to left",
                 "none needed": "not needed", "none": "**none**"}


def support_table(font_files: dict[str, str]) -> str:
    """The README's table of scripts (tests/test_pdf_scripts.py checks that the README holds this text)."""
    rows = ["| Script | Sample name | Font | Shaping | What prints |", "| --- | --- | --- | --- | --- |"]
    rows += [f"| {s.script} | {s.sample} | {font_files[s.font]} | {_SHAPING_TEXT[s.shaping]} | {s.note} |"
             for s in SCRIPTS]
    return "\n".join(rows)
