from __future__ import annotations

import pytest

from store import customers
from store.customers import CustomerData, customer_data, get_customer, parse_customer_fields, with_changes
from store.errors import Conflict, ValidationError
from store.models import AuditEvent
from store.session import set_operator
from tests.conftest import post, snapshot


def test_parse_reports_every_bad_field_at_once() -> None:
    data, errors = parse_customer_fields({"name": "", "email": "nope", "terms_days": "400", "currency": "ABC",
                                          "credit_limit_minor": "1.234", "phone": "12"})
    assert data is None
    assert errors == {
        "name": "is required", "email": "'nope' is not an e-mail address",
        "terms_days": "'400' is not a number of days from 0 to 365",
        "currency": "'ABC' is not an ISO 4217 currency code",
        "credit_limit_minor": "GBP amounts have at most 2 decimal places",
        "phone": "'12' is not a GB phone number"}


def test_create_gives_account_numbers_and_search_keys(books) -> None:
    data, _ = parse_customer_fields({"name": "Zoë Ångström", "email": "Zoe@Example.com", "phone": "+44 (0)20 7946-0000",
                                     "postcode": "sw1a 1aa", "credit_limit_minor": "1,500.00"})
    row = customers.create_customer(data)
    assert row.account_no == "100001"
    row = get_customer("100001")
    assert (row.name_key, row.phone_digits, row.postcode_key, row.email_key) == (
        "zoe angstrom", "4402079460000", "sw1a1aa", "zoe@example.com")
    assert row.credit_limit_minor == 150000
    assert customers.create_customer(data).account_no == "100002"


def test_update_refused_when_someone_else_saved_first(customer: str) -> None:
    row = get_customer(customer)
    mine = with_changes(customer_data(row), phone="+44 117 496 0000")
    set_operator("bob")
    customers.update_customer(customer, with_changes(customer_data(row), city="Bath"), row.version)
    set_operator("alice")
    before = snapshot()
    with pytest.raises(Conflict, match=r"was changed by bob at \d{4}-\d\d-\d\d \d\d:\d\d after you opened it"):
        customers.update_customer(customer, mine, row.version)
    assert snapshot() == before
    event = AuditEvent.select().where(AuditEvent.action == "customer.update").get()
    assert (event.operator, event.before, event.after) == ("bob", {"city": "Bristol"}, {"city": "Bath"})


def test_hold_release_close(customer: str) -> None:
    with pytest.raises(ValidationError, match="reason"):
        customers.put_on_hold(customer, "")
    assert customers.put_on_hold(customer, "cheque bounced").status == "on_hold"
    with pytest.raises(Conflict, match="on hold"):
        customers.put_on_hold(customer, "again")
    assert customers.release_hold(customer).status == "active"
    post(customer)
    with pytest.raises(Conflict, match=r"balance of £12\.00"):
        customers.close_customer(customer, "moved away")


def test_currency_cannot_change_once_invoiced(customer: str) -> None:
    post(customer)
    row = get_customer(customer)
    with pytest.raises(ValidationError, match="cannot change once"):
        customers.update_customer(customer, with_changes(customer_data(row), currency="EUR"), row.version)


def test_notes_are_kept_with_their_author(customer: str) -> None:
    customers.add_note(customer, "Prefers calls after 2pm")
    from store.queries import customer_notes

    assert [(n.operator, n.text) for n in customer_notes(customer)] == [("alice", "Prefers calls after 2pm")]


def test_email_channel_needs_an_email(books) -> None:
    _data, errors = parse_customer_fields({"name": "No Mail Ltd"})
    assert errors == {"email": "is required when invoices go by e-mail (or set channel to post)"}
    data, errors = parse_customer_fields({"name": "No Mail Ltd", "channel": "post"})
    assert errors == {} and data == CustomerData(name="No Mail Ltd", channel="post")
