"""Fitting a report's columns to the terminal: text gives way, money never does.

At 80 columns the aging report's eight columns are wider than the screen only because of the
customer name; shortening the name (the account number beside it identifies the row) keeps every
money column in view. A report whose money columns alone are too wide still scrolls sideways.
"""
from __future__ import annotations

from collections.abc import Sequence

from tui.widgets.results import Column

MIN_TEXT = 10  # a text column is not cut below this: "Riverside…" still reads


def line_width(widths: Sequence[int]) -> int:
    """The width of a row as ResultList.format draws it: a leading space and one between columns."""
    return 1 + sum(widths) + max(len(widths) - 1, 0)


def fit_columns(columns: Sequence[Column], room: int) -> tuple[list[Column], bool]:
    """The columns with text columns narrowed (widest first) until a row fits `room`, and whether it
    still does not fit (the money columns alone are wider: the table scrolls sideways)."""
    widths = [c.width for c in columns]
    narrowest = [w if c.right else min(w, MIN_TEXT) for c, w in zip(columns, widths, strict=True)]
    if line_width(narrowest) > room:  # it scrolls sideways anyway: cutting text would gain nothing
        return list(columns), line_width(widths) > room
    while line_width(widths) > room:
        text = [i for i, c in enumerate(columns) if not c.right and widths[i] > MIN_TEXT]
        if not text:
            break
        widest = max(text, key=lambda i: widths[i])
        widths[widest] = max(MIN_TEXT, widths[widest] - (line_width(widths) - room))
    fitted = [Column(c.title, w, c.right, c.flex) for c, w in zip(columns, widths, strict=True)]
    return fitted, line_width(widths) > room
