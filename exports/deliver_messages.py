"""What goes out for one outbox row: its PDF, its e-mail, and print batches on disk.

Invoices and credit notes are read, printed and made into the bytes that go on the wire in the
render workers (prepare_invoice); reminders are printed there and their e-mail built here. A
print batch is written to a temporary name and renamed, so a batch file on disk is always whole.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from exports.documents import REMINDER_TITLES, Company, InvoiceDoc, ReminderDoc
from exports.email import PreparedMessage, body_text, build_message, prepare_message
from exports.from_books import invoice_document, reminder_document
from exports.pdf import DEFAULT_LIMITS, RenderLimits
from exports.pdf.pool import RenderJob
from store import clock
from store.money import format_money
from store.outbox import OutboxItem, notice_of


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
    message_id: str | None = None  # fixed when the outbox row was queued


@dataclass(frozen=True, slots=True)
class ReadyDocument:
    pdf: bytes
    message: PreparedMessage | EmailMessage | None  # None: it goes by post


_worker_books: str | None = None


def open_worker_books(books: str | None) -> None:
    """In a render worker: open the books file named (to read only), once per worker."""
    global _worker_books
    from store.db import open_books_to_read

    if books and _worker_books != books:
        open_books_to_read(books)  # this worker only reads
        _worker_books = books


def prepare_invoice(job: InvoiceJob, company: Company, *, limits: RenderLimits = DEFAULT_LIMITS) -> ReadyDocument:
    """In a render worker: read the document, print it, and build its e-mail as the bytes to send."""
    from exports.pdf import render_invoice

    doc = job.doc
    if doc is None:
        open_worker_books(job.books)
        doc = invoice_document(job.number)
    pdf = render_invoice(doc, company, limits=limits)
    if not job.to:
        return ReadyDocument(pdf, None)
    subject, body, filename = invoice_message(job.kind, job.number, job.customer_name, doc, company)
    message = build_message(job.sender, job.to, subject, body, filename, pdf, job.message_id)
    return ReadyDocument(pdf, prepare_message(message) or message)


def invoice_message(kind: str, number: str, customer_name: str, doc: InvoiceDoc, company: Company
                    ) -> tuple[str, str, str]:
    """Subject, body and attachment name of an invoice's or credit note's e-mail."""
    what = "credit note" if kind == "credit_note" else "invoice"
    body = body_text(name=customer_name, what=what, number=number,
                     amount=format_money(doc.total_minor, doc.currency),
                     due=doc.due_date.isoformat() if doc.due_date else "", reference=doc.reference,
                     phone=company.phone or "the number on the invoice", company=company.name)
    return f"{company.name}: {what} {number}", body, f"{number}.pdf"


def reminder_message(item: OutboxItem, doc: ReminderDoc, company: Company) -> tuple[str, str, str]:
    title = REMINDER_TITLES[doc.level]
    body = (f"Dear {item.customer_name},\n\n{doc.text or ''}Please find attached our {title.lower()}: "
            f"{len(doc.items)} overdue invoice(s), {format_money(doc.total_due_minor, doc.currency)} in all.\n\n"
            f"Kind regards,\n{company.name}\n")
    return (f"{company.name}: {title} for account {item.account_no}", body, f"reminder-{item.account_no}.pdf")


def reminder_of(item: OutboxItem) -> ReminderDoc:
    level, on, numbers = notice_of(item)
    return reminder_document(item.account_no, min(level, 3), on, numbers)


def render_job(item: OutboxItem, company: Company, books: str | None, sender: str) -> RenderJob:
    """The render job of an outbox row, keyed by the row's id."""
    if item.kind == "reminder":
        return RenderJob(item.id, "reminder", reminder_of(item), company)
    to = item.recipient if item.channel == "email" else ""
    job = InvoiceJob(item.number or "", item.kind, books, None if books else invoice_document(item.number or ""),
                     to, item.customer_name, sender, item.message_id)
    return RenderJob(item.id, "invoice_email", job, company)


def message_for(item: OutboxItem, pdf: bytes, company: Company, sender: str) -> EmailMessage:
    """The e-mail of a row whose PDF is at hand (a reminder, or bytes kept from a failed attempt)."""
    if item.kind == "reminder":
        subject, body, filename = reminder_message(item, reminder_of(item), company)
    else:
        doc = invoice_document(item.number or "")
        subject, body, filename = invoice_message(item.kind, item.number or "", doc.customer.name, doc, company)
    return build_message(sender, item.recipient, subject, body, filename, pdf, item.message_id)


def default_print_dir() -> Path:
    """The print_spool setting (an admin's), else `print` in the user data folder."""
    from platformdirs import user_data_path

    from store.settings import get_setting

    spool = get_setting("print_spool")
    return Path(spool).expanduser() if spool else user_data_path("billfold", appauthor=False) / "print"


def batch_name(now: dt.datetime | None = None) -> str:
    """Unique whoever else prints in the same second: the time, then a random part."""
    return f"PB-{(now or clock.now().astimezone()):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}"


def _write_whole(path: Path, data: bytes) -> None:
    """Written under a temporary name, flushed to disk, then renamed: never half a file by its name."""
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    with part.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(part, path)


def write_print_batch(batch: str, items: list[tuple[OutboxItem, bytes]], folder: Path) -> Path:
    """One PDF, every document starting on an odd page (for duplex), and a list of what is in it."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    listing = [f"Print batch {batch}: {len(items)} documents", ""]
    for item, pdf in items:
        if len(writer.pages) % 2:
            first = PdfReader(io.BytesIO(pdf)).pages[0]
            writer.add_blank_page(width=first.mediabox.width, height=first.mediabox.height)
        start = len(writer.pages) + 1
        writer.append(PdfReader(io.BytesIO(pdf)))
        listing.append(f"page {start:>4}  {item.number or item.kind:12} {item.account_no}  {item.customer_name}")
    folder.mkdir(parents=True, exist_ok=True)
    with io.BytesIO() as out:
        writer.write(out)
        data = out.getvalue()
    _write_whole(folder / f"{batch}.txt", ("\n".join(listing) + "\n").encode())
    path = folder / f"{batch}.pdf"
    _write_whole(path, data)
    return path
