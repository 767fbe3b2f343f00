"""The one output path: every result as text for people or JSON for scripts, errors too.

Text that reaches a terminal cannot drive it: control characters are written as visible escapes
(tui.safe_text), in JSON as \\u escapes.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from tui.cli.base import Outcome
from tui.safe_text import JSON_ESCAPES, safe_text

ProgressCallback = Callable[[int, int, str], None]

def plain(value: Any) -> Any:
    """Dataclasses, named tuples and containers as JSON-ready dicts and lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, tuple) and hasattr(value, "_asdict"):  # a named tuple record
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def to_json(value: Any) -> str:
    # json escapes C0 controls itself; DEL, C1 and bidi overrides are escaped here (inside strings only).
    return json.dumps(plain(value), default=str, ensure_ascii=False, indent=2).translate(JSON_ESCAPES)


def table(rows: list[tuple[Any, ...]], headers: list[str], align: str) -> str:
    """A plain-text table; `align` is one letter per column (l or r). Amounts stay as formatted."""
    colalign = tuple("right" if a == "r" else "left" for a in align)
    from tabulate import tabulate  # here, not at the top: the application (no table) starts without it

    return str(tabulate(rows, headers=headers, colalign=colalign, disable_numparse=True))


def wants_json(args: argparse.Namespace | None) -> bool:
    return bool(getattr(args, "json", False))


def render(args: argparse.Namespace, outcome: Outcome, out: TextIO | None = None) -> None:
    """Print a command's outcome: JSON with --json, else its text (escaped)."""
    stream = out or sys.stdout
    if wants_json(args):
        stream.write(to_json(outcome.value) + "\n")
    else:
        text = safe_text(outcome.render_text())
        stream.write(text if outcome.raw else text + "\n")
    stream.flush()


def render_error(as_json: bool, code: int, message: str, field: str | None = None) -> None:
    """A refusal or usage error: one line on stderr, or with --json an object on stdout."""
    message = " ".join(message.split())  # a database's or a library's message may run to several lines
    if as_json:
        error = {"error": {"code": code, "message": message, **({"field": field} if field else {})}}
        sys.stdout.write(to_json(error) + "\n")
        sys.stdout.flush()
    else:
        sys.stderr.write(safe_text(f"billfold: {message}") + "\n")
        sys.stderr.flush()


@contextmanager
def progress(args: argparse.Namespace | None, label: str) -> Iterator[ProgressCallback | None]:
    """A progress bar on stderr while a long command runs: only on a terminal and never with --json.

    Yields the callback the store and exports services take (done, total, what), or None.
    """
    if wants_json(args) or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   TextColumn("{task.fields[what]}"), console=Console(stderr=True), transient=True)
    task = bar.add_task(label, total=None, what="")

    def advance(done: int, total: int, what: str) -> None:
        bar.update(task, completed=done, total=total, what=safe_text(what)[:40])

    with bar:
        yield advance
