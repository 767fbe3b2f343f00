"""The sender: claims outbox rows, sends each, and records each outcome the moment it is known.

A row is claimed just before its document is printed (render_many pulls jobs a few at a time),
so a killed sender leaves only the few rows it held in sending, and those become uncertain.
The server's acceptance is recorded at once, in its own transaction, never kept for a batch:
the only window in which a message can have gone without the books knowing is the one between
the server's reply and that commit, which is exactly what "uncertain" stands for.

Transient failures (4xx, a refused or dropped connection, a timeout) put the row back in the
queue, due again after a backoff; the run waits for it (through `RetryPolicy.sleep`, which tests
replace) until the row is sent or has used its attempts. A 5xx reply fails the row at once with
the reply kept.
"""
from __future__ import annotations

import datetime as dt
import smtplib
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from exports.deliver_messages import (
    ReadyDocument,
    batch_name,
    default_print_dir,
    message_for,
    render_job,
    write_print_batch,
)
from exports.deliver_statements import statement_message_for, statement_render_job
from exports.documents import Company
from exports.email import PreparedMessage, SmtpSession, SmtpSettings, describe_failure, is_transient
from exports.from_books import company_profile
from exports.pdf.pool import RenderJob, render_many
from store import clock, outbox
from store.db import books_file
from store.deliveries import delivered_pdf
from store.outbox import OutboxItem

Progress = Callable[[int, int, str], None]  # done, total, what just happened


def utcnow() -> dt.datetime:
    """The books' clock (store.clock): UTC without a zone, as the outbox keeps its times."""
    return clock.now().replace(tzinfo=None)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long a transient failure is tried again; the clock and the wait are
    injectable so that tests never sleep."""

    attempts: int = 4  # sends in all, the first one included
    first_delay: float = 10.0  # seconds; then times `factor` each time
    factor: float = 3.0
    now: Callable[[], dt.datetime] = utcnow
    sleep: Callable[[float], None] = time.sleep

    def delay(self, attempt: int) -> dt.timedelta:
        return dt.timedelta(seconds=self.first_delay * self.factor ** max(attempt - 1, 0))


@dataclass
class DeliverySummary:
    emailed: int = 0
    queued_for_print: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    batch: str | None = None
    batch_file: Path | None = None
    uncertain: int = 0  # rows found left in sending by a sender that is gone

    def line(self) -> str:
        parts = [f"{self.emailed} e-mailed", f"{self.queued_for_print} in print batch {self.batch}"
                 if self.batch else "0 to print", f"{len(self.failed)} failed"]
        if self.uncertain:
            parts.append(f"{self.uncertain} uncertain (see billfold delivery log --status uncertain)")
        return ", ".join(parts)

    def outcome(self, failures: int | None = None) -> str:
        """The line, each failure (the first `failures` of them) and what to do with a print batch."""
        lines = [self.line()] + [f"  failed {what}: {error}" for what, error in self.failed[:failures]]
        if failures is not None and len(self.failed) > failures:
            lines.append(f"  ... and {len(self.failed) - failures} more failed")
        if self.batch_file:
            lines.append(f"print {self.batch_file}, then: billfold deliver --confirm-print {self.batch}")
        return "\n".join(lines)


def _render_job(item: OutboxItem, company: Company, books: str | None, sender: str) -> RenderJob:
    if item.kind == "statement":
        return statement_render_job(item, company, books, sender)
    return render_job(item, company, books, sender)


def _message_for(item: OutboxItem, pdf: bytes, company: Company, sender: str) -> EmailMessage:
    if item.kind == "statement":
        return statement_message_for(item, pdf, company, sender)
    return message_for(item, pdf, company, sender)


def _label(item: OutboxItem) -> str:
    return item.number or f"{item.kind} {item.account_no}"


class OutboxSender:
    """One run of a sender over the outbox: `kinds` and `ids` narrow what it claims."""

    def __init__(self, *, processes: int | None = None, progress: Progress | None = None,
                 retry: RetryPolicy | None = None, kinds: Sequence[str] | None = None,
                 ids: Sequence[int] | None = None, limit: int | None = None, print_dir: Path | None = None) -> None:
        self.processes, self.progress, self.retry = processes, progress, retry or RetryPolicy()
        self.kinds, self.ids, self.limit, self.print_dir = kinds, ids, limit, print_dir
        self.summary = DeliverySummary()
        self.company: Company = company_profile()
        self.smtp: SmtpSession | None = None
        self.retrying: set[int] = set()
        self.claimed: dict[int, OutboxItem] = {}
        self.done = 0

    def _report(self, what: str) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.done + self._left(), what)

    def _left(self) -> int:
        return 0 if self.limit is not None and self.done >= self.limit else len(self.retrying)

    def _claim(self, channel: str, kept: bool | None, limit: int | None) -> list[OutboxItem]:
        if self.limit is not None:
            limit = max(0, self.limit - self.done) if limit is None else min(limit, max(0, self.limit - self.done))
            if limit == 0:
                return []
        return outbox.claim(channel, kinds=self.kinds, ids=self.ids, kept=kept, limit=limit, now=self.retry.now())

    def run(self) -> DeliverySummary:
        self.summary.uncertain = len(outbox.mark_uncertain_if_abandoned())
        if self._claimable_email():
            # Refuse at once (before claiming anything) when e-mail is needed and not set up.
            self.smtp = SmtpSession(SmtpSettings.from_settings())
        try:
            with self.smtp or nullcontext():
                self._send_email()
        finally:
            if self.smtp is not None:
                self.smtp.close()
        self._print_batch()
        return self.summary

    def _claimable_email(self) -> bool:
        from store.deliveries import has_pending

        if self.ids is not None:
            return any(outbox.get_item(i).channel == "email" for i in self.ids)
        return has_pending("email", self.kinds)

    def _send_email(self) -> None:
        while True:
            while item := next(iter(self._claim("email", True, 1)), None):
                self._send_kept(item)
            self._send_rendered()
            due = outbox.earliest_due(sorted(self.retrying))
            if due is None:
                return
            wait = (due - self.retry.now()).total_seconds()
            if wait > 0:
                self.retry.sleep(wait)

    def _send_kept(self, item: OutboxItem) -> None:
        """A failed message sent again: the very bytes that failed to go, never a fresh render."""
        assert item.delivery_id is not None
        pdf = delivered_pdf(item.delivery_id)
        self._send(item, _message_for(item, pdf, self.company, self._sender()), pdf)

    def _sender(self) -> str:
        return self.smtp.settings.sender if self.smtp else ""

    def _jobs(self, first: OutboxItem) -> Iterator[RenderJob]:
        books = books_file()
        item: OutboxItem | None = first
        while item is not None:
            self.claimed[item.id] = item
            try:
                yield _render_job(item, self.company, books, self._sender())
            except Exception as exc:  # one document that cannot be read fails alone
                self._fail(item, f"could not render: {exc}", None)
            item = next(iter(self._claim("email", False, 1)), None)

    def _send_rendered(self) -> None:
        first = next(iter(self._claim("email", False, 1)), None)
        if first is None:  # nothing to print: no render workers started for it
            return
        for key, result in render_many(self._jobs(first), processes=self.processes):
            item = self.claimed.pop(key)
            if isinstance(result, Exception):
                self._fail(item, f"could not render: {result}", None)
            elif isinstance(result, ReadyDocument):
                assert result.message is not None
                self._send(item, result.message, result.pdf)
            else:
                self._send(item, _message_for(item, result, self.company, self._sender()), result)

    def _send(self, item: OutboxItem, message: PreparedMessage | EmailMessage, pdf: bytes) -> None:
        assert self.smtp is not None
        try:
            self.smtp.send(message)
        except (OSError, smtplib.SMTPException) as exc:
            error = describe_failure(exc)
            if is_transient(exc) and item.attempts + 1 < self.retry.attempts:
                outbox.retry_later(item, error, self.retry.now() + self.retry.delay(item.attempts + 1))
                self.retrying.add(item.id)
                self._report(f"{_label(item)}: will try again ({error})")
            else:
                self._fail(item, error, pdf)
            return
        outbox.record_sent(item, pdf)  # at once: the server has it
        self.retrying.discard(item.id)
        self.summary.emailed += 1
        self._report(f"{_label(item)}: e-mailed to {item.recipient}")

    def _fail(self, item: OutboxItem, error: str, pdf: bytes | None) -> None:
        outbox.record_failed(item, error, pdf)
        self.retrying.discard(item.id)
        self.summary.failed.append((_label(item), error))
        self._report(f"{_label(item)}: failed ({error})")

    def _print_batch(self) -> None:
        items = self._claim("post", None, None)
        if not items:
            return
        company = self.company
        by_id = {i.id: i for i in items}
        rendered: list[tuple[OutboxItem, bytes]] = []
        jobs = [_render_job(i, company, books_file(), "") for i in items]
        for key, result in render_many(jobs, processes=self.processes):
            item = by_id[key]
            if isinstance(result, Exception):
                self._fail(item, f"could not render: {result}", None)
                continue
            rendered.append((item, result.pdf if isinstance(result, ReadyDocument) else result))
            self._report(f"{_label(item)}: to print")
        if not rendered:
            return
        rendered.sort(key=lambda pair: pair[0].id)
        batch = batch_name()
        path = write_print_batch(batch, rendered, self.print_dir or default_print_dir())
        for item, pdf in rendered:  # the file is whole on disk: each entry counts as delivered to print
            outbox.record_sent(item, pdf, batch=batch)
        self.summary.batch, self.summary.batch_file, self.summary.queued_for_print = batch, path, len(rendered)
