"""A ledger export to kill: `gl export` as a process that stops at a named step and waits there.

Run by tests/test_gl_kill.py. The worker says a line at each step of the export (`writing` before the
file, `written` after it was renamed into place, `recording` inside the recording transaction before it
commits, `recorded` after it committed) and, at the step it was asked to stop at, waits on its standard
input, so the test's SIGKILL lands exactly there without any sleeping.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def main(db: str, fmt: str, out: str, stop_at: str) -> None:
    from exports import gl_formats
    from store import gl_export
    from store.db import open_database
    from store.session import set_operator

    open_database(db)
    set_operator("alice")  # the test-only seam: a clerk of the test books

    def step(name: str) -> None:
        print(name, flush=True)
        if name == stop_at:
            sys.stdin.readline()  # held here until killed

    def around(before: str, after: str | None, call: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            step(before)
            result = call(*args, **kwargs)
            if after:
                step(after)
            return result
        return wrapped

    gl_formats._write_atomically = around("writing", "written", gl_formats._write_atomically)  # type: ignore[assignment]
    gl_export._record_carried = around("recording", None, gl_export._record_carried)  # type: ignore[assignment]
    gl_formats.export_to_file("2026-11", fmt, Path(out))
    step("recorded")
    print("done", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
