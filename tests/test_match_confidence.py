"""How sure a suggestion is, and what a reference and a payer's name are allowed to prove (issue 16)."""
from __future__ import annotations

import datetime as dt

import pytest

from store.customers import CustomerData, create_customer
from store.invoices import DraftInput, create_and_post
from store.match_evidence import REF_EXACT, REF_PARTIAL, invoice_refs, is_company
from store.matching import suggest_allocations
from store.payments import PaymentInput, record_payment
from tests.conftest import line

D = dt.date(2026, 11, 10)


def receive(amount: int, reference: str = "", payer: str = "") -> str:
    return record_payment(PaymentInput(amount, "GBP", "bank_transfer", D, None, reference, payer)).number


def invoice(account: str, price: int, reference: str = "") -> str:
    return create_and_post(DraftInput(account, dt.date(2026, 11, 1), (line(price=price),), reference=reference)).number


@pytest.mark.parametrize("reference,expected", [
    ("INV-000042", {42: REF_EXACT}),
    ("Payment for inv 42", {42: REF_PARTIAL}),
    ("1NV-OOOO42 thanks", {42: REF_PARTIAL}),      # OCR: 1 for I, O for 0
    ("INV000O42", {42: REF_PARTIAL}),              # the dash lost, one O
    ("ref 000042", {42: REF_PARTIAL}),             # no prefix, all six digits
    ("INVOICE 42", {}),                            # the word is not a number
    ("2026-11-01", {}),
])
def test_what_a_reference_names(reference: str, expected: dict[int, str]) -> None:
    assert invoice_refs(reference, "INV-", 6) == expected


def test_company_and_person_names() -> None:
    assert is_company("Müller GmbH") and is_company("Acme Widgets Ltd") and not is_company("Oliver Müller")


def test_a_company_payer_never_gets_a_private_person_on_the_name_alone(books) -> None:
    oliver = create_customer(CustomerData(name="Oliver Müller", email="o@example.org")).account_no
    firm = create_customer(CustomerData(name="Müller GmbH", email="m@example.de")).account_no
    invoice(oliver, 5000)
    invoice(firm, 9000)
    top = suggest_allocations(receive(3333, payer="MUELLER GMBH"))
    assert top and all(s.account_no == firm for s in top)
    assert all(s.confidence == "low" for s in top)  # a name and no amount: chosen by hand, never Enter


def test_a_person_payer_still_finds_the_person(books) -> None:
    oliver = create_customer(CustomerData(name="Oliver Müller", email="o@example.org")).account_no
    invoice(oliver, 5000)
    assert suggest_allocations(receive(6000, payer="Oliver Muller"))[0].account_no == oliver


def test_the_exact_amount_of_a_named_customer_is_high(books) -> None:
    firm = create_customer(CustomerData(name="Müller GmbH", email="m@example.de")).account_no
    number = invoice(firm, 9000)  # 108.00 with tax
    top = suggest_allocations(receive(10800, payer="Mueller GmbH"))[0]
    assert top.allocations == ((number, 10800),) and top.confidence == "high"


def test_an_exact_amount_from_nobody_known_is_medium(books) -> None:
    firm = create_customer(CustomerData(name="Müller GmbH", email="m@example.de")).account_no
    number = invoice(firm, 9000)
    top = suggest_allocations(receive(10800, payer="Someone Else"))[0]
    assert top.allocations == ((number, 10800),) and top.confidence == "medium"


def test_a_purchase_order_on_the_invoice_is_matched(books) -> None:
    firm = create_customer(CustomerData(name="Bolt & Nut Supplies", email="b@bolt.example")).account_no
    other = create_customer(CustomerData(name="Acme Widgets Ltd", email="a@acme.example")).account_no
    invoice(other, 2000)
    number = invoice(firm, 2000, reference="PO-4711")  # same amount as Acme's: only the PO tells them apart
    top = suggest_allocations(receive(2400, reference="PO-4711 MAY DELIVERY"))[0]
    assert top.allocations == ((number, 2400),) and top.confidence == "high"
    assert "the customer's reference 'PO-4711' on" in top.reasons[0]


def test_an_ocr_mangled_number_is_found(books) -> None:
    firm = create_customer(CustomerData(name="Bolt & Nut Supplies", email="b@bolt.example")).account_no
    number = invoice(firm, 2000)
    mangled = number.replace("INV-", "1NV").replace("0", "O")
    top = suggest_allocations(receive(1000, reference=mangled))[0]
    assert top.allocations == ((number, 1000),) and "partial or mistyped" in top.reasons[0]
    assert top.confidence == "medium"  # a partial number and part of the balance: chosen, not Enter
