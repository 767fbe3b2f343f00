"""Items and tax codes: the small catalogue invoice lines are keyed from.

Up/Down pick a row, Enter edits it in the one-line form below, F7 starts a new one, F10 saves,
Tab switches between items and tax codes. Saving an item changes no line already keyed.
An existing item saved with another currency than its own sets its price in that currency (the item's
own price and currency stay): that is how a EUR or USD price is added.
"""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from store.errors import BooksError, ValidationError
from store.money import parse_amount, parse_quantity, plain_amount
from tui.cells import cut, money_cell, right
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.books_screen import UsesBooks
from tui.widgets.footer import KeyFooter

ITEM_FIELDS = (("code", 10), ("description", 0), ("price", 10), ("currency", 5), ("tax", 4))
TAX_FIELDS = (("code", 6), ("name", 0), ("rate", 8))


class CatalogueScreen(UsesBooks, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f10", "save", "Save", priority=True),
        Binding("f7", "new", "New"),
        Binding("tab", "switch", "Items / tax codes", priority=True),
    ]
    DEFAULT_CSS = """
    CatalogueScreen #cat-title { height: 1; text-style: bold; }
    CatalogueScreen #cat-table { height: 1fr; }
    CatalogueScreen .cat-form { height: 1; }
    CatalogueScreen .cat-form > Input { border: none; height: 1; padding: 0; margin: 0 1 0 0; background: $boost; }
    CatalogueScreen #cat-status { height: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.mode = "items"
        self.currencies: dict[str, str] = {}  # item code -> its own currency
        self.descriptions: dict[str, str] = {}  # item code -> its description whole (the table cuts it)

    def compose(self) -> ComposeResult:
        yield HeaderLine("Items and tax codes")
        yield Static("", id="cat-title")
        yield DataTable(id="cat-table", cursor_type="row")
        with Horizontal(classes="cat-form", id="item-form"):
            for name, width in ITEM_FIELDS:
                field = Input(placeholder=name, id=f"i-{name}")
                field.styles.width = width or "1fr"
                yield field
        with Horizontal(classes="cat-form", id="tax-form"):
            for name, width in TAX_FIELDS:
                field = Input(placeholder=name, id=f"t-{name}")
                field.styles.width = width or "1fr"
                yield field
        yield Static("Enter on a row edits it; F7 new; F10 saves; Tab switches items / tax codes.", id="cat-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.run_worker(self.load(), exclusive=True)

    async def load(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        self.query_one("#item-form").display = self.mode == "items"
        self.query_one("#tax-form").display = self.mode == "tax"
        if self.mode == "items":
            self.query_one("#cat-title", Static).update("Items")
            table.add_columns("Code", "Description", "Price", "Cur", "Tax", "Active", "Other prices")
            self.currencies = {}
            self.descriptions = {}
            for i in await in_db(self.services.list_items, "", False, True):
                self.currencies[i.code] = i.currency
                others = " ".join(f"{cur} {plain_amount(minor, cur)}" for cur, minor in i.prices)
                self.descriptions[i.code] = i.description
                # Cut so Price, Cur, Tax and Active stay on 80 columns (other prices last); Enter edits it whole.
                table.add_row(i.code, cut(i.description, 28), money_cell(i.unit_price_minor, i.currency), i.currency,
                              i.tax_code, "yes" if i.active else "no", others, key=i.code)
        else:
            self.query_one("#cat-title", Static).update("Tax codes")
            table.add_columns("Code", "Name", "Rate %", "Active")
            for t in await in_db(self.services.list_tax_codes, True):
                table.add_row(t.code, t.name, right(f"{t.rate.normalize():f}"), "yes" if t.active else "no", key=t.code)
        table.focus()

    def action_switch(self) -> None:
        self.mode = "tax" if self.mode == "items" else "items"
        self.run_worker(self.load(), exclusive=True)

    def action_new(self) -> None:
        prefix = "i" if self.mode == "items" else "t"
        for field in self.query(f"#{'item' if self.mode == 'items' else 'tax'}-form Input").results(Input):
            field.value = ""
        if self.mode == "items":
            self.query_one("#i-currency", Input).value = "GBP"
        self.set_focus(self.query_one(f"#{prefix}-code", Input))

    @on(DataTable.RowSelected)
    def edit(self, event: DataTable.RowSelected) -> None:
        table = self.query_one(DataTable)
        row = [str(c) for c in table.get_row(event.row_key)]
        if self.mode == "items":
            values = {"code": row[0], "description": self.descriptions.get(row[0], row[1]),
                      "price": row[2].replace(",", ""), "currency": row[3],
                      "tax": row[4]}
            for name, value in values.items():
                self.query_one(f"#i-{name}", Input).value = value
            self.set_focus(self.query_one("#i-description", Input))
        else:
            for name, value in zip(("code", "name", "rate"), row, strict=False):
                self.query_one(f"#t-{name}", Input).value = value
            self.set_focus(self.query_one("#t-rate", Input))

    @on(Input.Submitted)
    def next_field(self) -> None:
        self.focus_next()

    def action_save(self) -> None:
        self.run_worker(self._save(), exclusive=True)

    async def _save(self) -> None:
        status = self.query_one("#cat-status", Static)
        try:
            if self.mode == "items":
                v = {name: self.query_one(f"#i-{name}", Input).value.strip() for name, _w in ITEM_FIELDS}
                currency = v["currency"] or "GBP"
                price = parse_amount(v["price"], currency, "price")
                own = self.currencies.get(v["code"].upper())
                if own is not None and own != currency.upper():
                    row = await in_db(self.services.save_item_price, v["code"], currency, price)
                    status.update(f"Saved {escape(row.code)}'s {currency.upper()} price "
                                  f"{plain_amount(price, currency.upper())}")
                else:
                    row = await in_db(self.services.save_item, v["code"], v["description"], price, currency,
                                      v["tax"])
                    status.update(f"Saved item {escape(row.code)}: {escape(row.description)} "
                                  f"{plain_amount(row.unit_price_minor, row.currency)}")
            else:
                v = {name: self.query_one(f"#t-{name}", Input).value.strip() for name, _w in TAX_FIELDS}
                rate: Decimal = parse_quantity(v["rate"], "rate", places=3)
                tax = await in_db(self.services.save_tax_code, v["code"], v["name"], rate)
                status.update(f"Saved tax code {escape(tax.code)} at {tax.rate}%")
        except (BooksError, ValidationError) as exc:
            status.update(f"[b]Not saved:[/b] {escape(str(exc))}")
            return
        await self.load()
