"""Report columns fitted to the terminal: text gives way, money never does."""
from __future__ import annotations

from tui.widgets.report_fit import MIN_TEXT, fit_columns, line_width
from tui.widgets.results import Column

AGING = [Column("Account", 7), Column("Customer", 40), *(Column(t, 9, right=True) for t in
         ("Current", "1-30", "31-60", "61-90", "Over 90", "Total"))]


def test_the_name_narrows_so_every_money_column_fits() -> None:
    fitted, wider = fit_columns(AGING, 80)
    assert not wider and line_width([c.width for c in fitted]) == 80
    assert [c.width for c in fitted] == [7, 80 - 1 - 7 - 6 * 9 - 7, 9, 9, 9, 9, 9, 9]


def test_text_stops_at_its_minimum() -> None:
    fitted, wider = fit_columns(AGING, line_width([7, MIN_TEXT, *[9] * 6]))
    assert not wider and [c.width for c in fitted] == [7, MIN_TEXT, 9, 9, 9, 9, 9, 9]


def test_when_the_money_alone_is_too_wide_nothing_is_cut_and_the_table_scrolls() -> None:
    fitted, wider = fit_columns(AGING, 60)
    assert wider and [c.width for c in fitted] == [c.width for c in AGING]


def test_a_report_that_fits_is_left_alone() -> None:
    fitted, wider = fit_columns(AGING, 200)
    assert not wider and [c.width for c in fitted] == [c.width for c in AGING]
