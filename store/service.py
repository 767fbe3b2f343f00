"""How a service changes the books: one transaction, optionally idempotent.

A money-moving service may be given an idempotency key (a script retrying after a lost
connection, an operator pressing post twice). The same key with the same request returns the
first result without doing anything again; the same key with a different request is refused.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from peewee import SqliteDatabase

from store.errors import Conflict
from store.models import IdempotencyKey, database_proxy

R = TypeVar("R")


def transaction() -> Any:
    """A write transaction (BEGIN IMMEDIATE on SQLite); nested calls become savepoints."""
    return database_proxy.atomic()


def read_view() -> Any:
    """One consistent view of the books that takes no write lock (BEGIN DEFERRED on SQLite): for work
    that reads much (an export) and then records a little in its own short transaction(), so other
    operators never wait for the reading."""
    database = database_proxy.obj
    if isinstance(database, SqliteDatabase):
        return database.atomic(lock_type="DEFERRED")
    return database.atomic()


def _request_digest(service: str, request: dict[str, Any]) -> str:
    body = json.dumps([service, request], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def run_service(service: str, request: dict[str, Any], idempotency_key: str | None,
                result_type: type[R], body: Callable[[], R]) -> R:
    """Run `body` in one transaction; with a key, remember its (dataclass) result for replays."""
    with transaction():
        if idempotency_key is None:
            return body()
        digest = _request_digest(service, request)
        seen = IdempotencyKey.get_or_none(IdempotencyKey.key == idempotency_key)
        if seen is not None:
            if seen.service != service or seen.request_sha256 != digest:
                raise Conflict(f"idempotency key '{idempotency_key}' was already used for a different request")
            return result_type(**seen.result)
        result = body()
        IdempotencyKey.create(key=idempotency_key, service=service, request_sha256=digest,
                              result=dataclasses.asdict(result))  # type: ignore[call-overload]
        return result
