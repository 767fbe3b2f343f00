"""`billfold delivery log|resend|mark-sent` (the outbox), `billfold backup` and `billfold restore`."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tui.cli.args import count, text_arg
from tui.cli.base import EXIT_OK, EXIT_REFUSED, Outcome, add_command, add_group
from tui.cli.output import table

STATUSES = ("queued", "sending", "sent", "failed", "uncertain")


def _when(value: object) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else ""


def cmd_delivery_log(args: argparse.Namespace) -> Outcome:
    from store.outbox import delivery_log

    rows = delivery_log(args.status, args.limit)

    def text() -> str:
        if not rows:
            return f"No {args.status + ' ' if args.status else ''}messages in the outbox."
        out = [(r.id, r.status, r.kind, r.number or "", r.account_no, (r.recipient or "post")[:26], r.attempts,
                _when(r.sent_at or r.claimed_at or r.created_at), r.error[:40]) for r in rows]
        lines = [table(out, ["id", "status", "kind", "document", "account", "to", "tries", "when", "error"],
                       "rllllllrl")]
        if any(r.status == "uncertain" for r in rows):
            lines += ["", "uncertain: the sender stopped after claiming it; it may have reached the server. "
                          "billfold delivery resend ID, or billfold delivery mark-sent ID"]
        return "\n".join(lines)

    return Outcome(rows, text)


def cmd_delivery_resend(args: argparse.Namespace) -> Outcome:
    from exports.deliver import resend

    summary = resend(args.id, print_dir=Path(args.print_dir) if args.print_dir else None)
    value = {"id": args.id, "emailed": summary.emailed, "queued_for_print": summary.queued_for_print,
             "failed": [{"document": n, "error": e} for n, e in summary.failed]}
    return Outcome(value, summary.outcome, EXIT_REFUSED if summary.failed else EXIT_OK)


def cmd_delivery_mark_sent(args: argparse.Namespace) -> Outcome:
    from store.outbox import mark_sent

    item = mark_sent(args.id)
    return Outcome(item, f"outbox {item.id} ({item.number or item.kind} to {item.recipient or 'post'}) marked sent; "
                         "it will not be sent again")


def cmd_backup(args: argparse.Namespace) -> Outcome:
    from store.backup import backup_books

    result = backup_books(Path(args.dest).expanduser())
    return Outcome(result, f"backup {result.path} ({result.size:,} bytes) by {result.method}\n"
                           f"checked: {', '.join(result.checks)}\nsha256 {result.sha256}")


def cmd_restore(args: argparse.Namespace) -> Outcome:
    from store.backup import restore_books

    result = restore_books(Path(args.src).expanduser(), force=args.force)
    return Outcome(result, f"restored {result.path} (sha256 {result.sha256}) by {result.method}\n"
                           f"checked: {', '.join(result.checks)}")


def register(sub: Any) -> None:
    delivery = add_group(sub, "delivery", "the outbox: what was sent, what failed, what is uncertain")
    p = add_command(delivery, "log", cmd_delivery_log, "the outbox, newest first")
    p.add_argument("--status", choices=STATUSES, help="only messages in this state")
    p.add_argument("--limit", type=count(1), default=200)
    p = add_command(delivery, "resend", cmd_delivery_resend,
                    "send an uncertain or failed message again (the same Message-ID)")
    p.add_argument("id", type=count(1), help="the outbox id (billfold delivery log)")
    p.add_argument("--print-dir", type=text_arg, help="where a print batch goes (default: the data folder)")
    p = add_command(delivery, "mark-sent", cmd_delivery_mark_sent,
                    "an uncertain message did arrive: never send it again")
    p.add_argument("id", type=count(1))
    p = add_command(sub, "backup", cmd_backup, "a consistent, verified copy of the books while others work; "
                                               "prints its sha256")
    where = "a new file (NAME.db; NAME.dump on PostgreSQL), or a folder to put billfold-DATE.db in"
    p.add_argument("dest", metavar="DEST", type=text_arg, help=where)
    p = add_command(sub, "restore", cmd_restore, "replace the books with a backup, then verify them")
    p.add_argument("src", metavar="SRC", type=text_arg)
    p.add_argument("--force", action="store_true", help="replace books that are not empty")
