"""`billfold gl export|mapping|history`: the month's journal for the accountant, and the account mapping."""
from __future__ import annotations

import argparse
from typing import Any

from store.errors import ValidationError
from store.gl_export import FORMATS
from tui.cli.args import text_arg
from tui.cli.base import Outcome, add_command, add_group
from tui.cli.output import table


def _export_value(result: Any) -> dict[str, Any]:
    record = result.record
    return {"id": record.id, "period": record.period, "format": record.format, "currency": record.currency,
            "kind": record.kind, "file": record.file_name, "sha256": record.sha256, "entries": record.entry_count,
            "lines": record.line_count, "first_entry": record.first_entry, "last_entry": record.last_entry,
            "exported_by": record.exported_by, "exported_at": record.exported_at,
            "trial_balance_checked": result.trial_balance_checked,
            "previous": [{"id": p.id, "kind": p.kind, "exported_by": p.exported_by, "exported_at": p.exported_at,
                          "entries": p.entry_count} for p in result.previous]}


def _export_text(result: Any) -> str:
    record = result.record
    lines = [f"{record.file_name}: {record.entry_count:,} entries, {record.line_count:,} lines of {record.period} "
             f"as {record.format}{' in ' + record.currency if record.currency else ''} ({record.kind}; "
             f"sha256 {record.sha256[:16]}...)"]
    if result.trial_balance_checked:
        lines.append("Totals per account agree with the trial balance of the month.")
    if result.previous:
        lines.append(f"{record.period} was exported as {record.format} before: "
                     + "; ".join(p.describe() for p in result.previous))
        if record.kind == "difference":
            lines.append("This file holds only the entries posted into the month since then.")
    return "\n".join(lines)


def cmd_gl_export(args: argparse.Namespace) -> Outcome:
    from exports.gl_formats import export_to_file

    result = export_to_file(args.period, args.format, args.out, currency=args.currency, again=args.again)
    return Outcome(_export_value(result), lambda: _export_text(result))


def cmd_gl_mapping(args: argparse.Namespace) -> Outcome:
    from store.gl_export import parse_month, used_accounts
    from store.gl_mapping import account_mapping, set_mapping

    if args.verb == "set":
        if not args.account or args.target is None:
            raise ValidationError("account", "give the account and its target: gl mapping set 1100 "
                                             "'Accounts Receivable'")
        row = set_mapping(args.account, args.target)
        return Outcome({"account": row.account, "name": row.name, "target": row.target, "setting": row.setting},
                       f"{row.account} {row.name} -> {row.target or '(unmapped)'}")
    if args.verb is not None or args.account:
        raise ValidationError("verb", "gl mapping shows the mapping; gl mapping set ACCOUNT TARGET changes one")
    used: set[str] = set()
    if args.period:
        used = used_accounts(parse_month(args.period))
    rows = account_mapping()
    missing = [r.account for r in rows if not r.mapped and (not args.period or r.account in used)]
    value = {"accounts": [{"account": r.account, "name": r.name, "kind": r.kind, "target": r.target,
                           "setting": r.setting, "mapped": r.mapped,
                           **({"used": r.account in used} if args.period else {})} for r in rows],
             "unmapped": missing, "ok": not missing}

    def text() -> str:
        body = table([(r.account, r.name, r.target or "(unmapped)",
                       *(("yes" if r.account in used else "",) if args.period else ())) for r in rows],
                     ["account", "name", "company account", *(["used"] if args.period else [])],
                     "lll" + ("l" if args.period else ""))
        scope = f" used in {args.period}" if args.period else ""
        verdict = (f"Unmapped{scope}: {', '.join(missing)}: gl export refuses until they are mapped "
                   "(gl mapping set ACCOUNT TARGET)." if missing else f"Every account{scope} is mapped.")
        return body + "\n\n" + verdict

    return Outcome(value, text)


def cmd_gl_history(args: argparse.Namespace) -> Outcome:
    from store.gl_export import parse_month, period_exports

    rows = period_exports(parse_month(args.period), args.format)

    def text() -> str:
        if not rows:
            return f"{args.period} has not been exported{' as ' + args.format if args.format else ''}."
        return table([(r.id, r.format, r.currency or "all", r.kind, r.exported_by, f"{r.exported_at:%Y-%m-%d %H:%M}",
                       r.entry_count, r.file_name) for r in rows],
                     ["id", "format", "currency", "kind", "by", "at (UTC)", "entries", "file"], "rllllrrl")

    return Outcome(rows, text)


def register(sub: Any) -> None:
    gl = add_group(sub, "gl", "the general ledger for the accountant: export a month, the account mapping")
    p = add_command(gl, "export", cmd_gl_export, "export a month's journal (beancount, quickbooks-iif, xero-csv, "
                                                 "csv); a month exported before gives what was posted into it since")
    p.add_argument("--period", required=True, help="the month: 2026-11")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", type=text_arg, help="file to write (default: gl-PERIOD-FORMAT[-CUR][-N].EXT here)")
    p.add_argument("--currency", help="only this currency (IIF and Xero files hold one; needed when the month "
                                      "has several)")
    p.add_argument("--again", action="store_true", help="write the whole month again though it was exported")
    p = add_command(gl, "mapping", cmd_gl_mapping, "show the account mapping (Billfold's accounts to the "
                                                   "company's chart), or `gl mapping set ACCOUNT TARGET`")
    p.add_argument("verb", nargs="?", choices=["set"], help="set: map one account")
    p.add_argument("account", nargs="?", help="Billfold's account code, e.g. 1100")
    p.add_argument("target", nargs="?", type=text_arg, help="the company's account: a code (Xero), a name "
                                                            "(QuickBooks) or Assets:... (beancount)")
    p.add_argument("--period", help="mark the accounts a month's journal uses (and check only those)")
    p = add_command(gl, "history", cmd_gl_history, "the exports of a month: who, when, what")
    p.add_argument("--period", required=True, help="the month: 2026-11")
    p.add_argument("--format", choices=FORMATS)
