"""Where unexpected errors go: a log file under the user's state directory, never the screen."""
from __future__ import annotations

import logging
import os
from pathlib import Path

_configured: Path | None = None


def log_path() -> Path:
    """BILLFOLD_LOG names the file; otherwise billfold.log in the user log directory."""
    if os.environ.get("BILLFOLD_LOG"):
        return Path(os.environ["BILLFOLD_LOG"])
    from platformdirs import user_log_path

    return user_log_path("billfold", appauthor=False) / "billfold.log"


def logger() -> logging.Logger:
    """The billfold logger, writing to log_path() (re-pointed if BILLFOLD_LOG changed since)."""
    global _configured
    log = logging.getLogger("billfold")
    path = log_path()
    if _configured != path:
        for old in list(log.handlers):
            log.removeHandler(old)
            old.close()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(process)d %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
        _configured = path
    return log


def log_exception(exc: BaseException) -> Path:
    """Write the full traceback to the log; returns the log's path for the one-line message."""
    logger().error("unexpected error: %s", exc, exc_info=(type(exc), exc, exc.__traceback__))
    return log_path()
