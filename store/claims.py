"""Who holds a claim (an outbox row being sent, an import being written), and whether they are gone."""
from __future__ import annotations

import os
import socket


def claimant() -> str:
    """This process, as host:pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def process_gone(claimed_by: str | None) -> bool:
    """True when the claiming process has certainly ended: it ran on this host and no process has
    its id. Another host's claim is never called gone here (its lease decides)."""
    if not claimed_by:
        return True
    host, _, pid = claimed_by.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
