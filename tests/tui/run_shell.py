"""Try the shell in a real terminal (tmux), by hand. Not a test; a developer's launcher.

    PYTHONPATH=/work/main /work/venv/bin/python tests/tui/run_shell.py           # stand-in jobs, no books
    PYTHONPATH=/work/main /work/venv/bin/python tests/tui/run_shell.py --books   # real screens, throwaway demo books
    PYTHONPATH=/work/main /work/venv/bin/python tests/tui/run_shell.py --form    # the reusable one-row fields

    tmux new -d -s shell -x 80 -y 24 'PYTHONPATH=/work/main /work/venv/bin/python tests/tui/run_shell.py'
    tmux send-keys -t shell F2; tmux capture-pane -p -t shell

On the stand-ins, F9 fails in an action, F8 in a worker, F7 in a thread, typing `boom` fails in a
message handler, F4 opens a screen on top, Esc asks before clearing typed text. The log goes to a
temporary directory (named on exit) unless BILLFOLD_LOG is set.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from textual.app import App


def stand_ins() -> App[None]:
    from tests.tui.stubs import StubApp
    from tui.context import AppContext

    return StubApp(AppContext("dev", "(no books: stand-in screens)", services=object()))


def real_screens(folder: Path) -> App[None]:
    """The real application on demo books built in `folder` (the same path as `billfold demo`)."""
    from tui.app import BillfoldApp
    from tui.cli import main as billfold
    from tui.cli import open_books
    from tui.context import AppContext
    from tui.services import Services

    db = folder / "books.db"
    if billfold(["--db", str(db), "demo", "--customers", "12", "--months", "6"]) != 0:
        raise SystemExit("could not build the demo books")
    label = open_books(argparse.Namespace(db=str(db), demo=False))
    return BillfoldApp(AppContext("dev", label, Services()))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", action="store_true", help="real screens on throwaway demo books")
    parser.add_argument("--form", action="store_true", help="the reusable one-row fields")
    parser.add_argument("--today", type=dt.date.fromisoformat, help="run on this day (default: the clock's)")
    args = parser.parse_args(argv)
    from store import clock

    if args.today:
        clock.set_source(clock.ticking_from(clock.noon_of(args.today)))
    folder = Path(tempfile.mkdtemp(prefix="billfold-shell-"))
    os.environ.setdefault("BILLFOLD_LOG", str(folder / "billfold.log"))
    from store.session import set_operator

    set_operator("dev")  # test-only seam: the throwaway demo books make "dev" their first admin
    if args.form:
        from tests.tui.forms import FormApp

        app: App[None] = FormApp(clock.today())
    elif args.books:
        app = real_screens(folder)
    else:
        app = stand_ins()
    app.run()
    print(f"log: {os.environ['BILLFOLD_LOG']}", file=sys.stderr)
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
