"""`billfold bill --recurring MONTH`: the handler tui/cli/billing.py dispatches to (preview, drafts, post)."""
from __future__ import annotations

import argparse
from typing import Any

from store.errors import ValidationError
from store.money import format_amount
from tui.cli.base import EXIT_OK, EXIT_REFUSED, Outcome
from tui.cli.output import progress, table


def totals_text(totals: Any) -> str:  # a tuple of store.recurring_plan.CurrencyTotal
    if not totals:
        return "nothing"
    return table([(t.currency, f"{t.invoices:,}", f"{t.charges:,}", format_amount(t.total_minor, t.currency))
                  for t in totals], ["currency", "invoices", "charges", "total"], "lrrr")


def skipped_text(skipped: Any) -> list[str]:  # a tuple of store.recurring_plan.Skipped
    return [f"skipped contract {s.contract_id} ({s.account_no}): {s.reason}" for s in skipped]


def _preview(month: str) -> Outcome:
    from store.recurring_plan import plan_run

    plan = plan_run(month)

    def text() -> str:
        lines = [f"Recurring run {plan.month} (preview, nothing written): {plan.charges:,} charges to draft",
                 totals_text(plan.totals),
                 f"already billed: {plan.already_billed:,} charges; this run's drafts waiting: "
                 f"{plan.drafts_waiting:,}; posted: {plan.posted:,}"]
        return "\n".join(lines + skipped_text(plan.skipped))

    value = {"month": plan.month, "charges": plan.charges, "totals": plan.totals, "skipped": plan.skipped,
             "already_billed": plan.already_billed, "drafts_waiting": plan.drafts_waiting, "posted": plan.posted,
             "invoices": [{"account": i.account_no, "currency": i.currency, "billing": i.billing,
                           "issue_date": i.issue_date, "charges": len(i.charges), "total_minor": i.total_minor}
                          for i in plan.invoices]}
    return Outcome(value, text)


def _post(args: argparse.Namespace) -> Outcome:
    from store.recurring import post_run

    with progress(args, "posting") as advance:
        result = post_run(args.recurring, advance, allow_over_limit=args.allow_over_limit)

    def text() -> str:
        numbers = f" ({result.first} to {result.last})" if result.posted else ""
        lines = [f"Recurring run {result.month}: posted {result.posted:,} invoices{numbers}",
                 totals_text(result.totals)]
        lines += [f"refused draft {r.draft} ({r.account_no}): {r.reason}" for r in result.refused]
        if result.refused:
            lines.append("refused drafts stay drafts: review them (invoice entry, Ctrl+O) and run --post again")
        return "\n".join(lines)

    return Outcome(result, text, EXIT_REFUSED if result.refused else EXIT_OK)


def _draft(args: argparse.Namespace) -> Outcome:
    from store.recurring import draft_run

    with progress(args, "drafting") as advance:
        result = draft_run(args.recurring, advance)

    def text() -> str:
        lines = [f"Recurring run {result.month}: drafted {result.drafts:,} invoices for {result.charges:,} "
                 f"charges ({result.already_billed:,} already billed)", totals_text(result.totals)]
        lines += skipped_text(result.skipped)
        lines.append(f"review them (invoice entry, Ctrl+O), then: billfold bill --recurring {result.month} --post")
        return "\n".join(lines)

    return Outcome(result, text)


def bill_recurring(args: argparse.Namespace) -> Outcome:
    """--preview writes nothing; no flag drafts what the month still owes; --post posts the month's drafts."""
    if args.yes:
        raise ValidationError("yes", "is for --orders: --recurring drafts without a flag and posts with --post")
    if args.preview:
        return _preview(args.recurring)
    if args.post:
        return _post(args)
    return _draft(args)


def add_recurring_options(p: Any, choice: Any) -> None:
    """--recurring in the bill command's one-of group, and the options that go with it (--preview is the
    bill command's own, shared with --orders)."""
    choice.add_argument("--recurring", metavar="MONTH", help="bill the recurring contracts due in MONTH "
                                                             "(YYYY-MM): drafts to review, then --post")
    p.add_argument("--post", action="store_true", help="with --recurring: post the month's drafts (a supervisor); "
                                                       "drafts nothing new")
    p.add_argument("--allow-over-limit", action="store_true", help="with --post: post even over a credit limit")
