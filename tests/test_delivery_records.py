"""Delivery in bulk: documents read and e-mails built in the render workers, attempts kept a batch
to a transaction (each still its own row, bytes, hash and audit event), and one failure costing
only itself."""
from __future__ import annotations

import hashlib

import pytest

from exports import deliver
from exports.deliver import InvoiceJob, ReadyDocument, _Keeper, deliver_pending
from exports.email import PreparedMessage, build_message, prepare_message
from exports.from_books import company_profile
from exports.pdf import RenderError
from exports.pdf.pool import RenderJob, render_many
from store import deliveries
from store.deliveries import DeliveryAttempt, PendingDocument, record_deliveries
from store.errors import NotFound, ValidationError
from store.models import AuditEvent, Delivery
from store.verify import check_audit_chain
from tests.conftest import line, post
from tests.test_delivery import attachment_of, smtp, three  # noqa: F401 - fixtures


def test_several_attempts_are_kept_in_one_call_each_with_its_bytes_hash_and_audit_event(three) -> None:
    numbers = list(three.values())
    accounts = [deliveries.deliveries_of(n) for n in numbers]  # nothing yet
    assert accounts == [[], [], []]
    from store.models import Invoice

    rows = {i.number: i.customer.account_no for i in Invoice.select().where(Invoice.number.in_(numbers))}
    before = AuditEvent.select().count()
    attempts = [DeliveryAttempt(n, rows[n], "invoice", "email", f"to{k}@x.example", f"pdf {k}".encode(),
                                "sent" if k != 1 else "failed", message_id=f"<m{k}@x>" if k != 1 else "",
                                error="550 no" if k == 1 else "") for k, n in enumerate(numbers)]
    ids = record_deliveries(attempts)
    assert len(ids) == 3 and ids == sorted(ids)
    for k, (n, delivery_id) in enumerate(zip(numbers, ids)):
        [row] = deliveries.deliveries_of(n)
        assert row.id == delivery_id and row.recipient == f"to{k}@x.example"
        assert row.pdf_sha256 == hashlib.sha256(f"pdf {k}".encode()).hexdigest()
        assert deliveries.delivered_pdf(delivery_id) == f"pdf {k}".encode()
    events = list(AuditEvent.select().where(AuditEvent.id > 0).order_by(AuditEvent.id))[before:]
    assert [(e.action, e.entity_id) for e in events] == [
        ("delivery.sent", str(ids[0])), ("delivery.failed", str(ids[1])), ("delivery.sent", str(ids[2]))]
    assert events[1].after["error"] == "550 no" and events[0].after["sha256"] == deliveries.deliveries_of(
        numbers[0])[0].pdf_sha256
    assert check_audit_chain() == []


def test_a_batch_with_one_bad_attempt_keeps_none_and_says_why(three) -> None:
    from store.models import Invoice

    number = three["mail1"]
    account = Invoice.get(Invoice.number == number).customer.account_no
    good = DeliveryAttempt(number, account, "invoice", "email", "a@x.example", b"x", "sent")
    bad = DeliveryAttempt(number, "C-NOPE", "invoice", "email", "a@x.example", b"x", "sent")
    events = AuditEvent.select().count()
    with pytest.raises(NotFound, match="C-NOPE"):
        record_deliveries([good, bad])
    assert AuditEvent.select().count() == events
    with pytest.raises(ValidationError):
        record_deliveries([DeliveryAttempt(number, "C-NOPE", "invoice", "email", "a@x.example", b"x", "lost")])
    assert Delivery.select().count() == 0 and record_deliveries([]) == []


def test_the_keeper_keeps_the_good_attempts_when_one_cannot_be_kept(three) -> None:
    from store.models import Invoice

    account = Invoice.get(Invoice.number == three["mail1"]).customer.account_no
    keeper = _Keeper(size=10, seconds=60)
    items = [PendingDocument(three["mail1"], "invoice", account, "Kestrel", "email", "ap@kestrel.example"),
             PendingDocument(three["mail2"], "invoice", "C-GONE", "Gone", "email", "gone@x.example"),
             PendingDocument(three["paper"], "invoice", account, "Kestrel", "email", "ap@kestrel.example")]
    for item in items:
        keeper.keep(item, DeliveryAttempt(item.number, item.account_no, "invoice", "email", item.email, b"%PDF",
                                          "sent", message_id="<x@y>"))
    assert Delivery.select().count() == 0  # waiting for the batch to fill
    with pytest.raises(NotFound, match="C-GONE"):
        keeper.save()
    assert [len(i.delivery_ids) for i in items] == [1, 0, 1]
    assert Delivery.select().count() == 2 and check_audit_chain() == []


def test_the_keeper_saves_a_batch_when_it_is_full_or_old(three) -> None:
    from store.models import Invoice

    account = Invoice.get(Invoice.number == three["mail1"]).customer.account_no
    item = PendingDocument(three["mail1"], "invoice", account, "Kestrel", "email", "ap@kestrel.example")
    attempt = DeliveryAttempt(item.number, account, "invoice", "email", item.email, b"%PDF", "sent")
    keeper = _Keeper(size=2, seconds=60)
    keeper.keep(item, attempt)
    assert Delivery.select().count() == 0
    keeper.keep(item, attempt)
    assert Delivery.select().count() == 2
    old = _Keeper(size=100, seconds=0)
    old.keep(item, attempt)
    assert Delivery.select().count() == 3 and len(item.delivery_ids) == 3


def test_a_document_the_worker_cannot_read_fails_alone(three) -> None:
    books = deliver.books_file()
    assert books is not None  # the tests' books are a file: the workers read the documents themselves
    company = company_profile()
    jobs = [RenderJob(n, "invoice_email", InvoiceJob(n, "invoice", books, None, to, "Someone", "billing@x.example"),
                      company)
            for n, to in ((three["mail1"], "ap@kestrel.example"), ("INV-999999", "a@x.example"),
                          (three["paper"], ""))]
    results = dict(render_many(jobs, processes=2))
    assert isinstance(results["INV-999999"], RenderError) and "no such invoice" in str(results["INV-999999"])
    ready = results[three["mail1"]]
    assert isinstance(ready, ReadyDocument) and ready.pdf.startswith(b"%PDF")
    assert isinstance(ready.message, PreparedMessage) and ready.message.recipients == ("ap@kestrel.example",)
    assert ready.message.sender == "billing@x.example" and ready.message.data.count(b"\r\n") > 100
    assert isinstance(results[three["paper"]], ReadyDocument) and results[three["paper"]].message is None


def test_without_a_file_for_the_workers_the_documents_are_read_here(smtp, three, tmp_path, monkeypatch) -> None:
    inbox, _running = smtp
    monkeypatch.setattr(deliver, "books_file", lambda: None)
    summary = deliver_pending(processes=1, print_dir=tmp_path)
    assert (summary.emailed, summary.queued_for_print, summary.failed) == (2, 1, [])
    for _to, message in inbox.messages:
        number = message["Subject"].rsplit(" ", 1)[1]
        assert deliveries.deliveries_of(number)[0].pdf_sha256 == hashlib.sha256(attachment_of(message)).hexdigest()


def test_many_invoices_go_each_kept_once_with_an_unbroken_audit_chain(smtp, books, tmp_path) -> None:
    from store.customers import CustomerData, create_customer

    inbox, _running = smtp
    account = create_customer(CustomerData(name="Bulk Buyer", email="ap@bulk.example")).account_no
    numbers = [post(account, line(price=100 + n)).number for n in range(deliver.RECORD_BATCH + 7)]
    summary = deliver_pending(processes=2, print_dir=tmp_path)
    assert summary.emailed == len(numbers) and len(inbox.messages) == len(numbers)
    sent = {m["Message-ID"]: hashlib.sha256(attachment_of(m)).hexdigest() for _to, m in inbox.messages}
    for number in numbers:
        [row] = deliveries.deliveries_of(number)
        assert row.status == "sent" and sent[row.message_id] == row.pdf_sha256
    assert deliveries.pending_documents() == [] and check_audit_chain() == []


def test_a_prepared_message_is_the_bytes_send_message_would_send() -> None:
    message = build_message("billing@x.example", "ap@kestrel.example", "Invoice INV-1", "Dear Zoë,\n.\n..dots",
                            "INV-1.pdf", b"%PDF-1.4 " + bytes(range(256)) * 40)
    prepared = prepare_message(message)
    assert prepared is not None and prepared.message_id == message["Message-ID"]
    assert prepared.sender == "billing@x.example" and prepared.recipients == ("ap@kestrel.example",)
    assert prepared.data == message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    assert prepare_message(build_message("billing@x.example", "zoë@ångström.example", "s", "b", "f.pdf", b"x")) \
        is None  # SMTPUTF8: sent as a message, as before
