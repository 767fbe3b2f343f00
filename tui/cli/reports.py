"""`billfold report NAME`: a report as text on the screen, or written as text, CSV or PDF."""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.errors import ValidationError
from store.reports import Period
from tui.cli.args import date_arg
from tui.cli.base import Outcome, add_command

if TYPE_CHECKING:
    from store.reports import Period

def report_argument(args: argparse.Namespace) -> Period | dt.date | None:
    """--as-of DATE, --month 2026-11 or --quarter 2026-Q4 as a report's argument (None: now)."""
    if sum(bool(x) for x in (args.as_of, args.month, args.quarter)) > 1:
        raise ValidationError("period", "give one of --as-of, --month, --quarter")
    if args.as_of:
        as_of: dt.date = args.as_of
        return as_of
    if args.month or args.quarter:
        return Period.parse(args.month or args.quarter)
    return None


def cmd_report(args: argparse.Namespace) -> Outcome:
    from exports import reports_out
    from store.reports import CURRENCY_REPORTS, run_report
    from store.settings import get_setting

    options = {"currency": args.currency} if args.currency and args.name in CURRENCY_REPORTS else {}
    report = run_report(args.name, report_argument(args), **options)
    if args.output or args.format == "pdf":
        # The same export the report preview's p, c and t write; text and CSV stream to the file.
        out = Path(args.output or f"{args.name}.{args.format}")
        size = reports_out.write_report_file(report, args.format, out, get_setting("company_name"))
        return Outcome({"report": args.name, "format": args.format, "file": str(out), "bytes": size,
                        "rows": len(report.rows)}, f"{out} ({size:,} bytes)")
    text = reports_out.to_csv(report) if args.format == "csv" else reports_out.to_text(report)
    return Outcome(report, text, raw=True)


def register(sub: Any) -> None:
    p = add_command(sub, "report", cmd_report, "a report as text, CSV or PDF (billfold report --help lists them)")
    p.add_argument("name", help="ar_aging, ar_aging_detail, billing_collections, payments_received, "
                                "unapplied_credits, open_disputes, accounts_on_hold, dunning_log, control_account, "
                                "trial_balance")
    p.add_argument("--as-of", type=date_arg, help="a date (2026-11-30, 30/11, t)")
    p.add_argument("--month", help="a month: 2026-11")
    p.add_argument("--quarter", help="a quarter: 2026-Q4")
    p.add_argument("--currency", help="report in this currency (default: the base currency)")
    p.add_argument("--format", choices=["text", "csv", "pdf"], default="text")
    p.add_argument("-o", "--output", help="file to write (default: the screen; NAME.pdf for PDF)")
