"""Printed documents as PDF bytes: invoices, credit notes, statements and payment reminders.

Takes the plain records of exports.documents, never the books. xhtml2pdf (and ReportLab under it)
is imported inside the functions that need it: the import costs about half a second, which the
TUI must not pay at start-up. Renders in this process are serialised by xhtml2pdf itself; for a
time limit that is enforced by killing, and for using every core, see exports.pdf.pool.
"""
from __future__ import annotations

import io
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from exports.documents import Company, InvoiceDoc, ReminderDoc, StatementDoc
from exports.pdf.format import clean_html
from exports.pdf.html import DocumentHtml
from exports.pdf.resources import LinkGate, logo_file, without_unused_fonts
from exports.pdf.views import invoice_html, reminder_html, statement_html

log = logging.getLogger(__name__)


class RenderError(Exception):
    """A document could not be made into a PDF (too large, too slow, or the engine failed)."""


@dataclass(frozen=True, slots=True)
class RenderLimits:
    seconds: float = 60.0  # checked by xhtml2pdf between elements; exports.pdf.pool kills past it
    max_html_bytes: int = 16 * 1024 * 1024  # a 2,000-row statement is about 1.5 MB
    max_pdf_bytes: int = 64 * 1024 * 1024


DEFAULT_LIMITS = RenderLimits()


def _policy(gate: LinkGate, limits: RenderLimits) -> Any:
    from xhtml2pdf.config.resources import ResourceAccessPolicy

    # No network at all, and local reads confined to exactly the files the gate resolves: the
    # second lock on the paths xhtml2pdf reads without asking the link callback.
    return ResourceAccessPolicy.server(
        base_dir=None, extra_roots=gate.roots, allow_remote=False, allow_remote_pdf_backgrounds=False,
        max_render_seconds=limits.seconds, max_document_bytes=limits.max_html_bytes,
        max_resources=len(gate.roots),
    )


def render_html(html: str, *, logo_path: str | None = None, limits: RenderLimits = DEFAULT_LIMITS,
                gate: LinkGate | None = None) -> bytes:
    """Any HTML as PDF bytes, reading nothing but the shipped fonts and `logo_path`.

    `gate` lets a caller see what the document asked for and what was refused.
    """
    html = without_unused_fonts(clean_html(html))
    size = len(html.encode("utf-8"))
    if size > limits.max_html_bytes:
        raise RenderError(f"document is {size} bytes of HTML, more than the {limits.max_html_bytes} allowed")
    gate = gate if gate is not None else LinkGate(logo_file(logo_path))
    from xhtml2pdf import pisa
    from xhtml2pdf.config.resources import RenderLimitError

    out = io.BytesIO()
    try:
        result = pisa.CreatePDF(html, dest=out, link_callback=gate, resource_policy=_policy(gate, limits),
                                encoding="utf-8")
    except RenderLimitError as exc:
        raise RenderError(str(exc)) from exc
    except RecursionError as exc:  # absurd nesting in hand-written HTML
        raise RenderError("document nests too deeply") from exc
    if result.err:
        raise RenderError(f"xhtml2pdf reported {result.err} error(s)")
    pdf = out.getvalue()
    if len(pdf) > limits.max_pdf_bytes:
        raise RenderError(f"PDF is {len(pdf)} bytes, more than the {limits.max_pdf_bytes} allowed")
    return pdf


def _render_document(build: Callable[[int | None], DocumentHtml], company: Company, limits: RenderLimits) -> bytes:
    """Print "Page N of M" with M estimated from the page-sized table chunks, and print again with
    the real count in the rare case the estimate was wrong.

    xhtml2pdf's own <pdf:pagecount> lays the whole document out twice, a third more time on every
    document; a wrong estimate costs one extra render instead. The count sits in the fixed-size
    footer frame, so changing it cannot change how many pages there are.
    """
    document = build(None)
    pdf = render_html(document.html, logo_path=company.logo_path, limits=limits)
    pages = page_count(pdf)
    if pages != document.pages:
        log.debug("estimated %d pages, printed %d; printing again", document.pages, pages)
        pdf = render_html(build(pages).html, logo_path=company.logo_path, limits=limits)
    return pdf


def page_count(pdf: bytes) -> int:
    import pypdf  # xhtml2pdf's own dependency, loaded with it

    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def render_invoice(doc: InvoiceDoc, company: Company, *, limits: RenderLimits = DEFAULT_LIMITS) -> bytes:
    """An invoice or credit note (by `doc.kind`)."""
    return _render_document(partial(invoice_html, doc, company), company, limits)


def render_statement(doc: StatementDoc, company: Company, *, limits: RenderLimits = DEFAULT_LIMITS) -> bytes:
    return _render_document(partial(statement_html, doc, company), company, limits)


def render_reminder(doc: ReminderDoc, company: Company, *, limits: RenderLimits = DEFAULT_LIMITS) -> bytes:
    return _render_document(partial(reminder_html, doc, company), company, limits)


def _render_raw_html(html: str, company: Company | None, *, limits: RenderLimits = DEFAULT_LIMITS) -> bytes:
    return render_html(html, logo_path=company.logo_path if company else None, limits=limits)


# The kinds a worker process can be asked to render, by name (names cross process boundaries).
RENDERERS: Mapping[str, Callable[..., bytes]] = {
    "invoice": render_invoice,
    "credit_note": render_invoice,
    "statement": render_statement,
    "reminder": render_reminder,
    "html": _render_raw_html,
}
