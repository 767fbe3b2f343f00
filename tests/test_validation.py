"""Customer and company data checked by email-validator, phonenumbers and python-stdnum; bank XML by defusedxml."""
from __future__ import annotations

from pathlib import Path

import pytest

from store import customers, settings
from store.customers import CustomerData, customer_data, get_customer, parse_customer_fields
from store.errors import ValidationError
from store.importers import StatementFormatError, camt053
from store.session import set_operator
from store.settings import get_setting, set_setting
from store.validation import check_email, check_iban, check_phone, check_vat
from tests.conftest import snapshot

STATEMENTS = Path(__file__).parent / "data" / "statements"


@pytest.mark.parametrize("text", ["ap@harbour.example", "Zoë.Ångström@example.co.uk", "a+b@sub.example.org"])
def test_good_email_addresses_pass_as_typed(text: str) -> None:
    assert check_email(text) == text


@pytest.mark.parametrize("text", ["nope", "a@@b.example", "a@b", "a b@example.com", "ap@harbour", "ap@.example"])
def test_bad_email_addresses_name_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as err:
        check_email(text, "company_email")
    assert (err.value.field, err.value.message) == ("company_email", f"'{text}' is not an e-mail address")


@pytest.mark.parametrize(("text", "country"), [
    ("+44 20 7946 0123", "GB"), ("020 7946 0018", "GB"), ("0161 496 0999", "GB"), ("+49 30 901820", "GB"),
    ("030 901820", "DE")])
def test_phone_numbers_in_the_numbering_plan_pass(text: str, country: str) -> None:
    assert check_phone(text, country) == text


@pytest.mark.parametrize(("text", "country", "message"), [
    ("12", "GB", "'12' is not a GB phone number"),
    ("+44 20 794", "GB", "'+44 20 794' is not a GB phone number"),
    ("call me", "GB", "'call me' is not a phone number")])
def test_bad_phone_numbers_are_refused(text: str, country: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        check_phone(text, country)
    assert err.value.field == "phone" and err.value.message.startswith(message)


@pytest.mark.parametrize(("text", "country"), [
    ("GB980780684", "GB"), ("GB 980 7806 84", "GB"), ("980780684", "GB"), ("DE136695976", "DE"),
    ("CHE-123.456.788", "CH")])  # not UK or EU: no scheme to check, kept as typed
def test_vat_numbers_with_good_check_digits_pass(text: str, country: str) -> None:
    assert check_vat(text, country) == text


@pytest.mark.parametrize("text", ["GB123456789", "DE136695975", "GB12", "FR0"])
def test_vat_numbers_with_bad_check_digits_or_length_are_refused(text: str) -> None:
    with pytest.raises(ValidationError) as err:
        check_vat(text, "GB")
    assert err.value.field == "tax_id" and err.value.message.startswith(f"'{text}' is not a valid VAT number (wrong ")


def test_ibans_are_checked_and_kept_in_groups_of_four() -> None:
    assert check_iban("gb29nwbk60161331926819") == "GB29 NWBK 6016 1331 9268 19"
    assert check_iban("DE89 3704 0044 0532 0130 00") == "DE89 3704 0044 0532 0130 00"
    for bad, why in (("GB29 NWBK 6016 1331 9268 18", "(wrong check digits)"), ("GB29 NWBK 6016", "(wrong "),
                     ("XX29 1234", "(wrong ")):
        with pytest.raises(ValidationError) as err:
            check_iban(bad, "company_payment")
        assert err.value.field == "company_payment" and f"'{bad}' is not a valid IBAN" in err.value.message
        assert why in err.value.message


def test_the_customer_form_checks_email_phone_and_vat_in_the_accounts_country() -> None:
    data, errors = parse_customer_fields({"name": "Kestrel GmbH", "country": "DE", "email": "ap@kestrel.example",
                                          "phone": "030 901820", "tax_id": "DE136695976", "currency": "EUR"})
    assert errors == {} and data is not None and (data.phone, data.tax_id) == ("030 901820", "DE136695976")
    _, errors = parse_customer_fields({"name": "Kestrel Ltd", "country": "GB", "email": "ap@kestrel",
                                       "phone": "030 901820", "tax_id": "GB123456789"})
    assert set(errors) == {"email", "phone", "tax_id"}
    assert errors["phone"] == "'030 901820' is not a GB phone number"


def test_a_value_the_account_already_holds_is_not_refused_again(books: Path) -> None:
    """Books kept before the checks stay editable: only new or changed values are checked."""
    row = customers.create_customer(CustomerData(name="Old Ltd", email="ap@old.example", phone="12345",
                                                 tax_id="GB123456789"))
    base = customer_data(get_customer(row.account_no))
    data, errors = parse_customer_fields({"name": "Old Ltd", "phone": "12345", "tax_id": "GB123456789",
                                          "city": "Leeds"}, base)
    assert errors == {} and data is not None and data.city == "Leeds"
    _, errors = parse_customer_fields({"phone": "12346"}, base)
    assert errors == {"phone": "'12346' is not a GB phone number"}


def test_company_settings_are_checked_and_a_refused_one_writes_nothing(books: Path) -> None:
    set_operator("bob")  # company settings are a supervisor's to change
    set_setting("company_payment", "Northern Bank|IBAN gb29nwbk60161331926819 · BIC NWBKGB2L")
    assert get_setting("company_payment") == "Northern Bank|IBAN GB29 NWBK 6016 1331 9268 19 · BIC NWBKGB2L"
    before = snapshot()
    for key, value in (("company_payment", "Bank|IBAN GB00 NWBK 6016 1331 9268 19"), ("company_email", "accounts"),
                       ("company_tax_id", "GB 123 4567 89"), ("company_phone", "999")):
        with pytest.raises(ValidationError) as err:
            settings.set_setting(key, value)
        assert err.value.field == key
    assert snapshot() == before


def test_bank_xml_is_parsed_by_defusedxml_even_past_the_doctype_check(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (STATEMENTS / "camt053-v02.xml").read_bytes()
    assert camt053.parse_camt053(data).lines
    monkeypatch.setattr(camt053, "refuse_doctype", lambda data: None)  # as if the first guard missed it
    evil = data.replace(b"<Document", b'<!DOCTYPE Document [<!ENTITY x "xxxxxxxx">]>\n<Document', 1)
    with pytest.raises(StatementFormatError) as err:
        camt053.parse_camt053(evil)
    assert err.value.where == "line 1" and "the XML declares what a statement may not" in err.value.message
