"""`billfold delivery ...` (the outbox: log, resend, mark-sent), `billfold backup` and `billfold restore`."""
from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui.cli_commands import emit, table

STATUSES = ("queued", "sending", "sent", "failed", "uncertain")


def _when(value: object) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else ""


def cmd_delivery_log(args: argparse.Namespace) -> int:
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

    return emit(args, rows, text)


def cmd_delivery_resend(args: argparse.Namespace) -> int:
    from exports.deliver import resend

    summary = resend(args.id, print_dir=Path(args.print_dir) if args.print_dir else None)
    emit(args, {"id": args.id, "emailed": summary.emailed, "queued_for_print": summary.queued_for_print,
                "failed": [{"document": n, "error": e} for n, e in summary.failed]}, summary.outcome)
    return 1 if summary.failed else 0


def cmd_delivery_mark_sent(args: argparse.Namespace) -> int:
    from store.outbox import mark_sent

    item = mark_sent(args.id)
    return emit(args, item, lambda: f"outbox {item.id} ({item.number or item.kind} to {item.recipient or 'post'}) "
                                    f"marked sent; it will not be sent again")


def cmd_backup(args: argparse.Namespace) -> int:
    from store.backup import backup_books

    result = backup_books(Path(args.dest).expanduser())
    return emit(args, result, lambda: (f"backup {result.path} ({result.size:,} bytes) by {result.method}\n"
                                       f"checked: {', '.join(result.checks)}\nsha256 {result.sha256}"))


def cmd_restore(args: argparse.Namespace) -> int:
    from store.backup import restore_books

    result = restore_books(Path(args.src).expanduser(), force=args.force)
    return emit(args, result, lambda: (f"restored {result.path} (sha256 {result.sha256}) by {result.method}\n"
                                       f"checked: {', '.join(result.checks)}"))


def register(command: Callable[..., argparse.ArgumentParser], sub: Any) -> None:
    delivery = sub.add_parser("delivery", help="the outbox: what was sent, what failed, what is uncertain") \
        .add_subparsers(dest="action", required=True)
    p = command("log", cmd_delivery_log, "the outbox, newest first", delivery)
    p.add_argument("--status", choices=STATUSES, help="only messages in this state")
    p.add_argument("--limit", type=int, default=200)
    p = command("resend", cmd_delivery_resend, "send an uncertain or failed message again (same Message-ID)",
                delivery)
    p.add_argument("id", type=int, help="the outbox id (billfold delivery log)")
    p.add_argument("--print-dir", help="where a print batch goes (default: the data folder)")
    p = command("mark-sent", cmd_delivery_mark_sent, "an uncertain message did arrive: never send it again",
                delivery)
    p.add_argument("id", type=int)
    p = command("backup", cmd_backup, "a consistent, verified copy of the books while others work; prints its sha256")
    p.add_argument("dest", metavar="DEST", help="a new file, or a folder to put billfold-DATE.db in")
    p = command("restore", cmd_restore, "replace the books with a backup, then verify them")
    p.add_argument("src", metavar="SRC")
    p.add_argument("--force", action="store_true", help="replace books that are not empty")
