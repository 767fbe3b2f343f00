"""Bytes on the wire: what invoice entry writes to the terminal per typed character and per field move.

    python tests/bench/measure_ssh_bytes.py [--lines 8] [--colorterm truecolor]

An operator over SSH pays for every byte the application writes to its terminal. This runs the real
`billfold --demo` at 80x24 inside tmux, under `script -q -f TYPESCRIPT` (which records exactly what
the application writes to its terminal), opens invoice entry (F3), keys a customer, a reference and
then invoice lines one key at a time, and measures how much the typescript grows after each key.

Each key is sent on its own and measured until the output has been quiet for a moment; keys follow
each other faster than the cursor blinks (0.5 s), so the blink does not pollute the figures. The
idle cost of the blinking cursor is measured separately.

TERM is xterm-256color and COLORTERM is unset by default: ssh forwards TERM but not COLORTERM, so
this is what most operators get (`--colorterm truecolor` for 24-bit colour, which costs more).

Goals (from the issue): under 250 bytes per typed character and under 2 KB per field move.
For comparison, a stock Textual form writes about 730 B/char and 7.8 KB per Tab with bordered
inputs, about 170 B/char and 5.1 KB per Tab with one-row inputs.

What keeps the figures low (each found with this script): a focus move repaints only the two fields
(tui.typeahead.FormScreen), the footer redraws only when its keys change (tui.widgets.footer), the
invoice grid's blank lines are mounted with the form (POOL in tui.screens.invoice_entry), and the
line numbers, nets and totals redraw only when their text changes (tui.widgets.cell).

Data and state live in a temporary XDG_DATA_HOME / XDG_STATE_HOME; nothing of yours is touched.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tabulate import tabulate

GOAL_CHAR = 250
GOAL_MOVE = 2048
QUIET_S = 0.25  # a key's output is over when nothing more came for this long
KEY_TIMEOUT_S = 1.5

@dataclass
class Sample:
    kind: str  # "char", "move" (next field in a line or header), "new line" (Enter on tax code)
    key: str
    where: str
    size: int
    chunk: bytes = field(repr=False, default=b"")


class Session:
    """One tmux session running the application under script(1)."""

    def __init__(self, name: str, typescript: Path, command: str, env: dict[str, str]) -> None:
        self.name, self.typescript = name, typescript
        inner = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        shell = f"env -u COLORTERM {inner} script -q -f {shlex.quote(str(typescript))} -c {shlex.quote(command)}"
        subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "80", "-y", "24", shell], check=True)

    def size(self) -> int:
        try:
            return self.typescript.stat().st_size
        except FileNotFoundError:
            return 0

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True,
                              text=True).stdout

    def send(self, key: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *(["-l", key] if len(key) == 1 else [key])],
                       check=True)

    def wait_for(self, text: str, timeout: float = 60.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if text in self.screen():
                return
            time.sleep(0.1)
        raise SystemExit(f"timed out waiting for {text!r} on the screen:\n{self.screen()}")

    def settle(self, seconds: float = 1.0) -> None:
        """Let start-up work finish: wait until a whole second passes with only blink-sized output."""
        end = time.monotonic() + 30
        while time.monotonic() < end:
            before = self.size()
            time.sleep(seconds)
            if self.size() - before < 600:
                return

    def key(self, key: str) -> bytes:
        """Send one key; the bytes written in answer to it."""
        start = self.size()
        self.send(key)
        sent = time.monotonic()
        last_size, last_change = start, sent
        while True:
            time.sleep(0.005)
            now, size = time.monotonic(), self.size()
            if size != last_size:
                last_size, last_change = size, now
            if last_size > start and now - last_change >= QUIET_S:
                break
            if now - sent > KEY_TIMEOUT_S:
                break
        with self.typescript.open("rb") as f:
            f.seek(start)
            return f.read(last_size - start)

    def close(self) -> None:
        """Quit the application (Ctrl+Q), then end the session and whatever it started, by process id."""
        pane = subprocess.run(["tmux", "display-message", "-p", "-t", self.name, "#{pane_pid}"],
                              capture_output=True, text=True).stdout.strip()
        family = _descendants(int(pane)) if pane.isdigit() else []
        subprocess.run(["tmux", "send-keys", "-t", self.name, "C-q"], capture_output=True)
        end = time.monotonic() + 5
        while time.monotonic() < end and any(_alive(pid) for pid in family):
            time.sleep(0.1)
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)
        for pid in reversed(family):  # script(1) survives the session's hangup: end it and its children
            if _alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def _descendants(root: int) -> list[int]:
    """root and every process below it (parents before children)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop(0)
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def rows_written(chunk: bytes) -> dict[int, int]:
    """Bytes written per screen row (1-based), from the cursor positioning in the output."""
    text = chunk.decode("utf-8", "replace")
    rows: dict[int, int] = {}
    row = 0
    for part in re.split(r"(\x1b\[\d+;\d+H)", text):
        m = re.fullmatch(r"\x1b\[(\d+);\d+H", part)
        if m:
            row = int(m.group(1))
        rows[row] = rows.get(row, 0) + len(part.encode())
    return {r: n for r, n in rows.items() if n}


def describe_rows(chunk: bytes, screen: list[str]) -> str:
    rows = rows_written(chunk)
    top = sorted(rows.items(), key=lambda rn: -rn[1])[:6]
    named = []
    for r, n in top:
        label = screen[r - 1].strip()[:18] if 0 < r <= len(screen) else "?"
        named.append(f"r{r} {n}B" + (f" ({label})" if label else ""))
    return f"{len(rows)} rows: " + ", ".join(named)


def billfold_command(args: argparse.Namespace, tmp: Path) -> str:
    return f"{shlex.quote(args.billfold)} --demo"


def run(args: argparse.Namespace) -> int:
    if not shutil.which("tmux") or not shutil.which("script"):
        raise SystemExit("needs tmux and script(1)")
    tmp = Path(tempfile.mkdtemp(prefix="billfold-bytes-"))
    env = {"XDG_DATA_HOME": str(tmp / "data"), "XDG_STATE_HOME": str(tmp / "state"), "TERM": args.term,
           "BILLFOLD_LOG": str(tmp / "billfold.log")}
    if args.colorterm:
        env["COLORTERM"] = args.colorterm
    # Build the demo books first, so start-up in the measured session is quick.
    subprocess.run([args.billfold, "--demo", "verify"], env={**os.environ, **env}, check=True,
                   capture_output=True)
    session = Session(f"bfbytes-{os.getpid()}", tmp / "typescript", billfold_command(args, tmp), env)
    samples: list[Sample] = []
    try:
        session.wait_for("Account lookup")
        session.settle()
        before = session.size()
        time.sleep(3.0)
        idle_lookup = (session.size() - before) / 3.0
        session.key("F3")
        session.wait_for("Invoice entry")
        session.settle()

        def chars(text: str, where: str) -> None:
            for ch in text:
                samples.append(Sample("char", ch, where, *_sized(session.key(ch))))

        def move(where: str, kind: str = "move") -> None:
            samples.append(Sample(kind, "Enter", where, *_sized(session.key("Enter"))))

        chars(args.account, "customer")
        session.key("Enter")  # leaves the customer field: loads the account in a worker; not counted
        time.sleep(0.5)
        move("date")
        move("due")
        chars("PO-4471", "reference")
        move("reference")
        before = session.size()
        time.sleep(3.0)
        idle_field = (session.size() - before) / 3.0
        move("memo", "new line")  # memo -> line 1 (mounts the spare line)
        for n in range(args.lines):
            move("item")  # no item code: on to the description
            chars(("Widget", "Carriage", "Site visit", "Adapter")[n % 4], "description")
            move("description")
            chars(str(n % 5 + 1), "quantity")
            move("quantity")
            chars(f"{n + 9}.50", "price")
            move("price")
            move("discount")
            chars("S", "tax code")
            move("tax code", "new line")
        screen = session.screen().splitlines()
    finally:
        session.close()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept {tmp}")

    def stats(kind: str | tuple[str, ...]) -> list[int]:
        kinds = (kind,) if isinstance(kind, str) else kind
        return [s.size for s in samples if s.kind in kinds]

    def row(label: str, values: list[int], goal: int | None) -> list[object]:
        med, mean = statistics.median(values), statistics.fmean(values)
        p95 = sorted(values)[max(0, int(len(values) * 0.95) - 1)]
        verdict = "" if goal is None else ("ok" if med < goal and mean < goal else "OVER")
        return [label, len(values), f"{med:,.0f}", f"{mean:,.0f}", f"{p95:,}", f"{max(values):,}",
                f"< {goal:,}" if goal else "", verdict]

    title = f"invoice entry at 80x24, TERM={args.term}, COLORTERM={args.colorterm or '(unset)'}"
    print(title)
    print(tabulate([
        row("bytes per typed character", stats("char"), GOAL_CHAR),
        row("bytes per field move (Enter), all", stats(("move", "new line")), GOAL_MOVE),
        row("  within a line / header", stats("move"), GOAL_MOVE),
        row("  Enter that opens the next line", stats("new line"), GOAL_MOVE),
    ], headers=["measure", "n", "median", "mean", "p95", "max", "goal", ""], tablefmt="github"))
    print(f"\nidle (blinking cursor): {idle_lookup:,.0f} B/s in lookup, {idle_field:,.0f} B/s in an invoice field")

    print("\nWhat one key redraws (median sample of each kind; rows by bytes written):")
    table = []
    for kind in ("char", "move", "new line"):
        chosen = [s for s in samples if s.kind == kind]
        if not chosen:
            continue
        typical = sorted(chosen, key=lambda s: s.size)[len(chosen) // 2]
        table.append([kind, typical.where, f"{typical.size:,}", describe_rows(typical.chunk, screen)])
    print(tabulate(table, headers=["key", "field", "bytes", "rows redrawn"], tablefmt="github"))
    worst = max(samples, key=lambda s: s.size)
    print(f"\nlargest: {worst.kind} in {worst.where}: {worst.size:,} B; {describe_rows(worst.chunk, screen)}")
    if args.verbose:
        print("\nevery sample:")
        print(tabulate([[s.kind, s.where, s.key, s.size, describe_rows(s.chunk, screen)] for s in samples],
                       headers=["kind", "field", "key", "bytes", "rows"], tablefmt="github"))
    over = statistics.median(stats("char")) >= GOAL_CHAR or statistics.median(stats(("move", "new line"))) >= GOAL_MOVE
    return 1 if over and args.strict else 0


def _sized(chunk: bytes) -> tuple[int, bytes]:
    return len(chunk), chunk


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = Path(sys.executable).with_name("billfold")
    parser.add_argument("--billfold", default=str(default) if default.exists() else (shutil.which("billfold") or
                                                                                     "billfold"))
    parser.add_argument("--lines", type=int, default=8, help="invoice lines to key (6 field moves each)")
    parser.add_argument("--account", default="100001")
    parser.add_argument("--term", default="xterm-256color")
    parser.add_argument("--colorterm", default="", help="e.g. truecolor (default: unset, as over ssh)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and typescript")
    parser.add_argument("--verbose", action="store_true", help="list every sample")
    parser.add_argument("--strict", action="store_true", help="exit 1 when over a goal")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
