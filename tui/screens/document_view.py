"""A posted invoice or credit note, read-only: its text preview, and what can be done with it.

v voids (with a reason), c credits all or chosen lines, d duplicates it into a new invoice,
w writes the PDF (the renderer loads only when asked), m e-mails it now.
"""
from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from store.errors import BooksError, NeedsApproval, ValidationError
from store.kinds import DocumentKind
from store.money import format_amount, format_money, parse_amount
from store.queries import InvoiceView
from tui.answers import answered
from tui.chrome import HeaderLine
from tui.dbwork import in_db
from tui.screens.approvals import offer_request
from tui.screens.books_screen import UsesBooks
from tui.screens.confirm import ConfirmScreen
from tui.screens.prompt import TextPrompt
from tui.widgets.footer import KeyFooter

CURRENCY_SIGNS = "£€$"


def preview_text(v: InvoiceView) -> str:
    """The document as plain text: what the PDF will say, before it is produced."""
    cur = v.currency
    title = "CREDIT NOTE" if v.kind == DocumentKind.CREDIT_NOTE else "INVOICE"
    head = [f"[b]{title} {v.number}[/b]   [reverse] {v.status.upper()} [/reverse]"
            + (f"  {escape(v.void_reason)}" if v.void_reason else ""),
            f"To {v.account_no}  {escape(v.customer_name)}",
            f"Issued {v.issue_date}   Due {v.due_date}   Ref {escape(v.reference) or '-'}"
            + (f"   Credits {v.credited_invoice}" if v.credited_invoice else ""), ""]
    rows = [f"{'#':>2} {'Description':34} {'Qty':>7} {'Price':>10} {'Tax':>4} {'Net':>11}"]
    for ln in v.lines:
        # A long description wraps in its column rather than being cut: the PDF prints it whole too.
        first, *rest = textwrap.wrap(ln.description, 34) or [""]
        rows.append(f"{ln.position:>2} {escape(f'{first:34}')} {ln.quantity:>7} "
                    f"{format_amount(ln.unit_price_minor, cur):>10} {ln.tax_code:>4} "
                    f"{format_amount(ln.net_minor, cur):>11}")
        rows.extend(f"   {escape(more)}" for more in rest)
    foot = ["", f"{'Net':>60} {format_money(v.subtotal_minor, cur):>12}",
            f"{'Tax':>60} {format_money(v.tax_minor, cur):>12}",
            f"{'Total':>60} {format_money(v.total_minor, cur):>12}"]
    if v.kind == DocumentKind.INVOICE:
        foot.append(f"{'Paid / credited / written off':>60} "
                    f"{format_money(v.paid_minor + v.credited_minor + v.written_off_minor, cur):>12}")
        foot.append(f"{'Open':>60} {format_money(v.open_minor, cur):>12}")
    return "\n".join(head + rows + foot)


def history_text(events: list[Any]) -> str:
    """The document's own audit events, oldest first: when, who, what, the change."""
    from store.audit_trail import change_text

    lines = [f"{e.at[:16]} {e.operator:<10} {e.action:<18} {change_text(e.before, e.after)}" for e in events]
    return "\n".join(["", "History", *lines]) if lines else ""


class DocumentScreen(UsesBooks, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("w", "write_pdf", "Write PDF"),
        Binding("d", "duplicate", "Duplicate"),
        # Sending, voiding, crediting and disputing change the books: a function key each, never a letter.
        Binding("f4", "email", "E-mail"),
        Binding("f7", "void", "Void"),
        Binding("f9", "credit", "Credit note"),
        Binding("f8", "dispute", "Dispute"),
    ]
    DEFAULT_CSS = """
    DocumentScreen #doc-preview { padding: 0 1; }
    DocumentScreen #doc-status { height: 1; color: $text-muted; }
    """

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.view: InvoiceView | None = None

    def compose(self) -> ComposeResult:
        yield HeaderLine(f"Document {self.number}")
        with VerticalScroll():
            yield Static("Loading...", id="doc-preview")
            yield Static("", id="doc-history", markup=False)
        yield Static("w PDF  F4 e-mail  F7 void  F9 credit note  F8 dispute  d duplicate", id="doc-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.run_worker(self.load(), exclusive=True)

    async def load(self) -> None:
        self.view = view = await in_db(self.services.invoice_view, self.number)
        self.query_one("#doc-preview", Static).update(preview_text(view))
        events = await in_db(self.services.audit_events, document=self.number)
        self.query_one("#doc-history", Static).update(history_text(events))

    def status(self, text: str) -> None:
        self.query_one("#doc-status", Static).update(text)

    async def _do(self, call, *args, done: Callable[[Any], str], **kwargs) -> None:
        try:
            result = await in_db(call, *args, **kwargs)
        except NeedsApproval as refusal:
            offer_request(self, refusal, lambda text: self.status(escape(text)))
            return
        except BooksError as exc:
            self.status(f"[b]Not done:[/b] {escape(str(exc))}")
            self.app.bell()
            return
        self.status(escape(done(result)))
        await self.load()

    def action_write_pdf(self) -> None:
        default = str(Path.home() / f"{self.number}.pdf")
        self.app.push_screen(TextPrompt(f"Write {self.number} as PDF to:", default),
                             answered(lambda path: self.run_worker(self._write(path.strip()), exclusive=True)))

    async def _write(self, path: str) -> None:
        self.status("Rendering...")
        try:
            data = await in_db(self.services.render_document_pdf, self.number)
            Path(path).expanduser().write_bytes(data)
        except (BooksError, OSError) as exc:
            self.status(f"[b]Not written:[/b] {escape(str(exc))}")
            return
        self.status(f"Wrote {path} ({len(data):,} bytes)")

    def action_email(self) -> None:
        def send(yes: bool | None) -> None:
            if yes:
                self.status("Sending...")
                self.run_worker(self._do(self.services.email_document, self.number, done=str), exclusive=True)

        self.app.push_screen(ConfirmScreen(f"E-mail {self.number} to the customer's address now?"), send)

    def action_void(self) -> None:
        self.app.push_screen(TextPrompt(f"Void {self.number}: the reason?"), answered(lambda reason: self.run_worker(
            self._do(self.services.void_invoice, self.number, reason,
                     done=lambda r: f"{r.number} is void: {format_money(r.reversed_minor, r.currency)} reversed."))))

    def action_credit(self) -> None:
        def credit(answer: str | None) -> None:
            if answer is None:
                return
            positions, amount = None, None
            text = answer.strip()
            if "." in text or text.startswith(tuple(CURRENCY_SIGNS)):  # an amount has its pence: 24.00, £24.00
                try:
                    currency = self.view.currency if self.view else "GBP"
                    amount = parse_amount(text.lstrip(CURRENCY_SIGNS), currency, "credit amount")
                except ValidationError as exc:
                    self.status(str(exc))
                    return
            elif text:
                try:
                    positions = [int(p) for p in text.replace(" ", "").split(",") if p]
                except ValueError:
                    self.status(str(ValidationError("lines", f"'{answer}' is not line numbers such as 1,3 "
                                                             "nor an amount such as 24.00")))
                    return
            self.app.push_screen(TextPrompt("Reason for the credit note?"), answered(lambda reason: self.run_worker(
                self._do(self.services.credit_invoice, self.number, reason, positions=positions, amount_minor=amount,
                         done=lambda r: f"Credit note {r.number} for {format_money(r.total_minor, r.currency)} "
                                        f"posted ({format_money(r.applied_minor, r.currency)} applied)."))))

        self.app.push_screen(TextPrompt(f"Credit {self.number}: lines (1,3), an amount (24.00), empty = every line",
                                        required=False), credit)

    def action_dispute(self) -> None:
        """Open a dispute on this invoice, or settle the open one: by a credit note, or rejected."""
        self.run_worker(self._dispute_prompt(), exclusive=True)

    async def _dispute_prompt(self) -> None:
        dispute = await in_db(self.services.open_dispute_of, self.number)
        view = self.view
        if view is None:
            self.status("The document is still being read; try again in a moment.")
            return
        if dispute is None:
            self.app.push_screen(TextPrompt(f"Dispute {self.number}: the reason (the whole invoice is disputed)"),
                                 answered(lambda reason: self.run_worker(self._do(
                                     self.services.open_dispute, self.number, view.total_minor, reason,
                                     done=lambda r: f"Dispute {r.id} opened on {r.invoice}."))))
            return

        def settle(answer: str | None) -> None:
            if not answer:
                return
            choice, _s, note = answer.strip().partition(" ")
            if choice.lower().startswith("c"):
                self.run_worker(self._do(self.services.resolve_dispute_with_credit, dispute.id, note,
                                         done=lambda r: f"Dispute {r.id} settled by credit note {r.credit_note}."))
            elif choice.lower().startswith("r"):
                self.run_worker(self._do(self.services.reject_dispute, dispute.id, note,
                                         done=lambda r: f"Dispute {r.id} rejected."))
            else:
                self.status("Answer c (credit note) or r (reject), then a note.")

        self.app.push_screen(TextPrompt(f"Dispute {dispute.id} on {self.number} "
                                        f"({format_money(dispute.amount_minor, view.currency)}): "
                                        "c = credit note, r = reject; then a note"), settle)

    def action_duplicate(self) -> None:
        from tui.screens.invoice_entry import InvoiceEntryScreen

        self.app.push_screen(InvoiceEntryScreen(copy_of=self.number))
