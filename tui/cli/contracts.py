"""`billfold contract add|list|show|change|end`: recurring contracts (billed by `billfold bill --recurring`)."""
from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from store.errors import ValidationError
from store.money import format_amount, parse_quantity
from tui.cli.args import amount_text, count, date_arg, text_arg
from tui.cli.base import Outcome, add_command, add_group
from tui.cli.output import table

PERIODS = ("monthly", "quarterly", "yearly")
BILLINGS = ("advance", "arrears")


def quantity_arg(value: str) -> Decimal:
    try:
        quantity = parse_quantity(value, "quantity")
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None
    if quantity <= 0:
        raise argparse.ArgumentTypeError("must be more than zero")
    return quantity


def price_text(c: Any) -> str:  # a store.contracts.ContractRow
    return "catalogue" if c.price_minor is None else format_amount(c.price_minor, c.currency)


def _ends(c: Any) -> str:
    return c.end.isoformat() if c.end else ""


def contract_line(c: Any) -> str:
    through = f"; billed through {c.billed_through.isoformat()}" if c.billed_through else ""
    return (f"contract {c.id} ({c.account_no} {c.customer_name}): {c.quantity} x {c.description} at "
            f"{price_text(c)} {c.currency}, {c.period} in {c.billing}, from {c.start.isoformat()}"
            f"{' to ' + _ends(c) if c.end else ''}{through}")


def cmd_contract_add(args: argparse.Namespace) -> Outcome:
    from store.contracts import ContractInput, add_contract

    row = add_contract(ContractInput(args.account, args.item or "", args.quantity, args.period, args.billing,
                                     args.start, args.price, args.end, args.description or "", args.tax_code or ""))
    return Outcome(row, f"added {contract_line(row)}")


def cmd_contract_list(args: argparse.Namespace) -> Outcome:
    from store.contracts import list_contracts

    rows = list_contracts(args.account)

    def text() -> str:
        if not rows:
            return "No contracts."
        return table([(c.id, c.account_no, c.description[:24], str(c.quantity), price_text(c), c.currency, c.period,
                       c.billing, c.start.isoformat(), _ends(c)) for c in rows],
                     ["id", "account", "item", "qty", "price", "cur", "period", "billing", "start", "end"],
                     "rlllrlllll")

    return Outcome(rows, text)


def cmd_contract_show(args: argparse.Namespace) -> Outcome:
    from store.contracts import contract_charges, get_contract

    row = get_contract(args.id)
    charges = contract_charges(args.id)

    def text() -> str:
        lines = [contract_line(row)]
        if charges:
            lines.append(table([(c.run_month, c.covers_from.isoformat(), c.covers_to.isoformat(), c.document,
                                 format_amount(c.net_minor, row.currency)) for c in charges],
                               ["run", "from", "to", "invoice", "net"], "llllr"))
        else:
            lines.append("Not billed yet.")
        return "\n".join(lines)

    return Outcome({"contract": row, "charges": charges}, text)


def cmd_contract_change(args: argparse.Namespace) -> Outcome:
    from store.contracts import change_contract

    row = change_contract(args.id, quantity=args.quantity, price=args.price, catalogue_priced=args.catalogue_price,
                          description=args.description)
    return Outcome(row, f"changed {contract_line(row)}\nperiods already billed keep their invoices")


def cmd_contract_end(args: argparse.Namespace) -> Outcome:
    from store.contracts import end_contract

    row = end_contract(args.id, args.on)
    note = ""
    if row.billed_through and row.billed_through > args.on:
        note = (f"\nalready billed through {row.billed_through.isoformat()}: posted invoices are not changed "
                "(credit the days after the end by hand if they are owed back)")
    return Outcome(row, f"ended {contract_line(row)}{note}")


def register(sub: Any) -> None:
    contract = add_group(sub, "contract", "recurring contracts: what a customer is charged every period")
    p = add_command(contract, "add", cmd_contract_add, "a recurring charge for an account")
    p.add_argument("account", metavar="ACCOUNT", type=text_arg)
    p.add_argument("--item", type=text_arg, help="a catalogue code (omit for a free-text line)")
    p.add_argument("--description", type=text_arg, help="the line's text (default: the item's)")
    p.add_argument("--quantity", type=quantity_arg, default=Decimal(1))
    p.add_argument("--price", type=amount_text, help="unit price in the account's currency "
                                                     "(default: the catalogue's at billing time)")
    p.add_argument("--tax-code", type=text_arg, help="tax code (default: the item's)")
    p.add_argument("--period", choices=PERIODS, required=True)
    p.add_argument("--billing", choices=BILLINGS, required=True, help="bill each period at its start or its end")
    p.add_argument("--start", type=date_arg, required=True, help="the first day charged")
    p.add_argument("--end", type=date_arg, help="the last day charged")
    p = add_command(contract, "list", cmd_contract_list, "contracts, of one account or all")
    p.add_argument("account", metavar="ACCOUNT", nargs="?", type=text_arg)
    p = add_command(contract, "show", cmd_contract_show, "a contract and every period it has billed")
    p.add_argument("id", type=count(1))
    p = add_command(contract, "change", cmd_contract_change, "change what periods not yet billed will charge")
    p.add_argument("id", type=count(1))
    p.add_argument("--quantity", type=quantity_arg)
    price = p.add_mutually_exclusive_group()
    price.add_argument("--price", type=amount_text)
    price.add_argument("--catalogue-price", action="store_true", help="charge the catalogue's price from now on")
    p.add_argument("--description", type=text_arg)
    p = add_command(contract, "end", cmd_contract_end, "the last day a contract charges for")
    p.add_argument("id", type=count(1))
    p.add_argument("--on", type=date_arg, required=True)
