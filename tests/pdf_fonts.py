"""Reading a PDF's embedded TrueType subsets back: which characters each font draws, with which glyph,
and what the pages draw, in the order they draw it. Used by tests/test_pdf_scripts.py."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any, cast

import pypdf
from fontTools.ttLib import TTFont
from pypdf.generic import ContentStream

_BFCHAR = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


@dataclass(frozen=True)
class EmbeddedFont:
    base: str  # the face's name without the subset tag: "NotoSansDevanagari-Regular"
    to_unicode: dict[int, str]  # code -> the text its glyph stands for
    glyphs: dict[int, str]  # code -> glyph name in the embedded subset
    contours: dict[str, int]  # glyph name -> contours (0: blank, -1: composite)

    def drawable(self, code: int) -> bool:
        """The code's glyph is a real outline: not the .notdef box and not blank."""
        glyph = self.glyphs.get(code, ".notdef")
        return glyph != ".notdef" and self.contours.get(glyph, 0) != 0


def _to_unicode(stream: Any) -> dict[int, str]:
    text = stream.get_object().get_data().decode("latin-1")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, target in _BFCHAR.findall(block):
            mapping[int(code, 16)] = bytes.fromhex(target).decode("utf-16-be")
    return mapping


def embedded_fonts(pdf: bytes) -> dict[str, EmbeddedFont]:
    """Every embedded TrueType subset on every page, by its resource name (/F6+0)."""
    fonts: dict[str, EmbeddedFont] = {}
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        resources = cast(dict, page["/Resources"])
        for name, ref in cast(dict, resources["/Font"]).items():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None or "/FontFile2" not in descriptor.get_object():
                continue
            face = TTFont(io.BytesIO(descriptor.get_object()["/FontFile2"].get_object().get_data()))
            # ReportLab's subsets carry one (1, 0) cmap from the PDF's codes to the subset's glyphs.
            glyphs: dict[int, str] = {}
            for table in face["cmap"].tables:
                glyphs.update(table.cmap)
            glyf = face["glyf"]
            contours = {g: glyf[g].numberOfContours for g in face.getGlyphOrder()}
            fonts[str(name)] = EmbeddedFont(str(font["/BaseFont"]).split("+")[-1], _to_unicode(font["/ToUnicode"]),
                                            glyphs, contours)
    return fonts


@dataclass(frozen=True)
class DrawnRun:
    font: EmbeddedFont
    codes: list[int]  # in the order the page draws them

    @property
    def face(self) -> str:
        return self.font.base

    @property
    def chars(self) -> list[str]:
        """What each drawn glyph stands for."""
        return [self.font.to_unicode.get(code, "\ufffd") for code in self.codes]


def drawn_runs(pdf: bytes) -> list[DrawnRun]:
    """Each string the pages show with an embedded font, in drawing order."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    fonts = embedded_fonts(pdf)
    runs: list[DrawnRun] = []
    for page in reader.pages:
        current: EmbeddedFont | None = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                current = fonts.get(str(operands[0]))
            elif operator in (b"Tj", b"TJ") and current is not None:
                parts = operands[0] if operator == b"TJ" else [operands[0]]
                data = b"".join(bytes(p.original_bytes if hasattr(p, "original_bytes") else p)
                                for p in parts if not isinstance(p, int | float))
                runs.append(DrawnRun(current, list(data)))
    return runs
