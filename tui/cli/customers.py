"""`billfold customer ...` and `billfold find`: accounts, their details, holds and notes."""
from __future__ import annotations

import argparse
from typing import Any

from store import customers, queries
from store.errors import ValidationError
from store.kinds import CustomerStatus
from store.money import format_amount, format_money
from tui.cli.args import count, text_arg
from tui.cli.base import Outcome, add_command, add_group
from tui.cli.output import table

FIELDS = customers.EDITABLE


def _typed_fields(args: argparse.Namespace) -> dict[str, str]:
    return {name: getattr(args, name) for name in FIELDS if getattr(args, name, None) is not None}


def _parsed(raw: dict[str, str], base: customers.CustomerData | None = None) -> customers.CustomerData:
    data, errors = customers.parse_customer_fields(raw, base)
    if errors or data is None:
        field, message = next(iter(errors.items()))
        raise ValidationError(field.replace("_", "-"), message)
    return data


def _summary(account_no: str) -> Outcome:
    view = queries.customer_view(account_no)
    return Outcome(view, lambda: f"{view.account_no} {view.name} [{view.status.replace('_', ' ')}]")


def cmd_add(args: argparse.Namespace) -> Outcome:
    row = customers.create_customer(_parsed(_typed_fields(args)))
    return _summary(row.account_no)


def cmd_edit(args: argparse.Namespace) -> Outcome:
    """The same service as the account's edit form (e): only the fields given change."""
    raw = _typed_fields(args)
    if not raw:
        raise ValidationError("fields", "say what to change, e.g. --email ap@example.com")
    view = queries.customer_view(args.account)
    data = _parsed(raw, customers.customer_data(customers.get_customer(view.account_no)))
    customers.update_customer(view.account_no, data, view.version)
    return _summary(view.account_no)


def cmd_hold(args: argparse.Namespace) -> Outcome:
    row = customers.put_on_hold(args.account, args.reason)
    return _summary(row.account_no)


def cmd_release(args: argparse.Namespace) -> Outcome:
    row = customers.release_hold(args.account, args.reason or "")
    return _summary(row.account_no)


def cmd_note(args: argparse.Namespace) -> Outcome:
    customers.add_note(args.account, args.text)
    return cmd_notes(args)


def cmd_notes(args: argparse.Namespace) -> Outcome:
    notes = queries.customer_notes(args.account)
    return Outcome(notes, lambda: "\n".join(f"{n.at:%Y-%m-%d %H:%M} {n.operator}: {n.text}" for n in notes)
                   or "no notes")


def cmd_activity(args: argparse.Namespace) -> Outcome:
    rows = queries.customer_activity(args.account, args.limit)
    return Outcome(rows, lambda: table([(f"{r.at:%Y-%m-%d %H:%M}", r.operator, r.action, r.entity_id, r.detail)
                                        for r in rows], ["when", "who", "what", "of", "detail"], "lllll"))


def cmd_documents(args: argparse.Namespace) -> Outcome:
    """The account's documents tab: every invoice and credit note, newest first."""
    view = queries.customer_view(args.account)
    rows = queries.customer_documents(view.account_no, args.limit)
    cur = view.currency
    return Outcome(rows, lambda: table([(d.number, d.kind.replace("_", " "), d.status, d.issue_date, d.due_date,
                                         format_amount(d.total_minor, cur), format_amount(d.open_minor, cur))
                                        for d in rows], ["document", "kind", "status", "issued", "due", "total",
                                                         "open"], "llllrrr") if rows else "no documents")


def cmd_payments(args: argparse.Namespace) -> Outcome:
    """The account's payments tab: each payment and where it went."""
    view = queries.customer_view(args.account)
    rows = queries.customer_payments(view.account_no, args.limit)
    cur = view.currency

    def text() -> str:
        if not rows:
            return "no payments"
        return table([(p.number, p.received_date, p.method, format_amount(p.amount_minor, cur),
                       format_amount(p.unallocated_minor, cur), p.status,
                       ", ".join(f"{n} {format_amount(a, cur)}" for n, a in p.allocations))
                      for p in rows], ["payment", "received", "method", "amount", "unallocated", "status",
                                       "allocated to"], "lllrrll")

    return Outcome(rows, text)


def cmd_show(args: argparse.Namespace) -> Outcome:
    view = queries.customer_view(args.account)
    docs = queries.open_documents(view.id)

    def text() -> str:
        cur = view.currency
        head = [
            f"{view.account_no}  {view.name}  [{view.status.replace('_', ' ')}]",
            ", ".join(p for p in (view.address1, view.city, view.region, view.postcode) if p),
            f"e-mail {view.email or '-'}  phone {view.phone or '-'}  terms {view.terms_days} days",
            f"balance {format_money(view.balance_minor, cur)}  overdue {format_money(view.overdue_minor, cur)}  "
            f"credit {format_money(view.credit_minor, cur)}",
            "  ".join(f"{k} {format_amount(v, cur)}" for k, v in view.aging.items()),
        ]
        rows = [(d.number, d.issue_date, d.due_date, format_amount(d.total_minor, cur),
                 format_amount(d.open_minor, cur), max(d.days_past_due, 0), "disputed" if d.disputed else "")
                for d in docs]
        listing = table(rows, ["document", "issued", "due", "total", "open", "days late", ""], "lllrrrl")
        return "\n".join(head) + "\n\n" + (listing if rows else "no open items")

    return Outcome({"customer": view, "open_items": docs}, text)


def cmd_find(args: argparse.Namespace) -> Outcome:
    from store.lookup import find_accounts

    words = " ".join(args.text).strip()
    if not words:
        raise ValidationError("text", "is empty; type part of a name, number, e-mail, phone or postcode")
    page = find_accounts(words, offset=args.offset, limit=args.limit)

    def text() -> str:
        if not page.hits:
            return f"no account matches '{page.text}'"
        rows = [(h.account_no, h.name, h.city, format_amount(h.balance_minor, h.currency),
                 format_amount(h.overdue_minor, h.currency), flags(h.status, h.disputed), h.why) for h in page.hits]
        more = f"\n{page.total - page.offset - len(page.hits)} more (--offset {page.offset + len(page.hits)})" \
            if page.more else ""
        return table(rows, ["account", "name", "city", "balance", "overdue", "flags", "found by"], "lllrrll") + more

    return Outcome(page, text)


def flags(status: str, disputed: bool) -> str:
    marks: dict[str, str] = {CustomerStatus.ON_HOLD: "HOLD", CustomerStatus.IN_COLLECTIONS: "COLL",
                             CustomerStatus.CLOSED: "CLOSED"}
    return " ".join(m for m in (marks.get(status, ""), "DISP" if disputed else "") if m)


def _field_options(p: argparse.ArgumentParser, name_required: bool) -> None:
    for name in FIELDS:
        p.add_argument(f"--{name.replace('_', '-')}", dest=name, required=name_required and name == "name")


def register(sub: Any) -> None:
    customer = add_group(sub, "customer", "customer accounts")
    _field_options(add_command(customer, "add", cmd_add, "add a customer account"), name_required=True)
    p = add_command(customer, "edit", cmd_edit, "change an account's details (only the fields given)")
    p.add_argument("account")
    _field_options(p, name_required=False)
    p = add_command(customer, "show", cmd_show, "show an account with its balance and open items")
    p.add_argument("account")
    p = add_command(customer, "hold", cmd_hold, "put an account on hold (no new invoices)")
    p.add_argument("account")
    p.add_argument("--reason", required=True, type=text_arg)
    p = add_command(customer, "release", cmd_release, "release an account's hold")
    p.add_argument("account")
    p.add_argument("--reason", default="")
    p = add_command(customer, "note", cmd_note, "add a note to an account")
    p.add_argument("account")
    p.add_argument("text", type=text_arg)
    p = add_command(customer, "notes", cmd_notes, "an account's notes, newest first")
    p.add_argument("account")
    for name, handler, what in (("documents", cmd_documents, "an account's invoices and credit notes"),
                                ("payments", cmd_payments, "an account's payments and where they went")):
        p = add_command(customer, name, handler, what)
        p.add_argument("account")
        p.add_argument("--limit", type=count(1, 10_000), default=200)
    p = add_command(customer, "activity", cmd_activity, "who changed what on an account")
    p.add_argument("account")
    p.add_argument("--limit", type=count(1, 10_000), default=200)
    p = add_command(sub, "find", cmd_find, "find accounts by number, name, e-mail, phone, postcode or invoice number")
    p.add_argument("text", nargs="+")
    p.add_argument("--offset", type=count(0), default=0)
    p.add_argument("--limit", type=count(1, 1000), default=20)
