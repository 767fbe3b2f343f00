"""A process to kill: posts, imports, delivers or runs dunning --send, saying a line after each step.

Run by tests/test_kill.py and tests/bench/bench_kill.py, which read those lines and kill -9 the
process after a chosen one, so the kill lands in the middle of the work without any sleeping.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path


def say(what: str) -> None:
    print(what, flush=True)


def main(mode: str, db: str, *rest: str) -> None:
    from store.db import open_database

    open_database(db)
    from store.session import set_operator

    set_operator("bob")  # the test-only seam: a supervisor of the test books
    if mode == "post":
        from decimal import Decimal

        from store.invoices import DraftInput, LineInput, create_and_post

        for n in range(int(rest[1])):
            posted = create_and_post(DraftInput(rest[0], dt.date(2026, 11, 1),
                                                (LineInput("Kill test", Decimal(1), 1000 + n, "S"),)))
            say(f"posted {posted.number}")
    elif mode == "import":
        from store.import_files import read_statement_file
        from store.imports import import_statement

        path = Path(rest[0])
        import_statement(read_statement_file(path), path.name, rest[2] if len(rest) > 2 else None,
                         chunk=int(rest[1]), progress=lambda done, total: say(f"imported {done}/{total}"))
    elif mode == "deliver":
        from exports.deliver import deliver_pending

        deliver_pending(processes=1, print_dir=Path(rest[0]), progress=lambda d, t, what: say(what))
    elif mode == "dunning":
        from exports.deliver import send_dunning

        send_dunning(dt.date.fromisoformat(rest[1]), processes=1, print_dir=Path(rest[0]),
                     progress=lambda d, t, what: say(what))
    say("done")


if __name__ == "__main__":
    main(*sys.argv[1:])
