"""`billfold statements`: the month's statement run (the period-end screen's "Statements" twin)."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from store.money import format_amount
from tui.cli.args import count, date_arg, text_arg
from tui.cli.base import EXIT_OK, EXIT_REFUSED, Outcome, add_command
from tui.cli.output import progress, table

SHOWN = 200  # customers listed in the text preview; --json gives every one


def _preview_value(preview: Any) -> dict[str, Any]:  # a store.statement_runs.StatementRunPreview
    return {"as_of": preview.as_of, "from": preview.date_from, "statements": len(preview.to_queue),
            "by_channel": preview.by_channel(),
            "totals": {cur: {"statements": n, "balance_minor": total} for cur, (n, total) in preview.totals().items()},
            "already_queued": len(preview.already), "already": preview.already_line(),
            "customers": [{"account": c.account_no, "name": c.customer_name, "currency": c.currency,
                           "channel": c.channel, "closing_minor": c.closing_minor, "moved": c.moved,
                           "queued_at": c.queued_at, "queued_by": c.queued_by} for c in preview.candidates]}


def _summary(preview: Any, verb: str) -> list[str]:
    channels = preview.by_channel()
    lines = [f"Statement run as of {preview.as_of} (period {preview.date_from} to {preview.as_of}): "
             f"{len(preview.to_queue):,} statements {verb}: {channels['email']:,} by e-mail, {channels['post']:,} "
             f"by post"]
    totals = [(cur, f"{n:,}", format_amount(total, cur)) for cur, (n, total) in preview.totals().items()]
    if totals:
        lines += ["", table(totals, ["currency", "statements", "balance"], "lrr")]
    if preview.already:
        lines += ["", preview.already_line()]
    return lines


def _queued_line(queued: int) -> str:
    return f"{queued:,} queued" if queued else "nothing new queued"


def _preview_text(preview: Any) -> str:
    lines = _summary(preview, "to queue (preview; nothing queued)")
    rows = [(c.account_no, c.customer_name[:30], c.channel, format_amount(c.closing_minor, c.currency), c.currency,
             "yes" if c.moved else "") for c in preview.to_queue[:SHOWN]]
    if rows:
        lines += ["", table(rows, ["account", "customer", "by", "balance", "cur", "moved"], "lllrll")]
    if len(preview.to_queue) > SHOWN:
        lines.append(f"... and {len(preview.to_queue) - SHOWN:,} more (--json lists every one)")
    return "\n".join(lines)


def cmd_statements(args: argparse.Namespace) -> Outcome:
    from store.statement_runs import preview_statements, queue_statements

    if args.dry_run:
        preview = preview_statements(args.as_of, args.from_)
        return Outcome(_preview_value(preview), lambda: _preview_text(preview))
    if not args.send:
        with progress(args, "Queuing statements") as advance:
            result = queue_statements(args.as_of, args.from_, advance)
        value = {**_preview_value(result.preview), "queued": result.queued, "delivery": None}
        return Outcome(value, lambda: "\n".join([*_summary(result.preview, "queued"), "", _queued_line(result.queued)
                                                 + "; they go with the next billfold deliver --pending (or run "
                                                   "this with --send)"]))
    from exports.deliver import send_statements

    with progress(args, "Statements") as advance:
        result, summary = send_statements(args.as_of, args.from_, args.processes, advance,
                                          Path(args.print_dir) if args.print_dir else None)
    value = {**_preview_value(result.preview), "queued": result.queued,
             "delivery": {"emailed": summary.emailed, "queued_for_print": summary.queued_for_print,
                          "batch": summary.batch, "batch_file": str(summary.batch_file or ""),
                          "failed": [{"statement": n, "error": e} for n, e in summary.failed]}}
    def text() -> str:
        delivered = f"{_queued_line(result.queued)}; delivered: {summary.outcome(failures=5)}"
        return "\n".join([*_summary(result.preview, "queued"), "", delivered])

    return Outcome(value, text, EXIT_REFUSED if summary.failed else EXIT_OK)


def register(sub: Any) -> None:
    p = add_command(sub, "statements", cmd_statements,
                    "the statement run: a statement to every customer with an open balance or activity in the "
                    "period, queued for delivery by each customer's channel (once per customer and date)")
    p.add_argument("--as-of", type=date_arg, default="t", help="statement date (default: today); the period is "
                                                               "the month ending on it")
    p.add_argument("--from", dest="from_", type=date_arg, help="period start instead of a month before --as-of")
    p.add_argument("--dry-run", action="store_true", help="preview: how many, by which channel, totals per "
                                                          "currency; queue nothing")
    p.add_argument("--send", action="store_true", help="also deliver the queued statements now (otherwise "
                                                       "billfold deliver --pending sends them)")
    p.add_argument("--processes", type=count(1, 64), help="rendering processes with --send (default: every core)")
    p.add_argument("--print-dir", type=text_arg, help="where a print batch goes with --send (default: the "
                                                      "print_spool setting or the data folder)")
