"""The only files a document may read: the shipped fonts and the company's logo. Nothing else.

Templates name these by URIs of our own ("billfold-font:...", "billfold-asset:logo"); the link
callback resolves exactly those and refuses every other URI (file:, http(s):, data:, relative
paths, CSS url(...)), handing xhtml2pdf a name that resolves to nothing. Because xhtml2pdf reads
some resources without asking the callback, the render also runs under a resource policy that
allows no network and confines local reads to the same few files, so both gates must fail
before anything leaks.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

log = logging.getLogger(__name__)

FONT_DIR = Path(__file__).with_name("fonts")
# DejaVu Sans draws Latin, Greek, Cyrillic, Hebrew and Arabic (with the presentation forms
# xhtml2pdf shapes Arabic into); Noto Sans draws the Indic scripts and Thai, which DejaVu lacks;
# Droid Sans Fallback draws Chinese, Japanese and Korean. xhtml2pdf picks the font per character
# from the font-family list (FAMILIES below), so mixed text needs no markup and
# Latin text keeps DejaVu. All are TrueType outlines: ReportLab embeds nothing else.
FONT_FILES = MappingProxyType({
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "devanagari": "NotoSansDevanagari-Regular.ttf",
    "devanagari-bold": "NotoSansDevanagari-Bold.ttf",
    "bengali": "NotoSansBengali-Regular.ttf",
    "bengali-bold": "NotoSansBengali-Bold.ttf",
    "tamil": "NotoSansTamil-Regular.ttf",
    "tamil-bold": "NotoSansTamil-Bold.ttf",
    "thai": "NotoSansThai-Regular.ttf",
    "thai-bold": "NotoSansThai-Bold.ttf",
    "cjk": "DroidSansFallback.ttf",
})
FONT_URIS = MappingProxyType({role: f"billfold-font:{name}" for role, name in FONT_FILES.items()})
# The font-family list every document uses, in the order xhtml2pdf tries them per character:
# (family, regular face, bold face or None when the script has no bold of its own).
FAMILIES: tuple[tuple[str, str, str | None], ...] = (
    ("Billfold Sans", "regular", "bold"),
    ("Billfold Devanagari", "devanagari", "devanagari-bold"),
    ("Billfold Bengali", "bengali", "bengali-bold"),
    ("Billfold Tamil", "tamil", "tamil-bold"),
    ("Billfold Thai", "thai", "thai-bold"),
    ("Billfold CJK", "cjk", None),
)
FONT_STACK = ", ".join(f'"{family}"' for family, _, _ in FAMILIES)


def _rules(family: str, regular: str, bold: str | None) -> list[str]:
    rules = [f'@font-face {{ font-family: "{family}"; src: url("{FONT_URIS[regular]}"); }}']
    if bold:
        rules.append(f'@font-face {{ font-family: "{family}"; src: url("{FONT_URIS[bold]}"); font-weight: bold; }}')
    return rules


def font_faces_css() -> str:
    """The @font-face rules for FAMILIES, for every document's stylesheet."""
    return "\n".join(rule for face in FAMILIES for rule in _rules(*face))


@cache
def _cmap(role: str) -> frozenset[int]:
    """The characters a shipped face draws (ReportLab parses it, once per process)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    return frozenset(TTFontFile(str(FONT_DIR / FONT_FILES[role])).charWidths)


def without_unused_fonts(html: str) -> str:
    """`html` minus the @font-face rules of the families no character in it will be drawn with.

    xhtml2pdf loads every declared face for every document (about a tenth of an invoice's render
    time for the script faces); a family is kept when some character is in it and in no family
    before it, which is exactly when xhtml2pdf would draw with it.
    """
    missing = {ord(ch) for ch in set(html) if ch > "\x7f"} - _cmap(FAMILIES[0][1])
    for face in FAMILIES[1:]:
        covered = missing & _cmap(face[1])
        missing -= covered
        if not covered:
            for rule in _rules(*face):
                html = html.replace(rule, "")
    return html


LOGO_URI = "billfold-asset:logo"
LOGO_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif"})
# What a refused URI is rewritten to. Returning None would make xhtml2pdf fall back to the
# original URI; this one has an unknown scheme, which the resource policy refuses as a local path
# outside every allowed root.
REFUSED = "billfold-refused:"


def logo_file(logo_path: str | None) -> Path | None:
    """The configured logo as a resolved file, or None (with a warning) if it cannot be used."""
    if not logo_path:
        return None
    path = Path(logo_path).expanduser()
    if path.suffix.lower() not in LOGO_SUFFIXES or not path.is_file():
        log.warning("logo %s is not a PNG, JPEG or GIF file; printing without it", logo_path)
        return None
    return path.resolve()


@dataclass
class LinkGate:
    """xhtml2pdf's link_callback: resolves our own URIs, refuses and records everything else."""

    logo: Path | None = None
    asked: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> dict[str, Path]:
        files = {FONT_URIS[role]: FONT_DIR / name for role, name in FONT_FILES.items()}
        if self.logo is not None:
            files[LOGO_URI] = self.logo
        return files

    @property
    def roots(self) -> tuple[Path, ...]:
        """Every path the resource policy may read: the font files and the logo, not their folders."""
        return tuple(path.resolve() for path in self.allowed.values())

    def __call__(self, uri: Any, rel: Any = None) -> str:
        text = str(uri)
        self.asked.append(text)
        path = self.allowed.get(text.strip())
        if path is not None:
            return str(path)
        self.refused.append(text)
        log.warning("document asked for %r; refused", text[:200])
        return REFUSED
