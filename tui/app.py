"""The Billfold application: one mode per job, each reachable from anywhere by a function key and a
plain-key alternative (some SSH clients mangle F-keys), every action in the command palette.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tui.context import AppContext
from tui.errors import SurvivesErrors
from tui.keyorder import KeysInOrder
from tui.keys import GLOBAL_KEYS, key_label


class BillfoldApp(KeysInOrder[None], SurvivesErrors[None]):
    """Errors never end the session (tui/errors.py); keys typed fast stay in order (tui/keyorder.py)."""

    TITLE = "Billfold"
    CSS_PATH = str(Path(__file__).with_name("app.tcss"))  # absolute: a subclass elsewhere (tests) still finds it
    MODES: ClassVar[dict[str, str | Callable[[], Screen]]] = {
        "lookup": lambda: _screen("account_lookup", "AccountLookupScreen"),
        "invoice": lambda: _screen("invoice_entry", "InvoiceEntryScreen"),
        "payments": lambda: _screen("matching_queue", "PaymentsScreen"),
        "reports": lambda: _screen("reports", "ReportsScreen"),
        "mywork": lambda: _screen("my_work", "MyWorkScreen"),
    }
    DEFAULT_MODE = "lookup"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(k.keys, k.action, k.description, show=k.show, priority=k.priority) for k in GLOBAL_KEYS]

    def __init__(self, context: AppContext) -> None:
        # The first screen: My work after a login (launch), the lookup where a test or demo says so.
        self.DEFAULT_MODE = context.first_mode  # type: ignore[misc]  # Textual reads it per instance at start
        super().__init__()
        self.context = context

    def on_mount(self) -> None:
        if self.context.after_first_frame is not None:
            self.call_after_refresh(self.context.after_first_frame)

    # ------------------------------------------------------------ modes and navigation

    def action_go(self, mode: str) -> None:
        """A job key: the job's first screen, in its known state (the lookup empty, a new invoice, the
        queue at its first payment), so keys typed after it land in that screen's field.

        Screens opened over it (an account, a prompt) are closed; one holding typed work is not closed
        without asking. The keys typed meanwhile wait in tui/keyorder.py until the screen is ready.
        """
        from tui.screens.confirm import ConfirmScreen, UnsavedWork

        if self.current_mode != mode:
            self.switch_mode(mode)
        above = self.screen_stack[1:]
        working = [s for s in above if isinstance(s, UnsavedWork) and s.has_unsaved_work()]
        if working:
            what = getattr(working[-1], "WORK_NAME", "what you typed")
            self.push_screen(ConfirmScreen(f"Discard {what} and start the job afresh?\n"
                                           "n keeps it on screen."),
                             lambda yes: self._start_afresh() if yes else None)
            return
        self._start_afresh()

    def _start_afresh(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        base = self.screen
        reset = getattr(base, "reset_job", None)
        if callable(reset) and base.is_mounted:  # a job opened for the first time is fresh already
            reset()

    def action_my_work(self) -> None:
        """Ctrl+L: what is assigned to me and what waits for my approval (the first screen after login)."""
        self.action_go("mywork")

    async def action_back(self) -> None:
        if len(self.screen_stack) > 1:
            self.screen.dismiss() if hasattr(self.screen, "dismiss") else self.pop_screen()

    def open_invoice_entry(self, account_no: str | None = None) -> None:
        from tui.screens.invoice_entry import InvoiceEntryScreen

        self.push_screen(InvoiceEntryScreen(account_no))

    def open_payment_entry(self, account_no: str | None = None) -> None:
        from tui.screens.payment_entry import PaymentEntryScreen

        self.push_screen(PaymentEntryScreen(account_no))

    def action_operators(self) -> None:
        """The admin screen: who works on these books (anyone may look; only admins change it)."""
        from tui.screens.operators import OperatorsScreen

        if not isinstance(self.screen, OperatorsScreen):
            self.push_screen(OperatorsScreen())

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # ------------------------------------------------------------ every action in the palette

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        seen: set[str] = set()
        for binding in _bindings_of(screen) + list(self.BINDINGS):
            if not isinstance(binding, Binding) or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            target = screen if binding in _bindings_of(screen) else self
            yield SystemCommand(f"{binding.description} ({key_label(binding.key)})",
                                f"{binding.description}: {key_label(binding.key)}",
                                _runner(target, binding.action))
        yield from super().get_system_commands(screen)

    # ------------------------------------------------------------ quitting
    # Errors (one line on screen, details in the log, the session goes on): tui/errors.py.

    async def action_quit(self) -> None:
        """Ctrl+Q: leave, but ask first if any screen, in any job, holds typed work."""
        from tui.screens.confirm import ConfirmScreen, unsaved_screens

        if self.screen.id == "confirm-quit" or not unsaved_screens(self):  # Ctrl+Q twice: quit, as asked
            self.exit()
            return
        self.push_screen(ConfirmScreen("Quit and discard what you typed?", id="confirm-quit"),
                         lambda yes: self.exit() if yes else None)


def _screen(module: str, name: str) -> Screen:
    """Screens are imported when first opened, so start-up pays only for the first one."""
    import importlib

    return getattr(importlib.import_module(f"tui.screens.{module}"), name)()


def _bindings_of(screen: Screen) -> list[Binding]:
    return [b for b in screen.BINDINGS if isinstance(b, Binding)]


def _runner(target: object, action: str):
    async def run() -> None:
        await target.run_action(action)  # type: ignore[attr-defined]

    return run
