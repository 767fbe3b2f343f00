"""`billfold pdf`, `email` and `deliver`: documents out of the books."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from store import clock
from store.errors import ValidationError
from tui.cli.args import count, date_arg
from tui.cli.base import EXIT_OK, EXIT_REFUSED, Outcome, add_command
from tui.cli.output import progress


def _render(args: argparse.Namespace, key: str) -> bytes:
    from exports.from_books import company_profile, invoice_pdf, reminder_document, statement_document
    from exports.pdf import render_reminder, render_statement

    if args.document == "invoice":
        return invoice_pdf(key)
    if args.document == "statement":
        if args.from_ > args.to:
            raise ValidationError("from", "is after --to")
        return render_statement(statement_document(key, args.from_, args.to), company_profile())
    if args.document == "packet":
        from exports.packet import collections_packet

        return collections_packet(key, args.on)
    return render_reminder(reminder_document(key, args.level, args.on), company_profile())


def cmd_pdf(args: argparse.Namespace) -> Outcome:
    import datetime as dt

    args.to = args.to or clock.today()
    args.from_ = args.from_ or args.to - dt.timedelta(days=365)
    args.on = args.on or clock.today()
    several = len(args.key) > 1
    if several and args.output and Path(args.output).suffix.lower() == ".pdf":
        raise ValidationError("output", "with several documents, -o names a folder")
    folder = Path(args.output) if several and args.output else None
    if folder is not None and not folder.is_dir():
        raise ValidationError("output", f"{folder} is not a folder")
    written: list[dict[str, Any]] = []
    with progress(args, f"Writing {len(args.key)} PDFs") as advance:
        for n, key in enumerate(args.key):
            if advance:
                advance(n, len(args.key), key)
            pdf = _render(args, key)
            out = (folder or Path(".")) / f"{key}.pdf" if several or not args.output else Path(args.output)
            out.write_bytes(pdf)
            written.append({"file": str(out), "bytes": len(pdf)})
    return Outcome(written if several else written[0],
                   lambda: "\n".join(f"{w['file']} ({w['bytes']:,} bytes)" for w in written))


def cmd_email(args: argparse.Namespace) -> Outcome:
    """The document screen's m: e-mail one posted document to its customer now."""
    from exports.deliver import deliver_one

    said = deliver_one(args.number)
    sent = " e-mailed to " in said
    return Outcome({"document": args.number.upper(), "sent": sent, "message": said}, said,
                   EXIT_OK if sent else EXIT_REFUSED)


def cmd_deliver(args: argparse.Namespace) -> Outcome:
    from exports.deliver import deliver_pending, retry_failed
    from store.deliveries import confirm_printed

    if args.confirm_print:
        done = confirm_printed(args.confirm_print)
        return Outcome({"batch": args.confirm_print, "delivered": done},
                       f"{done} documents of {args.confirm_print} marked delivered by post")
    with progress(args, "Delivering") as advance:
        if args.retry:
            summary = retry_failed(advance)
        elif args.pending:
            summary = deliver_pending(args.processes, advance, args.limit)
        else:
            raise ValidationError("deliver", "say what: --pending, --retry or --confirm-print BATCH")
    value = {"emailed": summary.emailed, "queued_for_print": summary.queued_for_print, "batch": summary.batch,
             "batch_file": str(summary.batch_file or ""),
             "failed": [{"document": n, "error": e} for n, e in summary.failed]}
    return Outcome(value, summary.outcome, EXIT_REFUSED if summary.failed else EXIT_OK)


def register(sub: Any) -> None:
    p = add_command(sub, "pdf", cmd_pdf, "write documents as PDF: invoice NUMBER..., statement ACCOUNT..., "
                                         "reminder ACCOUNT..., packet ACCOUNT... (for a collections agency)")
    p.add_argument("document", choices=["invoice", "statement", "reminder", "packet"])
    p.add_argument("key", nargs="+", help="invoice or credit note number; account number for the others")
    p.add_argument("-o", "--output", help="file to write (default: KEY.pdf); a folder for several documents")
    p.add_argument("--from", dest="from_", type=date_arg, help="statement period start (default: a year ago)")
    p.add_argument("--to", type=date_arg, help="statement period end (default: today)")
    p.add_argument("--level", type=int, default=1, choices=[1, 2, 3], help="reminder level")
    p.add_argument("--on", type=date_arg, help="reminder date (default: today)")
    p = add_command(sub, "email", cmd_email, "e-mail one posted document to its customer now")
    p.add_argument("number")
    p = add_command(sub, "deliver", cmd_deliver, "deliver documents by each customer's channel (e-mail or a "
                                                 "print batch)")
    p.add_argument("--pending", action="store_true", help="every posted document not yet delivered")
    p.add_argument("--retry", action="store_true", help="send failed e-mails again (the same bytes)")
    p.add_argument("--confirm-print", metavar="BATCH", help="a print batch came off the printer")
    p.add_argument("--processes", type=count(1, 64), help="rendering processes (default: every core)")
    p.add_argument("--limit", type=count(1), help="at most this many documents")
