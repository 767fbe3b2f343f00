"""`billfold`'s main(): parse, open the books, run the handler, render, and map every ending to an exit code."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from tui.cli.base import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, Outcome
from tui.cli.output import render, render_error


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in argv
    for stream in (sys.stdout, sys.stderr):  # a name in a charset the terminal lacks prints escaped, never fails
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        return _run(argv, as_json)
    except KeyboardInterrupt:
        return 130


def _application_args(argv: list[str]) -> argparse.Namespace | None:
    """`billfold`, `billfold --db PATH` or `billfold --demo`: the application's arguments, read without
    building every command's parser (importing each command group took 90 ms of the application's
    start). Anything else (a command, --help, a typo) goes to the full parser."""
    db, demo, rest = None, False, list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "--demo":
            demo = True
        elif arg == "--db" and rest and not rest[0].startswith("-"):
            db = rest.pop(0)
        elif arg.startswith("--db=") and len(arg) > 5:
            db = arg[5:]
        else:
            return None
    return argparse.Namespace(db=db, demo=demo, json=False, handler=None)


def _run(argv: list[str], as_json: bool) -> int:
    from store.errors import BooksError, NeedsApproval, NotFound, ValidationError
    from tui.cli.args import check_argv

    try:
        check_argv(argv)
        args = _application_args(argv)
        if args is None:
            from tui.cli.parser import build_parser

            args = build_parser().parse_args(argv)
    except ValidationError as exc:
        render_error(as_json, EXIT_USAGE, str(exc), exc.field)
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version print and stop
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except Exception as exc:
        from tui.cli.parser import UsageError

        if not isinstance(exc, UsageError):
            raise
        # one line, like every other refusal; --help shows the usage
        message, field = str(exc), None
        if message.startswith("argument ") and ": " in message:
            field, message = message.removeprefix("argument ").split(": ", 1)
            message = f"{field}: {message}"
        render_error(as_json, EXIT_USAGE, f"{message} (see: {exc.prog} --help)", field)
        return EXIT_USAGE
    try:
        if args.handler is None:
            from tui.launch import run_application

            return run_application(args)
        if args.needs_books:
            from tui.cli.books import open_books

            open_books(args)
        try:
            outcome: Outcome = args.handler(args)
        except NeedsApproval as refusal:  # not alone: the command's --reason becomes a request
            from tui.cli.team import request_outcome

            outcome = request_outcome(args, refusal)
    except (ValidationError, NotFound) as exc:  # what was typed names nothing, or nothing valid
        render_error(as_json, EXIT_USAGE, str(exc), getattr(exc, "field", None))
        return EXIT_USAGE
    except BooksError as exc:  # the books refused: a conflict with their state
        render_error(as_json, EXIT_REFUSED, str(exc))
        return EXIT_REFUSED
    except (ValueError, ArithmeticError, UnicodeError) as exc:  # OverflowError, decimal.InvalidOperation
        # Bad input that got past the checks: say which kind, never "unexpected error".
        from tui.logs import log_exception

        log_exception(exc)
        render_error(as_json, EXIT_USAGE, f"bad input ({exc.__class__.__name__}): {exc}")
        return EXIT_USAGE
    except Exception as exc:
        from tui.logs import log_exception

        where = log_exception(exc)
        render_error(as_json, EXIT_REFUSED, f"unexpected error: {exc.__class__.__name__}: {exc} (details in {where})")
        return EXIT_REFUSED
    return _show(args, outcome)


def _show(args: argparse.Namespace, outcome: Outcome) -> int:
    """Print the outcome. The work is committed already: a reader that went away (`| head`) is no failure."""
    try:
        render(args, outcome)
    except BrokenPipeError:
        _silence_stdout()
    return outcome.code


def _silence_stdout() -> None:
    # Python flushes stdout again at exit and would report the broken pipe there: point it at /dev/null.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # pragma: no cover - stdout is not a real file (captured in tests)
        pass
