"""The one clock: every "today" and "now" in store, exports and tui comes from here.

`now()` is timezone-aware UTC (what is stored: see store.fields.utcnow, which keeps the stored
text naive UTC as before); `today()` is the operator's local calendar day of that instant (what
`date.today()` gave). The source is injectable: tests pin it to a fixed day (tests/conftest.py)
so that nothing depends on the calendar, and the TUI's day (AppContext.today) is this clock.

A pinned clock still ticks: it starts at noon (local time) of the pinned day and moves on with
the real elapsed time, so timestamps keep their order and claims still age, while the day stays
the pinned one for any test shorter than twelve hours.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Source = Callable[[], dt.datetime]


def system_now() -> dt.datetime:
    """The machine's clock, as aware UTC."""
    return dt.datetime.now(dt.UTC)


_source: Source = system_now


def now() -> dt.datetime:
    """The current instant, timezone-aware, in UTC."""
    return _source()


def today() -> dt.date:
    """The operator's (local) calendar day now."""
    return now().astimezone().date()


def set_source(source: Source) -> Source:
    """Read the time from `source` from now on; returns the previous source (to put back)."""
    global _source
    previous, _source = _source, source
    return previous


def ticking_from(start: dt.datetime) -> Source:
    """A source that reads `start` now and moves on with the real elapsed time."""
    if start.tzinfo is None:
        raise ValueError("a clock starts at an aware datetime")
    began = time.monotonic()
    return lambda: (start + dt.timedelta(seconds=time.monotonic() - began)).astimezone(dt.UTC)


def noon_of(day: dt.date) -> dt.datetime:
    """Local noon of `day`, as aware UTC: the instant a pinned day starts from."""
    return dt.datetime.combine(day, dt.time(12)).astimezone().astimezone(dt.UTC)


@contextmanager
def pinned(day: dt.date) -> Iterator[None]:
    """Within the block, today() is `day` (and now() ticks from its noon)."""
    previous = set_source(ticking_from(noon_of(day)))
    try:
        yield
    finally:
        set_source(previous)
