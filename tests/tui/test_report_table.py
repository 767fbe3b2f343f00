"""The report table: half a million rows shown at once, formatted only as they come into view."""
from __future__ import annotations

from textual.app import App, ComposeResult

from tui.widgets.report_table import ReportTable
from tui.widgets.results import Column

ROWS = 500_000
COLUMNS = [Column("Account", 7), Column("Document", 10), *(Column(f"Bucket {n}", 14, right=True) for n in range(5))]


def cells(row: tuple[int, ...]) -> list[str]:
    account, amount = row
    return [f"{account:06d}" if account >= 0 else "Total", f"INV-{account % 10**6:06d}",
            *(f"{amount:,}" if n == account % 5 else "" for n in range(5))]


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ReportTable(id="table")

    def on_mount(self) -> None:
        table = self.query_one(ReportTable)
        table.show_rows(COLUMNS, [(n, n * 7) for n in range(ROWS)], cells, totals=(-1, 123_456_789))
        table.focus()


def shown(table: ReportTable) -> list[str]:
    return [table.render_line(y).text.rstrip() for y in range(table.scrollable_content_region.height)]


async def test_half_a_million_rows_show_at_once_and_the_keys_reach_the_totals() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(ReportTable)
        await pilot.pause()
        lines = shown(table)
        assert lines[0].split()[:3] == ["Account", "Document", "Bucket"]
        assert lines[1].split() == ["000000", "INV-000000", "0"] and lines[2].split()[:2] == ["000001", "INV-000001"]
        assert len(table.drawn) <= table.size.height  # only what was drawn was formatted
        await pilot.press("end")
        assert table.cursor_row == ROWS  # the totals row, last
        lines = shown(table)
        assert lines[-1].split()[:2] == ["Total", "INV-999999"] and lines[-2].startswith(" 499999")
        assert table.get_row_at(ROWS - 1)[0] == "499999"
        await pilot.press("pageup")
        assert table.cursor_row == ROWS - (table.scrollable_content_region.height - 2)
        await pilot.press("home", "down", "down")
        assert table.cursor_row == 2 and shown(table)[1].startswith(" 000000")
        assert len(table.drawn) < 100


async def test_a_wide_report_scrolls_sideways_under_its_header() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(ReportTable)
        await pilot.pause()
        assert "Bucket 4" not in shown(table)[0]
        await pilot.press(*["right"] * 6)  # 8 columns a press, as far as the last column
        await pilot.pause()
        lines = shown(table)
        assert "Bucket 4" in lines[0] and "Account" not in lines[0]
        assert lines[1].strip() == "" and lines[5].strip() == "28"  # row 4's amount is in bucket 4, row 0's in 0


class NamesApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ReportTable(id="table")

    def on_mount(self) -> None:
        # Books written before the store removed control characters may hold a bank statement's ESC sequences.
        self.query_one(ReportTable).show_rows([Column("Customer", 30)], [("Evil\x1b[2J\x1b[31mCorp",)],
                                              lambda row: [row[0]])


async def test_escape_sequences_in_a_cell_are_shown_not_sent_to_the_terminal() -> None:
    app = NamesApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = shown(app.query_one(ReportTable))
        assert lines[1].strip() == "Evil\\x1b[2J\\x1b[31mCorp"
        assert not any("\x1b" in line for line in lines)
