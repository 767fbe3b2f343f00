"""The reusable one-row fields: checked when left, normalised, Enter to the next, messages beside."""
from __future__ import annotations

import datetime as dt

from textual import events
from textual.widgets import Static

from tests.tui.forms import TODAY, FormApp
from tui.widgets import AmountInput, DateInput, FieldInput, FieldRow


def message(app: FormApp, field_id: str) -> str:
    row = app.screen.query_one(f"#{field_id}").parent
    assert isinstance(row, FieldRow)
    return str(row.query_one(".field-error", Static).render())


async def test_enter_moves_to_the_next_field_and_a_date_is_normalised() -> None:
    app = FormApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"100001", "enter", *"22/11", "enter")
        received = app.screen.query_one("#received", DateInput)
        assert app.focused is app.screen.query_one("#due")
        assert received.value == "2026-11-22" and received.date == dt.date(2026, 11, 22)
        assert message(app, "received") == ""


async def test_date_shorthands_count_from_the_applications_day() -> None:
    app = FormApp(today=dt.date(2027, 1, 30))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "t", "enter", *"+30", "enter")
        assert app.screen.query_one("#received", DateInput).date == dt.date(2027, 1, 30)
        assert app.screen.query_one("#due", DateInput).value == "2027-03-01"


async def test_a_bad_date_says_what_is_wrong_beside_the_field() -> None:
    app = FormApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"soon", "enter")
        received = app.screen.query_one("#received", DateInput)
        assert message(app, "received") == "is not a date; try 2026-11-22, 22/11, t or +30"
        assert received.has_class("-invalid") and received.date is None and received.value == "soon"
        assert app.focused is received  # refused: the cursor stays in the field (issue 16)
        await pilot.press("ctrl+u", *"31/02", "tab")
        assert message(app, "received") == "is not a date on the calendar; try 2026-11-22, 22/11, t or +30"
        await pilot.press("shift+tab", *"1/12", "tab")
        assert message(app, "received") == "" and not received.has_class("-invalid")
        assert received.value == "2026-12-01"


async def test_amounts_are_checked_in_their_currency() -> None:
    app = FormApp()
    async with app.run_test(size=(80, 24)) as pilot:
        amount = app.screen.query_one("#amount", AmountInput)
        app.screen.set_focus(amount)
        await pilot.press(*"1234.5", "enter")
        assert amount.value == "1,234.50" and amount.minor == 123450
        await pilot.press(*"12.345", "enter")
        assert message(app, "fee") == "JPY amounts have at most 0 decimal places"
        app.screen.set_focus(amount)
        await pilot.press(*"1,2,3", "enter")
        assert message(app, "amount") == "has misplaced thousands separators"


async def test_a_new_currency_checks_the_amount_again() -> None:
    app = FormApp()
    async with app.run_test(size=(80, 24)) as pilot:
        amount = app.screen.query_one("#amount", AmountInput)
        app.screen.set_focus(amount)
        await pilot.press(*"10.50", "enter")
        assert amount.minor == 1050
        amount.currency = "JPY"  # say, the customer's currency, set by the screen
        await pilot.pause()
        assert amount.minor is None and message(app, "amount") == "JPY amounts have at most 0 decimal places"


async def test_required_fields_are_asked_for_on_save_not_on_the_way_through() -> None:
    app = FormApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter", "enter")
        assert message(app, "customer") == "" and message(app, "received") == ""
        await pilot.press("f10")
        await pilot.pause()
        assert message(app, "customer") == "is required" and message(app, "amount") == "is required"
        assert message(app, "due") == ""  # not required
        assert app.focused is app.screen.query_one("#customer")
        assert str(app.screen.query_one("#form-status", Static).render()) == "Not saved: 3 field(s) to correct"


async def test_the_screen_can_show_a_refusal_from_the_books_beside_the_field() -> None:
    app = FormApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#customer", FieldInput).error = "account 999 is closed"
        await pilot.pause()
        assert message(app, "customer") == "account 999 is closed"


async def test_checked_goes_up_to_the_screen() -> None:
    app = FormApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"t", "enter")
        await pilot.pause()
        assert ("received", "", TODAY) in app.screen.checked


async def test_keys_typed_ahead_of_enter_land_in_the_next_field() -> None:
    """A burst (a paste, a fast typist over SSH): nothing waits between the keys."""
    app = FormApp()
    async with app.run_test(size=(80, 24)) as pilot:
        for key in [*"100001", "enter", *"22/11", "enter", *"+7", "enter", *"99.5"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        await pilot.pause()
        values = {f.id: f.value for f in app.screen.query(FieldInput)}
        assert values == {"customer": "100001", "received": "2026-11-22", "due": "2026-11-29", "amount": "99.5",
                          "fee": ""}
