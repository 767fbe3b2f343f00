"""Start to first usable screen: Billfold against a bare Textual app, in the same run, in a pseudo-terminal.

    python tests/bench/tui_startup.py --db PATH [--runs 5]

Each run starts a fresh process at 80x24 in a pty and reads what it draws until the first screen's
footer is on it (the terminal text with escape codes taken out), then types one key into the
first screen and waits for the frame it causes: "usable" is drawn AND answering keys. The bare app
is Header + Input + DataTable + Footer; runs alternate between the two so that the load from other
programs falls on both alike. Prints the medians and their ratio (the goal: <= 1.4x).

Both start as installed programs do, from compiled bytecode: PYTHONDONTWRITEBYTECODE is taken out
of their environment and one unmeasured start of each writes it (Textual's own modules were
compiled when pip installed them; an editable checkout's are compiled on its first start). With
that variable set, every start of Billfold compiled its 84 modules again (0.18 s) and the bare
app, all in site-packages, none.
"""
from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>]")
GOAL_RATIO = 1.4

BARE = """
from textual.app import App
from textual.widgets import DataTable, Footer, Header, Input

class Bare(App):
    BINDINGS = [("ctrl+q", "quit", "Quit")]
    def compose(self):
        yield Header()
        yield Input(placeholder="type")
        yield DataTable()
        yield Footer()
    def on_mount(self):
        self.query_one(DataTable).add_columns("a", "b")

Bare().run()
"""

# Billfold as `billfold --db PATH` starts it, acting as the bench operator (tests/bench/identity.py).
BILLFOLD = """
import sys
sys.path.insert(0, {root!r})
from tests.bench.identity import act_as_bench
act_as_bench()
from tui.cli import main
sys.exit(main(["--db", {db!r}]))
"""


def time_to_screen(argv: list[str], first: bytes, key: bytes, after_key: bytes, timeout: float = 60.0,
                   env: dict[str, str] | None = None) -> tuple[float, float]:
    """Seconds from exec to `first` on the screen, and from the key typed then to `after_key` drawn."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.execve(argv[0], argv, env or os.environ.copy())
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    shown = typed = -1.0
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen += ANSI.sub(b"", chunk)
            if shown < 0 and first in seen:
                shown = time.perf_counter() - start
                seen = b""
                typed_at = time.perf_counter()
                os.write(fd, key)
            elif shown >= 0 and after_key in seen:
                typed = time.perf_counter() - typed_at
                break
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)
    if shown < 0 or typed < 0:
        raise RuntimeError(f"{argv[-1][:40]!r}: {first!r} / {after_key!r} never appeared; last text {seen[-300:]!r}")
    return shown, typed


def measure(db: str, runs: int) -> dict[str, object]:
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24", PYTHONPATH=str(ROOT))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    bare_argv = [sys.executable, "-c", BARE]
    app_argv = [sys.executable, "-c", BILLFOLD.format(root=str(ROOT), db=db)]
    bare, app, app_key = [], [], []
    time_to_screen(bare_argv, b"Quit", b"x", b"x", env=env)  # unmeasured: bytecode written, files cached
    time_to_screen(app_argv, b"palet", b"\x1bOP", b"Esc", env=env)
    for _ in range(runs):
        bare.append(time_to_screen(bare_argv, b"Quit", b"x", b"x", env=env)[0])
        # F1 (help) from My work: a screen change that needs the application's key handling to run.
        shown, typed = time_to_screen(app_argv, b"palet", b"\x1bOP", b"Esc", env=env)
        app.append(shown)
        app_key.append(typed)
    bare_s, app_s = statistics.median(bare), statistics.median(app)
    return {"bare_s": bare_s, "app_s": app_s, "ratio": app_s / bare_s, "first_key_s": statistics.median(app_key),
            "bare_all": bare, "app_all": app}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    result = measure(args.db, args.runs)
    print(f"bare Textual app: {result['bare_s']:.3f} s   Billfold: {result['app_s']:.3f} s   "
          f"ratio {result['ratio']:.2f}x (goal <= {GOAL_RATIO}x)   first key answered in {result['first_key_s']:.3f} s")
    print("runs:", [f"{b:.2f}/{a:.2f}" for b, a in zip(result["bare_all"], result["app_all"], strict=True)])  # type: ignore


if __name__ == "__main__":
    main()
