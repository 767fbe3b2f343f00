"""Unexpected errors: one line on the screen, the whole traceback in the log, and the work goes on.

Textual treats any unhandled exception as fatal: it prints a traceback and exits. Billfold's
promise is the opposite (never a traceback; say it in one line; keep the operator's session), so
`SurvivesErrors` replaces Textual's handling in the three places an error can surface:

- an action (every key binding, every palette command, `run_action`): caught where Textual
  dispatches it, so the message loop that ran it keeps running;
- a worker (async or thread): Textual hands it over wrapped in WorkerFailed; the worker is
  finished anyway, so reporting it is enough;
- a message handler, `compose` or `on_mount`: Textual stops that widget's message loop for good
  (the screen goes blank and deaf). The screen is taken away: a pushed screen is popped, a
  job's own screen is replaced by `StoppedScreen`, and the job's key builds it afresh. If the
  application's own loop is the one stopping, it exits with the one line instead of freezing.

The log file is `tui.logs.log_path()` (BILLFOLD_LOG, or billfold.log in platformdirs'
user_log_dir("billfold")).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from textual._context import active_message_pump
from textual.app import App, ReturnType
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import WorkerFailed

from tui.logs import log_exception

# Textual 8 calls App._handle_exception from these methods just before the failing widget's
# message loop ends (or never starts, or its children are never mounted). Anywhere else (timers,
# idle callbacks, rendering) the loop survives the error. Checked by tests/tui/test_errors.py.
LOOP_ENDING_CALLERS = frozenset({"_process_messages_loop", "_pre_process", "_compose"})


def one_line(error: BaseException, log: Path) -> str:
    """The sentence the operator sees: what went wrong and where the details are."""
    text = " ".join(str(error).split())  # a multi-line message would not stay one line
    if len(text) > 120:
        text = text[:117] + "..."
    return f"Unexpected error: {type(error).__name__}: {text}. Details in {log}"


def unwrap(error: BaseException) -> BaseException:
    """A worker's error arrives wrapped in WorkerFailed: report what really went wrong."""
    if isinstance(error, WorkerFailed) and isinstance(error.error, BaseException):
        return error.error
    return error


class SurvivesErrors(App[ReturnType]):
    """The application's base class instead of App: `class BillfoldApp(SurvivesErrors[None])`."""

    def report_error(self, error: BaseException) -> Path:
        """Log the traceback, ring the bell, show one line. Returns the log file's path."""
        error = unwrap(error)
        log = log_exception(error)
        self.bell()
        self.notify(one_line(error, log), severity="error", markup=False, timeout=10)
        return log

    async def _dispatch_action(self, namespace: DOMNode, action_name: str, params: Any) -> bool:
        try:
            return await super()._dispatch_action(namespace, action_name, params)
        except Exception as error:
            self.report_error(error)
            return True

    def _handle_exception(self, error: Exception) -> None:
        caller = sys._getframe(1).f_code.co_name  # which Textual path failed: see LOOP_ENDING_CALLERS
        if not self._has_screens():  # failed while starting: there is no screen to show a line on
            self._exit_with(error)
            return
        if isinstance(error, WorkerFailed) or caller not in LOOP_ENDING_CALLERS:
            self.report_error(error)
            return
        pump = active_message_pump.get(None)
        if pump is self or not isinstance(pump, Widget):
            self._exit_with(error)  # the application's own loop is ending: leave cleanly, do not freeze
            return
        log = self.report_error(error)
        screen = pump if isinstance(pump, Screen) else _screen_of(pump)
        if screen is not None:
            self.call_later(self._take_away, screen, unwrap(error), log)

    # ------------------------------------------------------------ recovery

    def _has_screens(self) -> bool:
        try:
            return bool(self.screen_stack)
        except Exception:
            return False

    def _exit_with(self, error: BaseException) -> None:
        error = unwrap(error)
        line = one_line(error, log_exception(error))
        self.exit(return_code=1, message=f"billfold: {line[0].lower()}{line[1:]}")

    async def _take_away(self, screen: Screen, error: BaseException, log: Path) -> None:
        """Remove a screen whose message loop has stopped, so the operator can carry on."""
        from tui.screens.stopped import StoppedScreen

        if isinstance(screen, StoppedScreen):
            self._exit_with(error)  # the placeholder itself failed: nothing safe is left to show
            return
        # Textual keeps one stack per mode (job) and no public way to look into the others.
        mode = next((m for m, stack in self._screen_stacks.items() if screen in stack), None)
        if mode is None:
            return  # gone already
        stack = self._screen_stacks[mode]
        if mode == self.current_mode and stack.index(screen) > 0:
            while screen in self.screen_stack:  # and any prompt it had opened above it
                await self.pop_screen()
            return
        factory = self._modes.get(mode)
        if mode == self.current_mode:  # the job's own screen, on view: say so where it was
            place = getattr(screen, "PLACE", "") or type(screen).__name__.removesuffix("Screen")
            if StoppedScreen.MODE in self._modes:  # the placeholder of an earlier failure
                await self.remove_mode(StoppedScreen.MODE)
            self.add_mode(StoppedScreen.MODE, lambda: StoppedScreen(mode, place, error, log))
            await self.switch_mode(StoppedScreen.MODE)
        await self.remove_mode(mode)  # the job's key builds it afresh (the one-line message said why)
        if factory is not None and mode != StoppedScreen.MODE:
            self.add_mode(mode, factory)


def _screen_of(widget: Widget) -> Screen | None:
    try:
        return widget.screen
    except Exception:
        return None
