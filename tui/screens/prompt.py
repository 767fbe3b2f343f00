"""A one-line question in a modal: a reason, a note, an amount. Enter answers, Esc cancels.

Keys typed before it appeared are dropped (tui/keyorder.py): an Enter typed ahead for the screen
behind must not answer it, nor letters meant for a search become a hold's reason.
"""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.keyorder import shown_now


class TextPrompt(ModalScreen[str | None]):
    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical { width: 70; height: auto; border: round $accent; padding: 0 1; background: $surface; }
    TextPrompt Input { border: none; height: 1; padding: 0; background: $boost; }
    TextPrompt .hint { color: $text-muted; }
    """
    DISCARDS_TYPE_AHEAD = True
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, value: str = "", hint: str = "Enter to confirm, Esc to cancel",
                 required: bool = True) -> None:
        super().__init__()
        self.question, self.value, self.hint, self.required = question, value, hint, required

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question)
            yield Input(self.value, id="answer")
            yield Static(self.hint, classes="hint", id="prompt-hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one(Input))
        shown_now(self)

    @on(Input.Submitted)
    def answer(self, event: Input.Submitted) -> None:
        if self.required and not event.value.strip():
            self.query_one("#prompt-hint", Static).update("An answer is needed (Esc cancels).")
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
