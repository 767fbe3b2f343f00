"""`billfold dunning`, `promise`, `collections` and `dispute`: chasing what is overdue."""
from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from store.dates import parse_date
from store.money import format_amount, format_money, parse_amount
from tui.cli_commands import emit, table


def cmd_dunning(args: argparse.Namespace) -> int:
    from store.dunning import dunning_run

    as_of = parse_date(args.as_of or "t", "as-of")
    if args.send:
        from exports.deliver import send_dunning

        summary = send_dunning(as_of, args.processes,
                               None if args.json else lambda d, t, what: print(f"[{d:>4}/{t}] {what}", flush=True))
        print(summary.outcome())
        return 1 if summary.failed else 0
    run = dunning_run(as_of)

    def text() -> str:
        rows = [(p.account_no, p.customer_name[:28], p.level, len(p.items), format_amount(p.total_minor, p.currency),
                 p.channel) for p in run.proposals]
        out = [f"Dunning run as of {as_of}: {len(run.proposals)} reminders (preview; --send records and sends)", "",
               table(rows, ["account", "customer", "level", "items", "overdue", "by"], "llrrrl")]
        if run.skipped:
            out += ["", "Left out:"] + [f"  {s.account_no} {s.customer_name[:28]}: {s.reason}" for s in run.skipped]
        return "\n".join(out)

    return emit(args, run, text)


def cmd_promise(args: argparse.Namespace) -> int:
    from store.collections import record_promise
    from store.queries import customer_view

    view = customer_view(args.account)
    result = record_promise(view.account_no, parse_date(args.date, "date"),
                            parse_amount(args.amount, view.currency, "amount"), args.note)
    return emit(args, result, lambda: f"{result.account_no} promised {format_money(result.amount_minor, result.currency)}"
                                      f" by {result.promised_date}")


def cmd_collections(args: argparse.Namespace) -> int:
    from pathlib import Path

    from exports.packet import send_with_packet

    result, packet = send_with_packet(args.account, args.agency, args.note, Path(args.packet_dir) if args.packet_dir
                                      else None)
    return emit(args, {"case": result, "packet": str(packet)},
                lambda: f"{result.account_no} sent to {result.agency} for "  # type: ignore[attr-defined]
                        f"{format_money(result.amount_minor, result.currency)} (case {result.case_id}); "  # type: ignore[attr-defined]
                        f"packet: {packet}")


def cmd_dispute(args: argparse.Namespace) -> int:
    from store import disputes
    from store.queries import invoice_view

    if args.action == "open":
        amount = parse_amount(args.amount, invoice_view(args.key).currency, "amount") if args.amount else \
            invoice_view(args.key).total_minor
        result = disputes.open_dispute(args.key, amount, args.reason or "", args.note or "")
    elif args.action == "credit":
        result = disputes.resolve_with_credit(int(args.key), args.note or "")
    else:
        result = disputes.reject_dispute(int(args.key), args.note or "")
    return emit(args, result, lambda: f"dispute {result.id} on {result.invoice}: {result.status}"
                                      + (f" ({result.credit_note})" if result.credit_note else ""))


def register(command: Callable[..., argparse.ArgumentParser], sub: Any) -> None:
    p = command("dunning", cmd_dunning, "the dunning run: preview who gets which reminder, or --send it")
    p.add_argument("--as-of", help="run date (default: today)")
    p.add_argument("--send", action="store_true", help="record the notices and send them by each customer's channel")
    p.add_argument("--processes", type=int)
    p = command("promise", cmd_promise, "record a promise to pay (the dunning run honours it until the date)")
    p.add_argument("account")
    p.add_argument("--date", required=True)
    p.add_argument("--amount", required=True)
    p.add_argument("--note", default="")
    p = command("collections", cmd_collections, "send an account to collections (supervisor)")
    p.add_argument("account")
    p.add_argument("--agency", required=True)
    p.add_argument("--note", default="")
    p.add_argument("--packet-dir", help="where to write the agency's packet (default: the print folder)")
    p = command("dispute", cmd_dispute, "open a dispute on an invoice; resolve it by credit note or reject it")
    p.add_argument("action", choices=["open", "credit", "reject"])
    p.add_argument("key", help="invoice number (open) or dispute id (credit, reject)")
    p.add_argument("--amount", help="disputed amount (default: the invoice total)")
    p.add_argument("--reason")
    p.add_argument("--note")
