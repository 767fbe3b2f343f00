"""The audit trail: filters, tampering found by comparing events with rows, and anchors."""
from __future__ import annotations

import datetime as dt
import json

from store import clock, payments
from store.audit import event_hash, timestamp_text
from store.audit_trail import audit_events, chain_head, chain_passes_through
from store.models import AuditEvent, database_proxy
from store.session import set_operator
from store.settings import set_setting
from store.verify import verify_books
from tests.conftest import post


def sql(statement: str, *params: object) -> None:
    database_proxy.obj.execute_sql(statement, params)


def rehash_chain() -> None:
    """What someone with the file would do after editing: recompute every hash so the chain holds."""
    sql("DROP TRIGGER IF EXISTS audit_event_no_update")
    prev = "0" * 64
    for event in AuditEvent.select().order_by(AuditEvent.id):
        digest = event_hash(prev, timestamp_text(event.at), event.operator, event.action, event.entity,
                            event.entity_id, event.customer_id, event.before, event.after)
        sql("UPDATE audit_event SET prev_hash = ?, hash = ? WHERE id = ?", prev, digest, event.id)
        prev = digest
    sql("UPDATE audit_head SET last_hash = ?, count = (SELECT COUNT(*) FROM audit_event)", prev)


def activity(customer: str) -> str:
    set_operator("alice")
    number = post(customer).number
    set_operator("bob")
    pay = payments.record_payment(payments.PaymentInput(1200, "GBP", "cash", dt.date(2026, 11, 2), customer))
    payments.allocate_payment(pay.number, [(number, 1200)])
    return number


def test_filters_by_operator_day_and_document(customer: str) -> None:
    number = activity(customer)
    set_operator("ada")
    set_setting("refund_approval_minor", "70000")
    by_bob = audit_events(operator="bob")
    assert [e.action for e in by_bob] == ["payment.record", "payment.allocate"]
    assert by_bob[0].account_no == customer and by_bob[0].after["amount_minor"] == 1200
    about = audit_events(document=number.lower())
    assert [(e.operator, e.action) for e in about] == [("alice", "invoice.post"), ("bob", "payment.allocate")]
    change = audit_events(operator="ada")[0]
    assert (change.before, change.after) == ({"value": "50000"}, {"value": "70000", "limit_raised_from": 50000})
    assert len(audit_events(since=clock.today())) == len(audit_events())
    assert audit_events(since=clock.today() + dt.timedelta(days=1)) == []


def test_a_changed_row_is_found_even_after_the_chain_is_rehashed(customer: str) -> None:
    activity(customer)
    set_operator("ada")
    set_setting("refund_approval_minor", "50000")
    assert verify_books() == []
    sql("UPDATE setting SET value = '99999999' WHERE key = 'refund_approval_minor'")
    sql("DROP TRIGGER IF EXISTS payment_no_update")
    sql("UPDATE customer SET credit_limit_minor = 1 WHERE account_no = ?", customer)
    rehash_chain()
    problems = verify_books()
    assert "setting refund_approval_minor: value is '99999999' but the audit trail says '50000' " \
           "(changed outside Billfold)" in problems
    assert f"customer {customer}: credit_limit_minor is 1 but the audit trail says 0 (changed outside Billfold)" \
        in problems
    assert not any("chain" in p for p in problems)  # the chain itself was made to hold


def test_a_row_and_its_event_changed_together_are_found_by_the_journal(customer: str) -> None:
    activity(customer)
    sql("DROP TRIGGER IF EXISTS audit_event_no_update")
    event = AuditEvent.get(AuditEvent.action == "payment.record")
    after = {**event.after, "amount_minor": 99999}
    sql("UPDATE audit_event SET after = ? WHERE id = ?", json.dumps(after, sort_keys=True), event.id)
    sql("UPDATE payment SET amount_minor = 99999, unallocated_minor = 99999 - 1200")
    rehash_chain()
    problems = verify_books()
    assert any(p.startswith("unapplied cash of customer") for p in problems)


def test_anchor_passes_until_history_is_rewritten_or_cut(customer: str) -> None:
    activity(customer)
    anchor = chain_head().hash
    assert len(anchor) == 64 and chain_head().count == AuditEvent.select().count()
    set_setting("company_name", "Later Ltd")  # bob, a supervisor, may change the company's name
    assert verify_books(anchor=anchor) == [] and chain_passes_through(anchor) == []
    assert chain_passes_through("f" * 64) != []
    # Rewrite an early event and re-hash everything: the chain holds, the anchor is gone.
    sql("DROP TRIGGER IF EXISTS audit_event_no_update")
    sql("UPDATE audit_event SET operator = 'mallory' WHERE id = 2")
    rehash_chain()
    problems = verify_books(anchor=anchor)
    assert problems[0] == (f"the audit chain no longer passes through {anchor[:12]}...: the history up to that "
                           "head was rewritten or cut")


def test_anchor_fails_after_truncating_history(customer: str) -> None:
    activity(customer)
    count = AuditEvent.select().count()
    set_setting("company_name", "Later Ltd")
    anchor = chain_head().hash
    sql("DROP TRIGGER IF EXISTS audit_event_no_delete")
    sql("DELETE FROM audit_event WHERE id > ?", count)
    rehash_chain()
    assert chain_passes_through(anchor) != []


def test_the_monthly_report_prints_the_chain_head(customer: str) -> None:
    import io

    from pypdf import PdfReader

    from exports.reports_out import to_pdf, to_text
    from store.reports import month, run_report

    activity(customer)
    head = chain_head()
    report = run_report("billing_collections", month(2026, 11))
    assert f"Audit chain head when printed: {head.hash} ({head.count} events)" in to_text(report)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(to_pdf(report, "Acme"))).pages)
    assert head.hash[:32] in text.replace("\n", "")
    assert chain_passes_through(head.hash) == []
