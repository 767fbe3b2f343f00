"""F4 pickers: type to narrow a list, Up/Down to move, Enter picks, Esc cancels.

`PickerScreen` holds the keys and the list; a picker only says what its options are for a text.
"""
from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from store.money import format_amount
from tui.dbwork import in_db


class PickerScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    PickerScreen { align: center middle; }
    PickerScreen > Vertical { width: 76; height: 18; border: round $accent; background: $surface; }
    PickerScreen Input { border: none; height: 1; padding: 0; background: $boost; }
    PickerScreen OptionList { height: 1fr; border: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next", show=False, priority=True),
        Binding("up", "move(-1)", "Previous", show=False, priority=True),
        Binding("enter", "pick", "Pick", priority=True),
    ]

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.title_text, self.text = title, text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text)
            yield Input(self.text, placeholder="type to narrow", id="picker-filter")
            yield OptionList(id="picker-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).can_focus = False
        self.query_one(Input).focus()
        self.run_worker(self.refresh_options(self.text), exclusive=True)

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        self.run_worker(self.refresh_options(event.value), exclusive=True)

    async def options_for(self, text: str) -> list[Option]:
        raise NotImplementedError

    async def refresh_options(self, text: str) -> None:
        found = await self.options_for(text)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(found)
        if found:
            options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            options.highlighted = max(0, min((options.highlighted or 0) + step, options.option_count - 1))

    def action_pick(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PickCodeScreen(PickerScreen):
    """Items or tax codes, from the catalogue the entry screen already holds."""

    def __init__(self, title: str, choices: list[tuple[str, str]]) -> None:
        super().__init__(title)
        self.choices = choices

    async def options_for(self, text: str) -> list[Option]:
        needle = text.strip().casefold()
        return [Option(f"{code:10} {label}", id=code) for code, label in self.choices
                if needle in code.casefold() or needle in label.casefold()]


class PickAccountScreen(PickerScreen):
    """The account lookup as a popup."""

    def __init__(self, text: str = "") -> None:
        super().__init__("Find the account (Enter picks)", text)

    async def options_for(self, text: str) -> list[Option]:
        page = await in_db(self.app.context.services.find_accounts, text, 0, 30)  # type: ignore[attr-defined]
        return [Option(f"{h.account_no}  {h.name[:36]:36} {format_amount(h.balance_minor, h.currency):>12}",
                       id=h.account_no) for h in page.hits]
