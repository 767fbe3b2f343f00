"""Which books a command works on: --db, --demo, BILLFOLD_DB or the user's file; refused if it is not there."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from store.errors import ValidationError

# Commands that make books where there were none: everything else refuses a missing file, so a
# mistyped --db never creates new, empty books (and their folders) that an operator then posts to.
CREATES_BOOKS = frozenset({"init", "demo", "restore"})  # restore: into a new file too


def demo_database_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("billfold", appauthor=False) / "billfold-demo.db"


def check_target(target: str, command: str | None) -> None:
    """Refuse a database file that does not exist, unless the command is the one that creates it."""
    scheme, _sep, rest = target.rpartition("://")
    if scheme.lower() not in ("", "sqlite", "apsw") or rest in ("", ":memory:") or command in CREATES_BOOKS:
        return  # a server's database (PostgreSQL says itself when it is not there), or one in memory
    path = Path(rest).expanduser()
    if not path.exists():
        raise ValidationError("db", f"{path} does not exist; check the path, or create the books there with "
                                    f"'billfold --db {path} init'")
    if not path.is_file():
        raise ValidationError("db", f"{path} is not a file")


def open_books(args: argparse.Namespace, create_demo: bool = True) -> str:
    """Open the database the arguments name; returns it as the label the application shows."""
    from store.db import open_database, resolve_target
    from store.files import secure_files

    secure_files()  # owner-only files from the start (the books may name a group once open)
    if getattr(args, "demo", False) and not args.db:
        path = demo_database_path()
        fresh = not path.exists()
        database = open_database(str(path))
        if fresh and create_demo:
            from store.demo import build_demo

            print("Building the demo books (once; about five seconds)...", file=sys.stderr, flush=True)
            build_demo()
        from store.session import ensure_demo_admin

        ensure_demo_admin()  # whoever runs the demo is its admin, so the Quick start just works
        return str(database.database)
    target = resolve_target(args.db)
    if args.db or os.environ.get("BILLFOLD_DB"):  # the default file in the user's data folder is ours to make
        check_target(target, getattr(args, "command", None))
    database = open_database(target)
    if getattr(args, "command", None) not in CREATES_BOOKS:
        from store.session import check_operator

        check_operator()  # a login that is not an operator of these books goes no further
    from store.pg_roles import is_postgres

    secure_files(None if is_postgres(database) else str(database.database))
    return str(database.database)
