"""One-row form fields: a label, a borderless input, and what is wrong with it, beside it.

    yield FieldRow("Due date", DateInput(id="due", field="due date"))
    yield FieldRow("Amount", AmountInput(id="amount", currency="EUR", required=True))

- A field checks its text when it is left (and when `check()` is called, e.g. by a save key),
  shows the normalised text (`22/11` becomes `2026-11-22`, `1234.5` becomes `1,234.50`) and keeps
  the parsed value in `parsed` (DateInput.date, AmountInput.minor).
- What is wrong shows beside it in bold, the words alone enough without colour; the field also
  carries the `-invalid` class. `field.error = "..."` (attribute down) shows a refusal from the
  books in the same place; `FieldInput.Checked` (message up) tells the screen after every check.
- Enter moves to the next field (a DESIGN rule). It waits for the keys typed before it, so keys
  typed ahead land in the next field. Inside a `tui.typeahead.FormScreen` the screen's own Enter
  runs instead, to the same effect.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Blur
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Label, Static

from store import clock
from store.dates import parse_date
from store.errors import ValidationError
from store.money import check_currency, format_amount, parse_amount
from tui.typeahead import caught_up

REQUIRED = "is required"


class FieldInput(Input):
    """A one-row text field that checks itself when left. Subclasses override `parse`."""

    DEFAULT_CSS = """
    FieldInput { width: 24; background: $boost; }
    FieldInput:focus { background: $accent 35%; }
    FieldInput.-invalid { text-style: underline; }
    """
    BINDINGS = [Binding("enter", "next_field", "Next field", show=False, priority=True)]

    error: reactive[str] = reactive("", init=False)
    """What is wrong with the text ('' when right): set by `check()`, or by the screen."""

    class Checked(Message):
        """The field was checked: `error` is '' when it is right, and `value` is what it parsed to."""

        def __init__(self, field: FieldInput, error: str, value: Any) -> None:
            super().__init__()
            self.field, self.error, self.value = field, error, value

        @property
        def control(self) -> FieldInput:
            return self.field

    def __init__(self, value: str = "", *, field: str = "", required: bool = False, placeholder: str = "",
                 name: str | None = None, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(value, placeholder=placeholder, name=name, id=id, classes=classes, compact=True,
                         validate_on=())  # our own checking, below; Input's validators stay unused
        self.field = field or (id or name or "field").replace("_", " ")
        self.required = required
        self.parsed: Any = None

    def parse(self, text: str) -> tuple[Any, str]:
        """(the value, the text to show for it); raises ValidationError. Plain text by default."""
        return text.strip(), text

    def check(self, final: bool = False) -> bool:
        """Check the text now. Empty is fine unless `final` (a save) and the field is required."""
        if not self.value.strip():
            self.parsed = None
            if final and self.required:
                self.error = REQUIRED
            elif self.error != REQUIRED:  # asked for by a save: stays until something is typed
                self.error = ""
        else:
            try:
                self.parsed, shown = self.parse(self.value)
            except ValidationError as exc:
                self.parsed, self.error = None, exc.message
            else:
                self.error = ""
                if shown != self.value:
                    self.value = shown
                    self.cursor_position = len(shown)
        self.post_message(self.Checked(self, self.error, self.parsed))
        return not self.error

    def watch_error(self, error: str) -> None:
        self.set_class(bool(error), "-invalid")

    def on_blur(self, _event: Blur) -> None:
        self.check()

    async def action_next_field(self) -> None:
        await caught_up(self)  # every key typed before Enter is in the value first
        self.screen.focus_next()  # immediate (set_focus), so keys typed after Enter follow the cursor


class DateInput(FieldInput):
    """Accepts 2026-11-22, 22/11, 22/11/26, t, +30, -5 (store.dates.parse_date); shows ISO dates."""

    DEFAULT_CSS = "DateInput { width: 14; }"  # as wide as an amount: the messages beside line up

    def __init__(self, value: str = "", *, field: str = "date", today: dt.date | None = None,
                 required: bool = False, name: str | None = None, id: str | None = None,  # noqa: A002
                 classes: str | None = None) -> None:
        super().__init__(value, field=field, required=required, name=name, id=id, classes=classes)
        self._today = today

    @property
    def today(self) -> dt.date:
        """What `t` and `+30` count from: given, else the application's day (the clock's)."""
        context = getattr(self.app, "context", None) if self.is_attached else None
        return self._today or getattr(context, "today", None) or clock.today()

    def parse(self, text: str) -> tuple[dt.date, str]:
        day = parse_date(text, self.field, self.today)
        return day, day.isoformat()

    @property
    def date(self) -> dt.date | None:
        return self.parsed


class AmountInput(FieldInput):
    """Accepts 1234.5, 1,234.50, (12.00), in `currency`'s minor units (store.money.parse_amount)."""

    DEFAULT_CSS = "AmountInput { width: 14; }"

    currency: reactive[str] = reactive("GBP", init=False)
    """Data down: the screen sets it (say, from the customer); a typed amount is checked again."""

    def __init__(self, value: str = "", *, currency: str = "GBP", field: str = "amount", required: bool = False,
                 name: str | None = None, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(value, field=field, required=required, name=name, id=id, classes=classes)
        self.set_reactive(AmountInput.currency, check_currency(currency))

    def validate_currency(self, code: str) -> str:
        return check_currency(code)

    def watch_currency(self) -> None:
        if self.value.strip():
            self.check()

    def parse(self, text: str) -> tuple[int, str]:
        minor = parse_amount(text, self.currency, self.field)
        return minor, format_amount(minor, self.currency)

    @property
    def minor(self) -> int | None:
        return self.parsed


class FieldRow(Horizontal):
    """label | field | what is wrong with it: one row. Style the label's width from the screen's .tcss."""

    DEFAULT_CSS = """
    FieldRow { height: 1; }
    FieldRow > .field-label { width: 14; }
    FieldRow > .field-error {
        width: 1fr; padding: 0 0 0 1; color: $text-error; text-style: bold;
        text-wrap: nowrap; text-overflow: ellipsis;  /* one row: a cut message ends in ..., visibly */
    }
    """

    def __init__(self, label: str, field: FieldInput, *, id: str | None = None,  # noqa: A002
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.label, self.field = label, field

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        yield self.field
        yield Static("", classes="field-error", markup=False)

    def on_mount(self) -> None:
        self.watch(self.field, "error", self.show_error)

    def show_error(self, error: str) -> None:
        # Beside the label and the text, neither needs saying again: "Due [soon] is not a date; try ..."
        # (the books' messages quote what was typed, for places that do not show it).
        self.query_one(".field-error", Static).update(error.removeprefix(f"'{self.field.value.strip()}' "))
