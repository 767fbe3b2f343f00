"""Database work off the screen's thread: one worker thread, one connection, in order.

SQLite serialises writers anyway; a single thread keeps one open connection (no reconnect per
keystroke) and runs requests in the order the operator made them, while the event loop keeps
drawing and keeps every key typed meanwhile.
"""
from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
_executor: ThreadPoolExecutor | None = None


def executor() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="billfold-db")
    return _executor


async def in_db(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a store call on the database thread and wait for it without blocking the screen."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor(), functools.partial(fn, *args, **kwargs))
