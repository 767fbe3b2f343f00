"""Argument types: what the shell hands over is checked before any handler sees it.

Amounts, counts and dates are refused here with exit 2 and the argument's name: empty, blank,
non-ASCII digits, a sign where none makes sense, more digits than the books hold, a date far from
today. The currency's decimal places are checked where the currency is known (store.money).
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Callable, Sequence

from store import clock
from store.dates import parse_date
from store.errors import ValidationError

# The books hold amounts as 64-bit integers of minor units; a typed amount stays far below that.
MAX_AMOUNT_DIGITS = 13  # whole units: up to 9,999,999,999,999
MAX_COUNT = 1_000_000
# A date typed on the command line lies within this many days of today (a typo such as 2062 or
# 9999-12-31 is refused, not booked); store.dates.DATE_WINDOW_DAYS when the store keeps one.
DATE_WINDOW_DAYS = 366 * 10
_AMOUNT = re.compile(r"^[+-]?[0-9][0-9,' ]*(\.[0-9]*)?$|^[+-]?\.[0-9]+$")
_ALLOWED_CONTROLS = {"\n", "\t"}


def check_argv(argv: Sequence[str]) -> None:
    """Refuse any argument holding a control character (an ESC sequence, a NUL) before parsing."""
    for n, value in enumerate(argv):
        if any((ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0) and ch not in _ALLOWED_CONTROLS for ch in value):
            before = argv[n - 1] if n and argv[n - 1].startswith("-") else f"argument {n + 1}"
            name = value.split("=", 1)[0] if value.startswith("--") and "=" in value else before
            raise ValidationError(name.lstrip("-") or "argument", "holds a control character; type plain text")


def amount_text(value: str, signed: bool = False) -> str:
    """An amount as typed (1,234.50), checked for shape; the handler parses it in its currency."""
    raw = value.strip()
    if not raw:
        raise argparse.ArgumentTypeError("is empty; give an amount such as 24.00 (for the whole amount: --all)")
    if not raw.isascii():
        raise argparse.ArgumentTypeError(f"'{raw}' is not an amount: use the digits 0-9")
    if not _AMOUNT.match(raw):
        raise argparse.ArgumentTypeError(f"'{raw}' is not an amount such as 1,234.50")
    if raw[0] == "-" and not signed:
        raise argparse.ArgumentTypeError(f"'{raw}' is negative; give the amount as a positive number")
    whole = raw.lstrip("+-").split(".", 1)[0].replace(",", "").replace("'", "").replace(" ", "")
    if len(whole.lstrip("0")) > MAX_AMOUNT_DIGITS:
        raise argparse.ArgumentTypeError(f"'{raw[:20]}...' is larger than the books hold")
    return raw


def count(low: int = 0, high: int = MAX_COUNT) -> Callable[[str], int]:
    """A whole number between `low` and `high` (seeds, limits, offsets, processes)."""

    def parse(value: str) -> int:
        raw = value.strip()
        if not re.fullmatch(r"[+-]?[0-9]+", raw):
            raise argparse.ArgumentTypeError(f"'{raw[:20]}' is not a whole number")
        number = int(raw) if len(raw) <= 20 else high + 1
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"must be between {low:,} and {high:,}")
        return number

    return parse


def date_arg(value: str, today: dt.date | None = None) -> dt.date:
    """A date as an operator types it (2026-11-22, 22/11, t, +30), within DATE_WINDOW_DAYS of today."""
    try:
        day = parse_date(value, "date", today)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None
    today = today or clock.today()
    if abs((day - today).days) > DATE_WINDOW_DAYS:
        raise argparse.ArgumentTypeError(f"{day.isoformat()} is more than {DATE_WINDOW_DAYS // 366} years from "
                                         f"today ({today.isoformat()})")
    return day


def text_arg(value: str) -> str:
    """Free text that must say something (a reason, a name): not empty, not only spaces."""
    if not value.strip():
        raise argparse.ArgumentTypeError("is empty; type some text")
    return value.strip()
