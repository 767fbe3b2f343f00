"""A one-line text that redraws only when its text changes.

Static.update() repaints even when given the text it already shows; the invoice grid re-sets
every line's number and net on every field move, and over SSH each of those repaints is bytes.
"""
from __future__ import annotations

from textual.widgets import Static


class Cell(Static):
    """Static text set with `show()`, which does nothing when the text is unchanged."""

    def __init__(self, text: str = "", **kwargs: object) -> None:
        super().__init__(text, **kwargs)  # type: ignore[arg-type]
        self.text = text

    def show(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.update(text)
