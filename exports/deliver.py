"""Delivering documents by each customer's channel: e-mail now, post in a print batch.

The render workers (exports.pdf.pool) do each document's own work on every core: read it from
the books, print it, and build the e-mail ready to go on the wire. This process only sends, in
order, one connection for the batch, and keeps every attempt with its exact bytes, a few dozen
attempts to a transaction (each still its own delivery row with its own audit event), so a
failure of one is recorded and the batch goes on. The end says how many went, how many failed
and why.
"""
from __future__ import annotations

import datetime as dt
import io
import smtplib
import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from exports.documents import Company, InvoiceDoc
from exports.email import PreparedMessage, SmtpSession, SmtpSettings, body_text, build_message, prepare_message
from exports.from_books import company_profile, invoice_document
from exports.pdf import DEFAULT_LIMITS, RenderLimits
from exports.pdf.pool import RenderJob, render_many
from store import clock, deliveries
from store.db import books_file, open_books_to_read
from store.deliveries import DeliveryAttempt, PendingDocument
from store.money import format_money

Progress = Callable[[int, int, str], None]  # done, total, what just happened

# Delivery attempts are kept a batch to a transaction: at most this many, and none waits longer
# than RECORD_SECONDS (a commit per e-mail cost more than sending it).
RECORD_BATCH = 50
RECORD_SECONDS = 1.0


@dataclass
class DeliverySummary:
    emailed: int = 0
    queued_for_print: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    batch: str | None = None
    batch_file: Path | None = None

    def line(self) -> str:
        parts = [f"{self.emailed} e-mailed", f"{self.queued_for_print} in print batch {self.batch}"
                 if self.batch else "0 to print", f"{len(self.failed)} failed"]
        return ", ".join(parts)

    def outcome(self, failures: int | None = None) -> str:
        """The line, each failure (the first `failures` of them) and what to do with a print batch."""
        lines = [self.line()] + [f"  failed {what}: {error}" for what, error in self.failed[:failures]]
        if failures is not None and len(self.failed) > failures:
            lines.append(f"  ... and {len(self.failed) - failures} more failed")
        if self.batch_file:
            lines.append(f"print {self.batch_file}, then: billfold deliver --confirm-print {self.batch}")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class InvoiceJob:
    """What a render worker needs to make one invoice or credit note ready to deliver."""
    number: str
    kind: str
    books: str | None  # the SQLite file the worker reads the document from; None: `doc` is given
    doc: InvoiceDoc | None
    to: str  # the e-mail address, or "" when it goes by post
    customer_name: str
    sender: str


@dataclass(frozen=True, slots=True)
class ReadyDocument:
    pdf: bytes
    message: PreparedMessage | EmailMessage | None  # None: it goes by post


def deliver_pending(processes: int | None = None, progress: Progress | None = None, limit: int | None = None,
                    print_dir: Path | None = None) -> DeliverySummary:
    """Render every undelivered posted document on all cores and deliver it by its customer's channel."""
    pending = {p.number: p for p in deliveries.pending_documents(limit)}
    summary = DeliverySummary()
    if not pending:
        return summary
    # Refuse at once (before rendering anything) when e-mail is needed and not set up.
    settings = SmtpSettings.from_settings() if any(p.channel == "email" and p.email for p in pending.values()) \
        else None
    company = company_profile()
    books = books_file()

    def jobs() -> Iterator[RenderJob]:
        # Without a file the workers can read (PostgreSQL, an in-memory database) each document is
        # read here, as the renderers free up, so reading overlaps rendering on the other cores.
        for item in pending.values():
            to = "" if item.channel == "post" or not item.email else item.email
            job = InvoiceJob(item.number, item.kind, books, None if books else invoice_document(item.number), to,
                             item.customer_name, settings.sender if settings else "")
            yield RenderJob(item.number, "invoice_email", job, company)

    to_print: list[tuple[PendingDocument, bytes]] = []
    keep = _Keeper()
    try:
        with SmtpSession(settings) if settings else nullcontext() as smtp:  # type: ignore[attr-defined]
            results = render_many(jobs(), processes=processes, idle=(RECORD_SECONDS, keep.save))
            for done, (number, result) in enumerate(results, 1):
                item = pending[number]
                if isinstance(result, Exception):
                    summary.failed.append((number, f"could not render: {result}"))
                    _report(progress, done, len(pending), f"{number}: not rendered ({result})")
                    continue
                if result.message is None:
                    to_print.append((item, result.pdf))
                    _report(progress, done, len(pending), f"{number}: to print")
                    continue
                error = keep.send(smtp, item, result.message, result.pdf)
                if error:
                    summary.failed.append((number, error))
                    _report(progress, done, len(pending), f"{number}: failed ({error})")
                else:
                    summary.emailed += 1
                    _report(progress, done, len(pending), f"{number}: e-mailed to {item.email}")
    finally:
        keep.save()  # whatever happened, every attempt made is kept
    if to_print:
        summary.batch, summary.batch_file = _print_batch(to_print, print_dir)
        summary.queued_for_print = len(to_print)
    return summary


_worker_books: str | None = None


def prepare_invoice(job: InvoiceJob, company: Company, *, limits: RenderLimits = DEFAULT_LIMITS) -> ReadyDocument:
    """In a render worker: read the document, print it, and build its e-mail as the bytes to send."""
    from exports.pdf import render_invoice

    global _worker_books
    doc = job.doc
    if doc is None:
        if job.books and _worker_books != job.books:
            open_books_to_read(job.books)  # this worker only reads
            _worker_books = job.books
        doc = invoice_document(job.number)
    pdf = render_invoice(doc, company, limits=limits)
    if not job.to:
        return ReadyDocument(pdf, None)
    item = PendingDocument(job.number, job.kind, doc.customer.account_no, job.customer_name, "email", job.to)
    message = build_message(job.sender, job.to, *_invoice_message(item, doc, company.name, company.phone), pdf)
    return ReadyDocument(pdf, prepare_message(message) or message)


class _Keeper:
    """Sends in order and keeps each attempt with its exact bytes, saving them a batch to a transaction."""

    def __init__(self, size: int = RECORD_BATCH, seconds: float = RECORD_SECONDS) -> None:
        self.size, self.seconds = size, seconds
        self.waiting: list[tuple[PendingDocument, DeliveryAttempt]] = []
        self.since = 0.0

    def send(self, smtp: SmtpSession, item: PendingDocument, message: PreparedMessage | EmailMessage,
             pdf: bytes) -> str:
        """Send one message and keep the attempt; returns the error, '' when it went."""
        try:
            message_id, status, error = smtp.send(message), "sent", ""
        except (OSError, smtplib.SMTPException) as exc:
            message_id, status, error = "", "failed", f"{type(exc).__name__}: {exc}"
        self.keep(item, DeliveryAttempt(item.number or None, item.account_no, item.kind, "email", item.email, pdf,
                                        status, message_id=message_id, error=error))
        return error

    def keep(self, item: PendingDocument, attempt: DeliveryAttempt) -> None:
        if not self.waiting:
            self.since = time.monotonic()
        self.waiting.append((item, attempt))
        if len(self.waiting) >= self.size or time.monotonic() - self.since >= self.seconds:
            self.save()

    def save(self) -> None:
        batch, self.waiting = self.waiting, []
        if not batch:
            return
        try:
            ids = deliveries.record_deliveries([attempt for _item, attempt in batch])
        except Exception:
            # One attempt that cannot be kept must not cost the others theirs: each on its own,
            # then the first failure is raised.
            failure: Exception | None = None
            for item, attempt in batch:
                try:
                    item.delivery_ids.extend(deliveries.record_deliveries([attempt]))
                except Exception as exc:
                    failure = failure or exc
            if failure is not None:
                raise failure from None
            return
        for (item, _attempt), delivery_id in zip(batch, ids, strict=True):
            item.delivery_ids.append(delivery_id)


def _report(progress: Progress | None, done: int, total: int, what: str) -> None:
    if progress:
        progress(done, total, what)


def _invoice_message(item: PendingDocument, doc: InvoiceDoc, company: str, phone: str) -> tuple[str, str, str]:
    """Subject, body and attachment name of an invoice's or credit note's e-mail."""
    what = "credit note" if item.kind == "credit_note" else "invoice"
    body = body_text(name=item.customer_name, what=what, number=item.number,
                     amount=format_money(doc.total_minor, doc.currency),
                     due=doc.due_date.isoformat() if doc.due_date else "", reference=doc.reference,
                     phone=phone or "the number on the invoice", company=company)
    return f"{company}: {what} {item.number}", body, f"{item.number}.pdf"


def _email(smtp: SmtpSession, item: PendingDocument, doc, pdf: bytes, company: str, phone: str
           ) -> str:
    if item.kind == "reminder":
        return _email_reminder(smtp, item, doc, pdf, company)
    return _send_and_record(smtp, item, *_invoice_message(item, doc, company, phone), pdf)


def _send_and_record(smtp: SmtpSession, item: PendingDocument, subject: str, body: str, filename: str,
                     pdf: bytes) -> str:
    """Send one message and keep the attempt with the exact bytes; returns the error, '' when it went."""
    message = build_message(smtp.settings, item.email, subject, body, filename, pdf)
    try:
        message_id, status, error = smtp.send(message), "sent", ""
    except (OSError, smtplib.SMTPException) as exc:
        message_id, status, error = "", "failed", f"{type(exc).__name__}: {exc}"
    row = deliveries.record_delivery(item.number or None, item.account_no, item.kind, "email", item.email, pdf,
                                     status, message_id=message_id, error=error)
    item.delivery_ids.append(row.id)
    return error


def deliver_one(number: str) -> str:
    """E-mail one posted document to its customer now (from the document screen); says what happened."""
    from exports.pdf import render_invoice
    from store.queries import customer_view

    doc = invoice_document(number)
    view = customer_view(doc.customer.account_no)
    if not view.email:
        return f"{view.account_no} has no e-mail address; print {number} instead (w writes the PDF)"
    company = company_profile()
    pdf = render_invoice(doc, company)
    item = PendingDocument(doc.number, doc.kind, view.account_no, view.name, "email", view.email)
    with SmtpSession(SmtpSettings.from_settings()) as smtp:
        error = _email(smtp, item, doc, pdf, company.name, company.phone)
    return f"Not sent: {error}" if error else f"{number} e-mailed to {view.email}"


def _email_reminder(smtp: SmtpSession, item: PendingDocument, doc, pdf: bytes, company: str) -> str:
    from exports.documents import REMINDER_TITLES

    title = REMINDER_TITLES[doc.level]
    body = (f"Dear {item.customer_name},\n\n{doc.text or ''}Please find attached our {title.lower()}: "
            f"{len(doc.items)} overdue invoice(s), {format_money(doc.total_due_minor, doc.currency)} in all.\n\n"
            f"Kind regards,\n{company}\n")
    return _send_and_record(smtp, item, f"{company}: {title} for account {item.account_no}", body,
                            f"reminder-{item.account_no}.pdf", pdf)


def send_dunning(as_of: dt.date, processes: int | None = None, progress: Progress | None = None,
                 print_dir: Path | None = None) -> DeliverySummary:
    """Record this run's reminders (one per customer) and send each by the customer's channel."""
    from exports.from_books import reminder_document
    from store.dunning import preview_dunning, record_dunning
    from store.queries import customer_view

    summary = DeliverySummary()
    recorded: dict[str, tuple[int, PendingDocument]] = {}
    jobs = []
    company = company_profile()
    docs = {}
    proposals = preview_dunning(as_of)
    # Refuse before recording any notice when e-mail is needed and not set up.
    smtp: SmtpSession | None = SmtpSession(SmtpSettings.from_settings()) if any(
        p.channel == "email" for p in proposals) else None
    for proposal in proposals:
        ids = record_dunning(as_of, [proposal])  # each in its own transaction; a changed account is skipped
        if not ids:
            continue
        view = customer_view(proposal.account_no)
        item = PendingDocument("", "reminder", view.account_no, view.name, view.channel, view.email)
        recorded[view.account_no] = (ids[0], item)
        docs[view.account_no] = reminder_document(view.account_no, min(proposal.level, 3), as_of,
                                                  [i.invoice for i in proposal.items])
        jobs.append(RenderJob(view.account_no, "reminder", docs[view.account_no], company))
    to_print: list[tuple[PendingDocument, bytes]] = []
    for n, (account, result) in enumerate(render_many(jobs, processes=processes), 1):
        notice_id, item = recorded[account]
        if isinstance(result, Exception):
            summary.failed.append((account, f"could not render: {result}"))
            continue
        if item.channel == "post" or not item.email:
            to_print.append((item, result))
            _report(progress, n, len(jobs), f"{account}: reminder to print")
            continue
        assert smtp is not None
        error = _email(smtp, item, docs[account], result, company.name, company.phone)
        if item.delivery_ids:
            deliveries.link_notice(notice_id, item.delivery_ids[-1])
        if error:
            summary.failed.append((account, error))
        else:
            summary.emailed += 1
        _report(progress, n, len(jobs), f"{account}: reminder {'failed: ' + error if error else 'e-mailed'}")
    if smtp is not None:
        smtp.close()
    if to_print:
        summary.batch, summary.batch_file = _print_batch(to_print, print_dir)
        summary.queued_for_print = len(to_print)
        for item, _pdf in to_print:
            deliveries.link_notice(recorded[item.account_no][0], item.delivery_ids[-1])
    return summary


def retry_failed(progress: Progress | None = None) -> DeliverySummary:
    """Send failed e-mails again, with the very bytes that failed to go (never a fresh render)."""
    summary = DeliverySummary()
    failed = [d for d in deliveries.failed_deliveries() if d.channel == "email"]
    if not failed:
        return summary
    smtp = SmtpSession(SmtpSettings.from_settings())
    company = company_profile()
    for n, d in enumerate(failed, 1):
        pdf = deliveries.delivered_pdf(d.id)
        doc = invoice_document(d.number) if d.number else None
        what = "credit note" if d.kind == "credit_note" else "invoice"
        body = body_text(name=doc.customer.name if doc else "", what=what, number=d.number or "",
                         amount=format_money(doc.total_minor, doc.currency) if doc else "",
                         due=doc.due_date.isoformat() if doc and doc.due_date else "",
                         reference=doc.reference if doc else "", phone=company.phone or "", company=company.name)
        message = build_message(smtp.settings, d.recipient, f"{company.name}: {what} {d.number}", body,
                                f"{d.number}.pdf", pdf)
        try:
            message_id = smtp.send(message)
        except (OSError, smtplib.SMTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
            deliveries.record_retry(d.id, "failed", error=error)
            summary.failed.append((d.number or str(d.id), error))
            _report(progress, n, len(failed), f"{d.number}: failed again ({error})")
            continue
        deliveries.record_retry(d.id, "sent", message_id=message_id)
        summary.emailed += 1
        _report(progress, n, len(failed), f"{d.number}: e-mailed to {d.recipient}")
    smtp.close()
    return summary


def default_print_dir() -> Path:
    """The print_spool setting (an admin's), else `print` in the user data folder."""
    from platformdirs import user_data_path

    from store.settings import get_setting

    spool = get_setting("print_spool")
    return Path(spool).expanduser() if spool else user_data_path("billfold", appauthor=False) / "print"


def _print_batch(items: list[tuple[PendingDocument, bytes]], print_dir: Path | None) -> tuple[str, Path]:
    """One PDF, every document starting on an odd page (for duplex), and a list of what is in it."""
    from pypdf import PdfReader, PdfWriter

    batch = f"PB-{clock.now().astimezone():%Y%m%d-%H%M%S}"
    writer = PdfWriter()
    listing = [f"Print batch {batch}: {len(items)} documents", ""]
    for item, pdf in items:
        if len(writer.pages) % 2:
            first = PdfReader(io.BytesIO(pdf)).pages[0]
            writer.add_blank_page(width=first.mediabox.width, height=first.mediabox.height)
        start = len(writer.pages) + 1
        writer.append(PdfReader(io.BytesIO(pdf)))
        listing.append(f"page {start:>4}  {item.number or item.kind:12} {item.account_no}  {item.customer_name}")
    ids = deliveries.record_deliveries([DeliveryAttempt(item.number or None, item.account_no, item.kind, "post",
                                                        item.customer_name, pdf, "pending", batch=batch)
                                        for item, pdf in items])
    for (item, _pdf), delivery_id in zip(items, ids, strict=True):
        item.delivery_ids.append(delivery_id)
    folder = print_dir or default_print_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{batch}.pdf"
    with path.open("wb") as out:
        writer.write(out)
    (folder / f"{batch}.txt").write_text("\n".join(listing) + "\n")
    return batch, path

