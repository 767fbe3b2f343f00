"""A statement run to kill: `billfold statements --send` as a process, saying a line after each step.

Run by tests/test_statement_kill.py, which kills it with SIGKILL after a chosen line, so the kill
lands while statements are being queued (two customers to a transaction here) or sent.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path


def main(db: str, print_dir: str, as_of: str) -> None:
    from store.db import open_database

    open_database(db)
    from exports.deliver import send_statements
    from store import statement_runs
    from store.session import set_operator

    set_operator("bob")  # the test-only seam: a supervisor of the test books
    statement_runs.CHUNK = 2  # many small transactions: more places for the kill to land
    send_statements(dt.date.fromisoformat(as_of), processes=1, print_dir=Path(print_dir),
                    progress=lambda done, total, what: print(what, flush=True))
    print("done", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
