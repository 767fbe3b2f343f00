"""`billfold bill --recurring MONTH` (and the other runs of the month, one flag each, exactly one at a time)."""
from __future__ import annotations

import argparse
from typing import Any

from tui.cli.base import Outcome, add_command
from tui.cli.recurring_run import add_recurring_options, bill_recurring


def cmd_bill(args: argparse.Namespace) -> Outcome:
    if args.recurring is not None:
        return bill_recurring(args)
    raise AssertionError("argparse requires one of the bill group's flags")


def register(sub: Any) -> None:
    p = add_command(sub, "bill", cmd_bill, "billing runs: recurring contracts")
    choice = p.add_mutually_exclusive_group(required=True)
    add_recurring_options(p, choice)
