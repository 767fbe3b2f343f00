"""Reports checked against books built by hand with the services: exact figures, period edges, balance.

Services date write-offs, refunds and voids today, so the books here are built around today:
`PREV` is last month, `CUR` this month; an invoice on PREV's last day and one on CUR's first day
fall either side of the boundary.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from store import clock, reports
from store.customers import CustomerData, create_customer, put_on_hold
from store.disputes import open_dispute, reject_dispute
from store.errors import ValidationError
from store.invoices import DraftInput, create_and_post, credit_invoice, void_invoice
from store.models import database_proxy
from store.payments import (
    PaymentInput,
    allocate_payment,
    approve_refund,
    assign_payment,
    record_payment,
    request_refund,
    return_payment,
    unallocate_payment,
    write_off,
)
from store.reports import REPORTS, Chart, Period, Report, month, parse_period, quarter
from store.session import set_operator
from store.verify import verify_books
from tests.conftest import TODAY, line
from tests.test_postgres import pg_books  # noqa: F401  (the fixture; skipped where no server runs)

T = TODAY  # the pinned clock's day (tests/conftest.py)
CUR = Period.containing(T)
PREV = CUR.previous()


def days(n: int) -> dt.date:
    return T + dt.timedelta(days=n)


def invoice(account: str, amount: int, issue: dt.date, due: dt.date | None = None, tax: str = "Z") -> str:
    """A posted invoice of `amount` (zero-rated unless `tax` says otherwise: then amount is the net)."""
    return create_and_post(DraftInput(account, issue, (line(price=amount, tax=tax),), due_date=due)).number


def pay(account: str | None, amount: int, received: dt.date, method: str = "bank_transfer",
        currency: str = "GBP") -> str:
    return record_payment(PaymentInput(amount, currency, method, received, account)).number


def new_customer(name: str, currency: str = "GBP") -> str:
    return create_customer(CustomerData(name=name, email=f"{name.split()[0].lower()}@example.com",
                                        currency=currency)).account_no


def by_key(report: Report, row: tuple) -> dict[str, object]:
    return {c.key: v for c, v in zip(report.columns, row, strict=False)}


# ---------------------------------------------------------------- periods

def test_periods_months_quarters_parsing_and_stepping() -> None:
    nov = month(2026, 11)
    assert (nov.start, nov.end, nov.kind, nov.code, nov.label, nov.days) == (
        dt.date(2026, 11, 1), dt.date(2026, 11, 30), "month", "2026-11", "November 2026", 30)
    q4 = quarter(2026, 4)
    assert (q4.start, q4.end, q4.code, q4.label) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31), "2026-Q4",
                                                     "Q4 2026 (Oct-Dec)")
    assert parse_period("2026-11") == nov and parse_period(" 2026-q4 ") == q4 == Period.parse("Q4 2026")
    assert nov.next() == month(2026, 12) and month(2026, 12).next() == month(2027, 1)
    assert month(2026, 1).previous() == month(2025, 12)
    assert q4.next() == quarter(2027, 1) and quarter(2026, 1).previous() == quarter(2025, 4)
    assert month(2028, 2).days == 29 and [m.code for m in q4.months()] == ["2026-10", "2026-11", "2026-12"]
    assert Period.containing(dt.date(2026, 5, 31), "quarter") == quarter(2026, 2)
    assert parse_period(nov.code) == nov and parse_period(str(q4)) == q4
    for bad in ("2026-13", "2026-Q5", "November", ""):
        with pytest.raises(ValidationError) as err:
            parse_period(bad)
        assert err.value.field == "period"


def test_report_arguments_mean_a_period_or_a_day(books) -> None:
    assert reports.period_of(dt.date(2026, 2, 14)) == month(2026, 2)
    assert reports.as_of_date(month(2020, 2)) == dt.date(2020, 2, 29)
    assert reports.as_of_date(CUR) == T  # a running period: today, not its last day
    assert reports.as_of_date(None) == T and reports.period_of(None) == CUR


def test_a_report_reads_a_running_period_up_to_the_clocks_day(customer: str) -> None:
    """A running period is read up to store.clock's day, which is the TUI's day too (one clock)."""
    day = T - dt.timedelta(days=3)
    invoice(customer, 1000, day - dt.timedelta(days=10), day + dt.timedelta(days=1))  # not yet due on `day`
    with clock.pinned(day):
        told = reports.run_report("ar_aging", Period.containing(day))
    assert told.rows == ((customer, "Harbour Supplies Ltd", 1000, 0, 0, 0, 0, 1000),)
    assert Period.containing(day) == CUR  # T, in the same period: two days past due
    later = reports.run_report("ar_aging", CUR)
    assert later.rows == ((customer, "Harbour Supplies Ltd", 0, 1000, 0, 0, 0, 1000),)
    assert reports.as_of_date(CUR) == T


# ---------------------------------------------------------------- billing and collections

def test_billing_and_collections_by_hand_across_the_month_boundary(customer: str) -> None:
    first = invoice(customer, 10000, PREV.end, tax="S")  # 12,000 on the last day of last month
    second = invoice(customer, 5000, CUR.start, tax="S")  # 6,000 on the first day of this month
    third = invoice(customer, 20000, CUR.start, tax="S")  # 24,000
    fourth = invoice(customer, 1000, CUR.start, tax="S")  # 1,200, voided today
    p1 = pay(customer, 12000, CUR.start)
    allocate_payment(p1, [(first, 12000)], on=CUR.start)
    credit_invoice(second, "damaged", amount_minor=1200, on=CUR.start)  # applied to the second at once
    write_off(third, "insolvent", 4000)  # today
    pay(customer, 3000, CUR.start)
    request_refund(customer, 1000, "bank_transfer")  # today, from the unallocated 3,000
    void_invoice(fourth, "keyed twice")  # today

    report = reports.billing_and_collections(CUR, periods_before=1)
    assert [c.key for c in report.columns] == ["period", "invoiced", "credited", "voided", "collected", "refunded",
                                                "written_off", "net_change", "receivables", "dso"]
    # This month is still running: its DSO is over the days so far, and its row says month to date.
    running = CUR.end > T
    days_cur = (T - CUR.start).days + 1 if running else CUR.days
    code_cur = f"{CUR.code} MTD" if running else CUR.code
    dso_cur = int((Decimal(24800 * days_cur) / 31200).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    assert report.rows == (
        (PREV.code, 12000, 0, 0, 0, 0, 0, 12000, 12000, PREV.days),
        (code_cur, 31200, 1200, 1200, 15000, 1000, 4000, 12800, 24800, dso_cur),
    )
    if running:
        assert f"{code_cur} is month to date: its figures and DSO cover the {days_cur} days to {T}." in report.notes
    assert report.totals == ("Total", 43200, 1200, 1200, 15000, 1000, 4000, 24800, None, None)
    assert report.chart == Chart("spark", (PREV.code, CUR.code), (0, 15000))
    assert report.currency == "GBP" and report.name == "billing_collections"
    default = reports.billing_and_collections(CUR)  # the three months before it, empty
    assert len(default.rows) == 4 and default.rows[0][1:9] == (0,) * 8 and default.rows[0][9] is None
    assert default.rows[-1] == report.rows[-1]
    quarter_report = reports.billing_and_collections(Period.containing(T, "quarter"), periods_before=0)
    quarter = Period.containing(T, "quarter")
    in_quarter = [r for r in report.rows if quarter.contains(Period.parse(r[0].split()[0]).start)]
    assert quarter_report.rows[0][1:8] == tuple(sum(r[i] for r in in_quarter) for i in range(1, 8))
    assert quarter_report.rows[0][8] == 24800
    assert verify_books() == [] and reports.check_report_totals() == []


def test_payments_received_by_day_and_method(customer: str) -> None:
    pay(customer, 500, PREV.end, "cash")  # last month: not in this month's report
    pay(customer, 1000, CUR.start, "cash")
    pay(customer, 2500, CUR.start, "card")
    pay(None, 700, CUR.start, "bank_transfer")  # unidentified
    returned = pay(None, 300, T, "cheque")
    return_payment(returned, "not ours")
    report = reports.payments_received(CUR)
    keys = [c.key for c in report.columns]
    assert keys == ["date", "cash", "cheque", "card", "bank_transfer", "direct_debit", "other", "total", "count"]
    expected = {CUR.start: [1000, 0, 2500, 700, 0, 0, 4200, 3]}
    expected.setdefault(T, [0] * 8)
    expected[T] = [a + b for a, b in zip(expected[T], [0, 300, 0, 0, 0, 0, 300, 1], strict=True)]
    assert report.rows == tuple((day, *cells) for day, cells in sorted(expected.items()))
    assert report.totals == ("Total", 1000, 300, 2500, 700, 0, 0, 4500, 4)
    assert report.chart.values == (1000, 300, 2500, 700, 0, 0)
    assert any("returned to their senders" in n and "£3.00" in n for n in report.notes)
    assert any("still unidentified" in n and "£7.00" in n for n in report.notes)
    assert reports.payments_received(PREV).totals[-2:] == (500, 1)


# ---------------------------------------------------------------- aging

def test_aging_buckets_by_days_past_due_today(customer: str) -> None:
    other = new_customer("Quayside Traders")
    dues = {0: 100, -1: 200, -30: 300, -31: 400, -60: 500, -61: 600, -90: 700, -91: 800}
    for offset, amount in dues.items():
        invoice(customer, amount, days(offset - 30), days(offset))
    paid = invoice(other, 5000, days(-10), days(20))
    allocate_payment(pay(other, 5000, days(-5)), [(paid, 5000)], on=days(-5))
    credit_invoice(paid, "goodwill", amount_minor=250, on=days(-2))  # nothing open to apply it to: credit
    invoice(other, 900, days(-100), days(-95))

    summary = reports.ar_aging(T)
    assert summary.rows == (
        (customer, "Harbour Supplies Ltd", 100, 200 + 300, 400 + 500, 600 + 700, 800, 3600),
        (other, "Quayside Traders", -250, 0, 0, 0, 900, 650),
    )
    assert summary.totals == ("Total", "", -150, 500, 900, 1300, 1700, 4250)
    assert summary.chart == Chart("bars", ("Current", "1-30", "31-60", "61-90", "Over 90"),
                                  (-150, 500, 900, 1300, 1700))
    assert any("difference £0.00 (must be zero)" in n and "£42.50" in n for n in summary.notes)

    detail = reports.ar_aging_detail(T)
    assert len(detail.rows) == 10
    first = by_key(detail, detail.rows[0])
    assert (first["account"], first["due"], first["days"], first["over_90"], first["current"]) == (
        customer, days(-91), 91, 800, None)
    credit = next(by_key(detail, r) for r in detail.rows if r[2] == "credit")
    assert (credit["current"], credit["days"]) == (-250, 2)
    assert detail.totals[-5:] == summary.totals[2:7]


def _aging_books(account: str) -> None:
    """What is open changes over the last fifty days; see the expectations in the tests below."""
    i1 = invoice(account, 10000, days(-50), days(-20))
    i3 = invoice(account, 3000, days(-40), days(-10))
    p = pay(account, 4000, days(-15))
    allocate_payment(p, [(i3, 1000)], on=days(-15))
    allocate_payment(pay(account, 10000, days(-5)), [(i1, 10000)], on=days(-5))
    invoice(account, 700, days(-3), days(27))
    write_off(i3, "small balance", 500)  # today


def test_aging_at_a_past_date_is_rebuilt_from_the_journal(customer: str) -> None:
    _aging_books(customer)
    at = reports.ar_aging(days(-10))  # i1 10,000 is 10 days overdue; i3 has 2,000 open, due that day
    assert at.rows == ((customer, "Harbour Supplies Ltd", 2000, 10000, 0, 0, 0, 12000),)
    assert any("up to" in n for n in at.notes) and any("difference £0.00" in n for n in at.notes)
    assert any("£30.00 on account at" in n for n in at.notes)  # the rest of the first payment
    assert reports.ar_aging(days(-45)).rows == ((customer, "Harbour Supplies Ltd", 10000, 0, 0, 0, 0, 10000),)
    assert reports.ar_aging(days(-60)).rows == ()
    detail = reports.ar_aging_detail(days(-10))
    assert [(r[1], r[5], r[6], r[7]) for r in detail.rows] == [("INV-000001", 10, None, 10000),
                                                               ("INV-000002", 0, 2000, None)]
    now = reports.ar_aging(T)  # i3: 3,000 - 1,000 - 500 written off today; the new invoice is current
    assert now.rows == ((customer, "Harbour Supplies Ltd", 700, 1500, 0, 0, 0, 2200),)


def test_aging_from_the_journal_agrees_with_the_open_items_today(customer: str) -> None:
    _aging_books(customer)
    invoice(new_customer("Dockside Ltd"), 999, days(-200), days(-170))
    from_items = (reports.ar_aging(T), reports.ar_aging_detail(T))
    with clock.pinned(days(1)):  # T is now in the past: rebuilt from the journal
        rebuilt = (reports.ar_aging(T), reports.ar_aging_detail(T))
    assert "up to" in rebuilt[0].notes[0]
    for a, b in zip(from_items, rebuilt, strict=True):
        assert (a.rows, a.totals, a.chart) == (b.rows, b.totals, b.chart)


def test_aging_at_a_past_date_by_hand_with_credit_and_documents_after_the_day(customer: str) -> None:
    other = new_customer("Quayside Traders")
    old = invoice(customer, 4000, days(-100), days(-70))  # 50 days overdue at -20; paid in full at -10
    allocate_payment(pay(customer, 4000, days(-10)), [(old, 4000)], on=days(-10))
    part = invoice(customer, 3000, days(-40), days(-25))  # 5 days overdue at -20; 1,000 paid at -30
    allocate_payment(pay(customer, 1000, days(-30)), [(part, 1000)], on=days(-30))
    credited = invoice(other, 2000, days(-60), days(-30))  # 10 days overdue at -20
    credit_invoice(credited, "damaged", amount_minor=500, on=days(-25))  # applied at once: 1,500 open then
    invoice(other, 800, days(-19), days(11))  # issued the day after: not in the aging at -20
    ahead = invoice(other, 600, days(-15), days(15))  # a payment put on it before it was issued
    allocate_payment(pay(other, 600, days(-30)), [(ahead, 600)], on=days(-25))

    summary, detail = reports.ar_aging(days(-20)), reports.ar_aging_detail(days(-20))
    assert summary.rows == ((customer, "Harbour Supplies Ltd", 0, 2000, 4000, 0, 0, 6000),
                            (other, "Quayside Traders", 0, 1500, 0, 0, 0, 1500))
    assert [(r[0], r[1], r[5], *r[6:]) for r in detail.rows] == [
        (customer, old, 50, None, None, 4000, None, None),
        (customer, part, 5, None, 2000, None, None, None),
        (other, credited, 10, None, 1500, None, None, None)]
    assert detail.totals[-5:] == summary.totals[2:7] == (0, 3500, 4000, 0, 0)
    assert "3 open documents on 2 accounts" in summary.notes[0] == detail.notes[0]


def test_aging_before_a_documents_last_two_move_days_sums_its_moves(customer: str) -> None:
    """Five move days, one of them keyed last but dated between the others: aging at any day is what the
    moves by then add up to, whether it falls before the last two move days (read from the moves) or not."""
    doc = invoice(customer, 9000, days(-60), days(-30))
    for amount, on in ((1000, -50), (2000, -40), (3000, -20), (500, -45)):  # the 500 is keyed last, dated -45
        allocate_payment(pay(customer, amount, days(on - 1)), [(doc, amount)], on=days(on))
    open_at = {-55: 9000, -48: 8000, -45: 7500, -41: 7500, -40: 5500, -25: 5500, -20: 2500, -1: 2500}
    for day, amount in open_at.items():
        detail = reports.ar_aging_detail(days(day))
        assert [(r[1], sum(c or 0 for c in r[6:])) for r in detail.rows] == [(doc, amount)], day
        assert reports.ar_aging(days(day)).totals[-1] == amount, day
    assert reports.ar_aging(days(-61)).rows == ()
    assert reports.ar_aging_detail(days(-25)).rows[0][5:8] == (5, None, 5500)  # 5 days past due: 1-30
    run = database_proxy.obj.execute_sql
    kept = run("SELECT moved_on, prior_on, prior_minor FROM aging_item a JOIN invoice i ON i.id = a.document_id "
               "WHERE i.number = ?", (doc,)).fetchone()
    assert tuple(kept) == (days(-20).isoformat(), days(-40).isoformat(), 5500)
    assert reports.check_report_totals() == []
    run("UPDATE aging_item SET prior_minor = 5000")
    assert len(reports.check_report_totals()) == 1


def test_aging_items_repeat_the_open_items_and_verify_finds_a_difference(customer: str) -> None:
    first = invoice(customer, 1000, days(-40), days(-10))
    allocate_payment(pay(customer, 400, days(-1)), [(first, 400)])
    credit_invoice(invoice(customer, 2000, days(-5)), "returned", amount_minor=2000)
    void_invoice(invoice(customer, 700, days(-2)), "keyed twice")
    run = database_proxy.obj.execute_sql
    kept = run("SELECT number, kind, open_minor FROM aging_item ORDER BY document_id").fetchall()
    assert [tuple(r) for r in kept] == [(first, "invoice", 600), ("INV-000002", "invoice", 0),
                                        ("CN-000001", "credit_note", 0), ("INV-000003", "invoice", 0)]
    assert reports.check_report_totals() == [] and verify_books() == []
    document = run("SELECT id FROM invoice WHERE number = ?", (first,)).fetchone()[0]
    run("UPDATE aging_item SET open_minor = open_minor + 1 WHERE document_id = ?", (document,))
    assert reports.check_report_totals() == [f"aging item of document #{document} differs from its open item, "
                                             "invoice or receivable moves"]


def test_reports_keep_to_one_currency_and_name_the_others(customer: str) -> None:
    euro = new_customer("Rhine Logistik", "EUR")
    invoice(euro, 4200, days(-40), days(-10))
    invoice(customer, 1000, days(-5), days(25))
    gbp = reports.ar_aging(T)
    assert [r[0] for r in gbp.rows] == [customer] and gbp.currency == "GBP"
    assert any("EUR" in n and "€42.00" in n for n in gbp.notes)
    eur = reports.ar_aging(T, currency="eur")
    assert eur.rows == ((euro, "Rhine Logistik", 0, 4200, 0, 0, 0, 4200),) and eur.currency == "EUR"
    with pytest.raises(ValidationError):
        reports.ar_aging(T, currency="ZZZ")


# ---------------------------------------------------------------- balancing the books

def _control(expected_receivables: int, expected_credit: int = 0, expected_unidentified: int = 0) -> None:
    report = reports.control_account()
    rows = {r[0].split(":")[0]: r for r in report.rows if r[1] == "GBP"}
    assert all(r[4] == 0 for r in report.rows), report.notes
    assert rows["Receivables"][2:4] == (expected_receivables, expected_receivables)
    assert rows["Customer credit"][2:4] == (expected_credit, expected_credit)
    assert rows["Unidentified receipts"][2:4] == (expected_unidentified, expected_unidentified)
    assert rows["Journal"][2] == rows["Journal"][3]
    assert "The books balance: every difference is zero." in report.notes


def test_control_account_equals_customer_balances_after_every_kind_of_event(customer: str) -> None:
    _control(0)
    a = invoice(customer, 10000, days(-30), tax="S")
    _control(12000)
    b = invoice(customer, 5000, days(-20))
    _control(17000)
    p = pay(customer, 15000, days(-10))
    _control(17000, 15000)
    allocate_payment(p, [(a, 12000), (b, 2000)], on=days(-10))
    _control(3000, 1000)
    unallocate_payment(p, b)
    _control(5000, 3000)
    credit_invoice(b, "short delivery", amount_minor=1500, on=days(-5))  # applied to b
    _control(3500, 3000)
    credit_invoice(a, "late", amount_minor=600, on=days(-4))  # a is paid: stays as credit
    _control(2900, 3000)
    u = pay(None, 800, days(-3))
    _control(2900, 3000, 800)
    assign_payment(u, customer)
    _control(2900, 3800)
    assert request_refund(customer, 3800, "bank_transfer").status == "posted"  # the cash
    _control(2900, 0)
    request_refund(customer, 100, "bank_transfer")  # from the credit note's 600
    _control(3000, 0)
    c = invoice(customer, 2000, days(-2))
    _control(5000)
    write_off(c, "dispute settled", 500)
    _control(4500)
    d = invoice(customer, 100000, days(-1))
    void_invoice(d, "wrong account")
    _control(4500)
    r = pay(None, 250, days(-1))
    return_payment(r, "not ours")
    _control(4500)
    dispute = open_dispute(b, 1000, "price")
    reject_dispute(dispute.id, "price was agreed")
    big = pay(customer, 60000, T)
    big_refund = request_refund(customer, 55000, "cheque")
    set_operator("bob")
    approve_refund(big_refund.number)
    set_operator("alice")
    _control(4500, 5000)
    assert big and verify_books() == [] and reports.check_report_totals() == []


def test_a_refund_from_cash_and_a_credit_note_keeps_both_sources(customer: str) -> None:
    paid = invoice(customer, 1000, days(-3))
    allocate_payment(pay(customer, 1000, days(-2)), [(paid, 1000)])
    credit_invoice(paid, "late", amount_minor=600)
    pay(customer, 300, days(-1))
    request_refund(customer, 400, "bank_transfer")  # 300 of cash, then 100 of the credit note
    _control(-500, 0)
    assert verify_books() == []


def test_control_account_states_a_difference_plainly(customer: str) -> None:
    invoice(customer, 1000, days(-3))
    database_proxy.execute_sql("UPDATE open_item SET open_minor = open_minor - 1")  # a broken sub-ledger
    report = reports.control_account()
    row = next(r for r in report.rows if r[0].startswith("Receivables"))
    assert row[2:] == (1000, 999, 1)
    assert any("difference £0.01 (must be zero) -- WRONG" in n for n in report.notes)
    assert any("1 differences are not zero" in n for n in report.notes)


def test_trial_balance_for_a_month_by_hand(customer: str) -> None:
    first = invoice(customer, 10000, PREV.end, tax="S")
    allocate_payment(pay(customer, 12000, CUR.start), [(first, 12000)], on=CUR.start)
    prev = reports.trial_balance(PREV)
    assert prev.rows == (("1100", "Trade receivables", 0, 12000, 0, 12000),
                         ("2200", "Sales tax payable", 0, 0, 2000, -2000),
                         ("4000", "Sales", 0, 0, 10000, -10000))
    assert prev.totals == ("Total", "", 0, 12000, 12000, 0)
    cur = reports.trial_balance(CUR)
    assert cur.rows == (("1000", "Bank", 0, 12000, 0, 12000),
                        ("1100", "Trade receivables", 12000, 0, 12000, 0),
                        ("2100", "Unapplied cash (customer credit)", 0, 12000, 12000, 0),
                        ("2200", "Sales tax payable", -2000, 0, 0, -2000),
                        ("4000", "Sales", -10000, 0, 0, -10000))
    assert cur.totals == ("Total", "", 0, 24000, 24000, 0)
    assert any("difference £0.00 (must be zero)" in n for n in cur.notes)
    assert reports.trial_balance(PREV.previous()).rows == ()


# ---------------------------------------------------------------- status reports

def test_unapplied_cash_and_customer_credits(customer: str) -> None:
    paid = invoice(customer, 2000, days(-20))
    allocate_payment(pay(customer, 2000, days(-15)), [(paid, 2000)], on=days(-15))
    credit_invoice(paid, "returned goods", amount_minor=500, on=days(-10))
    pay(customer, 3000, days(-8))
    invoice(customer, 6000, days(-5))
    pay(None, 700, days(-2))
    other = new_customer("Quayside Traders")
    invoice(other, 100, days(-1))  # owes, holds no credit: not listed
    report = reports.unapplied_credits()
    assert report.rows == ((customer, "Harbour Supplies Ltd", 3000, 500, 3500, 6000, days(-8)),
                           ("", "Unidentified receipts (1)", 700, 0, 700, 0, days(-2)))
    assert report.totals == ("Total", "", 3700, 500, 4200, 6000, None)
    assert any("Up to £35.00" in n for n in report.notes)


def test_open_disputes(customer: str) -> None:
    a, b = invoice(customer, 5000, days(-30)), invoice(customer, 800, days(-20))
    open_dispute(a, 1200, "wrong price")
    reject_dispute(open_dispute(b, 800, "never arrived").id, "signed for")
    report = reports.open_disputes()
    assert [r[1:7] for r in report.rows] == [(customer, "Harbour Supplies Ltd", a, 1200, 5000, 0)]
    assert report.totals[4:6] == (1200, 5000)


def test_accounts_on_hold_and_in_collections(customer: str) -> None:
    from store.collections import send_to_collections

    held = new_customer("Quayside Traders")
    invoice(held, 1500, days(-40))
    invoice(customer, 9000, days(-90))
    put_on_hold(held, "over limit")
    set_operator("bob")
    send_to_collections(customer, "Recover & Co")
    set_operator("alice")
    new_customer("Untroubled Ltd")
    report = reports.accounts_on_hold()
    assert [r[:4] + r[5:] for r in report.rows] == [
        (customer, "Harbour Supplies Ltd", "in collections", "agency Recover & Co", 9000, "GBP"),
        (held, "Quayside Traders", "on hold", "over limit", 1500, "GBP")]
    assert report.rows[0][4] is not None and report.rows[1][4] is None
    assert report.currency is None and any("1 accounts on hold" in n for n in report.notes)


def test_dunning_log_lists_the_notices_of_the_period(customer: str) -> None:
    from store.dunning import preview_dunning, record_dunning

    invoice(customer, 4000, days(-60), days(-30))
    record_dunning(T, preview_dunning(T))
    report = reports.dunning_log(CUR)
    assert report.rows == ((T, customer, "Harbour Supplies Ltd", 2, 1, 4000, "GBP", "email", "not sent"),)
    assert reports.dunning_log(PREV).rows == ()


# ---------------------------------------------------------------- the registry

def test_every_report_in_the_registry_returns_well_formed_records(customer: str) -> None:
    invoice(customer, 1000, days(-40), tax="S")
    pay(customer, 500, days(-1), "cash")
    kinds = {"text": str, "money": int, "int": int, "date": dt.date, "percent": Decimal}
    assert set(REPORTS) == set(reports.REPORT_TAKES)
    for name, function in REPORTS.items():
        for when in (None, CUR, PREV, days(-3)):
            report = function(when)
            assert isinstance(report, Report) and report.name == name, name
            assert report.title and report.period_label and report.notes
            for row in report.rows + ((report.totals,) if report.totals else ()):
                assert len(row) == len(report.columns), name
                for col, cell in zip(report.columns, row, strict=False):
                    if cell is not None and row is not report.totals:
                        assert isinstance(cell, kinds[col.kind]) and not isinstance(cell, bool), (name, col, cell)
                    assert not isinstance(cell, float), (name, col)
            if report.chart:
                assert len(report.chart.labels) == len(report.chart.values)
                assert all(isinstance(v, int) for v in report.chart.values)
        assert reports.run_report(name).name == name
    with pytest.raises(ValidationError, match="'sales' is not a report"):
        reports.run_report("sales")


# ---------------------------------------------------------------- PostgreSQL


def test_reports_and_the_dunning_run_on_postgresql(pg_books: str) -> None:
    from store.dunning import dunning_run, record_dunning
    from store.session import ensure_operator

    ensure_operator("pat", "Pat", "supervisor")
    account = new_customer("Postgres Pty")
    euro = new_customer("Rhine Logistik", "EUR")
    first = invoice(account, 10000, days(-60), days(-30), tax="S")
    second = invoice(account, 5000, days(-20), days(-10))
    invoice(euro, 700, days(-15), days(-5))
    allocate_payment(pay(account, 8000, days(-12)), [(first, 8000)], on=days(-12))
    credit_invoice(second, "short", amount_minor=500, on=days(-8))
    write_off(second, "rounding", 100)
    pay(None, 300, days(-1))
    open_dispute(second, 1000, "price")
    expected = ((account, "Postgres Pty", 0, 4000 + 4400, 0, 0, 0, 8400),)
    assert reports.ar_aging(T).rows == expected
    assert reports.ar_aging(days(-9)).rows == ((account, "Postgres Pty", 0, 4000 + 5000, 0, 0, 0, 9000),)
    assert reports.ar_aging(days(-13)).rows == ((account, "Postgres Pty", 5000, 12000, 0, 0, 0, 17000),)
    assert [r[0] for r in reports.ar_aging_detail(T).rows] == [account, account]
    billing = reports.billing_and_collections(CUR, periods_before=3)
    assert billing.totals[1] == 12000 + 5000 and billing.totals[4] == 8000 + 300  # invoiced (GBP), collected
    assert billing.rows[-1][8] == 8400  # receivables at the end of this month
    control = reports.control_account()
    assert all(r[4] == 0 for r in control.rows) and "The books balance: every difference is zero." in control.notes
    assert reports.trial_balance(CUR).totals[2] == 0 == reports.trial_balance(CUR).totals[5]
    for name in REPORTS:
        assert reports.run_report(name, CUR).name == name
    run = dunning_run(T)
    assert [(p.account_no, p.level, p.total_minor) for p in run.proposals] == [(account, 2, 4000)]
    assert len(record_dunning(T, run.proposals)) == 1
    assert reports.dunning_log(CUR).rows[0][1] == account
    assert verify_books() == [] and reports.check_report_totals() == []
