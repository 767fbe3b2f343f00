"""Mapping a bank's CSV columns, once: the first statement from a bank asks, the next ones do not.

Opened by the import when no saved mapping reads the file. The fields start from a guess made
from the header (store.importers.guess_mapping); F10 reads the whole file with what is filled in
and, only if every line reads, returns the mapping for the import to save under its name and use.
A field the books refuse shows its message beside it; a line that does not read is named below.
"""
from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from store.errors import BooksError, ValidationError
from store.importers import CsvMapping
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.books_screen import UsesBooks
from tui.typeahead import FormScreen
from tui.widgets.fields import FieldInput, FieldRow
from tui.widgets.footer import KeyFooter

# (mapping field, label): column fields take the header text or a column number.
FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Mapping name"), ("date", "Date column"), ("date_format", "Date format"),
    ("amount", "Amount (+/-)"), ("money_in", "or Money in"), ("money_out", "and Money out"),
    ("reference", "Reference"), ("payer", "Payer"), ("bank_id", "Bank's id"), ("decimal_sep", "Decimal sep"),
    # The bank account's currency: a line in any other is refused (a EUR file must never post as GBP).
    ("default_currency", "Account ccy"), ("currency", "Currency col"),
)
SAMPLE_LINES = 4


def field_texts(mapping: CsvMapping | None, name: str) -> dict[str, str]:
    texts = {key: "" for key, _ in FIELDS}
    if mapping is not None:
        texts.update({key: str(getattr(mapping, key) or "") for key, _ in FIELDS})
    texts["name"] = texts["name"] or name
    texts["date_format"] = texts["date_format"] or "%d/%m/%Y"
    texts["decimal_sep"] = texts["decimal_sep"] or "."
    texts["default_currency"] = texts["default_currency"] or "GBP"
    return texts


class CsvMappingScreen(UsesBooks, FormScreen):
    """`push_screen(CsvMappingScreen(data, filename, guess), callback)`: the callback gets the mapping or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10", "save", "Save & import", priority=True),
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "app.focus_next", "Next field", show=False),
        Binding("up", "app.focus_previous", "Previous field", show=False),
    ]
    DEFAULT_CSS = """
    CsvMappingScreen #sample { height: auto; max-height: 4; color: $text-muted; text-wrap: nowrap; }
    CsvMappingScreen .title { height: 1; text-style: bold; }
    CsvMappingScreen FieldInput { width: 26; }
    CsvMappingScreen #mapping-status { height: auto; max-height: 4; }
    """

    def __init__(self, data: bytes, filename: str, guess: CsvMapping | None) -> None:
        super().__init__()
        self.data, self.filename, self.guess = data, filename, guess

    def compose(self) -> ComposeResult:
        yield HeaderLine(f"Statement columns: {self.filename}")
        lines = self.data.decode("utf-8", "replace").splitlines()[:SAMPLE_LINES]
        yield Static("\n".join(line[:78] for line in lines), id="sample", markup=False)
        yield Static("Which column holds what: its header text or number; blank for none", classes="title")
        texts = field_texts(self.guess, self.filename.rsplit(".", 1)[0])
        for key, label in FIELDS:
            yield FieldRow(label, FieldInput(texts[key], field=key.replace("_", " "), id=f"m-{key}"))
        yield Static("Guessed from the header: check, then F10 reads the whole file and imports it.\n"
                     "The mapping is kept by its name: this bank's next statement will not ask.",
                     id="mapping-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#m-name", FieldInput))

    def values(self) -> dict[str, str]:
        values = {key: self.query_one(f"#m-{key}", FieldInput).value.strip() for key, _ in FIELDS}
        values["default_currency"] = values["default_currency"].upper()
        return values

    def action_save(self) -> None:
        self.run_worker(self._save(), exclusive=True, group="mapping")

    async def _save(self) -> None:
        status = self.query_one("#mapping-status", Static)
        for key, _ in FIELDS:
            self.query_one(f"#m-{key}", FieldInput).error = ""
        try:
            mapping, statement = await in_db(self.services.read_with_mapping, self.data, self.values())
        except ValidationError as exc:
            key = exc.field.replace(" ", "_")
            if key in dict(FIELDS):
                field = self.query_one(f"#m-{key}", FieldInput)
                field.error = exc.message
                self.set_focus(field)
            status.update(f"[b]Not imported:[/b] {escape(str(exc))}")
            return
        except BooksError as exc:
            status.update(f"[b]Not imported:[/b] {escape(str(exc))}\nNothing from the file was kept.")
            return
        if not statement.lines:
            status.update("[b]Not imported:[/b] no lines read with these columns.")
            return
        self.dismiss(mapping)

    def action_cancel(self) -> None:
        self.dismiss(None)
