"""`billfold bill --orders` and `billfold bill --recurring MONTH`: the billing runs (their screens' twins).

Without --yes (or with --preview) it shows what a run would invoice, counts and totals per currency,
and writes nothing; with --yes it bills. What to bill is one of a required group of flags (--orders
or --recurring MONTH), so a run always says which. --recurring has its own steps (tui/cli/recurring_run.py):
--preview writes nothing, no flag drafts the month's invoices, --post posts them.
"""
from __future__ import annotations

import argparse
from typing import Any

from store.errors import ValidationError
from store.money import format_amount
from tui.cli.base import EXIT_OK, EXIT_REFUSED, Outcome, add_command
from tui.cli.output import progress, table
from tui.cli.recurring_run import add_recurring_options, bill_recurring


def _totals_table(totals: list[Any]) -> str:
    return table([(t.currency, t.invoices, format_amount(t.total_minor, t.currency)) for t in totals],
                 ["currency", "invoices", "total"], "lrr")


def _preview(args: argparse.Namespace) -> Outcome:
    from store.order_billing import preview_billing

    preview = preview_billing()

    def text() -> str:
        if not preview.orders:
            return "No approved orders to bill."
        out = [f"{preview.orders} approved orders would be invoiced:", _totals_table(preview.totals)]
        out += [f"warning: order {order}: {warning}" for order, warning in preview.warnings]
        out.append("Nothing billed yet: run `billfold bill --orders --yes` to bill them.")
        return "\n".join(out)

    return Outcome({"preview": True, "orders": preview.orders, "totals": preview.totals,
                    "warnings": [{"order": o, "warning": w} for o, w in preview.warnings]}, text)


def cmd_bill(args: argparse.Namespace) -> Outcome:
    if args.recurring is not None:
        return bill_recurring(args)
    if args.post:
        raise ValidationError("post", "is for --recurring (--orders bills with --yes)")
    if args.preview or not args.yes:
        return _preview(args)
    from store.order_billing import bill_orders

    with progress(args, "Billing orders") as advance:
        result = bill_orders(None if advance is None else
                             lambda billed, done, total: advance(done, total, billed.invoice if billed else ""))

    def text() -> str:
        out = [f"billed {len(result.billed)} orders" + (":" if result.billed else ".")]
        if result.billed:
            out.append(_totals_table(result.totals))
        out += [f"not billed: order {order}: {why}" for order, why in result.skipped]
        return "\n".join(out)

    return Outcome({"preview": False, "billed": result.billed, "skipped": [{"order": o, "reason": r}
                                                                          for o, r in result.skipped],
                    "totals": result.totals}, text, EXIT_REFUSED if result.skipped else EXIT_OK)


def register(sub: Any) -> None:
    p = add_command(sub, "bill", cmd_bill, "billing runs: --orders (preview, or bill with --yes); --recurring MONTH "
                                           "(--preview, drafts, then --post)")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--orders", action="store_true", help="invoice the approved orders")
    add_recurring_options(p, what)
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--preview", action="store_true", help="show counts and totals per currency; bill nothing "
                                                            "(the default without --yes)")
    mode.add_argument("--yes", action="store_true", help="bill now (one transaction per invoice)")
