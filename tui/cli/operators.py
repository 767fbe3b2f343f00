"""`billfold operator ...` and `billfold period ...`: who works on the books, and which months are closed."""
from __future__ import annotations

import argparse
from typing import Any

from store.permissions import ROLES
from tui.cli.args import text_arg
from tui.cli.base import Outcome, add_command, add_group
from tui.cli.output import table


def _operators_text(rows: list[Any]) -> str:
    return table([(o.login, o.name, o.role, "disabled" if o.disabled else "active") for o in rows],
                 ["login", "name", "role", "state"], "llll")


def cmd_operator(args: argparse.Namespace) -> Outcome:
    from store import operators

    if args.action == "list":
        rows = operators.list_operators()
        return Outcome(rows, lambda: _operators_text(rows))
    if args.action == "add":
        row = operators.add_operator(args.login, args.role, args.name or "")
    elif args.action == "grant":
        row = operators.grant_operator(args.login, args.role)
    else:
        row = operators.disable_operator(args.login)
        return Outcome(row, f"{row.login} is disabled; its name stays on everything it did")
    return Outcome(row, f"{row.login} is now {'an' if row.role == 'admin' else 'a'} {row.role}")


def cmd_period(args: argparse.Namespace) -> Outcome:
    from store import periods

    if args.action == "close":
        state = periods.close_period(args.month)
        return Outcome(state, f"closed: nothing dated on or before {state.lock_date} can change")
    if args.action == "reopen":  # four eyes: a request that an admin (not the asker) approves
        from store.approval_kinds import request_period_reopen

        periods.check_closed(args.month)
        request = request_period_reopen(args.month, args.reason)
        return Outcome(request, f"request {request.id} to reopen {args.month} is waiting: an admin approves it "
                                f"with `billfold approve {request.id}`")
    lock = periods.lock_date()
    return Outcome({"lock_date": lock, "history": periods.period_history()},
                   f"locked up to {lock.isoformat()}" if lock else "no period is closed")


def register(sub: Any) -> None:
    operator = add_group(sub, "operator", "who works on these books: list, add, grant, disable (admins)")
    add_command(operator, "list", cmd_operator, "the operators of these books and their roles")
    p = add_command(operator, "add", cmd_operator, "make a login an operator (or bring a disabled one back)")
    p.add_argument("login", type=text_arg)
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--name", type=text_arg, help="the person's name (default: the login)")
    p = add_command(operator, "grant", cmd_operator, "give an operator another role")
    p.add_argument("login", type=text_arg)
    p.add_argument("role", choices=ROLES)
    p = add_command(operator, "disable", cmd_operator, "refuse a login from now on (its name stays in the history)")
    p.add_argument("login", type=text_arg)

    period = add_group(sub, "period", "close or reopen a month")
    p = add_command(period, "close", cmd_period, "close a month: nothing dated on or before its last day can change")
    p.add_argument("month", type=text_arg, help="YYYY-MM")
    p = add_command(period, "reopen", cmd_period, "ask to reopen a closed month (an admin approves the request)")
    p.add_argument("month", type=text_arg, help="YYYY-MM")
    p.add_argument("--reason", required=True, type=text_arg)
    add_command(period, "status", cmd_period, "the lock date")
