"""Invoice entry's keys within the grid: Enter's next field, Dup, delete and move a line, F4 lists."""
from __future__ import annotations

from textual import events
from textual.widgets import Input

from store.dates import parse_date
from store.errors import ValidationError
from store.money import format_amount
from tui.keyorder import hold_input
from tui.screens.entry_form import EntryForm
from tui.screens.entry_lines import LABELS, LINE_FIELDS, LineRow
from tui.typeahead import caught_up


class LineKeys(EntryForm):
    async def action_next_field(self) -> None:
        """Enter: the next field, decided here and now.

        Enter is a priority binding, run as the key is read, and focus moves with set_focus (not
        widget.focus(), which is deferred), so the cursor has moved before the next key is read:
        keys typed ahead (or pasted) land in the fields they were meant for.
        """
        await caught_up(self.focused)
        field = self.focused
        if not isinstance(field, Input):
            self.focus_next()
            return
        refused = self.refusal_of(field)
        if refused:  # the cursor stays, the message shows, typing waits until the field is fixed
            self.show_error(refused)
            self.keep_message = True
            hold_input(self.app, field)
            return
        row = field.parent
        if isinstance(row, LineRow):
            await self.next_in_line(row, field)
            return
        if field.id == "f-customer" and field.value.strip() and not field.value.strip().isdigit():
            self.search_customer(field)  # a name (or part of one): searched as the lookup does
            return
        if field.id == "f-customer":
            account = field.value.strip()
            if account and (self.customer is None or self.customer.account_no != account):
                self.run_worker(self.load_customer(account), exclusive=True, group="customer")
            if account:  # date (today) and due date (from terms) have defaults: straight to the reference
                self.set_focus(self.query_one("#f-reference", Input))
                return
        if field.id == "f-reference":  # the memo is optional (Tab reaches it): straight to the lines
            rows = self.rows()
            if rows:
                self.set_focus(rows[0].field("item"))
                return
        self.focus_next()

    def refusal_of(self, field: Input) -> str:
        """Why the value Enter was pressed on is wrong, or '' (only the field's own value is judged)."""
        if not field.value.strip():
            return ""
        if field.id in ("f-date", "f-due"):
            try:
                parse_date(field.value, "date", self.today)
            except ValidationError as exc:
                return str(exc)
            return ""
        row = field.parent
        if isinstance(row, LineRow) and field.name in ("quantity", "unit_price", "discount"):
            _line, bad = self.services.parse_line_fields(row.raw(), self.currency(), self.catalogue)
            if field.name in bad:
                field.add_class("-bad")
                return f"{LABELS[field.name]}: {bad[field.name]}"
        return ""

    async def next_in_line(self, row: LineRow, field: Input) -> None:
        """Enter within a line: the next field that still needs typing.

        An item code fills description, price and tax code, so quantity is all that varies; past the
        quantity or price, the optional discount and a tax code already filled (from the item or the
        customer) are skipped, and Enter opens the next line.
        """
        if field.name == "item" and field.value.strip():
            self.fill_from_item(field)
            self.set_focus(row.field("quantity"))
            return
        if field.name in ("quantity", "unit_price", "discount"):
            self.default_tax_code(row)
            needed = ("unit_price", "tax_code") if field.name == "quantity" else ("tax_code",)
            if all(row.field(name).value.strip() for name in needed):
                await self.open_next_line(row)
                return
        if field.name == "tax_code":
            await self.open_next_line(row)
            return
        self.focus_next()

    def default_tax_code(self, row: LineRow) -> None:
        """A line with no tax code takes the customer's default, if the customer has one."""
        code = self.customer.tax_code if self.customer else ""
        if code and not row.field("tax_code").value.strip() and not row.blank():
            row.field("tax_code").value = code

    async def open_next_line(self, row: LineRow) -> None:
        every = [r for r in self.query(LineRow) if not r.gone]
        index = every.index(row)
        if index + 1 < len(every):
            following = every[index + 1]
            await caught_up(following)  # a spare line still being mounted: let it finish
        elif row.blank():
            return
        else:
            following = LineRow()
            await self.query_one("#lines").mount(following)
        self.renumber()
        self.set_focus(following.field("item"))
        following.scroll_visible()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Arriving in the last line mounts a blank one after it, ready before Enter asks for it."""
        row = event.widget.parent
        if event.widget is not self.focused:
            return  # focus has moved on since (typed ahead): nothing to prepare
        if isinstance(row, LineRow) and not row.gone and row is list(self.query(LineRow))[-1]:
            self.add_spare_line()

    async def action_dup(self) -> None:
        """Data-entry Dup: the focused field takes its value from the previous invoice."""
        await caught_up(self.focused)
        field = self.focused
        if not isinstance(field, Input) or not self.previous:
            self.show_error("Dup: no previous invoice in this session yet")
            return
        if field.id and field.id.startswith("f-"):
            value = str(self.previous.get(field.id[2:], "") or "")
        else:
            row = field.parent
            index = self.rows().index(row) if isinstance(row, LineRow) else -1
            lines: list[dict[str, str]] = self.previous.get("lines", [])  # type: ignore[assignment]
            value = lines[index].get(field.name or "", "") if 0 <= index < len(lines) else ""
        field.value = value
        field.cursor_position = len(value)

    async def action_dup_line(self) -> None:
        """Shift+F8: the whole line, from the same line of the previous invoice, or else the line above."""
        await caught_up(self.focused)
        field = self.focused
        row = field.parent if field is not None else None
        if not isinstance(row, LineRow):
            self.show_error("Shift+F8 copies a whole line: move into a line first")
            return
        rows = self.rows()
        index = rows.index(row)
        lines: list[dict[str, str]] = self.previous.get("lines", [])  # type: ignore[assignment]
        if index < len(lines):
            source = lines[index]
        elif index > 0 and not rows[index - 1].blank():
            source = rows[index - 1].raw()
        else:
            self.show_error("Shift+F8: no line to copy (no previous invoice's line here, no line above)")
            return
        for name in LINE_FIELDS:
            row.field(name).value = source.get(name, "")
        self.set_focus(row.field("quantity"))  # what a copied line most often changes
        self.show_totals()

    def search_customer(self, field: Input) -> None:
        from tui.screens.picker import PickAccountScreen

        def chosen(account: str | None) -> None:
            if account:
                field.value = account
                self.run_worker(self.load_customer(account), exclusive=True, group="customer")
                self.set_focus(self.query_one("#f-reference", Input))

        self.app.push_screen(PickAccountScreen(field.value.strip()), chosen)

    async def action_delete_line(self) -> None:
        field = self.focused
        row = field.parent if field is not None else None
        if not isinstance(row, LineRow):
            self.show_error("F9 deletes the line the cursor is on; move into a line first")
            return
        rows = self.rows()
        index = rows.index(row)
        if len(rows) == 1:
            for name in LINE_FIELDS:
                row.field(name).value = ""
        else:
            removal = self.drop_rows([row])
            if removal is not None:
                await removal
            rows = self.rows()
            self.set_focus(rows[min(index, len(rows) - 1)].field("item"))
        self.renumber()
        self.show_totals()

    async def action_move_line(self, step: int) -> None:
        field = self.focused
        row = field.parent if field is not None else None
        if not isinstance(row, LineRow) or field is None:
            return
        rows = self.rows()
        index = rows.index(row)
        target = index + step
        if not 0 <= target < len(rows):
            return
        values = [r.raw() for r in rows]
        values[index], values[target] = values[target], values[index]
        for r, v in zip(rows, values, strict=True):
            for name in LINE_FIELDS:
                r.field(name).value = v[name]
        self.set_focus(rows[target].field(field.name or "item"))
        self.show_totals()

    def action_prompt(self) -> None:
        field = self.focused
        if isinstance(field, Input) and field.id == "f-customer":
            self.search_customer(field)
            return
        if isinstance(field, Input) and field.name in ("item", "tax_code") and self.catalogue:
            from tui.screens.picker import PickCodeScreen

            if field.name == "item":
                cur = self.currency()
                choices = [(i.code, f"{i.description}  " + (f"no {cur} price" if i.price_in(cur) is None
                                                            else format_amount(i.price_in(cur) or 0, cur)))
                           for i in self.catalogue.items.values()]
            else:
                choices = [(code, f"{rate}%") for code, rate in self.catalogue.tax_rates.items()]

            def picked(code: str | None) -> None:
                if code:
                    field.value = code
                    if field.name == "item":
                        self.fill_from_item(field)
                    self.show_totals()

            self.app.push_screen(PickCodeScreen(f"Pick {LABELS[field.name]}", choices), picked)
            return
        self.show_error("F4 lists choices in the customer, item and tax code fields")

