"""A recurring run to kill: drafts or posts a month in small chunks, saying a line after each chunk.

Run by tests/test_kill_recurring.py, which kills it with SIGKILL after a chosen number of lines, so
the kill lands inside a later chunk's transaction without any sleeping.
"""
from __future__ import annotations

import sys


def main(mode: str, db: str, month: str) -> None:
    from store import recurring
    from store.db import open_database
    from store.session import set_operator

    open_database(db)
    set_operator("bob")  # the test-only seam: a supervisor of the test books
    recurring.CHUNK = 4  # many small transactions: many places for the kill to land

    def say(done: int, total: int, what: str) -> None:
        print(f"{mode} {done}/{total} {what}", flush=True)

    if mode == "draft":
        recurring.draft_run(month, say)
    else:
        recurring.post_run(month, say)
    print("done", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
