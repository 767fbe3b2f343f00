"""Recurring contracts and the month's run: proration figures, each period kind, advance and arrears, end
dates, re-runs, discarded drafts, changes that never touch posted invoices, and who may post."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from store.contracts import change_contract, contract_charges, end_contract, get_contract, list_contracts
from store.customers import CustomerData, create_customer, put_on_hold
from store.errors import NotFound, ValidationError
from store.invoices import delete_draft
from store.models import ContractCharge, Invoice
from store.permissions import PermissionDenied
from store.recurring import draft_run, post_run
from store.recurring_plan import plan_run
from store.verify import verify_books
from tests.conftest import acting_as, snapshot
from tests.recurring_books import charges, contract, lines_of, support_item


def test_a_first_part_month_is_prorated_by_days(customer) -> None:
    support_item(25000)
    c = contract(customer, "2026-11-15", item="SUPP")  # the catalogue's price: 250.00 a month
    assert draft_run("2026-11").drafts == 1
    # 16 of November's 30 days: 25000 x 16 / 30 = 13333.33 -> 13333 minor units, on one line of quantity 1
    assert lines_of("2026-11") == [(c.id, "2026-11-01", Decimal(1), 13333, 13333, "draft")]
    invoice = Invoice.get(Invoice.reference == "REC-2026-11")
    assert (invoice.subtotal_minor, invoice.tax_minor, invoice.total_minor) == (13333, 2667, 16000)
    line = invoice.lines.get()
    assert line.description == "Support plan, 15 Nov 2026 to 30 Nov 2026 (16/30 days of 1 x 250.00)"
    draft_run("2026-12")
    assert lines_of("2026-12") == [(c.id, "2026-12-01", Decimal(1), 25000, 25000, "draft")]


def test_a_half_minor_unit_rounds_away_from_zero_as_every_amount_in_the_books(customer) -> None:
    c = contract(customer, "2026-11-30", price="0.25", quantity="3")  # 75 minor a month, 1 day of 30
    draft_run("2026-11")
    assert charges(c.id) == [("2026-11-01", "2026-11-30", "2026-11-30", 3)]  # 2.5 -> 3


def test_quarterly_in_advance_bills_the_quarter_in_its_first_month(customer) -> None:
    c = contract(customer, "2026-11-10", period="quarterly", price="300.00")
    assert draft_run("2026-10").drafts == 0  # not started yet
    draft_run("2026-11")  # the part quarter: 52 of Q4's 92 days, 30000 x 52 / 92 = 16956.52
    assert draft_run("2026-12").drafts == 0
    draft_run("2027-01")
    assert draft_run("2027-02").drafts == 0
    assert charges(c.id) == [("2026-10-01", "2026-11-10", "2026-12-31", 16957),
                             ("2027-01-01", "2027-01-01", "2027-03-31", 30000)]


def test_yearly_in_arrears_bills_the_year_in_december(customer) -> None:
    c = contract(customer, "2026-03-01", period="yearly", billing="arrears", price="1200.00")
    assert draft_run("2026-11").drafts == 0
    draft_run("2026-12")  # 1 March to 31 December: 306 of 365 days, 120000 x 306 / 365 = 100602.74
    assert charges(c.id) == [("2026-01-01", "2026-03-01", "2026-12-31", 100603)]
    assert lines_of("2026-12")[0][1] == "2026-12-31"  # in arrears: dated the run month's last day


def test_advance_and_arrears_land_in_different_runs(customer) -> None:
    ahead = contract(customer, "2026-10-01", period="quarterly", price="90.00")
    behind = contract(customer, "2026-10-01", period="quarterly", billing="arrears", price="90.00", quantity="2")
    draft_run("2026-10")
    assert [c for c, *_ in lines_of("2026-10")] == [ahead.id]
    assert draft_run("2026-11").drafts == 0
    draft_run("2026-12")
    assert lines_of("2026-12") == [(behind.id, "2026-12-31", Decimal(2), 9000, 18000, "draft")]
    monthly_a = contract(customer, "2026-11-01", price="10.00")
    monthly_b = contract(customer, "2026-11-01", billing="arrears", price="10.00")
    draft_run("2026-11")  # a month billed in advance on its first day, in arrears on its last
    assert [(c, d) for c, d, *_ in lines_of("2026-11")] == [(monthly_a.id, "2026-11-01"), (monthly_b.id, "2026-11-30")]


def test_the_end_date_is_respected(customer) -> None:
    monthly = contract(customer, "2026-10-01", price="100.00", end="2026-12-15")
    quarterly = contract(customer, "2026-10-01", period="quarterly", billing="arrears", price="92.00",
                         end="2026-11-10")
    for month in ("2026-10", "2026-11", "2026-12", "2027-01"):
        draft_run(month)
    assert charges(monthly.id) == [("2026-10-01", "2026-10-01", "2026-10-31", 10000),
                                   ("2026-11-01", "2026-11-01", "2026-11-30", 10000),
                                   ("2026-12-01", "2026-12-01", "2026-12-15", 4839)]  # 15/31 of 100.00
    # Ended in November: the part quarter ends there, so it is billed in November's run: 41 of 92 days.
    assert charges(quarterly.id) == [("2026-10-01", "2026-10-01", "2026-11-10", 4100)]


def test_a_re_run_bills_nothing_twice_and_post_posts_each_draft_once(customer) -> None:
    other = create_customer(CustomerData(name="Euro Kunde GmbH", currency="EUR")).account_no
    contract(customer, "2026-11-01", price="250.00")
    contract(customer, "2026-11-01", price="10.00", quantity="3")
    contract(other, "2026-11-01", price="99.00")
    plan = plan_run("2026-12")
    assert [(t.currency, t.invoices, t.charges, t.total_minor) for t in plan.totals] == [
        ("EUR", 1, 1, 11880), ("GBP", 1, 2, 33600)]
    first = draft_run("2026-12")
    assert (first.drafts, first.charges) == (2, 3)
    again = draft_run("2026-12")
    assert (again.drafts, again.charges, again.already_billed) == (0, 0, 3)
    with acting_as("bob"):
        posted = post_run("2026-12")
        assert (posted.posted, posted.first, posted.last) == (2, "INV-000001", "INV-000002")
        assert post_run("2026-12").posted == 0
    assert draft_run("2026-12").drafts == 0
    assert ContractCharge.select().count() == 3
    assert Invoice.select().where(Invoice.status == "posted").count() == 2
    assert plan_run("2026-12").posted == 2
    assert verify_books() == []


def test_a_discarded_draft_is_billed_again_by_the_next_run(customer) -> None:
    c = contract(customer, "2026-11-01", price="250.00")
    draft_run("2026-12")
    delete_draft(Invoice.get(Invoice.reference == "REC-2026-12").id)
    assert charges(c.id) == []  # the charge went with its draft
    change_contract(c.id, price="260.00")  # corrected, then billed again
    assert draft_run("2026-12").drafts == 1
    assert charges(c.id) == [("2026-12-01", "2026-12-01", "2026-12-31", 26000)]


def test_changing_or_ending_a_contract_never_touches_posted_invoices(customer) -> None:
    c = contract(customer, "2026-11-01", price="250.00")
    draft_run("2026-12")
    with acting_as("bob"):
        post_run("2026-12")
    posted = snapshot()["invoice"], snapshot()["invoice_line"]
    change_contract(c.id, quantity=Decimal(2), price="300.00")
    ended = end_contract(c.id, dt.date(2026, 12, 10))
    assert ended.billed_through == dt.date(2026, 12, 31) and ended.end == dt.date(2026, 12, 10)
    assert (snapshot()["invoice"], snapshot()["invoice_line"]) == posted
    assert [ch.document for ch in contract_charges(c.id)] == ["INV-000001"]
    assert draft_run("2027-01").drafts == 0  # ended


def test_the_catalogue_price_is_the_one_at_billing_time(customer) -> None:
    support_item(25000)
    c = contract(customer, "2026-11-01", item="SUPP")
    support_item(27500)
    draft_run("2026-12")
    assert charges(c.id)[0][3] == 27500
    assert get_contract(c.id).price_minor is None


def test_only_a_supervisor_posts_a_run_and_a_refused_draft_stays(customer) -> None:
    held = create_customer(CustomerData(name="Held Ltd")).account_no
    contract(customer, "2026-11-01", price="250.00")
    contract(held, "2026-11-01", price="50.00")
    draft_run("2026-12")  # a clerk drafts
    before = snapshot()
    with pytest.raises(PermissionDenied, match="post a recurring billing run needs a supervisor or admin; "
                                               "alice is a clerk"):
        post_run("2026-12")
    assert snapshot() == before
    put_on_hold(held, "Cheque returned")
    with acting_as("carol"):
        result = post_run("2026-12")
    assert result.posted == 1
    assert [(r.account_no, r.reason.split(":")[0]) for r in result.refused] == [(held, f"account {held} is on hold")]
    assert plan_run("2026-12").drafts_waiting == 1


def test_bad_contracts_are_refused_naming_the_field(customer) -> None:
    support_item(25000)
    euro = create_customer(CustomerData(name="Euro Kunde GmbH", currency="EUR")).account_no
    cases = [({"start": "2026-11-01", "end": "2026-10-31", "price": "1"}, "end"),
             ({"start": "2026-11-01", "item": "NOPE"}, "item"),
             ({"start": "2026-11-01", "description": "Free text", "price": None}, "price"),
             ({"start": "2026-11-01", "quantity": "0", "price": "1"}, "quantity")]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as refused:
            contract(customer, **kwargs)  # type: ignore[arg-type]
        assert refused.value.field == field
    with pytest.raises(ValidationError, match="price: item SUPP has no EUR price in the catalogue"):
        contract(euro, "2026-11-01", item="SUPP")
    with pytest.raises(ValidationError, match="period: '2026-13' is not a month"):
        plan_run("2026-13")
    with pytest.raises(NotFound):
        end_contract(999, dt.date(2026, 12, 1))
    assert list_contracts() == []


def test_a_catalogue_priced_contract_takes_the_price_in_the_customers_currency(books) -> None:
    from store.catalogue import save_item_price

    support_item(25000)
    with acting_as("bob"):
        save_item_price("SUPP", "EUR", 29000)
    euro = create_customer(CustomerData(name="Euro Kunde GmbH", currency="EUR")).account_no
    c = contract(euro, "2026-12-01", item="SUPP")
    draft_run("2026-12")
    assert charges(c.id) == [("2026-12-01", "2026-12-01", "2026-12-31", 29000)]
    assert Invoice.get(Invoice.reference == "REC-2026-12").currency == "EUR"


def test_charges_another_run_committed_meanwhile_are_left_out_not_billed_again(customer, monkeypatch) -> None:
    """What PostgreSQL lets happen: a run beside this one commits the same charges after this one looked."""
    from store import recurring
    from store.contract_periods import parse_month
    from store.recurring_plan import due_charges, group_invoices

    contract(customer, "2026-11-01", price="250.00")
    plans = group_invoices(parse_month("2026-12"), due_charges(parse_month("2026-12"))[0])
    assert draft_run("2026-12").drafts == 1  # the other run
    real = recurring._taken
    looks: list[int] = []

    def taken_late(chunk):  # the first look misses the other run's charges
        looks.append(1)
        return set() if len(looks) == 1 else real(chunk)

    monkeypatch.setattr(recurring, "_taken", taken_late)
    assert recurring._draft_chunk("2026-12", plans) == []  # refused by the unique index, then seen
    assert len(looks) == 2
    assert ContractCharge.select().count() == 1 and Invoice.select().count() == 1
