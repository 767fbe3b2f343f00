"""The PDF pipeline: documents as HTML (views, html, layout, format), rendered (render), in worker
processes (pool), reading only the shipped fonts and templates (resources, fonts/, templates/).

`from exports.pdf import render_invoice` and the rest of render's public names keep working; the
workers are `exports.pdf.pool` (imported on its own: it starts processes).
"""
from __future__ import annotations

from exports.pdf.render import (
    DEFAULT_LIMITS,
    RENDERERS,
    RenderError,
    RenderLimits,
    page_count,
    render_html,
    render_invoice,
    render_reminder,
    render_statement,
)

__all__ = ["DEFAULT_LIMITS", "RENDERERS", "RenderError", "RenderLimits", "page_count", "render_html",
           "render_invoice", "render_reminder", "render_statement"]
