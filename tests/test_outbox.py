"""The outbox: queued with what caused it, claimed by one sender, sent once, uncertain when a sender dies."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from exports.deliver import deliver_pending, resend
from store import outbox
from store.customers import CustomerData, create_customer
from store.errors import Conflict
from store.models import Outbox
from store.verify import verify_books
from tests import test_delivery
from tests.conftest import line, post
from tests.test_delivery import FakeClock, attachment_of

smtp, three = test_delivery.smtp, test_delivery.three  # fixtures

ROOT = Path(__file__).resolve().parents[1]
BILLFOLD = [sys.executable, str(ROOT / "tests" / "as_operator.py"), "bob", "billfold"]


def dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    return int(done.stdout)


def abandon(item_ids: list[int]) -> None:
    """As if a sender claimed these rows and was killed before it could record anything."""
    import socket

    Outbox.update(status="sending", claimed_by=f"{socket.gethostname()}:{dead_pid()}").where(
        Outbox.id.in_(item_ids)).execute()


def test_posting_queues_one_row_with_a_fixed_message_id_and_the_e_mail_carries_it(smtp, three, tmp_path) -> None:
    inbox, _running = smtp
    queued = {i.number: i for i in outbox.delivery_log("queued")}
    assert set(queued) == set(three.values())
    assert (queued[three["mail1"]].channel, queued[three["paper"]].channel) == ("email", "post")
    summary = deliver_pending(processes=1, print_dir=tmp_path)
    assert (summary.emailed, summary.queued_for_print) == (2, 1)
    got = {m["Message-ID"]: m for _to, m in inbox.messages}
    assert set(got) == {queued[three["mail1"]].message_id, queued[three["mail2"]].message_id}
    assert all(m["Date"] for m in got.values())
    assert {i.status for i in outbox.delivery_log()} == {"sent"}
    assert deliver_pending(processes=1, print_dir=tmp_path).emailed == 0 and len(inbox.messages) == 2


def test_a_refused_post_queues_nothing(books) -> None:
    from store.invoices import CreditLimitExceeded

    account = create_customer(CustomerData(name="Tight Ltd", email="a@tight.example",
                                           credit_limit_minor=500)).account_no
    with pytest.raises(CreditLimitExceeded):
        post(account, line(price=1000))
    assert Outbox.select().count() == 0


def test_a_permanent_refusal_fails_at_once_with_the_servers_reply(smtp, three, tmp_path) -> None:
    inbox, _running = smtp
    inbox.refuse = "550 5.1.1 mailbox unavailable"
    clock = FakeClock()
    summary = deliver_pending(processes=1, print_dir=tmp_path, retry=clock.policy())
    assert clock.waits == [] and len(summary.failed) == 2
    failed = outbox.delivery_log("failed")
    assert [i.attempts for i in failed] == [1, 1]
    assert all("550 5.1.1 mailbox unavailable" in i.error for i in failed)



def test_an_address_the_server_cannot_take_fails_at_once_not_after_every_retry(smtp, books, tmp_path) -> None:
    """An internationalised address to a server without SMTPUTF8: no wait will change the answer."""
    from aiosmtpd.controller import Controller

    from store.settings import get_setting

    inbox, running = smtp
    running[-1].stop()  # the same inbox, behind a server that does not offer SMTPUTF8
    running.append(Controller(inbox, hostname="127.0.0.1", port=int(get_setting("smtp_port")),
                              enable_SMTPUTF8=False))
    running[-1].start()
    post(create_customer(CustomerData(name="Noah García", email="accounts@noahgarcía.example")).account_no, line())
    clock = FakeClock()
    summary = deliver_pending(processes=1, print_dir=tmp_path, retry=clock.policy())
    assert clock.waits == [] and len(summary.failed) == 1 and inbox.messages == []
    [failed] = outbox.delivery_log("failed")
    assert failed.attempts == 1 and "SMTPUTF8" in failed.error and failed.recipient == "accounts@noahgarcía.example"

class Flaky:
    """Says 451 to the first `times` recipients, then takes mail."""

    def __init__(self, inbox, times: int) -> None:
        self.inbox, self.times = inbox, times

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.times > 0:
            self.times -= 1
            return "451 4.3.0 mailbox busy, try again later"
        return await self.inbox.handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_DATA(self, server, session, envelope):
        return await self.inbox.handle_DATA(server, session, envelope)


def test_a_transient_refusal_is_tried_again_after_a_wait_and_then_goes(smtp, three, tmp_path) -> None:
    inbox, running = smtp
    running[0].handler = Flaky(inbox, 2)
    clock = FakeClock()
    summary = deliver_pending(processes=1, print_dir=tmp_path, retry=clock.policy())
    assert summary.emailed == 2 and summary.failed == [] and clock.waits == [10]
    assert sorted(i.attempts for i in outbox.delivery_log() if i.channel == "email") == [2, 2]
    assert len(inbox.messages) == 2


def test_a_row_left_sending_by_a_killed_sender_is_uncertain_and_never_resent_blindly(smtp, three, tmp_path) -> None:
    inbox, _running = smtp
    ids = [i.id for i in outbox.delivery_log("queued") if i.channel == "email"]
    abandon(ids)
    summary = deliver_pending(processes=1, print_dir=tmp_path)
    assert summary.emailed == 0 and summary.uncertain == 2 and inbox.messages == []
    assert "2 uncertain" in summary.line()
    assert [i.id for i in outbox.delivery_log("uncertain")] == sorted(ids, reverse=True)
    first, second = sorted(ids)
    message_id = outbox.get_item(first).message_id
    assert resend(first, print_dir=tmp_path).emailed == 1
    [(_to, message)] = inbox.messages
    assert message["Message-ID"] == message_id  # the resend is recognisable as the same message
    assert outbox.mark_sent(second).status == "sent"
    with pytest.raises(Conflict):
        outbox.mark_sent(first)  # sent already: nothing to mark
    assert deliver_pending(processes=1, print_dir=tmp_path).emailed == 0 and len(inbox.messages) == 1
    assert verify_books() == []


def test_a_sender_that_is_alive_keeps_its_claim(three) -> None:
    [item] = outbox.claim("email", limit=1)
    assert outbox.mark_uncertain_if_abandoned() == [] and outbox.get_item(item.id).status == "sending"


def test_delivery_commands(smtp, three, tmp_path, capsys) -> None:
    from store.models import database_proxy
    from tui.cli import main

    inbox, _running = smtp
    ids = sorted(i.id for i in outbox.delivery_log("queued") if i.channel == "email")
    abandon(ids)
    db = database_proxy.obj.database
    assert main(["--db", db, "delivery", "log", "--status", "uncertain", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert sorted(r["id"] for r in rows) == ids and {r["status"] for r in rows} == {"uncertain"}
    assert main(["--db", db, "delivery", "log"]) == 0
    out = capsys.readouterr().out
    assert "uncertain" in out and "billfold delivery resend ID" in out
    assert main(["--db", db, "delivery", "resend", str(ids[0]), "--print-dir", str(tmp_path)]) == 0
    assert "1 e-mailed" in capsys.readouterr().out and len(inbox.messages) == 1
    assert main(["--db", db, "delivery", "mark-sent", str(ids[1])]) == 0
    assert "marked sent" in capsys.readouterr().out
    assert main(["--db", db, "delivery", "log", "--status", "bogus"]) == 2
    assert "--status: invalid choice: 'bogus'" in capsys.readouterr().err
    assert main(["--db", db, "delivery", "mark-sent", str(ids[1])]) == 1  # sent already: refused by the books
    assert {i.status for i in outbox.delivery_log() if i.channel == "email"} == {"sent"}


def test_print_batches_have_unique_names_and_no_partial_files(books, tmp_path) -> None:
    for n in range(2):
        post(create_customer(CustomerData(name=f"Paper {n}", channel="post")).account_no, line())
    folder = tmp_path / "print"
    first = deliver_pending(processes=1, limit=1, print_dir=folder)
    second = deliver_pending(processes=1, print_dir=folder)
    assert first.batch and second.batch and first.batch != second.batch  # in the same second
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{first.batch}.pdf", f"{first.batch}.txt", f"{second.batch}.pdf", f"{second.batch}.txt"])
    assert {i.batch for i in outbox.delivery_log()} == {first.batch, second.batch}


def _deliver_processes(db: Path, count: int, tmp_path: Path) -> list[subprocess.CompletedProcess[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(tmp_path)}
    procs = [subprocess.Popen([*BILLFOLD, "--db", str(db), "deliver", "--pending",
                               "--processes", "1", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=env, text=True, cwd=ROOT) for _ in range(count)]
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return done


@pytest.mark.parametrize("senders", [2, 4])
def test_concurrent_deliver_processes_send_each_message_exactly_once(smtp, books, tmp_path, senders) -> None:
    inbox, _running = smtp
    account = create_customer(CustomerData(name="Bulk Buyer", email="ap@bulk.example")).account_no
    for n in range(24):
        post(account, line(price=100 + n))
    queued = {i.message_id for i in outbox.delivery_log("queued")}
    runs = _deliver_processes(books, senders, tmp_path)
    assert [r.returncode for r in runs] == [0] * senders, [r.stderr for r in runs]
    emailed = [json.loads(r.stdout)["emailed"] for r in runs]
    received = [m["Message-ID"] for _to, m in inbox.messages]
    assert sorted(received) == sorted(queued) and sum(emailed) == 24  # each exactly once
    assert {i.status for i in outbox.delivery_log()} == {"sent"}
    assert verify_books() == []
    assert attachment_of(inbox.messages[0][1]).startswith(b"%PDF")
