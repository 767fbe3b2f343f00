"""Delivering documents by each customer's channel, through the outbox: e-mail now, post in a print batch.

Posting a document or recording a dunning notice queued a row in the outbox (store/outbox.py);
these functions run a sender over it (exports/outbox_send.py). Any number of them may run at
once, from the command line or the application: each row is claimed by one, so each message
goes once. The render workers (exports.pdf.pool) read, print and build each e-mail on every core.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from exports.deliver_messages import InvoiceJob, ReadyDocument, default_print_dir, prepare_invoice
from exports.outbox_send import DeliverySummary, OutboxSender, Progress, RetryPolicy
from store import outbox
from store.db import books_file
from store.statement_runs import StatementQueueResult

__all__ = [
    "DeliverySummary",
    "InvoiceJob",
    "ReadyDocument",
    "RetryPolicy",
    "default_print_dir",
    "deliver_one",
    "deliver_pending",
    "prepare_invoice",
    "resend",
    "retry_failed",
    "send_dunning",
    "send_statements",
]


def deliver_pending(processes: int | None = None, progress: Progress | None = None, limit: int | None = None,
                    print_dir: Path | None = None, retry: RetryPolicy | None = None) -> DeliverySummary:
    """Send every queued e-mail and put every queued letter in a print batch."""
    return OutboxSender(processes=processes, progress=progress, limit=limit, print_dir=print_dir,
                        retry=retry).run()


def _books_file() -> str | None:
    """The SQLite file the books are in, for render workers to read documents from; None if there is none."""
    return books_file()


def retry_failed(progress: Progress | None = None, retry: RetryPolicy | None = None,
                 processes: int | None = None) -> DeliverySummary:
    """Send failed e-mails again, with the very bytes that failed to go (never a fresh render)."""
    outbox.requeue_failed("email")
    return OutboxSender(processes=processes, progress=progress, retry=retry, kinds=None).run()


def resend(item_id: int, progress: Progress | None = None, retry: RetryPolicy | None = None,
           print_dir: Path | None = None) -> DeliverySummary:
    """An operator's resend of an uncertain or failed message: queued again, then sent now."""
    from exports.email import SmtpSettings

    if outbox.get_item(item_id).channel == "email":
        SmtpSettings.from_settings()  # refused before the message leaves uncertain when e-mail is not set up
    outbox.resend(item_id)
    return OutboxSender(processes=1, progress=progress, retry=retry, ids=[item_id], print_dir=print_dir).run()


def deliver_one(number: str) -> str:
    """E-mail one posted document to its customer now (from the document screen); says what happened."""
    from store.errors import ValidationError

    try:
        item_id = outbox.queue_document_again(number)
    except ValidationError as exc:
        return f"{exc}; print {number} instead (w writes the PDF)"
    summary = OutboxSender(processes=1, ids=[item_id], retry=RetryPolicy(attempts=1)).run()
    if summary.failed:
        return f"Not sent: {summary.failed[0][1]}"
    item = outbox.get_item(item_id)
    return f"{number} e-mailed to {item.recipient}" if item.status == "sent" else f"{number}: {item.status}"


def send_dunning(as_of: dt.date, processes: int | None = None, progress: Progress | None = None,
                 print_dir: Path | None = None, retry: RetryPolicy | None = None) -> DeliverySummary:
    """Record this run's reminders (one per customer, each queued in the outbox with its notice),
    then send the queued reminders by each customer's channel."""
    from exports.email import SmtpSettings
    from store.dunning import preview_dunning, record_dunning

    proposals = preview_dunning(as_of)
    if any(p.channel == "email" for p in proposals):
        SmtpSettings.from_settings()  # refuse before recording any notice when e-mail is not set up
    for proposal in proposals:
        record_dunning(as_of, [proposal])  # each in its own transaction; a changed account is skipped
    return OutboxSender(processes=processes, progress=progress, kinds=["reminder"], print_dir=print_dir,
                        retry=retry).run()


def send_statements(as_of: dt.date, date_from: dt.date | None = None, processes: int | None = None,
                    progress: Progress | None = None, print_dir: Path | None = None,
                    retry: RetryPolicy | None = None) -> tuple[StatementQueueResult, DeliverySummary]:
    """Queue this run's statements (each with its outbox row; none twice), then send every queued
    statement by each customer's channel, printed on every core."""
    from exports.email import SmtpSettings
    from store.statement_runs import preview_statements, queue_statements

    if preview_statements(as_of, date_from).by_channel()["email"]:
        SmtpSettings.from_settings()  # refuse before queuing anything when e-mail is not set up
    queued = queue_statements(as_of, date_from, progress)
    return queued, OutboxSender(processes=processes, progress=_towards_waiting(progress, "statement"),
                                kinds=["statement"], print_dir=print_dir, retry=retry).run()


def _towards_waiting(progress: Progress | None, kind: str) -> Progress | None:
    """The sender counts what it has done; a bar runs to what waits in the outbox when it starts."""
    if progress is None:
        return None
    from store.deliveries import pending_documents

    waiting = sum(1 for p in pending_documents() if p.kind == kind)

    def report(done: int, _total: int, what: str) -> None:
        progress(done, max(waiting, done), what)

    return report
