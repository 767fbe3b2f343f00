"""`billfold invoice ...` and `billfold draft ...`: keying, posting, voiding and crediting invoices."""
from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from store import invoices, queries
from store.errors import ValidationError
from store.kinds import DocumentKind
from store.money import format_amount, format_money, parse_amount
from tui.cli.args import amount_text, count, date_arg, text_arg
from tui.cli.base import Outcome, add_command, add_group
from tui.cli.output import table

_LINE_KEYS = {"qty": "quantity", "price": "unit_price", "tax": "tax_code", "desc": "description"}
_LINE_FIELDS = ("item", "description", "quantity", "unit_price", "discount", "tax_code")


def parse_line_spec(spec: str, n: int, currency: str, default_tax: str = "") -> invoices.LineInput:
    """'item=CODE;quantity=2' as a line, or a ValidationError naming the line and field."""
    raw: dict[str, str] = {}
    for part in spec.split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key = _LINE_KEYS.get(key.strip(), key.strip())
        if not sep or key not in _LINE_FIELDS:
            raise ValidationError(f"line {n}", f"'{part.strip()}' is not FIELD=VALUE with FIELD one of "
                                               f"{', '.join(_LINE_FIELDS)}")
        raw[key] = value
    line, errors = invoices.parse_line_fields(raw, currency, default_tax=default_tax)
    if errors or line is None:
        field, message = next(iter(errors.items()))
        raise ValidationError(f"line {n} {field}", message)
    return line


def invoice_text(v: queries.InvoiceView) -> str:
    cur = v.currency
    title = "Credit note" if v.kind == DocumentKind.CREDIT_NOTE else "Invoice"
    head = [f"{title} {v.number or f'draft {v.id}'}  [{v.status}]  {v.account_no} {v.customer_name}",
            f"issued {v.issue_date}  due {v.due_date}  ref {v.reference or '-'}"
            + (f"  credits {v.credited_invoice}" if v.credited_invoice else "")]
    rows = [(ln.position, ln.item_code, ln.description, ln.quantity, format_amount(ln.unit_price_minor, cur),
             f"{ln.discount_percent}%" if ln.discount_percent else "", ln.tax_code, format_amount(ln.net_minor, cur))
            for ln in v.lines]
    listing = table(rows, ["#", "item", "description", "qty", "price", "disc", "tax", "net"], "rllrrrlr")
    foot = [f"subtotal {format_money(v.subtotal_minor, cur)}  tax {format_money(v.tax_minor, cur)}  "
            f"total {format_money(v.total_minor, cur)}  open {format_money(v.open_minor, cur)}"]
    if v.void_reason:
        foot.append(f"void: {v.void_reason}")
    return "\n".join(head) + "\n\n" + listing + "\n\n" + "\n".join(foot)


def _shown(view: queries.InvoiceView) -> Outcome:
    return Outcome(view, lambda: invoice_text(view))


def cmd_create(args: argparse.Namespace) -> Outcome:
    view = queries.customer_view(args.customer)
    issue: dt.date = args.date
    lines = tuple(parse_line_spec(spec, n, view.currency, view.tax_code) for n, spec in enumerate(args.line, 1))
    data = invoices.DraftInput(view.account_no, issue, lines, args.due, args.reference, args.memo)
    if args.post:
        result = invoices.create_and_post(data, allow_over_limit=args.over_limit,
                                          idempotency_key=args.idempotency_key)
        return _shown(queries.invoice_view(result.number))
    draft = invoices.create_draft(data)
    return _shown(queries.draft_view(draft.id))


def cmd_show(args: argparse.Namespace) -> Outcome:
    return _shown(queries.invoice_view(args.number))


def cmd_void(args: argparse.Namespace) -> Outcome:
    result = invoices.void_invoice(args.number, args.reason, idempotency_key=args.idempotency_key)
    return Outcome(result, lambda: f"{result.number} void; reversed "
                                   f"{format_money(result.reversed_minor, result.currency)}")


def cmd_credit(args: argparse.Namespace) -> Outcome:
    positions = None
    if args.lines:
        try:
            positions = [int(p) for p in args.lines.split(",") if p.strip()]
        except ValueError:
            raise ValidationError("lines", f"'{args.lines}' is not a list of line numbers such as 1,3") from None
        if not positions:
            raise ValidationError("lines", "names no line; give line numbers such as 1,3")
    amount = None
    if args.amount:
        amount = parse_amount(args.amount, queries.invoice_view(args.number).currency, "amount")
    result = invoices.credit_invoice(args.number, args.reason, positions=positions, amount_minor=amount,
                                     idempotency_key=args.idempotency_key)
    return Outcome(result, lambda: f"{result.number} credits {format_money(result.total_minor, result.currency)}"
                                   f" ({format_money(result.applied_minor, result.currency)} applied to "
                                   f"{args.number.upper()})")


def _lines_of(view: queries.InvoiceView) -> tuple[invoices.LineInput, ...]:
    return tuple(invoices.LineInput(ln.description, ln.quantity, ln.unit_price_minor, ln.tax_code,
                                    ln.discount_percent, ln.item_code or None) for ln in view.lines)


def cmd_duplicate(args: argparse.Namespace) -> Outcome:
    """The document view's d: a new draft (or, with --post, an invoice) with the same lines."""
    source = queries.invoice_view(args.number)
    if source.kind != DocumentKind.INVOICE:
        raise ValidationError("number", f"{source.number} is a credit note; only invoices are duplicated")
    data = invoices.DraftInput(source.account_no, args.date, _lines_of(source), None, source.reference, source.memo)
    if args.post:
        result = invoices.create_and_post(data, idempotency_key=args.idempotency_key)
        return _shown(queries.invoice_view(result.number))
    draft = invoices.create_draft(data)
    return _shown(queries.draft_view(draft.id))


def cmd_draft_list(args: argparse.Namespace) -> Outcome:
    rows = queries.list_drafts(args.limit)
    return Outcome(rows, lambda: table([(d.id, d.account_no, d.customer_name, d.issue_date, d.lines,
                                         format_amount(d.total_minor, d.currency), d.currency, d.created_by)
                                        for d in rows],
                                       ["draft", "account", "customer", "date", "lines", "total", "", "by"],
                                       "rlllrrll") if rows else "no drafts")


def cmd_draft_show(args: argparse.Namespace) -> Outcome:
    return _shown(queries.draft_view(args.id))


def cmd_draft_edit(args: argparse.Namespace) -> Outcome:
    """Invoice entry on a reopened draft: what is given replaces what the draft had; the rest stays."""
    draft = queries.draft_view(args.id)
    default_tax = queries.customer_view(draft.account_no).tax_code if args.line else ""
    lines = (tuple(parse_line_spec(spec, n, draft.currency, default_tax) for n, spec in enumerate(args.line, 1))
             if args.line else _lines_of(draft))
    data = invoices.DraftInput(draft.account_no, args.date or draft.issue_date, lines, args.due or draft.due_date,
                               draft.reference if args.reference is None else args.reference,
                               draft.memo if args.memo is None else args.memo)
    invoices.update_draft(draft.id, data, draft.version)
    return _shown(queries.draft_view(draft.id))


def cmd_draft_post(args: argparse.Namespace) -> Outcome:
    result = invoices.post_invoice(args.id, allow_over_limit=args.over_limit, idempotency_key=args.idempotency_key)
    return _shown(queries.invoice_view(result.number))


def cmd_draft_discard(args: argparse.Namespace) -> Outcome:
    view = queries.draft_view(args.id)
    invoices.delete_draft(args.id)
    return Outcome({"discarded": view.id}, f"draft {view.id} for {view.account_no} discarded")


def register(sub: Any) -> None:
    invoice = add_group(sub, "invoice", "invoices and credit notes")
    p = add_command(invoice, "create", cmd_create, "create an invoice (a draft, or posted with --post)")
    p.add_argument("--customer", required=True, help="account number")
    p.add_argument("--date", type=date_arg, default="t", help="issue date: 2026-11-22, 22/11, t, +30 (default today)")
    p.add_argument("--due", type=date_arg, help="due date (default: from the customer's terms)")
    p.add_argument("--reference", default="", help="order / PO reference")
    p.add_argument("--memo", default="")
    p.add_argument("--line", action="append", required=True, metavar="FIELDS",
                   help="'item=CODE;quantity=2' or 'description=...;quantity=1;unit_price=9.50;tax_code=S"
                        "[;discount=10]'; repeat for each line")
    p.add_argument("--post", action="store_true", help="post it at once (gives the number)")
    p.add_argument("--over-limit", action="store_true", help="confirm posting over the credit limit")
    p.add_argument("--idempotency-key")
    p = add_command(invoice, "show", cmd_show, "show an invoice or credit note")
    p.add_argument("number")
    p = add_command(invoice, "void", cmd_void, "void a posted invoice (posts the reversal)")
    p.add_argument("number")
    p.add_argument("--reason", required=True, type=text_arg)
    p.add_argument("--idempotency-key")
    p = add_command(invoice, "credit", cmd_credit, "credit note against a posted invoice")
    p.add_argument("number")
    p.add_argument("--reason", required=True, type=text_arg)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--lines", help="line positions to credit, e.g. 1,3")
    what.add_argument("--amount", type=amount_text, help="credit this gross amount instead of whole lines")
    what.add_argument("--all", action="store_true", help="every line not yet credited")
    p.add_argument("--idempotency-key")

    p = add_command(invoice, "duplicate", cmd_duplicate, "a new draft with the lines of an invoice (--post to "
                                                         "post it)")
    p.add_argument("number")
    p.add_argument("--date", type=date_arg, default="t", help="issue date of the copy (default today)")
    p.add_argument("--post", action="store_true")
    p.add_argument("--idempotency-key")

    draft = add_group(sub, "draft", "draft invoices: list, show, post or discard them")
    p = add_command(draft, "list", cmd_draft_list, "drafts waiting to be finished, newest first")
    p.add_argument("--limit", type=count(1, 10_000), default=200)
    p = add_command(draft, "show", cmd_draft_show, "show a draft")
    p.add_argument("id", type=count(1, 2**62))
    p = add_command(draft, "edit", cmd_draft_edit, "change a draft: --line replaces every line; other fields "
                                                   "replace their own")
    p.add_argument("id", type=count(1, 2**62))
    p.add_argument("--date", type=date_arg)
    p.add_argument("--due", type=date_arg)
    p.add_argument("--reference")
    p.add_argument("--memo")
    p.add_argument("--line", action="append", metavar="FIELDS", help="as for invoice create; repeat for each")
    p = add_command(draft, "post", cmd_draft_post, "post a draft (gives the number)")
    p.add_argument("id", type=count(1, 2**62))
    p.add_argument("--over-limit", action="store_true", help="confirm posting over the credit limit")
    p.add_argument("--idempotency-key")
    p = add_command(draft, "discard", cmd_draft_discard, "discard a draft (never a posted invoice)")
    p.add_argument("id", type=count(1, 2**62))
