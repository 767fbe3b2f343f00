import datetime as dt

import pytest

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
