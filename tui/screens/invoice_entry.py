"""Invoice entry, built for heads-down keying from a pile of orders.

Every field is one row, so a whole invoice fits 80x24 and a keystroke redraws little over SSH.
Enter moves to the next field; Enter on a line's last field opens the next line. Lines are checked
against a catalogue loaded once, so leaving a field costs no query. Posting clears the form at
once, with the cursor in the customer field, and posts in the background: whatever is typed
meanwhile goes into the next invoice.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from rich.markup import escape
from textual import events, on
from textual.app import ComposeResult
from textual.await_remove import AwaitRemove
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.suggester import SuggestFromList, Suggester
from textual.widgets import Input, Static

from store.catalogue import Catalogue
from store.dates import parse_date
from store.errors import BooksError, NotFound, ValidationError
from store.invoices import CreditLimitExceeded, DraftInput, LineInput
from store.money import format_amount, format_money, plain_amount
from store.queries import CustomerView, InvoiceView
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.confirm import ConfirmScreen
from tui.typeahead import FormScreen, caught_up
from tui.widgets.cell import Cell
from tui.widgets.footer import KeyFooter

LINE_FIELDS = ("item", "description", "quantity", "unit_price", "discount", "tax_code")
HEADER_FIELDS = ("customer", "date", "due", "reference", "memo")
# Blank lines mounted with the form: enough to fill the grid at 80x24. Mounting a line re-orders
# every widget after it and so redraws the whole grid (about 15 KB over SSH); moving into a line
# that is already there redraws one row. More are mounted, a few at a time, only past the pool.
POOL = 15
LABELS = {"item": "item", "description": "description", "quantity": "quantity", "unit_price": "price",
          "discount": "discount", "tax_code": "tax code", "customer": "customer", "date": "date", "due": "due date",
          "reference": "reference", "memo": "memo"}


class LineRow(Horizontal):
    """One invoice line: six one-row inputs and the line's net."""

    DEFAULT_CSS = """
    LineRow { height: 1; }
    LineRow > .no { width: 3; color: $text-muted; }
    LineRow > Input { border: none; height: 1; padding: 0; margin: 0 1 0 0; background: $boost; }
    LineRow > Input:focus { border: none; background: $accent 35%; }
    LineRow > Input.-bad { text-style: reverse; }
    LineRow > .l-item { width: 9; }
    LineRow > .l-description { width: 1fr; min-width: 14; }
    LineRow > .l-quantity { width: 7; }
    LineRow > .l-unit_price { width: 10; }
    LineRow > .l-discount { width: 5; }
    LineRow > .l-tax_code { width: 3; }
    LineRow > .net { width: 11; text-align: right; }
    """

    def __init__(self, values: dict[str, str] | None = None, items: Suggester | None = None) -> None:
        super().__init__(classes="line")
        self.values = values or {}
        self.items = items
        # Set before removing: a Blur still on its way from one of its fields must not read it.
        self.gone = False

    def compose(self) -> ComposeResult:
        yield Cell("", classes="no")
        for name in LINE_FIELDS:
            # Entering a field selects what is in it: typing replaces, Enter keeps (data-entry overtype).
            yield Input(self.values.get(name, ""), classes=f"l-{name}", name=name,
                        suggester=self.items if name == "item" else None)
        yield Cell("", classes="net")

    def field(self, name: str) -> Input:
        return self.query_one(f".l-{name}", Input)

    def raw(self) -> dict[str, str]:
        return {name: self.field(name).value for name in LINE_FIELDS}

    def blank(self) -> bool:
        return not any(v.strip() for v in self.raw().values())


class LinesArea(VerticalScroll, can_focus=False):
    """The grid scrolls as lines are added, but is never itself a stop for Tab or Enter."""


@dataclass
class Pending:
    """An invoice handed to the background: kept to put back if posting fails."""

    data: DraftInput
    values: dict[str, object]
    draft_id: int | None
    version: int | None


class InvoiceEntryScreen(FormScreen):
    CSS_PATH = "invoice_entry.tcss"
    BINDINGS = [
        Binding("f10", "post", "Post", priority=True),
        Binding("f7", "save_draft", "Draft", priority=True),
        Binding("f8", "dup", "Dup", priority=True),
        Binding("f9", "delete_line", "Del line"),
        Binding("f4", "prompt", "List"),
        Binding("ctrl+o", "drafts", "Drafts"),
        Binding("ctrl+t", "catalogue", "Items & tax", show=False),
        Binding("ctrl+up", "move_line(-1)", "Line up", show=False),
        Binding("ctrl+down", "move_line(1)", "Line down", show=False),
        Binding("alt+up", "move_line(-1)", "Line up", show=False),
        Binding("alt+down", "move_line(1)", "Line down", show=False),
        Binding("escape", "leave", "Back"),
        Binding("enter", "next_field", "Next field", show=False, priority=True),
    ]

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
    def services(self):  # noqa: ANN201
        return self.app.context.services  # type: ignore[attr-defined]

    @property
    def today(self) -> dt.date:
        return self.app.context.today  # type: ignore[attr-defined]

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield HeaderLine("Invoice entry")
        yield Static("New invoice", id="inv-title")
        with Horizontal(classes="head"):
            yield Static("Customer", classes="lbl")
            yield Input(id="f-customer", classes="w-customer")
            yield Static("", id="cust-info")
        with Horizontal(classes="head"):
            yield Static("Date", classes="lbl")
            yield Input(id="f-date", classes="w-date")
            yield Static("Due", classes="lbl2")
            yield Input(id="f-due", classes="w-date")
            yield Static("Ref", classes="lbl2")
            yield Input(id="f-reference", classes="w-ref")
            yield Static("Memo", classes="lbl2")
            yield Input(id="f-memo", classes="w-memo")
        yield Static(" #  Item     Description" + " " * 10 + "Qty     Price      Disc  Tax         Net",
                     id="grid-head")
        yield LinesArea(*(LineRow() for _ in range(POOL)), id="lines")
        yield Cell("", id="field-error")
        yield Cell("", id="totals")
        yield KeyFooter()

    async def on_mount(self) -> None:
        self.catalogue = await in_db(self.services.load_catalogue)
        self.suggest_items()
        self.rounding = await in_db(self.services.tax_rounding)
        self.query_one("#f-date", Input).value = self.today.isoformat()
        self.renumber()
        if self.start_draft:
            await self.load_document(await in_db(self.services.draft_view, self.start_draft), as_draft=True)
        elif self.copy_of:
            await self.load_document(await in_db(self.services.invoice_view, self.copy_of), as_draft=False)
        elif self.start_account:
            self.query_one("#f-customer", Input).value = self.start_account
            await self.load_customer(self.start_account)
            self.set_focus(self.query_one("#f-reference", Input))
            return
        self.set_focus(self.query_one("#f-customer", Input))

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
            line, bad = self.services.parse_line_fields(row.raw(), self.currency(), self.catalogue)
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

    @on(Input.Blurred)
    def field_left(self, event: Input.Blurred) -> None:
        field = event.input
        if field.parent is None or not self.is_attached or getattr(field.parent, "gone", False):
            return  # the field went with a cleared form
        if field.id == "f-customer":
            account = field.value.strip()
            if account and (self.customer is None or self.customer.account_no != account):
                self.run_worker(self.load_customer(account), exclusive=True, group="customer")
            return
        if field.id in ("f-date", "f-due") and field.value.strip():
            try:
                field.value = parse_date(field.value, "date", self.today).isoformat()
            except ValidationError as exc:
                self.show_error(str(exc))
                return
        if field.name == "item" and field.value.strip() and self.catalogue:
            self.fill_from_item(field)
        self.show_totals()
        _lines, errors = self.parse_lines()
        if self.keep_message:
            self.keep_message = False
            return
        self.show_error(next(iter(errors.values()), ""))

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
        for name, value in (("description", item.description),
                            ("unit_price", plain_amount(item.unit_price_minor, item.currency)),
                            ("tax_code", item.tax_code), ("quantity", "1")):
            if not row.field(name).value.strip():
                row.field(name).value = value

    @on(Input.Changed)
    def count_typing(self) -> None:
        self.touched = True

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
        row = field.parent
        if isinstance(row, LineRow) and field.name == "tax_code":
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
            return
        if isinstance(row, LineRow) and field.name == "item" and field.value.strip():
            self.fill_from_item(field)
            self.set_focus(row.field("quantity"))  # the item filled description and price; quantity is what varies
            return
        if field.id == "f-customer":
            account = field.value.strip()
            if account and (self.customer is None or self.customer.account_no != account):
                self.run_worker(self.load_customer(account), exclusive=True, group="customer")
        self.focus_next()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Arriving in the last line mounts a blank one after it, ready before Enter asks for it."""
        row = event.widget.parent
        if event.widget is not self.focused:
            return  # focus has moved on since (typed ahead): nothing to prepare
        if isinstance(row, LineRow) and not row.gone and row is list(self.query(LineRow))[-1]:
            self.add_spare_line()

    def item_codes(self) -> Suggester | None:
        """Item codes complete as they are typed (shown after the cursor; Right takes it, Enter too when only one fits)."""
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

    # ------------------------------------------------------------ actions

    async def action_post(self) -> None:
        await caught_up(self.focused)
        self.submit(post=True)

    async def action_save_draft(self) -> None:
        await caught_up(self.focused)
        self.submit(post=False)

    def submit(self, post: bool, allow_over_limit: bool = False) -> None:
        data, errors = self.collect()
        if data is None:
            key, message = next(iter(errors.items()))
            self.show_error(f"Not {'posted' if post else 'saved'}: {message}")
            self.keep_message = True
            self.focus_error(key)
            return
        if post and not allow_over_limit and self.over_limit(data):
            v = self.customer
            assert v is not None
            total = self.services.preview_totals(list(data.lines), self.catalogue.tax_rates, self.rounding).total_minor
            question = (f"{v.account_no}: balance {format_money(v.balance_minor, v.currency)} + this invoice "
                        f"{format_money(total, v.currency)} exceeds the credit limit "
                        f"{format_money(v.credit_limit_minor, v.currency)}. Post anyway?")
            self.app.push_screen(ConfirmScreen(question), lambda yes: yes and self.submit(True, True))
            return
        pending = Pending(data, self.form_values(), self.draft_id, self.version)
        self.previous = pending.values
        self.clear_form()
        self.query_one("#inv-title", Static).update("New invoice   [i]posting the last one...[/i]" if post else
                                                     "New invoice   [i]saving the draft...[/i]")
        self.run_worker(self.finish(pending, post, allow_over_limit), group="post")

    def over_limit(self, data: DraftInput) -> bool:
        v = self.customer
        if v is None or not v.credit_limit_minor or self.catalogue is None:
            return False
        total = self.services.preview_totals(list(data.lines), self.catalogue.tax_rates, self.rounding).total_minor
        return v.balance_minor + total > v.credit_limit_minor

    async def finish(self, pending: Pending, post: bool, allow_over_limit: bool) -> None:
        s = self.services
        title = self.query_one("#inv-title", Static)
        try:
            if post:
                if pending.draft_id is not None:
                    await in_db(s.update_draft, pending.draft_id, pending.data, pending.version)
                    result = await in_db(s.post_invoice, pending.draft_id, allow_over_limit=allow_over_limit)
                else:
                    result = await in_db(s.create_and_post, pending.data, allow_over_limit=allow_over_limit,
                                         idempotency_key=f"entry-{uuid.uuid4()}")
                message = (f"Posted [b]{result.number}[/b] to {pending.data.account_no}: "
                           f"{format_money(result.total_minor, result.currency)}")
            elif pending.draft_id is not None:
                draft = await in_db(s.update_draft, pending.draft_id, pending.data, pending.version)
                message = f"Saved draft {draft.id} for {pending.data.account_no}"
            else:
                draft = await in_db(s.create_draft, pending.data)
                message = f"Saved draft {draft.id} for {pending.data.account_no}"
        except (BooksError, CreditLimitExceeded) as exc:
            await self.put_back(pending, str(exc))
            return
        title.update(f"New invoice   {message}")
        self.notify(message.replace("[b]", "").replace("[/b]", ""), timeout=4)

    async def put_back(self, pending: Pending, reason: str) -> None:
        """A post refused in the background: back into the form if nothing new was typed, else a draft."""
        title = self.query_one("#inv-title", Static)
        if not self.touched:
            await self.fill(pending.values)
            self.draft_id, self.version = pending.draft_id, pending.version
            title.update("Not posted: put back for correction")
            self.show_error(f"Not posted: {reason}")
            return
        try:
            if pending.draft_id is None:
                draft = await in_db(self.services.create_draft, pending.data)
                kept = f"kept as draft {draft.id}"
            else:
                kept = f"draft {pending.draft_id} kept"
        except BooksError as exc:
            kept = f"not kept ({exc})"
        self.notify(f"Not posted: {reason}; {kept} (Ctrl+O lists drafts)", severity="error", timeout=8, markup=False)

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
        lines: list[dict[str, str]] = list(values.get("lines") or [])  # type: ignore[arg-type]
        container = self.query_one("#lines")
        await self.drop_rows(list(self.query(LineRow)))
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
            await self.drop_rows([row])
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
        for r, v in zip(rows, values):
            for name in LINE_FIELDS:
                r.field(name).value = v[name]
        self.set_focus(rows[target].field(field.name or "item"))
        self.show_totals()

    def action_prompt(self) -> None:
        field = self.focused
        if isinstance(field, Input) and field.id == "f-customer":
            from tui.screens.picker import PickAccountScreen

            def chosen(account: str | None) -> None:
                if account:
                    field.value = account
                    self.run_worker(self.load_customer(account))
                    self.set_focus(self.query_one("#f-reference", Input))

            self.app.push_screen(PickAccountScreen(field.value), chosen)
            return
        if isinstance(field, Input) and field.name in ("item", "tax_code") and self.catalogue:
            from tui.screens.picker import PickCodeScreen

            if field.name == "item":
                choices = [(i.code, f"{i.description}  {format_amount(i.unit_price_minor, i.currency)}")
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

    def action_catalogue(self) -> None:
        from tui.screens.catalogue import CatalogueScreen

        async def reload_catalogue(_result: object = None) -> None:
            self.catalogue = await in_db(self.services.load_catalogue)
            self.suggest_items()

        self.app.push_screen(CatalogueScreen(), lambda r: self.run_worker(reload_catalogue()))

    def action_drafts(self) -> None:
        from tui.screens.drafts import DraftsScreen

        def reopen(draft_id: int | None) -> None:
            if draft_id is not None:
                self.run_worker(self._reopen(draft_id))

        self.app.push_screen(DraftsScreen(), reopen)

    async def _reopen(self, draft_id: int) -> None:
        await self.load_document(await in_db(self.services.draft_view, draft_id), as_draft=True)
        self.set_focus(self.query_one("#f-customer", Input))

    def has_unsaved_work(self) -> bool:
        """Typed since the form was last empty (Ctrl+Q and Esc ask before losing it)."""
        values = self.form_values()
        return self.touched and bool(values["lines"] or any(v for k, v in values.items() if k not in ("date", "lines")))

    WORK_NAME = "the invoice you are typing"

    def reset_job(self) -> None:
        """F3: a new invoice. One in progress is kept as a draft (Ctrl+O lists it); one that cannot be
        a draft yet (no customer, say) is discarded only if the operator says so."""
        if not self.has_unsaved_work():
            self.clear_form()
            self.query_one("#inv-title", Static).update("New invoice")
            return
        data, errors = self.collect()
        if data is not None:
            self.submit(post=False)  # saved as a draft in the background; the form is new at once
            return
        reason = next(iter(errors.values()), "")

        def discard(yes: bool | None) -> None:
            if yes:
                self.clear_form()
                self.query_one("#inv-title", Static).update("New invoice")

        self.app.push_screen(ConfirmScreen(f"The invoice on screen cannot be kept as a draft ({reason}).\n"
                                           "Discard it for a new one? n keeps it."), discard)

    def action_leave(self) -> None:
        """Esc: back, or (where this is the job's own screen) a blank form; asks first if typing would be lost."""

        def leave() -> None:
            if len(self.app.screen_stack) > 1:
                self.app.pop_screen()
            else:
                self.clear_form()
                self.query_one("#inv-title", Static).update("New invoice")

        if not self.has_unsaved_work():
            leave()
            return
        self.app.push_screen(ConfirmScreen("Discard the invoice you are typing?"), lambda yes: yes and leave())
