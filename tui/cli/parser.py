"""The one parser builder: global options, then each command group module's `register(subparsers)`."""
from __future__ import annotations

import argparse
from typing import NoReturn

from tui.cli import (
    admin,
    billing,
    collections,
    contracts,
    customers,
    delivery,
    documents,
    gl,
    invoices,
    operators,
    orders,
    payments,
    reports,
    team,
)
from tui.cli.base import Outcome, add_command

# Each module adds its commands with `register(sub)`; the order here is the order of `billfold --help`.
GROUPS = (admin, customers, invoices, payments, documents, delivery, reports, collections, operators, team, gl,
          orders, contracts, billing)


class UsageError(Exception):
    """argparse's complaint about what was typed (exit 2), raised so it can be rendered as JSON too."""

    def __init__(self, message: str, prog: str) -> None:
        super().__init__(message)
        self.prog = prog


class Parser(argparse.ArgumentParser):
    """argparse, raising its usage errors instead of printing and exiting, so main() renders them."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, self.prog)


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("billfold")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree that was never installed
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="billfold", description="Keyboard-first billing for operators. With no command, "
                                                  "starts the application.",
                    epilog="Exit status: 0 done; 1 refused by the books (nothing changed); 2 usage (what was "
                           "typed is wrong; nothing written). Shell completion: billfold completion bash|zsh.")
    parser.add_argument("--version", action="version", version=f"billfold {version()}")
    parser.add_argument("--db", help="database file or URL (postgresql://...); default: BILLFOLD_DB or the "
                                     "file in the user data directory")
    parser.add_argument("--demo", action="store_true", help="use the demo database (built on first use)")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts (errors too)")
    parser.set_defaults(handler=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in GROUPS:
        group.register(sub)
    p = add_command(sub, "completion", cmd_completion, "print a shell completion script, e.g. "
                                                      "billfold completion bash > ~/.local/share/bash-completion/"
                                                      "completions/billfold", books=False)
    p.add_argument("shell", choices=["bash", "zsh"])
    return parser


def cmd_completion(args: argparse.Namespace) -> Outcome:
    """A completion script made by shtab from the parser itself, so it never goes stale."""
    import shtab

    script = shtab.complete(build_parser(), shell=args.shell)
    return Outcome({"shell": args.shell, "script": script}, script, raw=True)
