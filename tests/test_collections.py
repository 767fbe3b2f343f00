"""Dunning, promises to pay and collections, on books built by hand around today's date."""
from __future__ import annotations

import datetime as dt

import pytest

from store.collections import collections_packet_data, record_promise, send_to_collections
from store.customers import CustomerData, add_note, create_customer, put_on_hold
from store.disputes import open_dispute, reject_dispute
from store.dunning import DunningItem, dunning_levels, dunning_run, preview_dunning, record_dunning, set_dunning_levels
from store.errors import Conflict, NeedsApproval, ValidationError
from store.invoices import DraftInput, create_and_post, credit_invoice
from store.models import AuditEvent, CollectionCase, Customer, DunningNotice, PromiseToPay
from store.payments import PaymentInput, allocate_payment, record_payment
from store.permissions import PermissionDenied
from store.session import set_operator
from store.settings import set_setting
from store.verify import verify_books
from tests.conftest import TODAY, acting_as, admin_setting, line, snapshot

T = TODAY  # the pinned clock's day (tests/conftest.py)


def days(n: int) -> dt.date:
    return T + dt.timedelta(days=n)


def overdue(account: str, amount: int, days_overdue: int) -> str:
    """A zero-rated invoice of `amount`, due `days_overdue` days before today."""
    due = days(-days_overdue)
    return create_and_post(DraftInput(account, due - dt.timedelta(days=30), (line(price=amount, tax="Z"),),
                                      due_date=due)).number


def pay(account: str, amount: int, received: dt.date = T) -> str:
    return record_payment(PaymentInput(amount, "GBP", "bank_transfer", received, account)).number


def new_customer(name: str, channel: str = "email") -> str:
    return create_customer(CustomerData(name=name, email=f"{name.split()[0].lower()}@example.com",
                                        channel=channel, city="Leeds", address1="1 Quay St")).account_no


def by_account(proposals) -> dict:
    return {p.account_no: p for p in proposals}


# ---------------------------------------------------------------- levels and the run

def test_one_reminder_per_customer_at_the_highest_level_listing_every_overdue_item(customer: str) -> None:
    assert dunning_levels() == (7, 21, 45)
    a = overdue(customer, 1000, 3)  # overdue, below level 1: listed, not counted for the level
    b = overdue(customer, 2000, 7)  # level 1 from 7 days
    c = overdue(customer, 3000, 21)  # level 2 from 21
    d = overdue(customer, 4000, 50)  # level 3 from 45
    overdue(customer, 9000, 0)  # due today: not overdue
    other = new_customer("Quayside Traders", channel="post")
    e = overdue(other, 500, 20)
    quiet = new_customer("Prompt Payers Ltd")
    overdue(quiet, 700, 6)  # overdue, but below every level: no reminder

    proposals = preview_dunning(T)
    assert [(p.account_no, p.level, p.total_minor, p.channel) for p in proposals] == [
        (customer, 3, 10000, "email"), (other, 1, 500, "post")]
    assert by_account(proposals)[customer].items == (
        DunningItem(d, days(-50), 50, 4000, 3), DunningItem(c, days(-21), 21, 3000, 2),
        DunningItem(b, days(-7), 7, 2000, 1), DunningItem(a, days(-3), 3, 1000, 0))
    assert by_account(proposals)[other].items == (DunningItem(e, days(-20), 20, 500, 1),)
    assert DunningNotice.select().count() == 0  # a preview writes nothing

    ids = record_dunning(T, proposals)
    assert len(ids) == 2 and DunningNotice.select().count() == 2
    notice = DunningNotice.get(DunningNotice.customer == Customer.get(Customer.account_no == customer).id)
    assert (notice.level, notice.notice_date, notice.total_minor, notice.currency, notice.channel, notice.delivery) == (
        3, T, 10000, "GBP", "email", None)
    assert notice.items[0] == {"invoice": d, "days_overdue": 50, "amount_minor": 4000} and len(notice.items) == 4
    events = list(AuditEvent.select().where(AuditEvent.action == "dunning.notice").order_by(AuditEvent.id))
    assert [e.entity_id for e in events] == [str(i) for i in ids]
    assert events[0].after["invoices"] == [d, c, b, a] and events[0].operator == "alice"
    assert verify_books() == []


def test_levels_come_from_the_setting(customer: str) -> None:
    overdue(customer, 1000, 12)
    assert preview_dunning(T)[0].level == 1
    with pytest.raises(PermissionDenied, match="change settings needs a supervisor or admin; alice is a clerk"):
        set_dunning_levels([10, 12, 30])
    with acting_as("bob"):
        assert set_dunning_levels([10, 12, 30]) == (10, 12, 30)
        assert dunning_levels() == (10, 12, 30) and preview_dunning(T)[0].level == 2
        for bad in ([], [30, 10], [0, 5], [5, 5]):
            with pytest.raises(ValidationError) as err:
                set_dunning_levels(bad)
            assert err.value.field == "dunning_levels"
        before = snapshot()
        with pytest.raises(ValidationError, match="dunning_levels: 'soon' is not allowed"):
            set_setting("dunning_levels", "soon")  # a bad value never reaches the books to stop the run
        assert snapshot() == before and dunning_levels() == (10, 12, 30)


def test_disputed_invoices_are_skipped_and_a_fully_disputed_account_is_left_out(customer: str) -> None:
    kept = overdue(customer, 1000, 10)
    disputed = overdue(customer, 5000, 60)
    open_dispute(disputed, 5000, "never delivered")
    other = new_customer("Quayside Traders")
    only = overdue(other, 800, 30)
    dispute = open_dispute(only, 800, "wrong price")
    run = dunning_run(T)
    assert [(p.account_no, p.level, [i.invoice for i in p.items], p.total_minor) for p in run.proposals] == [
        (customer, 1, [kept], 1000)]
    assert [(s.account_no, s.reason) for s in run.skipped] == [
        (other, "every item past the first level is disputed")]
    reject_dispute(dispute.id, "price was agreed")
    assert [p.account_no for p in preview_dunning(T)] == [customer, other]


def test_a_promise_to_pay_is_honoured_until_its_date_passes(customer: str) -> None:
    overdue(customer, 3000, 30)
    promise = record_promise(customer, days(5), 3000, "paying on Friday")
    assert (promise.account_no, promise.promised_date, promise.amount_minor, promise.currency) == (
        customer, days(5), 3000, "GBP")
    assert AuditEvent.select().where(AuditEvent.action == "promise.record").count() == 1
    assert preview_dunning(T) == [] and preview_dunning(days(5)) == []
    assert dunning_run(T).skipped[0].reason == f"promised to pay by {days(5).isoformat()}"
    assert [p.level for p in preview_dunning(days(6))] == [2]  # 36 days: the promise was broken


def test_promises_are_refused_plainly_and_write_nothing(customer: str) -> None:
    overdue(customer, 3000, 30)
    square = new_customer("Quayside Traders")
    before = snapshot()
    for args, field, match in [((days(-1), 1000), "promised_date", "has already passed"),
                               ((days(3), 0), "amount", "more than zero"),
                               ((days(3), 3001), "amount", "more than the £30.00 the account owes")]:
        with pytest.raises(ValidationError, match=match) as err:
            record_promise(customer, *args)
        assert err.value.field == field
    with pytest.raises(ValidationError, match="owes nothing"):
        record_promise(square, days(3), 100)
    assert snapshot() == before and PromiseToPay.select().count() == 0


def test_accounts_on_hold_are_still_dunned(customer: str) -> None:
    overdue(customer, 2500, 25)
    put_on_hold(customer, "over the credit limit")
    assert [(p.account_no, p.level) for p in preview_dunning(T)] == [(customer, 2)]


def test_credit_on_account_that_covers_the_overdue_items_stops_the_reminder(customer: str) -> None:
    overdue(customer, 2000, 25)
    pay(customer, 1500)
    assert preview_dunning(T)[0].credit_minor == 1500  # shown, not deducted
    pay(customer, 500)
    run = dunning_run(T)
    assert run.proposals == () and "covers the £20.00 overdue: allocate it" in run.skipped[0].reason


def test_the_same_notice_is_not_sent_twice_within_the_repeat_days(customer: str) -> None:
    old = overdue(customer, 4000, 60)
    record_dunning(days(-5), preview_dunning(days(-5)))  # level 3 five days ago
    run = dunning_run(T)
    assert run.proposals == () and run.skipped[0].reason == (
        f"a level 3 notice for these items was sent on {days(-5).isoformat()}")
    new = overdue(customer, 100, 1)  # a new item falls overdue: the reminder goes again, listing both
    assert [[i.invoice for i in p.items] for p in preview_dunning(T)] == [[old, new]]
    admin_setting("dunning_repeat_days", "5")  # five days on, the same notice may go again
    assert len(preview_dunning(T)) == 1
    assert len(record_dunning(T, preview_dunning(T))) == 1
    assert preview_dunning(T) == []  # recorded today: not again today


def test_a_higher_level_is_sent_even_within_the_repeat_days(customer: str) -> None:
    overdue(customer, 4000, 23)
    record_dunning(days(-3), preview_dunning(days(-3)))  # 20 days: level 1
    assert [p.level for p in preview_dunning(T)] == [2]  # 23 days now


def test_a_stale_proposal_is_not_recorded(customer: str) -> None:
    number = overdue(customer, 4000, 30)
    proposals = preview_dunning(T)
    allocate_payment(pay(customer, 4000), [(number, 4000)])  # paid after the preview
    assert record_dunning(T, proposals) == [] and DunningNotice.select().count() == 0
    other = new_customer("Quayside Traders")
    overdue(other, 100, 30)
    proposals = preview_dunning(T)
    assert len(record_dunning(T, proposals)) == 1
    assert record_dunning(T, proposals) == []  # someone recorded it already


def test_record_dunning_refuses_a_future_date_and_duplicate_accounts(customer: str) -> None:
    overdue(customer, 100, 30)
    proposals = preview_dunning(T)
    with pytest.raises(ValidationError, match="is in the future"):
        record_dunning(days(1), proposals)
    with pytest.raises(ValidationError, match="one reminder per customer"):
        record_dunning(T, proposals * 2)
    assert DunningNotice.select().count() == 0


# ---------------------------------------------------------------- collections

def test_only_a_supervisor_sends_an_account_to_collections(customer: str) -> None:
    overdue(customer, 9000, 100)
    before = snapshot()
    refusal = "send an account to collections needs a supervisor or admin; alice is a clerk"
    with pytest.raises(NeedsApproval, match=refusal):
        send_to_collections(customer, "Recover & Co")
    assert snapshot() == before
    with pytest.raises(ValidationError) as err:
        send_to_collections(customer, "  ")
    assert err.value.field == "agency"
    set_operator("bob")
    result = send_to_collections(customer, "Recover & Co", "no reply to three letters")
    assert (result.account_no, result.agency, result.amount_minor, result.currency) == (
        customer, "Recover & Co", 9000, "GBP")
    row = Customer.get(Customer.account_no == customer)
    assert (row.status, row.updated_by) == ("in_collections", "bob")
    case = CollectionCase.get_by_id(result.case_id)
    assert (case.status, case.agency, case.amount_minor, case.opened_by, case.note) == (
        "open", "Recover & Co", 9000, "bob", "no reply to three letters")
    event = AuditEvent.select().where(AuditEvent.action == "customer.collections").get()
    assert (event.operator, event.before, event.after["status"], event.after["amount_minor"]) == (
        "bob", {"status": "active"}, "in_collections", 9000)
    with pytest.raises(Conflict, match="is in collections"):
        send_to_collections(customer, "Another Agency")
    assert CollectionCase.select().count() == 1


def test_an_account_in_collections_leaves_the_dunning_run_and_cannot_be_invoiced(customer: str) -> None:
    overdue(customer, 9000, 100)
    other = new_customer("Quayside Traders")
    overdue(other, 100, 10)
    set_operator("bob")
    send_to_collections(customer, "Recover & Co")
    set_operator("alice")
    run = dunning_run(T)
    assert [p.account_no for p in run.proposals] == [other]
    assert [(s.account_no, s.reason) for s in run.skipped] == [(customer, "the account is in collections")]
    with pytest.raises(Conflict, match="in collections; it cannot be invoiced"):
        overdue(customer, 100, 1)


def test_nothing_owed_nothing_to_collect(customer: str) -> None:
    set_operator("bob")
    with pytest.raises(Conflict, match="owes nothing"):
        send_to_collections(customer, "Recover & Co")


def test_collections_packet_data(customer: str) -> None:
    first = overdue(customer, 5000, 60)
    second = overdue(customer, 3000, 30)
    paid = overdue(customer, 1000, 40)
    allocate_payment(pay(customer, 1200, days(-20)), [(paid, 1000)], on=days(-20))
    credit_invoice(second, "one item broken", amount_minor=500, on=days(-10))
    open_dispute(first, 1000, "price")
    add_note(customer, "Finance director changed in October")
    record_dunning(T, preview_dunning(T))
    record_promise(customer, days(2), 1000, "part payment")
    set_operator("bob")
    send_to_collections(customer, "Recover & Co")
    set_operator("alice")

    packet = collections_packet_data(customer)
    assert (packet.account_no, packet.status, packet.currency, packet.as_of) == (customer, "in_collections", "GBP", T)
    assert packet.contact.name == "Harbour Supplies Ltd" and packet.contact.email == "ap@harbour.example"
    assert packet.contact.address == ("Bristol", "BS1 4DJ", "GB")
    assert packet.balance_minor == 5000 + 2500 - 200
    assert [(i.number, i.open_minor, i.days_overdue, i.disputed) for i in packet.open_invoices] == [
        (first, 5000, 60, True), (second, 2500, 30, False)]
    kinds = [(r.kind, r.debit_minor, r.credit_minor, r.balance_minor) for r in packet.statement]
    assert kinds == [("Invoice", 5000, 0, 5000), ("Invoice", 1000, 0, 6000), ("Invoice", 3000, 0, 9000),
                     ("Payment", 0, 1200, 7800), ("Credit note", 0, 500, 7300)]
    assert packet.statement[-1].balance_minor == packet.balance_minor
    assert [(n.level, n.invoices, n.delivery) for n in packet.dunning] == [(2, (second,), "not sent")]
    assert [(p.promised_date, p.amount_minor) for p in packet.promises] == [(days(2), 1000)]
    assert [(c.agency, c.amount_minor, c.opened_by) for c in packet.cases] == [("Recover & Co", 7300, "bob")]
    assert packet.notes == ("Finance director changed in October",)
    assert verify_books() == []
