"""Files Billfold creates are its operators' only: owner-only, or shared with one named group.

The process umask does the work for every file created afterwards (the database and its WAL,
logs, print batches, exports, backups); files that already exist are tightened when the books
open. `billfold init --group NAME` shares them with a group instead: 0o640 files and setgid
0o2750 folders, so that files created in them later belong to the group too. Never world-readable.
"""
from __future__ import annotations

import grp
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from store.errors import ValidationError

OWNER_ONLY_UMASK = 0o077
GROUP_UMASK = 0o027
GROUP_SETTING = "file_group"


def _book_group() -> str:
    from store.models import database_proxy

    if database_proxy.obj is None or database_proxy.obj.is_closed():
        return ""
    from store.settings import get_setting

    return get_setting(GROUP_SETTING)


def secure_files(database_file: str | None = None) -> int:
    """Set the umask for these books (owner-only, or group-readable when a group is named); returns it."""
    group = _book_group()
    mask = GROUP_UMASK if group else OWNER_ONLY_UMASK
    os.umask(mask)
    if database_file:
        tighten(sqlite_files(database_file), 0o666 & ~mask)
    return mask


def sqlite_files(database_file: str) -> list[Path]:
    base = Path(database_file).expanduser()
    return [p for p in (base, Path(f"{base}-wal"), Path(f"{base}-shm")) if p.exists()]


def book_files() -> list[Path]:
    """The open SQLite database and its WAL and shared-memory files (none on PostgreSQL)."""
    from store.models import database_proxy
    from store.pg_roles import is_postgres

    database = database_proxy.obj
    return [] if database is None or is_postgres(database) else sqlite_files(str(database.database))


def tighten(paths: Iterable[Path], mode: int) -> None:
    """Take away what `mode` does not allow from files we own (never widen them)."""
    for path in paths:
        try:
            current = stat.S_IMODE(path.stat().st_mode)
            if current & ~mode:
                path.chmod(current & mode)
        except PermissionError:
            continue  # not ours: the owner decides


def check_group(name: str) -> int:
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        raise ValidationError("group", f"'{name}' is not a group on this machine (see /etc/group)") from None


def share_with_group(name: str, files: Iterable[Path], folders: Iterable[Path]) -> None:
    """chgrp files (0o640) and folders (setgid 0o2750) to `name`: the team reads, only the owner writes."""
    gid = check_group(name)
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        os.chown(folder, -1, gid)
        folder.chmod(0o2750)
    for path in files:
        if path.exists():
            os.chown(path, -1, gid)
            path.chmod(0o640)
