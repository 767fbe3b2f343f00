"""Delivery to a real SMTP server on loopback (aiosmtpd), print batches, retries, and the kept bytes."""
from __future__ import annotations

import contextlib
import email
import hashlib
import io
import os
import socket
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from pypdf import PdfReader

from exports.deliver import deliver_pending, retry_failed
from store import clock, deliveries, outbox
from store.customers import CustomerData, create_customer
from store.errors import ValidationError
from tests.conftest import admin_setting, line, post


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refuse: str | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content,
                                                                                policy=policy.default)))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def smtp(books):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    for key, value in (("smtp_host", "127.0.0.1"), ("smtp_port", str(port)), ("smtp_security", "none"),
                       ("smtp_from", "billing@billfold.example"), ("company_name", "Billfold Test Ltd")):
        admin_setting(key, value)
    running = [controller]
    yield inbox, running
    with contextlib.suppress(Exception):
        running[-1].stop()


def attachment_of(message) -> bytes:
    part = next(p for p in message.iter_attachments())
    assert part.get_content_type() == "application/pdf"
    return part.get_content()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture()
def three(books) -> dict[str, str]:
    made = {}
    for key, data in {"mail1": CustomerData(name="Kestrel Trading", email="ap@kestrel.example"),
                      "mail2": CustomerData(name="Zoë Ångström", email="zoe@angstrom.example"),
                      "paper": CustomerData(name="Heron Granite", channel="post", address1="1 Quay", city="York",
                                            postcode="YO1 9LS")}.items():
        account = create_customer(data).account_no
        made[key] = post(account, line("Consulting", "2", 9500)).number
    return made


def test_each_invoice_goes_by_its_channel_and_the_sent_bytes_are_kept(smtp, three, tmp_path: Path) -> None:
    inbox, _running = smtp
    lines: list[str] = []
    summary = deliver_pending(processes=2, progress=lambda d, t, what: lines.append(what), print_dir=tmp_path)
    assert (summary.emailed, summary.queued_for_print, summary.failed) == (2, 1, [])
    assert sorted(to[0] for to, _m in inbox.messages) == ["ap@kestrel.example", "zoe@angstrom.example"]
    for to, message in inbox.messages:
        number = three["mail1"] if to[0].startswith("ap@") else three["mail2"]
        assert message["Subject"] == f"Billfold Test Ltd: invoice {number}"
        assert f"invoice {number} for £228.00" in message.get_body(("plain",)).get_content()
        data = attachment_of(message)
        text = pdf_text(data)
        assert number in text and "228.00" in text
        kept = deliveries.deliveries_of(number)[0]
        assert (kept.status, kept.pdf_sha256, kept.message_id) == ("sent", hashlib.sha256(data).hexdigest(),
                                                                   message["Message-ID"])
        assert deliveries.delivered_pdf(kept.id) == data
    assert "Zoë Ångström" in pdf_text(attachment_of(inbox.messages[0][1]) if "zoe" in inbox.messages[0][0][0]
                                      else attachment_of(inbox.messages[1][1]))
    assert len(lines) == 3
    # the print batch: one PDF, a list, and the documents marked delivered once confirmed
    assert summary.batch_file and summary.batch_file.exists()
    assert three["paper"] in pdf_text(summary.batch_file.read_bytes())
    assert three["paper"] in (tmp_path / f"{summary.batch}.txt").read_text()
    assert deliveries.pending_documents() == []
    assert deliveries.confirm_printed(summary.batch) == 1
    assert deliveries.deliveries_of(three["paper"])[0].status == "printed"


def test_print_batch_starts_each_document_on_an_odd_page(books, tmp_path: Path) -> None:
    numbers = []
    for n in range(3):
        account = create_customer(CustomerData(name=f"Paper {n}", channel="post")).account_no
        many = [line(f"Item {k}", "1", 100 + k) for k in range(45 if n == 0 else 1)]  # the first runs to 2+ pages
        numbers.append(post(account, *many).number)
    summary = deliver_pending(processes=1, print_dir=tmp_path)
    reader = PdfReader(str(summary.batch_file))
    starts = [i for i, page in enumerate(reader.pages) if "Invoice no." in (page.extract_text() or "")
              and "Page 1 of" in (page.extract_text() or "")]
    assert len(starts) == 3 and all(i % 2 == 0 for i in starts)  # 0-based even = odd page number


def test_a_refusing_server_is_recorded_as_failed_and_retried_with_the_same_bytes(smtp, three, tmp_path) -> None:
    inbox, _running = smtp
    inbox.refuse = "550 5.1.1 mailbox unavailable"
    summary = deliver_pending(processes=1, print_dir=tmp_path)
    assert summary.emailed == 0 and len(summary.failed) == 2
    assert all("mailbox unavailable" in error for _n, error in summary.failed)
    failed = deliveries.failed_deliveries()
    assert {d.number for d in failed} == {three["mail1"], three["mail2"]}
    kept = {d.number: d.pdf_sha256 for d in failed}
    admin_setting("company_name", "Renamed Since Ltd")  # a fresh render would differ; a retry must not
    inbox.refuse = None
    again = retry_failed()
    assert again.emailed == 2 and again.failed == []
    for _to, message in inbox.messages:
        data = attachment_of(message)
        number = message["Subject"].rsplit(" ", 1)[1]
        assert hashlib.sha256(data).hexdigest() == kept[number]
        assert "Billfold Test Ltd" in pdf_text(data)
    assert [d.attempts for d in deliveries.deliveries_of(three["mail1"])] == [2]


class FakeClock:
    """The sender's clock and its wait: waiting moves the clock on, and nothing sleeps."""

    def __init__(self) -> None:
        import datetime as dt

        self.at = dt.datetime(2026, 12, 1, 9, 0)
        self.waits: list[float] = []

    def now(self):
        return self.at

    def sleep(self, seconds: float) -> None:
        import datetime as dt

        self.waits.append(seconds)
        self.at += dt.timedelta(seconds=seconds)

    def policy(self, attempts: int = 4):
        from exports.deliver import RetryPolicy

        return RetryPolicy(attempts=attempts, first_delay=10, factor=3, now=self.now, sleep=self.sleep)


def test_a_server_that_is_down_fails_each_and_the_batch_goes_on(smtp, three, tmp_path) -> None:
    inbox, running = smtp
    port = running[0].port
    running[0].stop()
    clock = FakeClock()
    summary = deliver_pending(processes=1, print_dir=tmp_path, retry=clock.policy())
    assert clock.waits == [10, 30, 90]  # tried four times, waiting longer each time, then failed
    assert [i.attempts for i in outbox.delivery_log("failed")] == [4, 4]
    assert summary.emailed == 0 and summary.queued_for_print == 1 and len(summary.failed) == 2
    assert all("ConnectionRefusedError" in e for _n, e in summary.failed)
    lines = summary.outcome(failures=1).splitlines()
    assert lines[0] == f"0 e-mailed, 1 in print batch {summary.batch}, 2 failed"
    assert lines[1].startswith(f"  failed {summary.failed[0][0]}: ") and lines[2] == "  ... and 1 more failed"
    assert lines[3] == f"print {summary.batch_file}, then: billfold deliver --confirm-print {summary.batch}"
    running.append(Controller(inbox, hostname="127.0.0.1", port=port))
    running[-1].start()
    assert retry_failed().emailed == 2 and len(inbox.messages) == 2


def test_password_file_readable_by_others_is_refused(smtp, tmp_path: Path, monkeypatch) -> None:
    from exports.email import SmtpSettings

    secret = tmp_path / "smtp.secret"
    secret.write_text("hunter2\n")
    os.chmod(secret, 0o644)
    admin_setting("smtp_password_file", str(secret))
    monkeypatch.delenv("BILLFOLD_SMTP_PASSWORD", raising=False)
    with pytest.raises(ValidationError, match="can be read by others; chmod 600"):
        SmtpSettings.from_settings()
    os.chmod(secret, 0o600)
    assert SmtpSettings.from_settings().password == "hunter2"


def test_deliver_command(smtp, three, tmp_path, capsys, monkeypatch) -> None:
    from store.models import database_proxy
    from tui.cli import main

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["--db", database_proxy.obj.database, "deliver", "--pending", "--processes", "1"]) == 0
    out = capsys.readouterr().out
    assert "2 e-mailed, 1 in print batch PB-" in out and "then: billfold deliver --confirm-print PB-" in out


def test_dunning_sends_one_reminder_per_customer_with_every_overdue_item(smtp, books, tmp_path) -> None:
    import datetime as dt

    from exports.deliver import send_dunning
    from store.models import DunningNotice

    inbox, _running = smtp
    late = create_customer(CustomerData(name="Late Payer Ltd", email="ap@late.example")).account_no
    paper = create_customer(CustomerData(name="Paper Only", channel="post")).account_no
    today = clock.today()
    old = [post(late, line(price=1000), issue=today - dt.timedelta(days=90)).number,
           post(late, line(price=2000), issue=today - dt.timedelta(days=60)).number]
    post(paper, line(price=500), issue=today - dt.timedelta(days=70))
    post(late, line(price=9999), issue=today)  # not yet due: not listed
    summary = send_dunning(today, processes=1, print_dir=tmp_path)
    assert (summary.emailed, summary.queued_for_print, summary.failed) == (1, 1, [])
    [(to, message)] = inbox.messages
    assert to == ["ap@late.example"] and "account " + late in message["Subject"]
    text = pdf_text(attachment_of(message))
    assert all(number in text for number in old) and "36.00" in text  # 12.00 + 24.00 due
    notices = list(DunningNotice.select().order_by(DunningNotice.id))
    assert len(notices) == 2 and all(n.delivery_id for n in notices)
    again = send_dunning(today, processes=1, print_dir=tmp_path)
    assert again.emailed == 0 and again.queued_for_print == 0  # not sent twice within the repeat days


async def test_deliver_screen_shows_progress_and_the_outcome(smtp, three, tmp_path, monkeypatch) -> None:
    from textual.widgets import ProgressBar, Static

    from exports.pdf.pool import start_helpers
    from tests.screens.host import HostApp
    from tui.screens.deliver import DeliverScreen

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    start_helpers()  # as tui.launch does before the application starts
    app = HostApp(DeliverScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "3 documents not yet delivered: 2 by e-mail, 1 by post" in str(
            app.screen.query_one("#deliver-pending", Static).render())
        await pilot.press("f10")
        for _ in range(50):
            await pilot.pause(0.1)
            if "e-mailed" in str(app.screen.query_one("#deliver-summary", Static).render()):
                break
        await app.workers.wait_for_complete()
        await pilot.pause()
        summary = str(app.screen.query_one("#deliver-summary", Static).render())
        assert "2 e-mailed, 1 in print batch PB-" in summary
        assert app.screen.query_one(ProgressBar).progress == 3


async def test_dunning_screen_previews_the_run_then_records_and_sends_it(smtp, books, tmp_path, monkeypatch) -> None:
    import datetime as dt

    from textual.widgets import Static

    from exports.pdf.pool import start_helpers
    from store.disputes import open_dispute
    from store.models import DunningNotice
    from tests.screens.host import HostApp, HostContext
    from tui.screens.dunning import DunningScreen
    from tui.widgets.report_table import ReportTable

    inbox, _running = smtp
    today = HostContext().today
    ago = lambda days: today - dt.timedelta(days=days)  # noqa: E731
    late = create_customer(CustomerData(name="Late Payer Ltd", email="ap@late.example")).account_no
    paper = create_customer(CustomerData(name="Paper Only", channel="post")).account_no
    quarrel = create_customer(CustomerData(name="Quarrel & Co", email="q@quarrel.example")).account_no
    owed = [post(late, line(price=1000), issue=ago(90)).number, post(late, line(price=2000), issue=ago(40)).number]
    post(paper, line(price=500), issue=ago(70))
    open_dispute(post(quarrel, line(price=700), issue=ago(80)).number, 840, "never arrived")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    start_helpers()  # as tui.launch does before the application starts
    app = HostApp(DunningScreen())

    def summary() -> str:
        return str(app.screen.query_one("#dunning-summary", Static).render())

    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(ReportTable)
        # due 30 days after issue: 60 and 10 days overdue (level 3), 40 (level 2 of 7, 21, 45)
        assert "2 reminders (level 2: 1, level 3: 1); 1 by e-mail, 1 to print. 1 account left out." in summary()
        assert [table.get_row_at(n) for n in range(table.row_count)] == [
            (late, "Late Payer Ltd", "3", "2", "36.00", "email", ""),
            (paper, "Paper Only", "2", "1", "6.00", "post", "")]
        await pilot.press("tab")
        assert table.get_row_at(0) == (quarrel, "Quarrel & Co", "3", "every item past the first level is disputed")
        await pilot.press("tab", "f10", "n")  # asked first: n sends nothing
        await pilot.pause()
        assert DunningNotice.select().count() == 0
        await pilot.press("f10", "y")
        for _ in range(100):
            await pilot.pause(0.1)
            if "e-mailed" in str(app.screen.query_one("#dunning-result", Static).render()):
                break
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Reminders: 1 e-mailed, 1 in print batch PB-" in str(app.screen.query_one("#dunning-result", Static)
                                                                      .render())
        assert "0 reminders" in summary() and "3 accounts left out" in summary()  # the run again: sent already
    [(to, message)] = inbox.messages
    assert to == ["ap@late.example"] and all(number in pdf_text(attachment_of(message)) for number in owed)
    assert sorted(n.customer.account_no for n in DunningNotice.select()) == sorted([late, paper])
