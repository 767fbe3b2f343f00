"""The line at the top of every screen: where you are, who you are, which books, which day."""
from __future__ import annotations

from rich.cells import cell_len
from textual.events import Resize
from textual.widgets import Static


def fit_end(text: str, room: int) -> str:
    """`text` in `room` cells, keeping its end (a path's file name, a URL's database): '…/billing/books.db'."""
    if cell_len(text) <= room:
        return text
    if room <= 1:
        return ""
    tail = text
    while cell_len(tail) > room - 1:
        tail = tail[1:]
    return "…" + tail


class HeaderLine(Static):
    DEFAULT_CSS = """
    HeaderLine { height: 1; background: $primary; color: $text; text-style: bold; padding: 0 1; }
    """

    def __init__(self, place: str) -> None:
        super().__init__(id="header-line", markup=False)  # a path or a name may hold '[': never markup
        self.place = place

    def on_mount(self) -> None:
        self.fill()

    def on_resize(self, _event: Resize) -> None:
        self.fill()

    def fill(self) -> None:
        """One row at any width: the database label gives way first, so the day always shows."""
        ctx = self.app.context  # type: ignore[attr-defined]
        head, day = f"Billfold · {self.place} │ {ctx.operator} │ ", f" │ {ctx.today:%a %d %b %Y}"
        width = self.content_region.width  # 0 before the first layout: no limit yet
        room = width - cell_len(head) - cell_len(day) if width else cell_len(ctx.database_label)
        self.update(head + fit_end(ctx.database_label, max(room, 0)) + day)
