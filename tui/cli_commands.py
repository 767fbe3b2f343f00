"""Handlers of the `billfold` subcommands: parse what was typed, call a store service, print."""
from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Callable
from typing import Any

from tabulate import tabulate

from store import customers, invoices, payments, queries
from store.dates import parse_date
from store.errors import ValidationError
from store.money import format_amount, format_money, parse_amount

CUSTOMER_FIELDS = customers.EDITABLE


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, tuple) and hasattr(value, "_asdict"):  # a named tuple record
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def table(rows: list[tuple[Any, ...]], headers: list[str], align: str) -> str:
    """A plain-text table; `align` is one letter per column (l or r). Amounts stay as formatted."""
    colalign = tuple("right" if a == "r" else "left" for a in align)
    return tabulate(rows, headers=headers, colalign=colalign, disable_numparse=True)


def emit(args: argparse.Namespace, value: Any, text: Callable[[], str]) -> int:
    """JSON of `value` with --json, else the human text."""
    if getattr(args, "json", False):
        print(json.dumps(_plain(value), default=str, ensure_ascii=False, indent=2))
    else:
        print(text())
    return 0


# ---------------------------------------------------------------- books

def cmd_demo(args: argparse.Namespace) -> int:
    from tui.cli import open_books

    open_books(args, create_demo=False)
    from store.demo import DemoSpec, build_demo, demo_summary
    from store.queries import books_summary

    if books_summary().customers:
        raise ValidationError("database", "already has customers; the demo fills an empty database only")
    from store.operators import make_first_admin

    make_first_admin()
    build_demo(DemoSpec(seed=args.seed, customers=args.customers, months=args.months))
    return emit(args, books_summary(), demo_summary)


def cmd_verify(args: argparse.Namespace) -> int:
    from store.verify import verify_books

    problems = verify_books()
    emit(args, {"ok": not problems, "problems": problems}, lambda: "\n".join(problems) if problems else "ok")
    return 1 if problems else 0


# ---------------------------------------------------------------- customers

def cmd_customer_add(args: argparse.Namespace) -> int:
    raw = {name: getattr(args, name) for name in CUSTOMER_FIELDS if getattr(args, name) is not None}
    data, errors = customers.parse_customer_fields(raw)
    if errors:
        field, message = next(iter(errors.items()))
        raise ValidationError(field.replace("_", "-"), message)
    row = customers.create_customer(data)  # type: ignore[arg-type]
    view = queries.customer_view(row.account_no)
    return emit(args, view, lambda: f"{view.account_no} {view.name}")


def cmd_customer_show(args: argparse.Namespace) -> int:
    view = queries.customer_view(args.account)
    docs = queries.open_documents(view.id)

    def text() -> str:
        cur = view.currency
        head = [
            f"{view.account_no}  {view.name}  [{view.status.replace('_', ' ')}]",
            ", ".join(p for p in (view.address1, view.city, view.postcode) if p),
            f"e-mail {view.email or '-'}  phone {view.phone or '-'}  terms {view.terms_days} days",
            f"balance {format_money(view.balance_minor, cur)}  overdue {format_money(view.overdue_minor, cur)}  "
            f"credit {format_money(view.credit_minor, cur)}",
            "  ".join(f"{k} {format_amount(v, cur)}" for k, v in view.aging.items()),
        ]
        rows = [(d.number, d.issue_date, d.due_date, format_amount(d.total_minor, cur), format_amount(d.open_minor, cur),
                 max(d.days_past_due, 0), "disputed" if d.disputed else "") for d in docs]
        listing = table(rows, ["document", "issued", "due", "total", "open", "days late", ""], "lllrrrl")
        return "\n".join(head) + "\n\n" + (listing if rows else "no open items")

    return emit(args, {"customer": view, "open_items": docs}, text)


# ---------------------------------------------------------------- invoices

def _parse_line_spec(spec: str, n: int, currency: str) -> invoices.LineInput:
    raw: dict[str, str] = {}
    for part in spec.split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key = {"qty": "quantity", "price": "unit_price", "tax": "tax_code", "desc": "description"}.get(
            key.strip(), key.strip())
        if not sep or key not in ("item", "description", "quantity", "unit_price", "discount", "tax_code"):
            raise ValidationError(f"line {n}", f"'{part.strip()}' is not FIELD=VALUE with FIELD one of item, "
                                               "description, quantity, unit_price, discount, tax_code")
        raw[key] = value
    line, errors = invoices.parse_line_fields(raw, currency)
    if errors:
        field, message = next(iter(errors.items()))
        raise ValidationError(f"line {n} {field}", message)
    return line  # type: ignore[return-value]


def cmd_invoice_create(args: argparse.Namespace) -> int:
    view = queries.customer_view(args.customer)
    issue = parse_date(args.date, "date")
    due = parse_date(args.due, "due") if args.due else None
    lines = tuple(_parse_line_spec(spec, n, view.currency) for n, spec in enumerate(args.line, 1))
    data = invoices.DraftInput(view.account_no, issue, lines, due, args.reference, args.memo)
    if args.post:
        result = invoices.create_and_post(data, allow_over_limit=args.over_limit,
                                          idempotency_key=args.idempotency_key)
        shown = queries.invoice_view(result.number)
    else:
        shown = queries.draft_view(invoices.create_draft(data).id)
    return emit(args, shown, lambda: _invoice_text(shown))


def _invoice_text(v: queries.InvoiceView) -> str:
    cur = v.currency
    title = "Credit note" if v.kind == "credit_note" else "Invoice"
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


def cmd_invoice_show(args: argparse.Namespace) -> int:
    view = queries.invoice_view(args.number)
    return emit(args, view, lambda: _invoice_text(view))


def cmd_invoice_void(args: argparse.Namespace) -> int:
    result = invoices.void_invoice(args.number, args.reason, idempotency_key=args.idempotency_key)
    return emit(args, result, lambda: f"{result.number} void; reversed {format_money(result.reversed_minor, result.currency)}")


def cmd_invoice_credit(args: argparse.Namespace) -> int:
    positions = None
    if args.lines:
        try:
            positions = [int(p) for p in args.lines.split(",") if p.strip()]
        except ValueError:
            raise ValidationError("lines", f"'{args.lines}' is not a list of line numbers such as 1,3") from None
    amount = None
    if args.amount:
        amount = parse_amount(args.amount, queries.invoice_view(args.number).currency, "amount")
    result = invoices.credit_invoice(args.number, args.reason, positions=positions, amount_minor=amount,
                                     idempotency_key=args.idempotency_key)
    return emit(args, result, lambda: f"{result.number} credits {format_money(result.total_minor, result.currency)}"
                                      f" ({format_money(result.applied_minor, result.currency)} applied to "
                                      f"{args.number.upper()})")


# ---------------------------------------------------------------- payments

def cmd_payment_record(args: argparse.Namespace) -> int:
    currency = args.currency or (queries.customer_view(args.customer).currency if args.customer else "")
    if not currency:
        raise ValidationError("currency", "is required for a payment without a customer")
    data = payments.PaymentInput(parse_amount(args.amount, currency.upper(), "amount"), currency.upper(),
                                 args.method, parse_date(args.date, "date"), args.customer, args.reference, args.payer)
    result = payments.record_payment(data, idempotency_key=args.idempotency_key)
    return emit(args, result, lambda: f"{result.number} {format_money(result.amount_minor, result.currency)} recorded")


def cmd_payment_allocate(args: argparse.Namespace) -> int:
    payment = queries.payment_view(args.payment)
    pairs: list[tuple[str, int]] = []
    for spec in args.to:
        number, sep, amount = spec.partition("=")
        if sep:
            pairs.append((number.strip(), parse_amount(amount, payment.currency, f"amount for {number.strip()}")))
        else:
            pairs.append((number.strip(), queries.invoice_view(number).open_minor))
    result = payments.allocate_payment(args.payment, pairs, idempotency_key=args.idempotency_key)
    return emit(args, result, lambda: f"{result.payment}: allocated {format_money(result.allocated_minor, payment.currency)}"
                                      f" to {', '.join(result.invoices)}; "
                                      f"{format_money(result.unallocated_minor, payment.currency)} left")


def cmd_payment_unallocate(args: argparse.Namespace) -> int:
    result = payments.unallocate_payment(args.payment, args.invoice)
    return emit(args, result, lambda: f"{result.payment}: {-result.allocated_minor} minor units taken back off "
                                      f"{args.invoice.upper()}")


def cmd_refund(args: argparse.Namespace) -> int:
    view = queries.customer_view(args.account)
    result = payments.request_refund(view.account_no, parse_amount(args.amount, view.currency, "amount"), args.method,
                                     args.reference, idempotency_key=args.idempotency_key)
    return emit(args, result, lambda: f"{result.number} {format_money(result.amount_minor, result.currency)} "
                                      f"{'refunded' if result.status == 'posted' else 'waits for a supervisor'}")


def cmd_write_off(args: argparse.Namespace) -> int:
    view = queries.invoice_view(args.invoice)
    amount = parse_amount(args.amount, view.currency, "amount") if args.amount else None
    result = payments.write_off(args.invoice, args.reason, amount, idempotency_key=args.idempotency_key)
    return emit(args, result, lambda: f"{result.invoice}: wrote off {format_money(result.amount_minor, result.currency)};"
                                      f" {format_money(result.open_minor, result.currency)} still open")


def cmd_find(args: argparse.Namespace) -> int:
    from store.lookup import find_accounts

    page = find_accounts(" ".join(args.text), offset=args.offset, limit=args.limit)

    def text() -> str:
        if not page.hits:
            return f"no account matches '{page.text}'"
        rows = [(h.account_no, h.name, h.city, format_amount(h.balance_minor, h.currency),
                 format_amount(h.overdue_minor, h.currency), _flags(h.status, h.disputed), h.why) for h in page.hits]
        more = f"\n{page.total - page.offset - len(page.hits)} more (--offset {page.offset + len(page.hits)})" \
            if page.more else ""
        return table(rows, ["account", "name", "city", "balance", "overdue", "flags", "found by"], "lllrrll") + more

    return emit(args, page, text)


def _flags(status: str, disputed: bool) -> str:
    marks = {"on_hold": "HOLD", "in_collections": "COLL", "closed": "CLOSED"}
    return " ".join(m for m in (marks.get(status, ""), "DISP" if disputed else "") if m)


def cmd_match(args: argparse.Namespace) -> int:
    from store.matching import auto_match

    matches = auto_match(dry_run=args.dry_run)

    def text() -> str:
        if not matches:
            return "no certain matches"
        rows = [(m.payment, m.invoice, format_amount(m.amount_minor, m.currency),
                 "would apply" if args.dry_run else ("applied" if m.applied else f"left: {m.error}"), m.reason)
                for m in matches]
        done = sum(m.applied for m in matches)
        tail = f"\n{len(matches)} certain matches" + ("" if args.dry_run else f", {done} applied")
        return table(rows, ["payment", "invoice", "amount", "result", "why"], "llrll") + tail

    emit(args, matches, text)
    return 0


def register_more(command: Callable[..., argparse.ArgumentParser], sub: Any) -> None:
    """Subcommands of later features register here (import, pdf, report, ...)."""
    from tui import cli_collections, cli_documents

    cli_documents.register(command, sub)
    cli_collections.register(command, sub)
    p = command("match", cmd_match, "apply the certain payment matches (reference names one invoice, amount "
                                    "equals its balance)")
    p.add_argument("--dry-run", action="store_true", help="list what would be applied and why; write nothing")
    p = command("find", cmd_find, "find accounts by number, name, e-mail, phone, postcode or invoice number")
    p.add_argument("text", nargs="+")
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--limit", type=int, default=20)
