"""Importing a bank statement from the matching queue (i): the same service as `billfold import`.

store.imports.import_statement does the work for both, so the screen and the command line read a
file alike: a CSV with the saved mapping that reads it, or one the operator makes now (with the
bank account's currency, tui/screens/csv_mapping.py); a line in another currency refuses the file.
Afterwards every line of the file is listed with what became of it (ImportResultsScreen).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from store.errors import BooksError
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.prompt import TextPrompt
from tui.widgets.footer import KeyFooter

OUTCOME = {"new": "new", "duplicate": "duplicate", "skipped": "skipped"}


class StatementImport:
    """The queue's import (mixed into PaymentsScreen): prompts, mapping, import, results."""

    def action_import_statement(self) -> None:
        screen: Any = self
        screen.app.push_screen(TextPrompt("Import a bank statement (CSV, OFX or camt.053): the file's path"),
                               lambda answer: answer and screen.run_worker(self._import(answer.strip()),
                                                                           exclusive=True, group="import"))

    async def _import(self, answer: str) -> None:
        """Read the file; a CSV is read with the saved mapping that fits it, or one the operator makes now."""
        screen: Any = self
        path = Path(answer).expanduser()
        try:
            data = path.read_bytes()
            kind, saved, guess = await in_db(screen.services.statement_mapping, data, path.name)
        except OSError as exc:
            screen.refuse(f"Not imported: {escape(str(path))}: {escape(exc.strerror or str(exc))}")
            return
        except BooksError as exc:
            screen.refuse(f"[b]Not imported:[/b] {escape(str(exc))}")
            return
        if kind == "csv" and saved is None:
            from tui.screens.csv_mapping import CsvMappingScreen

            def mapped(mapping: object) -> None:
                if mapping is not None:
                    screen.run_worker(self._import_with(data, path.name, mapping, save=True), exclusive=True,
                                      group="import")

            screen.app.push_screen(CsvMappingScreen(data, path.name, guess), mapped)
            return
        await self._import_with(data, path.name, saved)

    async def _import_with(self, data: bytes, filename: str, mapping: object, save: bool = False) -> None:
        screen: Any = self
        try:
            if save:
                await in_db(screen.services.save_mapping, mapping)
            result = await in_db(screen.services.import_statement, data, filename, mapping)
        except BooksError as exc:
            screen.refuse(f"[b]Not imported:[/b] {escape(str(exc))} (nothing from the file was kept)")
            return
        read_with = f" (mapping {mapping.name})" if mapping is not None else ""  # type: ignore[attr-defined]
        summary = (f"{filename}{read_with}: {result.new} new, {result.duplicate} duplicates, "
                   f"{result.skipped} skipped (money out or zero).")
        await screen._reload(0)
        screen.query_one("#queue-status", Static).update(escape(summary) + f" {screen.to_go()} to allocate.")
        screen.app.push_screen(ImportResultsScreen(summary, result.lines))


def result_lines(lines: list[dict[str, Any]]) -> str:
    """One entry per line of the file; long references wrap under it rather than run off the screen."""
    out = []
    for ln in lines:
        out.append(f"{ln['position']:>4}  {OUTCOME.get(str(ln['outcome']), str(ln['outcome'])):<9} {ln['date']}  "
                   f"{ln['amount']:>14}  {ln['detail']}")
        if ln.get("reference"):
            out.append(f"      {ln['reference']}")
    return "\n".join(out) or "The file held no lines."


class ImportResultsScreen(Screen[None]):
    """Every line of an imported statement: new (its payment), duplicate (which one), skipped (why)."""

    DEFAULT_CSS = """
    ImportResultsScreen #import-summary { height: auto; text-style: bold; }
    ImportResultsScreen #import-lines { height: 1fr; }
    ImportResultsScreen #import-lines Static { width: 100%; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Back to the queue")]

    def __init__(self, summary: str, lines: list[dict[str, Any]]) -> None:
        super().__init__()
        self.summary, self.lines = summary, lines

    def compose(self) -> ComposeResult:
        yield HeaderLine("Statement imported")
        yield Static(self.summary, id="import-summary", markup=False)
        with VerticalScroll(id="import-lines"):
            yield Static(result_lines(self.lines), id="import-text", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#import-lines", VerticalScroll))
