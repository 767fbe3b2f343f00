"""`billfold orders import|list|show|approve|hold|reject`: orders in for review (the orders screen's twin)."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from store.money import format_amount
from tui.cli.args import text_arg
from tui.cli.base import Outcome, add_command, add_group
from tui.cli.output import table

STATUSES = ("pending", "approved", "held", "rejected", "billed")


def _rows(orders: list[Any]) -> str:
    if not orders:
        return "No orders."
    return table([(o.order_id, o.status, o.account, o.customer_name[:20], o.po[:12], o.order_date.isoformat(),
                   format_amount(o.total_minor, o.currency), o.currency, o.invoice or "",
                   "; ".join(o.warnings)[:40]) for o in orders],
                 ["order", "status", "account", "customer", "po", "date", "total", "cur", "invoice", "warnings"],
                 "llllllrlll")


def _detail(o: Any) -> str:
    head = [f"order {o.order_id} ({o.status})  account {o.account} {o.customer_name}",
            f"po {o.po or '-'}  ordered {o.order_date.isoformat()}  currency {o.currency}"
            + (f"  invoice {o.invoice}" if o.invoice else "") + (f"  note: {o.note}" if o.note else "")]
    lines = table([(ln.position, ln.item, ln.description[:30], f"{ln.quantity.normalize():f}",
                    format_amount(ln.unit_price_minor, o.currency), ln.tax_code,
                    format_amount(ln.net_minor, o.currency)) for ln in o.lines],
                  ["#", "item", "description", "qty", "price", "tax", "net"], "rllrrlr")
    totals = (f"net {format_amount(o.subtotal_minor, o.currency)}  tax {format_amount(o.tax_minor, o.currency)}  "
              f"total {format_amount(o.total_minor, o.currency)} {o.currency}")
    return "\n".join([*head, lines, totals, *(f"warning: {w}" for w in o.warnings)])


def cmd_import(args: argparse.Namespace) -> Outcome:
    from store.orders import import_order_file

    path = Path(args.file)
    result = import_order_file(path)
    text = f"imported {len(result.imported)} orders ({result.lines} lines) from {path.name}"
    if result.skipped:
        text += f"; {len(result.skipped)} already imported, not again: {', '.join(result.skipped[:10])}"
    return Outcome(result, text)


def cmd_list(args: argparse.Namespace) -> Outcome:
    from store.orders import list_orders

    orders = list_orders(args.status)
    return Outcome(orders, lambda: _rows(orders))


def cmd_show(args: argparse.Namespace) -> Outcome:
    from store.orders import show_order

    order = show_order(args.id)
    return Outcome(order, lambda: _detail(order))


def cmd_approve(args: argparse.Namespace) -> Outcome:
    from store.orders import approve_orders

    orders = approve_orders(args.ids)
    return Outcome(orders, f"approved {len(orders)} orders: {', '.join(o.order_id for o in orders)}; "
                           "billfold bill --orders invoices them")


def cmd_hold(args: argparse.Namespace) -> Outcome:
    from store.orders import hold_order

    order = hold_order(args.id, args.note)
    return Outcome(order, f"order {order.order_id} held: {order.note}")


def cmd_reject(args: argparse.Namespace) -> Outcome:
    from store.orders import reject_order

    order = reject_order(args.id, args.reason)
    return Outcome(order, f"order {order.order_id} rejected: {order.note}")


def register(sub: Any) -> None:
    group = add_group(sub, "orders", "orders in for review: import a file, list, approve, hold, reject "
                                     "(the orders screen: reports F7, Orders)")
    p = add_command(group, "import", cmd_import, "import a CSV or JSON orders file (an order id already imported "
                                                 "is skipped; a bad line refuses the whole file)")
    p.add_argument("file", type=text_arg)
    p = add_command(group, "list", cmd_list, "orders with what their invoice would be, and warnings")
    p.add_argument("--status", choices=STATUSES)
    p = add_command(group, "show", cmd_show, "one order: its lines, totals, warnings and invoice")
    p.add_argument("id", type=text_arg)
    p = add_command(group, "approve", cmd_approve, "approve pending or held orders (a supervisor); the next "
                                                   "`bill --orders` invoices them")
    p.add_argument("ids", nargs="+", metavar="ID", type=text_arg)
    p = add_command(group, "hold", cmd_hold, "hold an order with a note")
    p.add_argument("id", type=text_arg)
    p.add_argument("--note", type=text_arg, required=True)
    p = add_command(group, "reject", cmd_reject, "reject an order with a reason: it is never billed")
    p.add_argument("id", type=text_arg)
    p.add_argument("--reason", type=text_arg, required=True)

