"""`billfold dunning`, `promise`, `collections` and `dispute`: chasing what is overdue."""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from store.money import format_amount, format_money, parse_amount
from tui.cli.args import amount_text, count, date_arg, text_arg
from tui.cli.base import EXIT_OK, EXIT_REFUSED, Outcome, add_command, add_group
from tui.cli.output import progress, table


def cmd_dunning(args: argparse.Namespace) -> Outcome:
    from store.dunning import dunning_run

    as_of: dt.date = args.as_of
    if args.send:
        from exports.deliver import send_dunning

        with progress(args, "Sending reminders") as advance:
            summary = send_dunning(as_of, args.processes, advance)
        value = {"emailed": summary.emailed, "queued_for_print": summary.queued_for_print, "batch": summary.batch,
                 "failed": [{"account": n, "error": e} for n, e in summary.failed]}
        return Outcome(value, summary.outcome, EXIT_REFUSED if summary.failed else EXIT_OK)
    run = dunning_run(as_of)

    def text() -> str:
        rows = [(p.account_no, p.customer_name[:28], p.level, len(p.items), format_amount(p.total_minor, p.currency),
                 p.channel) for p in run.proposals]
        out = [f"Dunning run as of {as_of}: {len(run.proposals)} reminders (preview; --send records and sends)", "",
               table(rows, ["account", "customer", "level", "items", "overdue", "by"], "llrrrl")]
        if run.skipped:
            out += ["", "Left out:"] + [f"  {s.account_no} {s.customer_name[:28]}: {s.reason}" for s in run.skipped]
        return "\n".join(out)

    return Outcome(run, text)


def cmd_promise(args: argparse.Namespace) -> Outcome:
    from store.collections import record_promise
    from store.queries import customer_view

    view = customer_view(args.account)
    result = record_promise(view.account_no, args.date, parse_amount(args.amount, view.currency, "amount"), args.note)
    return Outcome(result, lambda: f"{result.account_no} promised {format_money(result.amount_minor, result.currency)}"
                                   f" by {result.promised_date}")


def cmd_collections(args: argparse.Namespace) -> Outcome:
    from exports.packet import send_with_packet

    result, packet = send_with_packet(args.account, args.agency, args.note,
                                      Path(args.packet_dir) if args.packet_dir else None)
    case: Any = result
    return Outcome({"case": case, "packet": str(packet)},
                   lambda: f"{case.account_no} sent to {case.agency} for "
                           f"{format_money(case.amount_minor, case.currency)} (case {case.case_id}); packet: {packet}")


def _dispute_outcome(result: Any) -> Outcome:
    return Outcome(result, lambda: f"dispute {result.id} on {result.invoice}: {result.status}"
                                   + (f" ({result.credit_note})" if result.credit_note else ""))


def cmd_dispute_open(args: argparse.Namespace) -> Outcome:
    from store import disputes
    from store.queries import invoice_view

    view = invoice_view(args.invoice)
    amount = view.total_minor if args.all else parse_amount(args.amount, view.currency, "amount")
    return _dispute_outcome(disputes.open_dispute(view.number or args.invoice, amount, args.reason, args.note or ""))


def cmd_dispute_credit(args: argparse.Namespace) -> Outcome:
    from store import disputes

    return _dispute_outcome(disputes.resolve_with_credit(args.id, args.note or ""))


def cmd_dispute_reject(args: argparse.Namespace) -> Outcome:
    from store import disputes

    return _dispute_outcome(disputes.reject_dispute(args.id, args.note))


def register(sub: Any) -> None:
    p = add_command(sub, "dunning", cmd_dunning, "the dunning run: preview who gets which reminder, or --send it")
    p.add_argument("--as-of", type=date_arg, default="t", help="run date (default: today)")
    p.add_argument("--send", action="store_true", help="record the notices and send them by each customer's channel")
    p.add_argument("--processes", type=count(1, 64))
    p = add_command(sub, "promise", cmd_promise, "record a promise to pay (the dunning run honours it until the date)")
    p.add_argument("account")
    p.add_argument("--date", type=date_arg, required=True)
    p.add_argument("--amount", type=amount_text, required=True)
    p.add_argument("--note", default="")
    p = add_command(sub, "collections", cmd_collections, "send an account to collections (supervisor)")
    p.add_argument("account")
    p.add_argument("--agency", required=True, type=text_arg)
    p.add_argument("--note", default="")
    p.add_argument("--packet-dir", help="where to write the agency's packet (default: the print folder)")
    p.add_argument("--reason", type=text_arg, help="a clerk's request: why the account should go (a supervisor "
                                                   "approves it)")

    dispute = add_group(sub, "dispute", "open a dispute on an invoice; resolve it by credit note or reject it")
    p = add_command(dispute, "open", cmd_dispute_open, "open a dispute on an invoice")
    p.add_argument("invoice")
    how_much = p.add_mutually_exclusive_group(required=True)
    how_much.add_argument("--amount", type=amount_text, help="the disputed amount")
    how_much.add_argument("--all", action="store_true", help="the whole invoice total")
    p.add_argument("--reason", required=True, type=text_arg)
    p.add_argument("--note")
    p = add_command(dispute, "credit", cmd_dispute_credit, "resolve a dispute with a credit note")
    p.add_argument("id", type=count(1, 2**62))
    p.add_argument("--note")
    p = add_command(dispute, "reject", cmd_dispute_reject, "reject a dispute")
    p.add_argument("id", type=count(1, 2**62))
    p.add_argument("--note", required=True, type=text_arg)
