"""Invoices and credit notes: amounts, numbers, journal lines, and every refusal leaving the books unchanged."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from store import invoices
from store.customers import customer_data, get_customer, put_on_hold, update_customer, with_changes
from store.errors import BooksError, Conflict, NotFound, ValidationError
from store.invoices import CreditLimitExceeded, DraftInput, LineInput
from store.models import AuditEvent, Invoice, InvoiceLine, JournalLine, OpenItem, database_proxy
from store.queries import invoice_view
from store.verify import verify_books
from tests.conftest import acting_as, admin_setting, line, post, snapshot


def journal_of(number: str) -> list[tuple[str, int, int]]:
    inv = Invoice.get(Invoice.number == number)
    return sorted((jl.account_id, jl.debit_minor, jl.credit_minor) for jl in
                  JournalLine.select().where(JournalLine.entry == inv.journal_entry_id))


def test_post_invoice_amounts_number_journal_and_audit(customer: str) -> None:
    result = post(customer, line("Widgets", "3", 1999, "S"), line("Books", "2", 1000, "Z"),
                  line("Service", "1.5", 10000, "S", "10"))
    # 3 x 19.99 = 59.97 (tax 11.99); 2 x 10.00 = 20.00 (tax 0); 1.5 x 100.00 less 10% = 135.00 (tax 27.00)
    assert result.number == "INV-000001"
    assert result.total_minor == 5997 + 1199 + 2000 + 13500 + 2700
    view = invoice_view("INV-000001")
    assert (view.subtotal_minor, view.tax_minor, view.open_minor) == (21497, 3899, 25396)
    assert [ln.net_minor for ln in view.lines] == [5997, 2000, 13500]
    # the zero-rated line's tax of 0 posts no line
    assert journal_of("INV-000001") == [("1100", 25396, 0), ("2200", 0, 1199 + 2700), ("4000", 0, 21497)]
    event = AuditEvent.select().where(AuditEvent.action == "invoice.post").get()
    assert event.operator == "alice" and event.after["total_minor"] == 25396
    assert verify_books() == []


def test_numbers_are_gapless_in_posting_order_even_after_a_refused_post(customer: str) -> None:
    first = invoices.create_draft(DraftInput(customer, dt.date(2026, 11, 1), (line(),)))
    second = invoices.create_draft(DraftInput(customer, dt.date(2026, 11, 1), (line(),)))
    put_on_hold(customer, "cheque bounced")
    with pytest.raises(Conflict, match="on hold: cheque bounced"):
        invoices.post_invoice(first.id)
    from store.customers import release_hold
    release_hold(customer)
    assert invoices.post_invoice(second.id).number == "INV-000001"
    assert invoices.post_invoice(first.id).number == "INV-000002"
    assert verify_books() == []


def test_per_invoice_tax_rounding_is_recorded_on_the_invoice(customer: str) -> None:
    admin_setting("tax_rounding", "invoice")
    result = post(customer, line("a", "1", 33), line("b", "1", 33), line("c", "1", 33))
    assert result.total_minor == 99 + 20
    assert Invoice.get(Invoice.number == result.number).tax_rounding == "invoice"
    assert verify_books() == []


@pytest.mark.parametrize("bad,field", [
    (LineInput("Widget", Decimal(-1), 1000, "S"), "line 1 quantity"),
    (LineInput("Widget", Decimal(1), -5, "S"), "line 1 unit price"),
    (LineInput("Widget", Decimal(1), 100, "XX"), "line 1 tax code"),
    (LineInput("", Decimal(1), 100, "S"), "line 1 description"),
    (LineInput("Widget", Decimal(1), 100, "S", Decimal(101)), "line 1 discount"),
])
def test_bad_lines_are_refused_and_nothing_is_written(customer: str, bad: LineInput, field: str) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as err:
        invoices.create_and_post(DraftInput(customer, dt.date(2026, 11, 1), (bad,)))
    assert err.value.field == field
    assert snapshot() == before


def test_unknown_customer_and_empty_invoice_are_refused(customer: str) -> None:
    before = snapshot()
    with pytest.raises(NotFound, match="999999"):
        invoices.create_and_post(DraftInput("999999", dt.date(2026, 11, 1), (line(),)))
    with pytest.raises(ValidationError, match="at least one line"):
        invoices.create_and_post(DraftInput(customer, dt.date(2026, 11, 1), ()))
    assert snapshot() == before


def test_three_decimals_in_gbp_is_refused_naming_the_field(customer: str) -> None:
    _line, errors = invoices.parse_line_fields({"description": "x", "quantity": "1", "unit_price": "1.005",
                                                "tax_code": "S"}, "GBP")
    assert errors == {"unit_price": "GBP amounts have at most 2 decimal places"}


def test_item_code_fills_the_line_from_the_catalogue(customer: str) -> None:
    from store.catalogue import save_item

    with acting_as("bob"):
        save_item("TONER", "Toner cartridge", 6899, "GBP", "S")
    parsed, errors = invoices.parse_line_fields({"item": "toner", "quantity": "2"}, "GBP")
    assert errors == {}
    assert parsed == LineInput("Toner cartridge", Decimal(2), 6899, "S", Decimal(0), "TONER")


def test_drafts_edit_and_delete_but_posted_invoices_never(customer: str) -> None:
    draft = invoices.create_draft(DraftInput(customer, dt.date(2026, 11, 1), (line(),)))
    changed = invoices.update_draft(draft.id, DraftInput(customer, dt.date(2026, 11, 2), (line(qty="2"), line())), 1)
    assert changed.total_minor == 3600 and changed.version == 2
    with pytest.raises(Conflict, match="changed by someone else"):
        invoices.update_draft(draft.id, DraftInput(customer, dt.date(2026, 11, 2), (line(),)), 1)
    posted = invoices.post_invoice(draft.id)
    before = snapshot()
    with pytest.raises(Conflict, match="never edited"):
        invoices.update_draft(draft.id, DraftInput(customer, dt.date(2026, 11, 2), (line(),)), 2)
    with pytest.raises(Conflict, match="never edited"):
        invoices.delete_draft(draft.id)
    assert snapshot() == before
    other = invoices.create_draft(DraftInput(customer, dt.date(2026, 11, 1), (line(),)))
    invoices.delete_draft(other.id)
    assert Invoice.get_or_none(Invoice.id == other.id) is None
    assert posted.number == "INV-000001"


def test_database_triggers_refuse_changes_to_posted_rows(customer: str) -> None:
    number = post(customer).number
    inv = Invoice.get(Invoice.number == number)
    for sql in (f"UPDATE invoice SET total_minor = 1 WHERE id = {inv.id}",
                f"DELETE FROM invoice WHERE id = {inv.id}",
                f"UPDATE invoice_line SET net_minor = 1 WHERE invoice_id = {inv.id}",
                f"INSERT INTO invoice_line (invoice_id, position, description, quantity, unit_price_minor, "
                f"discount_percent, tax_code, tax_rate, net_minor, tax_minor) VALUES ({inv.id}, 9, 'x', '1', 1, '0', "
                f"'S', '20', 1, 0)",
                "UPDATE journal_line SET debit_minor = 0", "DELETE FROM journal_entry",
                "UPDATE audit_event SET operator = 'mallory'", "DELETE FROM audit_event"):
        with pytest.raises(Exception, match="never changed or deleted"):
            database_proxy.obj.execute_sql(sql)
    assert verify_books() == []


def test_credit_limit_is_a_warning_that_can_be_confirmed(customer: str) -> None:
    row = get_customer(customer)
    update_customer(customer, with_changes(customer_data(row), credit_limit_minor=2000), row.version)
    post(customer)  # 12.00
    before = snapshot()
    with pytest.raises(CreditLimitExceeded, match=r"exceeds the credit limit £20\.00"):
        post(customer)
    assert snapshot() == before
    assert post(customer, allow_over_limit=True).number == "INV-000002"


def test_void_posts_the_reversal_and_is_refused_while_paid(customer: str) -> None:
    from store.payments import PaymentInput, allocate_payment, record_payment

    number = post(customer).number
    pay = record_payment(PaymentInput(500, "GBP", "cash", dt.date(2026, 11, 3), customer))
    allocate_payment(pay.number, [(number, 500)])
    before = snapshot()
    with pytest.raises(Conflict, match="unallocate them first"):
        invoices.void_invoice(number, "keyed twice")
    assert snapshot() == before
    other = post(customer).number
    result = invoices.void_invoice(other, "keyed twice")
    assert result.reversed_minor == 1200
    assert invoice_view(other).status == "void" and invoice_view(other).open_minor == 0
    with pytest.raises(Conflict, match="already void"):
        invoices.void_invoice(other, "again")
    with pytest.raises(ValidationError, match="reason"):
        invoices.void_invoice(number, " ")
    assert verify_books() == []


def test_credit_note_whole_chosen_lines_and_amount(customer: str) -> None:
    number = post(customer, line("a", "1", 1000), line("b", "2", 500), line("c", "1", 2500)).number
    cn1 = invoices.credit_invoice(number, "b returned", positions=[2])
    assert (cn1.number, cn1.total_minor, cn1.applied_minor) == ("CN-000001", 1200, 1200)
    with pytest.raises(ValidationError, match="line 2 of INV-000001 has already been credited"):
        invoices.credit_invoice(number, "again", positions=[2])
    cn2 = invoices.credit_invoice(number, "rest")
    assert cn2.total_minor == 1200 + 3000  # lines 1 and 3
    assert invoice_view(number).open_minor == 5400 - 1200 - 4200 == 0
    with pytest.raises(ValidationError, match="every line"):
        invoices.credit_invoice(number, "nothing left")
    other = post(customer, line("x", "1", 10000)).number
    cn3 = invoices.credit_invoice(other, "goodwill", amount_minor=2400)
    assert cn3.total_minor == 2400 and invoice_view(other).open_minor == 12000 - 2400
    assert [ln.net_minor for ln in invoice_view(cn3.number).lines] == [2000]
    assert verify_books() == []


def test_credit_beyond_the_open_amount_stays_as_customer_credit(customer: str) -> None:
    from store.payments import PaymentInput, allocate_payment, customer_credit, record_payment

    number = post(customer, line("a", "1", 10000)).number
    pay = record_payment(PaymentInput(12000, "GBP", "bank_transfer", dt.date(2026, 11, 3), customer))
    allocate_payment(pay.number, [(number, 12000)])
    cn = invoices.credit_invoice(number, "refund agreed")
    assert cn.applied_minor == 0
    assert customer_credit(get_customer(customer).id) == 12000
    assert OpenItem.get(OpenItem.document == Invoice.get(Invoice.number == cn.number).id).open_minor == -12000
    assert verify_books() == []


def test_idempotency_key_returns_the_first_result_and_refuses_a_different_request(customer: str) -> None:
    data = DraftInput(customer, dt.date(2026, 11, 1), (line(),))
    first = invoices.create_and_post(data, idempotency_key="order-4711")
    assert invoices.create_and_post(data, idempotency_key="order-4711") == first
    assert Invoice.select().where(Invoice.status == "posted").count() == 1
    with pytest.raises(BooksError, match="different request"):
        invoices.create_and_post(DraftInput(customer, dt.date(2026, 11, 1), (line(qty="2"),)),
                                 idempotency_key="order-4711")


def test_lines_of_a_posted_invoice_keep_the_rate_they_were_keyed_at(customer: str) -> None:
    from store.catalogue import save_tax_code

    number = post(customer).number
    with acting_as("bob"):
        save_tax_code("S", "Standard rate", Decimal("17.5"))
    assert InvoiceLine.get(InvoiceLine.invoice == Invoice.get(Invoice.number == number).id).tax_rate == Decimal(20)
    assert post(customer).total_minor == 1175
