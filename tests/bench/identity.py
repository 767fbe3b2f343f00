"""Benchmarks act as the operator "bench" (an admin of whatever books they open): test-only seam.

Billfold itself takes the operator from the OS login; a benchmark's throwaway books have no
operators, so every database a benchmark opens gets "bench" as its admin.
"""
from __future__ import annotations

from typing import Any


def act_as_bench() -> None:
    import store.db
    from store.session import ensure_operator, set_operator

    set_operator("bench")
    original = store.db.open_database
    if getattr(original, "bench", False):
        return

    def open_database(*args: Any, **kwargs: Any) -> Any:
        database = original(*args, **kwargs)
        ensure_operator("bench", "Bench", "admin")
        return database

    open_database.bench = True  # type: ignore[attr-defined]
    store.db.open_database = open_database  # type: ignore[assignment]
