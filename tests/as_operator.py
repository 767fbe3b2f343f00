"""Test-only runner: act as LOGIN in a child process, then run the billfold command, code or a script.

    python tests/as_operator.py LOGIN billfold ARGS...   the command line, as LOGIN
    python tests/as_operator.py LOGIN -c CODE ARGS...    Python code (sys.argv[1:] are ARGS)
    python tests/as_operator.py LOGIN SCRIPT ARGS...     a Python file

Production entry points never read who the operator is from anywhere but the OS (or the
PostgreSQL session); this file lives under tests/ and is not installed, so only tests reach
the in-process seam `store.session.set_operator` from a subprocess.
"""
from __future__ import annotations

import runpy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv: list[str]) -> int:
    from store.session import set_operator

    login, what, rest = argv[0], argv[1], argv[2:]
    set_operator(login)
    if what == "billfold":
        from tui.cli import main as billfold

        return billfold(rest)
    if what == "-c":
        sys.argv = ["-c", *rest[1:]]
        exec(compile(rest[0], "<as_operator>", "exec"), {"__name__": "__main__"})
        return 0
    sys.argv = [what, *rest]
    runpy.run_path(what, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
