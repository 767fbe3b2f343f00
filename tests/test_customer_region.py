"""A customer's state, province or prefecture: checked against the destination country's list where there
is one, kept as its code, shown on the account and printed where the country's addresses put it."""
from __future__ import annotations

from exports.from_books import invoice_pdf
from store.customers import CustomerData, create_customer, customer_data, parse_customer_fields, update_customer
from store.models import Customer
from tests.conftest import line, post, run_json
from tests.test_delivery import pdf_text


def test_a_us_state_is_taken_by_name_or_code_and_kept_as_its_code() -> None:
    data, errors = parse_customer_fields({"name": "Acme Inc", "email": "ap@acme.example", "country": "us",
                                          "region": " illinois "})
    assert errors == {} and data is not None and (data.country, data.region) == ("US", "IL")
    data, errors = parse_customer_fields({"name": "Acme Inc", "email": "ap@acme.example", "country": "CA",
                                          "region": "on"})
    assert data is not None and data.region == "ON"


def test_a_region_the_country_does_not_have_is_refused_naming_the_field() -> None:
    data, errors = parse_customer_fields({"name": "Acme Inc", "email": "ap@acme.example", "country": "US",
                                          "region": "Ilinois"})
    assert data is None
    assert errors == {"region": "'Ilinois' is not a state of US (its code or name: AL, AK, AS, AZ, ...)"}
    # Where the country's addresses list no regions (Britain's counties are optional), it is kept as typed.
    data, _errors = parse_customer_fields({"name": "Acme Ltd", "email": "ap@acme.example", "region": "Avon"})
    assert data is not None and data.region == "Avon"


def test_moving_the_customer_to_another_country_checks_the_region_again(books) -> None:
    account = create_customer(CustomerData(name="Moving Ltd", email="ap@moving.example", region="Avon")).account_no
    before = customer_data(Customer.get(Customer.account_no == account))
    data, errors = parse_customer_fields({"country": "US"}, before)
    assert data is None and list(errors) == ["region"]
    data, errors = parse_customer_fields({"country": "US", "region": "TX"}, before)
    assert errors == {} and data is not None
    update_customer(account, data, expected_version=1)
    assert Customer.get(Customer.account_no == account).region == "TX"


def test_the_command_line_takes_shows_and_prints_the_state(cli) -> None:
    added = run_json(cli, "customer", "add", "--name", "Springfield Nuclear LLC", "--email", "ap@snpp.example",
                     "--address1", "100 Industrial Way", "--city", "Springfield", "--region", "Illinois",
                     "--postcode", "62701", "--country", "US", "--currency", "USD")
    account = added["account_no"]
    code, out, _err = cli("customer", "show", account)
    assert code == 0 and "100 Industrial Way, Springfield, IL, 62701" in out
    code, _out, err = cli("customer", "edit", account, "--region", "Ilinois")
    assert code == 2 and "region" in err and "'Ilinois' is not a state of US" in err
    assert Customer.get(Customer.account_no == account).region == "IL"  # nothing written
    number = post(account, line("Service", "1", 10000, "Z")).number
    text = pdf_text(invoice_pdf(number))
    assert "100 Industrial Way\nSPRINGFIELD, IL 62701\nUNITED STATES" in text
