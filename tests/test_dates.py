import datetime as dt

import pytest

from store import clock
from store.dates import parse_date
from store.errors import ValidationError

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize("text,expected", [
    ("2026-11-22", dt.date(2026, 11, 22)), ("22/11", dt.date(2026, 11, 22)), ("1/2", dt.date(2026, 2, 1)),
    ("22/11/26", dt.date(2026, 11, 22)), ("22/11/2025", dt.date(2025, 11, 22)), ("t", TODAY), ("T", TODAY),
    ("+30", dt.date(2026, 12, 22)), ("-5", dt.date(2026, 11, 17)), ("22.11.2026", dt.date(2026, 11, 22)),
])
def test_shorthands(text: str, expected: dt.date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text,message", [
    ("31/02", "not a date on the calendar"), ("soon", "'soon' is not a date; try 2026-11-22"), ("", "is required"),
])
def test_bad_dates_name_the_field(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_date(text, "due_date", today=TODAY)
    assert err.value.field == "due_date" and message in err.value.message


@pytest.mark.parametrize("text,expected", [
    ("  t  ", TODAY), ("today", TODAY), ("+0", TODAY), ("+ 7", dt.date(2026, 11, 29)), ("-30", dt.date(2026, 10, 23)),
    ("29/02/2028", dt.date(2028, 2, 29)), ("2026-1-5", dt.date(2026, 1, 5)), ("5/1", dt.date(2026, 1, 5)),
])
def test_more_shorthands(text: str, expected: dt.date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["29/02", "22-11-2026", "22/11/202", "tt", "+", "2026-13-01", "32/01"])
def test_more_refusals(text: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_date(text, today=TODAY)
    assert err.value.field == "date" and err.value.message.endswith("try 2026-11-22, 22/11, t or +30")


def test_today_defaults_to_the_clock() -> None:
    with clock.pinned(dt.date(2027, 2, 28)):
        assert parse_date("t") == dt.date(2027, 2, 28)
        assert parse_date("+1") == dt.date(2027, 3, 1)
