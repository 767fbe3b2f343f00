"""Lookup: a partial invoice number finds its account; a company's own name outranks a contact's."""
from __future__ import annotations

from store.customers import CustomerData, create_customer
from store.lookup import VOCABULARY, find_accounts
from store.models import NumberSeries
from tests.conftest import line, post


def test_a_partial_invoice_number_finds_its_account(books) -> None:
    # Numbered as the books are: INV-2026-01042, five digits after a year prefix.
    NumberSeries.update(prefix="INV-2026-", width=5, next_value=1041).where(NumberSeries.code == "INV").execute()
    heron = create_customer(CustomerData(name="Heron Mills", email="h@example.com")).account_no
    other = create_customer(CustomerData(name="Kestrel Trading", email="k@example.com")).account_no
    assert post(other, line()).number == "INV-2026-01041"
    assert post(heron, line()).number == "INV-2026-01042"
    for typed in ("01042", "1042", "INV-2026-01042", "inv-2026-01042"):
        page = find_accounts(typed)
        assert [h.account_no for h in page.hits] == [heron], typed
        assert page.hits[0].why == "invoice INV-2026-01042"
    assert find_accounts("01043").hits == ()  # not yet issued: nothing, rather than a near miss


def test_a_company_name_match_ranks_above_a_contact_name_match(books) -> None:
    person = create_customer(CustomerData(name="Oliver Müller", email="o@example.com")).account_no
    agency = create_customer(CustomerData(name="Abbey Print Services", email="a@example.com",
                                          contact_name="Hans Müller")).account_no
    company = create_customer(CustomerData(name="Müller GmbH", email="m@example.com")).account_no
    VOCABULARY.forget()
    hits = find_accounts("müller").hits
    assert [h.account_no for h in hits] == [company, person, agency]  # equal ranks by name; the contact last
    assert [h.why for h in hits][-1] == "contact name" and hits[-1].rank < min(h.rank for h in hits[:2])
    assert [h.account_no for h in find_accounts("muller gmbh").hits] == [company]
    assert [h.account_no for h in find_accounts("hans").hits] == [agency]  # still found by its contact
