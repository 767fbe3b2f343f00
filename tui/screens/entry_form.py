"""Invoice entry's form: reading, checking and showing what is typed, and filling it back in.

The screen (tui/screens/invoice_entry.py) adds the layout and keys; this holds the state they share.
"""
from __future__ import annotations

import datetime as dt

from rich.markup import escape
from textual.await_remove import AwaitRemove
from textual.suggester import Suggester, SuggestFromList
from textual.widgets import Input, Static

from store.catalogue import Catalogue
from store.dates import parse_date
from store.errors import NotFound, ValidationError
from store.invoices import DraftInput, LineInput
from store.money import format_amount, format_money, plain_amount
from store.queries import CustomerView, InvoiceView
from tui.dbwork import in_db
from tui.screens.books_screen import UsesBooks
from tui.screens.entry_lines import HEADER_FIELDS, LABELS, LINE_FIELDS, POOL, LineRow, LinesArea, Pending
from tui.typeahead import FormScreen
from tui.widgets.cell import Cell


class EntryForm(UsesBooks, FormScreen):
    def __init__(self, account_no: str | None = None, draft_id: int | None = None,
                 copy_of: str | None = None) -> None:
        super().__init__()
        self.start_account, self.start_draft, self.copy_of = account_no, draft_id, copy_of
        self.catalogue: Catalogue | None = None
        self.rounding = "line"
        self.customer: CustomerView | None = None
        self.draft_id: int | None = None
        self.version: int | None = None
        self.previous: dict[str, object] = {}
        self.errors: dict[str, str] = {}
        self.pending: Pending | None = None
        self.touched = False
        self.keep_message = False  # a refusal's message outlives the focus move it causes

    @property
    def today(self) -> dt.date:
        return self.app.context.today

    # ------------------------------------------------------------ reading the form

    def rows(self) -> list[LineRow]:
        """The lines whose fields all exist (a spare line being mounted may have none, or only some, yet)
        and that are not being removed."""
        return [row for row in self.query(LineRow) if len(row.children) == len(LINE_FIELDS) + 2 and not row.gone]

    def drop_rows(self, rows: list[LineRow]) -> AwaitRemove | None:
        for row in rows:
            row.gone = True
        return self.query_one("#lines", LinesArea).remove_children(rows) if rows else None

    def renumber(self) -> None:
        for n, row in enumerate(self.rows(), 1):
            row.query_one(".no", Cell).show(f"{n:>2}")

    def form_values(self) -> dict[str, object]:
        head = {name: self.query_one(f"#f-{name}", Input).value for name in HEADER_FIELDS}
        return {**head, "lines": [row.raw() for row in self.rows() if not row.blank()]}

    def currency(self) -> str:
        return self.customer.currency if self.customer else "GBP"

    def parse_lines(self) -> tuple[list[LineInput], dict[str, str]]:
        lines: list[LineInput] = []
        errors: dict[str, str] = {}
        for n, row in enumerate(self.rows(), 1):
            for name in LINE_FIELDS:
                row.field(name).remove_class("-bad")
            if row.blank():
                continue
            line, bad = self.services.parse_line_fields(row.raw(), self.currency(), self.catalogue,
                                                        self.customer.tax_code if self.customer else "")
            for name, message in bad.items():
                errors[f"{n}:{name}"] = f"line {n} {LABELS[name]}: {message}"
                row.field(name).add_class("-bad")
            if line is not None:
                lines.append(line)
        return lines, errors

    def parse_header(self) -> tuple[dict[str, object], dict[str, str]]:
        errors: dict[str, str] = {}
        values: dict[str, object] = {}
        account = self.query_one("#f-customer", Input).value.strip()
        if not account:
            errors["customer"] = "customer: type an account number (F4 to find one)"
        elif self.customer is None or self.customer.account_no != account:
            errors["customer"] = f"customer: account '{account}' not found (F4 to find one)"
        elif self.customer.status in ("on_hold", "closed", "in_collections"):
            reason = self.customer.hold_reason or self.customer.status.replace("_", " ")
            errors["customer"] = f"customer: account {account} is {self.customer.status.replace('_', ' ')}: {reason}"
        for name in ("date", "due"):
            text = self.query_one(f"#f-{name}", Input).value
            if name == "due" and not text.strip():
                values[name] = None
                continue
            try:
                values[name] = parse_date(text, LABELS[name], self.today)
            except ValidationError as exc:
                errors[name] = str(exc)
        values["reference"] = self.query_one("#f-reference", Input).value
        values["memo"] = self.query_one("#f-memo", Input).value
        return values, errors

    def collect(self) -> tuple[DraftInput | None, dict[str, str]]:
        head, errors = self.parse_header()
        lines, line_errors = self.parse_lines()
        errors.update(line_errors)
        if not lines and not line_errors:
            errors["1:item"] = "lines: an invoice needs at least one line"
        if errors or self.customer is None:
            return None, errors
        return DraftInput(self.customer.account_no, head["date"], tuple(lines), head["due"],  # type: ignore[arg-type]
                          str(head["reference"]), str(head["memo"])), {}

    # ------------------------------------------------------------ showing

    def show_error(self, message: str) -> None:
        self.query_one("#field-error", Cell).show(escape(message))

    def show_totals(self) -> None:
        lines, errors = self.parse_lines()
        if self.catalogue is None:
            return
        priced = self.services.preview_totals(lines, self.catalogue.tax_rates, self.rounding) if lines else None
        cur = self.currency()
        valid = iter(priced.lines if priced else ())
        for n, row in enumerate(self.rows(), 1):
            has_error = any(key.startswith(f"{n}:") for key in errors)
            net = row.query_one(".net", Cell)
            net.show("" if row.blank() or has_error else format_amount(next(valid).net_minor, cur))
        if priced is None:
            self.query_one("#totals", Cell).show("")
            return
        taxes = "  ".join(f"{t.code} {format_amount(t.tax_minor, cur)}" for t in priced.taxes if t.tax_minor)
        self.query_one("#totals", Cell).show(
            f"Net {format_money(priced.subtotal_minor, cur)}  Tax {format_money(priced.tax_minor, cur)}"
            + (f" ({taxes})" if taxes else "") + f"  [b]Total {format_money(priced.total_minor, cur)}[/b]")

    def show_customer(self) -> None:
        info = self.query_one("#cust-info", Static)
        v = self.customer
        if v is None:
            info.update("")
            return
        flag = {"on_hold": " [reverse] ON HOLD [/reverse]", "closed": " [reverse] CLOSED [/reverse]",
                "in_collections": " [reverse] COLLECTIONS [/reverse]"}.get(v.status, "")
        info.update(f"{escape(v.name[:26])}{flag}  bal {format_amount(v.balance_minor, v.currency)}  {v.terms_days}d")

    # ------------------------------------------------------------ field by field

    async def load_customer(self, account: str) -> None:
        try:
            self.customer = await in_db(self.services.customer_view, account)
        except NotFound:
            self.customer = None
            self.show_error(f"customer: account '{account}' not found (F4 to find one)")
        self.show_customer()
        if self.customer and self.customer.status in ("on_hold", "closed", "in_collections"):
            self.show_error(self.parse_header()[1].get("customer", ""))
        self.show_totals()

    def fill_from_item(self, field: Input) -> None:
        row = field.parent
        if not isinstance(row, LineRow) or self.catalogue is None:
            return  # a line removed meanwhile (the form was cleared), or the catalogue still loading
        codes = self.catalogue.codes_starting(field.value)
        if len(codes) != 1:
            if len(codes) > 1:  # the line's own check says nothing of an ambiguous prefix: say it here
                self.show_error(f"item: '{field.value.strip()}' could be {', '.join(codes[:5])}"
                                f"{' ...' if len(codes) > 5 else ''}: type more, or F4 for the list")
                self.keep_message = True
            return
        item = self.catalogue.items[codes[0]]
        field.value = item.code
        currency = self.currency()
        price = item.price_in(currency)  # the invoice's currency: a EUR customer is never priced in GBP
        if price is None:
            self.show_error(f"unit price: item {item.code} has no price in {currency}; type one, or add it "
                            "to the catalogue (Ctrl+T)")
            self.keep_message = True
        for name, value in (("description", item.description),
                            ("unit_price", "" if price is None else plain_amount(price, currency)),
                            ("tax_code", item.tax_code), ("quantity", "1")):
            if not row.field(name).value.strip():
                row.field(name).value = value

    def item_codes(self) -> Suggester | None:
        """Item codes complete as typed (shown after the cursor; Right takes it, Enter too when only one fits)."""
        return SuggestFromList(sorted(self.catalogue.items), case_sensitive=False) if self.catalogue else None

    def suggest_items(self) -> None:
        codes = self.item_codes()
        for row in self.query(LineRow):
            row.items = codes
            if row.children:
                row.field("item").suggester = codes

    def add_spare_line(self) -> None:
        codes = self.item_codes()
        self.query_one("#lines").mount_all([LineRow(items=codes) for _ in range(5)])
        self.call_after_refresh(self.renumber)

    def clear_form(self) -> None:
        for name in HEADER_FIELDS:
            self.query_one(f"#f-{name}", Input).value = ""
        self.query_one("#f-date", Input).value = self.today.isoformat()
        rows = list(self.query(LineRow))
        self.drop_rows(rows[POOL:])
        for row in rows[:POOL]:
            for name in LINE_FIELDS:
                row.field(name).value = ""
                row.field(name).remove_class("-bad")
            row.query_one(".net", Cell).show("")
        self.query_one("#lines", LinesArea).scroll_home(animate=False)
        self.customer, self.draft_id, self.version = None, None, None
        self.show_customer()
        self.show_error("")
        self.query_one("#totals", Cell).show("")
        self.set_focus(self.query_one("#f-customer", Input))
        self.touched = False

    async def fill(self, values: dict[str, object]) -> None:
        for name in HEADER_FIELDS:
            self.query_one(f"#f-{name}", Input).value = str(values.get(name) or "")
        given = values.get("lines")
        lines: list[dict[str, str]] = list(given) if isinstance(given, list) else []
        container = self.query_one("#lines")
        removal = self.drop_rows(list(self.query(LineRow)))
        if removal is not None:
            await removal
        codes = self.item_codes()
        await container.mount_all([LineRow(v, codes) for v in lines] + [LineRow(items=codes)
                                                                        for _ in range(POOL - len(lines))])
        self.renumber()
        account = str(values.get("customer") or "").strip()
        if account:
            await self.load_customer(account)
        self.touched = False

    async def load_document(self, view: InvoiceView, as_draft: bool) -> None:
        cur = view.currency
        values: dict[str, object] = {
            "customer": view.account_no, "date": view.issue_date.isoformat() if as_draft else self.today.isoformat(),
            "due": view.due_date.isoformat() if as_draft else "", "reference": view.reference, "memo": view.memo,
            "lines": [{"item": ln.item_code, "description": ln.description, "quantity": f"{ln.quantity}",
                       "unit_price": plain_amount(ln.unit_price_minor, cur),
                       "discount": "" if not ln.discount_percent else f"{ln.discount_percent}",
                       "tax_code": ln.tax_code} for ln in view.lines]}
        await self.fill(values)
        if as_draft:
            self.draft_id, self.version = view.id, view.version
            self.query_one("#inv-title", Static).update(f"Draft {view.id}")
        else:
            self.query_one("#inv-title", Static).update(f"New invoice (copy of {view.number})")
        self.show_totals()

    def focus_error(self, key: str) -> None:
        if ":" in key:
            n, name = key.split(":")
            rows = self.rows()
            if int(n) <= len(rows):
                self.set_focus(rows[int(n) - 1].field(name))
            return
        self.set_focus(self.query_one(f"#f-{key}", Input))

