"""`billfold pdf ...` and `billfold deliver ...`: documents out of the books, from the command line."""
from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from store.dates import parse_date
from store.errors import ValidationError


def cmd_pdf(args: argparse.Namespace) -> int:
    from exports.from_books import company_profile, invoice_document, reminder_document, statement_document
    from exports.pdf import render_invoice, render_reminder, render_statement

    company = company_profile()
    if args.document == "invoice":
        pdf = render_invoice(invoice_document(args.key), company)
    elif args.document == "statement":
        date_to = parse_date(args.to or "t", "to")
        date_from = parse_date(args.from_ or "-365", "from")
        if date_from > date_to:
            raise ValidationError("from", "is after --to")
        pdf = render_statement(statement_document(args.key, date_from, date_to), company)
    elif args.document == "packet":
        from exports.packet import collections_packet

        pdf = collections_packet(args.key, parse_date(args.on or "t", "on"))
    else:
        pdf = render_reminder(reminder_document(args.key, args.level, parse_date(args.on or "t", "on")), company)
    out = Path(args.output or f"{args.key}.pdf")
    out.write_bytes(pdf)
    print(f"{out} ({len(pdf):,} bytes)")
    return 0


def cmd_deliver(args: argparse.Namespace) -> int:
    from exports.deliver import deliver_pending, retry_failed
    from store.deliveries import confirm_printed

    if args.confirm_print:
        print(f"{confirm_printed(args.confirm_print)} documents of {args.confirm_print} marked delivered by post")
        return 0

    def progress(done: int, total: int, what: str) -> None:
        if not args.json:
            print(f"[{done:>5}/{total}] {what}", flush=True)

    if args.retry:
        summary = retry_failed(progress)
    elif args.pending:
        summary = deliver_pending(args.processes, progress, args.limit)
    else:
        raise ValidationError("deliver", "say what: --pending, --retry or --confirm-print BATCH")
    if args.json:
        import json

        print(json.dumps({"emailed": summary.emailed, "queued_for_print": summary.queued_for_print,
                          "batch": summary.batch, "batch_file": str(summary.batch_file or ""),
                          "failed": [{"document": n, "error": e} for n, e in summary.failed]}, indent=2))
    else:
        print(summary.outcome())
    return 1 if summary.failed else 0


def report_argument(args: argparse.Namespace) -> object:
    """--as-of DATE, --month 2026-11 or --quarter 2026-Q4 as a report's argument (None: now)."""
    from store.reports import Period

    if sum(bool(x) for x in (args.as_of, args.month, args.quarter)) > 1:
        raise ValidationError("period", "give one of --as-of, --month, --quarter")
    if args.as_of:
        return parse_date(args.as_of, "as-of")
    if args.month or args.quarter:
        return Period.parse(args.month or args.quarter)
    return None


def cmd_report(args: argparse.Namespace) -> int:
    from exports import reports_out
    from store.reports import CURRENCY_REPORTS, run_report
    from store.settings import get_setting

    options = {"currency": args.currency} if args.currency and args.name in CURRENCY_REPORTS else {}
    report = run_report(args.name, report_argument(args), **options)
    if args.format == "pdf":
        data = reports_out.to_pdf(report, get_setting("company_name"))
        out = Path(args.output or f"{args.name}.pdf")
        out.write_bytes(data)
        print(f"{out} ({len(data):,} bytes)")
        return 0
    text = reports_out.to_csv(report) if args.format == "csv" else reports_out.to_text(report)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8", newline="")
        print(f"{args.output} ({len(text):,} characters)")
    else:
        print(text, end="")
    return 0


def register(command: Callable[..., argparse.ArgumentParser], sub: Any) -> None:
    p = command("pdf", cmd_pdf, "write a document as PDF: invoice NUMBER, statement ACCOUNT, reminder ACCOUNT, "
                                "packet ACCOUNT (for a collections agency)")
    p.add_argument("document", choices=["invoice", "statement", "reminder", "packet"])
    p.add_argument("key", help="invoice or credit note number; account number for statements and reminders")
    p.add_argument("-o", "--output", help="file to write (default: KEY.pdf)")
    p.add_argument("--from", dest="from_", help="statement period start (default: a year ago)")
    p.add_argument("--to", help="statement period end (default: today)")
    p.add_argument("--level", type=int, default=1, choices=[1, 2, 3], help="reminder level")
    p.add_argument("--on", help="reminder date (default: today)")
    p = command("deliver", cmd_deliver, "deliver documents by each customer's channel (e-mail or a print batch)")
    p.add_argument("--pending", action="store_true", help="every posted document not yet delivered")
    p.add_argument("--retry", action="store_true", help="send failed e-mails again (the same bytes)")
    p.add_argument("--confirm-print", metavar="BATCH", help="a print batch came off the printer")
    p.add_argument("--processes", type=int, help="rendering processes (default: every core)")
    p.add_argument("--limit", type=int, help="at most this many documents")
    p = command("report", cmd_report, "a report as text, CSV or PDF (billfold report --help lists them)")
    p.add_argument("name", help="ar_aging, ar_aging_detail, billing_collections, payments_received, unapplied_credits, "
                                "open_disputes, accounts_on_hold, dunning_log, control_account, trial_balance")
    p.add_argument("--as-of", help="a date (2026-11-30, 30/11, t)")
    p.add_argument("--month", help="a month: 2026-11")
    p.add_argument("--quarter", help="a quarter: 2026-Q4")
    p.add_argument("--currency", help="report in this currency (default: the base currency)")
    p.add_argument("--format", choices=["text", "csv", "pdf"], default="text")
    p.add_argument("-o", "--output", help="file to write (default: the screen; NAME.pdf for PDF)")
    register_import(command)
    register_catalogue(command)


def cmd_import(args: argparse.Namespace) -> int:
    from store.importers import CsvMapping, detect_format, guess_mapping
    from store.imports import import_statement, mapping_for, save_mapping

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError("file", f"{path}: {exc.strerror}") from None
    mapping: str | CsvMapping | None = args.mapping
    if args.columns:
        spec = dict(part.split("=", 1) for part in args.columns.split(";") if "=" in part)
        mapping = CsvMapping.from_dict({"name": args.save_as or "unsaved", **spec})
        if args.save_as:
            save_mapping(mapping)
    elif mapping is None and detect_format(data, path.name) == "csv" and (saved := mapping_for(data)):
        mapping = saved
    elif mapping is None and detect_format(data, path.name) == "csv":
        guessed = guess_mapping(data, args.save_as or path.stem)
        if guessed is None:
            raise ValidationError("mapping", "this CSV needs a column mapping: --columns 'date=Date;amount=Amount;"
                                             "reference=Description;date_format=%d/%m/%Y' --save-as NAME")
        if not args.save_as:
            raise ValidationError("mapping", f"not saved yet; this guess reads it: --columns "
                                             f"'{_spec(guessed)}' --save-as NAME")
        save_mapping(guessed)
        mapping = guessed
    result = import_statement(data, path.name, mapping)

    def text() -> str:
        out = [f"{path.name} ({result.format}): {result.new} new payments, {result.duplicate} duplicates, "
               f"{result.skipped} skipped"]
        out += [f"  line {s['position']}: skipped, {s['reason']}" for s in result.skipped_lines[:20]]
        return "\n".join(out)

    from tui.cli_commands import emit

    return emit(args, result, text)


def _spec(mapping: object) -> str:
    data = mapping.to_dict()  # type: ignore[attr-defined]
    return ";".join(f"{k}={v}" for k, v in data.items() if v not in (None, "", True) and k != "name")


def register_import(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("import", cmd_import, "import a bank statement (CSV, OFX, camt.053): money in becomes payments")
    p.add_argument("file")
    p.add_argument("--mapping", help="a saved CSV column mapping, by name")
    p.add_argument("--columns", help="a CSV mapping: 'date=Date;amount=Amount;reference=Description;"
                                     "date_format=%%d/%%m/%%Y' (or money_in=..;money_out=..)")
    p.add_argument("--save-as", help="keep the mapping under this name for next time")


def cmd_item(args: argparse.Namespace) -> int:
    from store.catalogue import list_items, save_item
    from store.money import format_amount
    from tui.cli_commands import emit, table

    if args.action == "save":
        currency = (args.currency or "GBP").upper()
        from store.money import parse_amount

        row = save_item(args.code, args.description or "", parse_amount(args.price or "", currency, "price"),
                        currency, args.tax or "S", not args.inactive)
        return emit(args, row, lambda: f"{row.code} {row.description} {format_amount(row.unit_price_minor, row.currency)}"
                                       f" {row.tax_code}")
    rows = list_items(include_inactive=True)
    return emit(args, rows, lambda: table([(i.code, i.description, format_amount(i.unit_price_minor, i.currency),
                                            i.tax_code, "" if i.active else "inactive") for i in rows],
                                          ["code", "description", "price", "tax", ""], "llrll"))


def cmd_tax_code(args: argparse.Namespace) -> int:
    from store.catalogue import list_tax_codes, save_tax_code
    from store.money import parse_quantity
    from tui.cli_commands import emit, table

    if args.action == "save":
        row = save_tax_code(args.code, args.name or "", parse_quantity(args.rate or "", "rate"), not args.inactive)
        return emit(args, row, lambda: f"{row.code} {row.name} {row.rate}%")
    rows = list_tax_codes(include_inactive=True)
    return emit(args, rows, lambda: table([(t.code, t.name, f"{t.rate}%", "" if t.active else "inactive")
                                           for t in rows], ["code", "name", "rate", ""], "llrl"))


def register_catalogue(command: Callable[..., argparse.ArgumentParser]) -> None:
    p = command("item", cmd_item, "list or save catalogue items (saving changes no line already keyed)")
    p.add_argument("action", choices=["list", "save"])
    p.add_argument("code", nargs="?")
    p.add_argument("--description")
    p.add_argument("--price")
    p.add_argument("--currency")
    p.add_argument("--tax", help="tax code (default S)")
    p.add_argument("--inactive", action="store_true")
    p = command("tax-code", cmd_tax_code, "list or save tax codes (lines keep the rate they were keyed at)")
    p.add_argument("action", choices=["list", "save"])
    p.add_argument("code", nargs="?")
    p.add_argument("--name")
    p.add_argument("--rate")
    p.add_argument("--inactive", action="store_true")
