"""The line at the top of every screen: where you are, who you are, which books, which day."""
from __future__ import annotations

from textual.widgets import Static


class HeaderLine(Static):
    DEFAULT_CSS = """
    HeaderLine { height: 1; background: $primary; color: $text; text-style: bold; padding: 0 1; }
    """

    def __init__(self, place: str) -> None:
        super().__init__(id="header-line")
        self.place = place

    def on_mount(self) -> None:
        ctx = self.app.context  # type: ignore[attr-defined]
        self.update(f"Billfold · {self.place} │ {ctx.operator} │ {ctx.database_label} │ {ctx.today:%a %d %b %Y}")
