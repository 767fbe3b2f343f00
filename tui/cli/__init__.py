"""The `billfold` command line: the application (no command) and its scripting twin.

Layout (no module imports this package's __init__; the layers below are an import-linter contract):

- `parser.py`   the one parser builder: global options, then each group's `register(sub)`
- `run.py`      main(): parse, open the books, call the handler, render, map errors to exit codes
- `base.py`     exit codes, `Outcome` (what a handler returns), `add_command` / `add_group`
- `output.py`   the one output path: text (control characters escaped) or JSON with --json, errors too;
                progress bars on stderr
- `args.py`     argument types: amounts, counts, dates and text checked before a handler runs
- `books.py`    which database: --db, --demo, BILLFOLD_DB; a missing file is refused except by init
- `admin.py`, `customers.py`, `invoices.py`, `payments.py`, `documents.py`, `reports.py`,
  `collections.py`, `gl.py`: one module per command group

Exit codes: 0 done; 1 refused by the books (a conflict with their state, a failed delivery, an
unexpected error: nothing changed); 2 usage (what was typed is wrong: argparse errors, bad
amounts or dates, unknown accounts). A closed output pipe after the work is done still exits 0.

To add a command:

1. In the group's module (or a new `tui/cli/<group>.py`), write a handler
   `def cmd_x(args: argparse.Namespace) -> Outcome` that calls a store or exports service (the
   same one the TUI's screen calls through tui/services.py; never a second implementation) and
   returns `Outcome(value, text)`: `value` is what --json prints, `text` (a str or a callable
   returning one) what people see, and `code` when it is not 0. Print nothing yourself; raise
   store.errors.ValidationError(field, message) for bad input, and let the books' errors rise.
2. In that module's `register(sub)`, add it: `p = add_command(sub, "x", cmd_x, "what it does")`
   (or `add_group(sub, "noun", ...)` for `billfold noun verb`), then its arguments with the types
   in args.py: `type=amount_text` for amounts, `type=date_arg` for dates, `type=count(lo, hi)`
   for whole numbers, `type=text_arg` for reasons. "The whole amount" is a flag (`--all`).
3. A new module goes into `parser.GROUPS` and into the command-group layer of the tui.cli
   import-linter contract in pyproject.toml (a group imports base, args, output and books, never
   another group or the parser). tests/test_cli_bad_input.py walks the parser and runs the new
   command with bad arguments automatically; add a test of what it does.
4. List it in README.md's Commands section, with the TUI key it twins.
"""
from __future__ import annotations

from tui.cli.books import demo_database_path, open_books
from tui.cli.run import main

__all__ = ["demo_database_path", "main", "open_books"]
