"""Reading a statement file, bounded: a regular file only, no bigger than the setting allows.

A FIFO would block the import until something wrote to it, and /dev/zero never ends: both (and
devices and directories) are refused before a byte is read. The size is checked before reading
(setting import_max_bytes, 50 MB by default), then the file is read in blocks that stop at the
limit, so one that grows while it is read is refused too instead of filling memory.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from store.errors import ValidationError
from store.settings import get_setting

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_BLOCK = 1 << 20
_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def max_import_bytes() -> int:
    text = get_setting("import_max_bytes").strip()
    if not text:
        return DEFAULT_MAX_BYTES
    if not text.isdigit() or int(text) <= 0:
        raise ValidationError("import_max_bytes", f"'{text}' is not a number of bytes")
    return int(text)


def _refuse_unless_regular(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    what = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    raise ValidationError("file", f"{path} is {what}; only a regular file can be imported")


def read_statement_file(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of the statement at `path`, or a ValidationError naming what is wrong with it."""
    limit = max_import_bytes() if max_bytes is None else max_bytes
    try:
        _refuse_unless_regular(path, os.stat(path).st_mode)
        # O_NONBLOCK: should the path become a FIFO after the check, opening it does not wait.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ValidationError("file", f"{path}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        _refuse_unless_regular(path, info.st_mode)
        if info.st_size > limit:
            raise ValidationError("file", f"{path} is {info.st_size:,} bytes; the limit is {limit:,} "
                                          f"(setting import_max_bytes)")
        blocks: list[bytes] = []
        size = 0
        while block := f.read(_BLOCK):
            size += len(block)
            if size > limit:
                raise ValidationError("file", f"{path} grew past {limit:,} bytes while it was read "
                                              f"(setting import_max_bytes)")
            blocks.append(block)
    return b"".join(blocks)
