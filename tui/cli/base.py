"""What every command module shares: exit codes, the result a handler returns, and how a command is added."""
from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

EXIT_OK = 0
EXIT_REFUSED = 1  # the books refused (or an unexpected error): nothing changed
EXIT_USAGE = 2  # what was typed is wrong: argparse errors, bad values, unknown keys; nothing changed


@dataclass(frozen=True)
class Outcome:
    """What a command did: `value` for --json, `text` for people, and the exit code."""

    value: Any
    text: Callable[[], str] | str = ""
    code: int = EXIT_OK
    # Text that is printed as it is (a report's own layout), not as a line: no newline is added.
    raw: bool = field(default=False)

    def render_text(self) -> str:
        return self.text() if callable(self.text) else self.text


Handler = Callable[[argparse.Namespace], Outcome]


def add_command(sub: Any, name: str, handler: Handler, help_text: str, *, books: bool = True
                ) -> argparse.ArgumentParser:
    """One subcommand: its handler and its own --json (so --json works before or after the command).

    `books=False`: main() opens no database for it (it needs none, or opens its own).
    """
    p: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    p.set_defaults(handler=handler, needs_books=books)
    p.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON for scripts")
    return p


def add_group(sub: Any, name: str, help_text: str) -> Any:
    """A command with actions (`billfold customer add|show|...`): returns the subparsers to add them to."""
    group = sub.add_parser(name, help=help_text, description=help_text)
    return group.add_subparsers(dest="action", metavar="ACTION", required=True)
