"""`billfold init`, `operator ...`, `setting ...` and `period ...`: who works on the books and on what terms."""
from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from store.permissions import ROLES
from tui.cli_commands import emit, table


def cmd_init(args: argparse.Namespace) -> int:
    """Create or upgrade the books; on fresh books the login running this becomes the first admin."""
    from store.db import current_label
    from store.operators import make_first_admin
    from store.session import check_operator

    first = make_first_admin()
    if first is None:
        check_operator()  # books that have an admin already: only their operators go on
    if args.group:
        _share_with(args.group)
    from store.session import current_operator

    result = {"database": current_label(), "first_admin": first, "operator": current_operator(),
              "group": args.group or ""}
    return emit(args, result, lambda: f"ok: {current_label()}" + (f"; {first} is its first admin" if first else "")
                + (f"; files shared with group {args.group}" if args.group else ""))


def _share_with(group: str) -> None:
    from store.files import book_files, check_group, secure_files, share_with_group
    from store.settings import set_setting

    from exports.deliver import default_print_dir
    from tui.logs import log_path

    check_group(group)
    set_setting("file_group", group)
    files = book_files()
    folders = [default_print_dir(), log_path().parent]
    if files:
        folders.append(files[0].parent)
    share_with_group(group, files, folders)
    secure_files()


def _operator_text(rows: list[Any]) -> str:
    return table([(o.login, o.name, o.role, "disabled" if o.disabled else "active") for o in rows],
                 ["login", "name", "role", "state"], "llll")


def cmd_operator(args: argparse.Namespace) -> int:
    from store import operators

    if args.action == "list":
        rows = operators.list_operators()
        return emit(args, rows, lambda: _operator_text(rows))
    if args.action == "add":
        row = operators.add_operator(args.login, args.role, args.name or "")
        return emit(args, row, lambda: f"{row.login} is now a {row.role}")
    if args.action == "grant":
        row = operators.grant_operator(args.login, args.role)
        return emit(args, row, lambda: f"{row.login} is now a {row.role}")
    row = operators.disable_operator(args.login)
    return emit(args, row, lambda: f"{row.login} is disabled; its name stays on everything it did")


def cmd_setting(args: argparse.Namespace) -> int:
    from store.settings import get_setting, list_settings, set_setting, spec_of

    if args.key == "list" and args.value is None:
        rows = list_settings()
        return emit(args, rows, lambda: table([(r.key, r.value, r.default, r.allowed, r.who) for r in rows],
                                              ["setting", "value", "default", "allowed", "changed by"], "lllll"))
    spec_of(args.key)
    if args.value is not None:
        set_setting(args.key, args.value)
    value = get_setting(args.key)
    return emit(args, {"key": args.key, "value": value}, lambda: f"{args.key} = {value}")


def cmd_period(args: argparse.Namespace) -> int:
    from store import periods

    if args.action == "close":
        state = periods.close_period(args.month)
        return emit(args, state, lambda: f"closed: nothing dated on or before {state.lock_date} can change")
    if args.action == "reopen":
        state = periods.reopen_period(args.month, args.reason)
        lock = state.lock_date.isoformat() if state.lock_date else "none"
        return emit(args, state, lambda: f"reopened {state.month}: the books are now locked up to {lock}")
    lock = periods.lock_date()
    history = periods.period_history()
    return emit(args, {"lock_date": lock, "history": history},
                lambda: f"locked up to {lock.isoformat()}" if lock else "no period is closed")


def register(command: Callable[..., argparse.ArgumentParser], sub: Any) -> None:
    operator = sub.add_parser("operator", help="who works on these books (admins)").add_subparsers(
        dest="action", required=True)
    command("list", cmd_operator, "list the operators of these books", operator)
    p = command("add", cmd_operator, "make a login an operator", operator)
    p.add_argument("login")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--name", help="the person's name (default: the login)")
    p = command("grant", cmd_operator, "give an operator another role", operator)
    p.add_argument("login")
    p.add_argument("role", choices=ROLES)
    p = command("disable", cmd_operator, "refuse a login from now on (its name stays in the history)", operator)
    p.add_argument("login")

    p = command("setting", cmd_setting, "`setting list`, `setting KEY` or `setting KEY VALUE`")
    p.add_argument("key", help="a setting, or list")
    p.add_argument("value", nargs="?")

    period = sub.add_parser("period", help="close or reopen a month").add_subparsers(dest="action", required=True)
    p = command("close", cmd_period, "close a month: nothing dated on or before its last day can change", period)
    p.add_argument("month", help="YYYY-MM")
    p = command("reopen", cmd_period, "reopen a closed month (admins)", period)
    p.add_argument("month", help="YYYY-MM")
    p.add_argument("--reason", required=True)
    command("status", cmd_period, "the lock date and the history of closes", period)


def init_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--group", help="share the books' files with this group (read-only for it)")

