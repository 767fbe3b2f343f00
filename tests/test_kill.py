"""kill -9 across posting, import, deliver and dunning --send: the books stay whole, each message
goes at most once, and every outbox row ends sent exactly once or uncertain (tests/kill_loop.py)."""
from __future__ import annotations

import random

from exports.deliver import deliver_pending
from store.db import close_database, open_database
from tests import test_delivery
from tests.kill_loop import MODES, check, kill_once, prepare

smtp = test_delivery.smtp  # fixture


def test_killed_mid_work_every_message_goes_at_most_once(smtp, books, tmp_path) -> None:
    inbox, running = smtp
    kill_books = prepare(books, tmp_path, running[0].port)
    close_database()
    rng = random.Random(15)
    for mode in (*MODES, "deliver", "dunning", "deliver"):
        kill_once(kill_books, mode, rng)
    open_database(str(books))
    deliver_pending(processes=1, print_dir=tmp_path / "print")  # what was left queued goes now
    statuses = check([m["Message-ID"] for _to, m in inbox.messages])
    assert statuses.get("sent", 0) >= 1 and sum(kill_books.kills.values()) == 7
