"""What goes out for a statement's outbox row: the statement read from the journal, printed, and its e-mail.

As with invoices, the work is done in the render workers (`prepare_statement`, run through the
pool's TASKS): each worker opens the books to read, builds the statement, prints it and makes the
bytes that go on the wire, so a statement run uses every core. On PostgreSQL (no file to hand a
worker) the statement is read here and only printed there.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage

from exports.deliver_messages import ReadyDocument, open_worker_books
from exports.documents import Company, StatementDoc
from exports.email import build_message, prepare_message
from exports.from_books import statement_document
from exports.pdf import DEFAULT_LIMITS, RenderLimits
from exports.pdf.pool import RenderJob
from store.money import format_money
from store.outbox import OutboxItem
from store.statement_runs import statement_of_item


@dataclass(frozen=True, slots=True)
class StatementJob:
    """What a render worker needs to make one statement ready to deliver."""
    account_no: str
    date_from: dt.date
    date_to: dt.date
    books: str | None  # the SQLite file the worker reads the statement from; None: `doc` is given
    doc: StatementDoc | None
    to: str  # the e-mail address, or "" when it goes by post
    customer_name: str
    sender: str
    message_id: str


def prepare_statement(job: StatementJob, company: Company, *, limits: RenderLimits = DEFAULT_LIMITS
                      ) -> ReadyDocument:
    """In a render worker: read the statement, print it, and build its e-mail as the bytes to send."""
    from exports.pdf import render_statement

    doc = job.doc
    if doc is None:
        open_worker_books(job.books)
        doc = statement_document(job.account_no, job.date_from, job.date_to)
    pdf = render_statement(doc, company, limits=limits)
    if not job.to:
        return ReadyDocument(pdf, None)
    subject, body, filename = statement_message(job.account_no, job.customer_name, doc, company)
    message = build_message(job.sender, job.to, subject, body, filename, pdf, job.message_id)
    return ReadyDocument(pdf, prepare_message(message) or message)


def statement_message(account_no: str, customer_name: str, doc: StatementDoc, company: Company
                      ) -> tuple[str, str, str]:
    """Subject, body and attachment name of a statement's e-mail."""
    balance = format_money(doc.closing_balance_minor, doc.currency)
    body = (f"Dear {customer_name},\n\nPlease find attached the statement of account {account_no} from "
            f"{doc.period_from.isoformat()} to {doc.period_to.isoformat()}: the balance on "
            f"{doc.period_to.isoformat()} is {balance}.\n\nIf you have any questions about it, reply to this e-mail "
            f"or call us on {company.phone or 'the number on the statement'}.\n\nKind regards,\n{company.name}\n")
    return (f"{company.name}: statement of account {account_no} to {doc.period_to.isoformat()}", body,
            f"statement-{account_no}-{doc.period_to.isoformat()}.pdf")


def statement_render_job(item: OutboxItem, company: Company, books: str | None, sender: str) -> RenderJob:
    """The render job of a statement's outbox row, keyed by the row's id."""
    account_no, date_from, date_to = statement_of_item(item.id)
    to = item.recipient if item.channel == "email" else ""
    doc = None if books else statement_document(account_no, date_from, date_to)
    job = StatementJob(account_no, date_from, date_to, books, doc, to, item.customer_name, sender, item.message_id)
    return RenderJob(item.id, "statement_email", job, company)


def statement_message_for(item: OutboxItem, pdf: bytes, company: Company, sender: str) -> EmailMessage:
    """The e-mail of a statement whose PDF is at hand (the bytes kept from a failed attempt)."""
    account_no, date_from, date_to = statement_of_item(item.id)
    subject, body, filename = statement_message(account_no, item.customer_name,
                                                statement_document(account_no, date_from, date_to), company)
    return build_message(sender, item.recipient, subject, body, filename, pdf, item.message_id)
