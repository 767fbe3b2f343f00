"""The header: one row at any width; the database label gives way so the operator and the day show."""
from __future__ import annotations

import pytest
from textual.widgets import Static

from tests.tui.stubs import StubApp
from tui.chrome import fit_end
from tui.context import AppContext

LONG = "postgresql://billing@db-primary.accounts-receivable.example.internal:5432/billfold_production"


@pytest.mark.parametrize("width", [80, 120])
async def test_a_long_database_label_gives_way(width: int) -> None:
    app = StubApp(AppContext("alice", LONG, services=object()))
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        header = app.screen.query_one("#header-line", Static)
        text = str(header.render())
        assert header.region.height == 1 and len(text) <= width - 2
        assert text.startswith("Billfold · Lookup │ alice │ …") and text.endswith("billfold_production │ Sun 22 Nov 2026")


async def test_markup_in_a_label_is_shown_as_typed() -> None:
    app = StubApp(AppContext("o'[b]rien", "/data/[old]/books.db", services=object()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "o'[b]rien │ /data/[old]/books.db" in str(app.screen.query_one("#header-line", Static).render())


def test_fit_end() -> None:
    assert fit_end("books.db", 20) == "books.db"
    assert fit_end("/srv/billing/books.db", 10) == "…/books.db"
    assert fit_end("anything", 1) == ""
