"""Pilot tests of account lookup, the account view and customer entry, against a real database file."""
from __future__ import annotations

import datetime
import datetime as dt

import pytest
from textual.widgets import DataTable, Input

from store.customers import CustomerData, create_customer, get_customer
from store.queries import customer_notes
from tests.conftest import post
from tests.screens.host import HostApp, settle, text_of
from tui.screens.account_lookup import AccountLookupScreen
from tui.screens.account_view import AccountViewScreen
from tui.screens.customer_form import CustomerFormScreen
from tui.widgets.results import ResultList


@pytest.fixture()
def harbour(books) -> str:
    create_customer(CustomerData(name="Heron Granite Services", email="h@heron.example", city="York"))
    account = create_customer(CustomerData(name="Harbour Supplies Ltd", email="ap@harbour.example", city="Bristol",
                                           phone="+44 20 7946 0123")).account_no
    post(account, issue=dt.date(2020, 1, 1))
    return account


async def test_lookup_as_you_type_and_open(harbour: str) -> None:
    app = HostApp(AccountLookupScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"harb")
        await settle(pilot)
        table = app.screen.query_one(ResultList)
        assert table.row_count == 1
        assert table.get_row_at(0) == (harbour, "Harbour Supplies Ltd", "Bristol", "12.00", "12.00", "")
        assert "1 found" in text_of(app, "#lookup-status")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountViewScreen)
        header = text_of(app, "#account-header")
        assert "Harbour Supplies Ltd" in header and "Balance £12.00" in header and "Overdue £12.00" in header
        assert app.screen.query_one("#t-open", DataTable).get_row_at(0)[0] == "INV-000001"


async def test_lookup_finds_by_phone_and_moves_with_arrows(harbour: str) -> None:
    app = HostApp(AccountLookupScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"h")
        await settle(pilot)
        assert app.screen.query_one(ResultList).row_count == 2
        await pilot.press("down")
        assert app.screen.selected().name == "Heron Granite Services"
        for _ in range(5):
            await pilot.press("backspace")
        await pilot.press(*"020 7946")
        await settle(pilot)
        assert app.screen.selected().account_no == harbour


async def test_nothing_found_says_so(harbour: str) -> None:
    app = HostApp(AccountLookupScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"zzzq")
        await settle(pilot)
        assert "No account matches 'zzzq'" in text_of(app, "#lookup-status")


async def test_account_view_note_and_hold(harbour: str) -> None:
    app = HostApp(AccountViewScreen(harbour))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.press(*"Call after 2pm", "enter")
        await settle(pilot)
        assert [n.text for n in customer_notes(harbour)] == ["Call after 2pm"]
        await pilot.press("f7")
        await pilot.press(*"cheque bounced", "enter")
        await settle(pilot)
        assert get_customer(harbour).status == "on_hold"
        assert "ON HOLD" in text_of(app, "#account-header")
        await pilot.press("right", "right", "right")
        await settle(pilot)
        activity = app.screen.query_one("#t-activity", DataTable)
        assert "customer.hold" in [str(activity.get_row_at(r)[2]) for r in range(activity.row_count)]
        await pilot.press("n")
        assert app.opened == [("invoice", harbour)]


async def test_customer_form_checks_each_field_and_saves(books) -> None:
    app = HostApp(CustomerFormScreen(None))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"Kestrel Trading",
                         "enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter")
        await pilot.press(*"not-an-email", "enter")
        await settle(pilot)
        assert text_of(app, "#e-email") == "is not an e-mail address"  # its text is beside it already
        await pilot.press("f10")
        await settle(pilot)
        assert "Not saved: 1 field(s) to correct" in text_of(app, "#form-status")
        assert app.screen.focused.id == "f-email"
        app.screen.focused.value = "ap@kestrel.example"
        await pilot.press("f10")
        await settle(pilot)
    row = get_customer("100001")
    assert (row.name, row.email) == ("Kestrel Trading", "ap@kestrel.example")


async def test_customer_form_refuses_to_save_over_someone_elses_change(harbour: str) -> None:
    from store.customers import customer_data, update_customer, with_changes
    from store.session import set_operator

    app = HostApp(CustomerFormScreen(harbour))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        row = get_customer(harbour)
        set_operator("bob")
        update_customer(harbour, with_changes(customer_data(row), city="Bath"), row.version)
        set_operator("alice")
        app.screen.query_one("#f-phone", Input).value = "+44 117 496 0000"
        await pilot.press("f10")
        await settle(pilot)
        status = text_of(app, "#form-status")
        assert "Not saved: account" in status and "was changed by bob at" in status
    assert get_customer(harbour).phone == "+44 20 7946 0123"


async def test_document_screen_preview_pdf_void_credit_duplicate(harbour: str, tmp_path) -> None:
    from pypdf import PdfReader

    from store.queries import invoice_view
    from tui.screens.document_view import DocumentScreen
    from tui.screens.invoice_entry import InvoiceEntryScreen

    other = post(harbour).number
    app = HostApp(AccountViewScreen(harbour))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the first open item
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        preview = text_of(app, "#doc-preview")
        assert "INVOICE INV-000001" in preview and "Harbour Supplies Ltd" in preview and "£12.00" in preview
        out = tmp_path / "inv.pdf"
        await pilot.press("w", "ctrl+u", *str(out), "enter")
        await settle(pilot)
        assert "INV-000001" in PdfReader(str(out)).pages[0].extract_text()
        await pilot.press("f9", "enter", *"goodwill", "enter")
        await settle(pilot)
        assert "Credit note CN-000001 for £12.00 posted (£12.00 applied)" in text_of(app, "#doc-status")
        assert invoice_view("INV-000001").open_minor == 0
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, InvoiceEntryScreen)
        assert app.screen.query_one("#f-customer").value == harbour
    app = HostApp(DocumentScreen(other))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7", *"keyed twice", "enter")
        await settle(pilot)
        assert "is void: £12.00 reversed" in text_of(app, "#doc-status")
        assert "VOID" in text_of(app, "#doc-preview") and "keyed twice" in text_of(app, "#doc-preview")


async def test_customer_text_is_shown_as_typed_never_as_markup(books) -> None:
    account = create_customer(CustomerData(name="[b]Evil[/b] & [red]Co", email="e@evil.example",
                                           city="[link=http://x]Here")).account_no
    app = HostApp(AccountViewScreen(account))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        header = text_of(app, "#account-header")
        assert "[b]Evil[/b] & [red]Co" in header and "[link=http://x]Here" in header


async def test_dispute_and_promise_from_the_account(harbour: str) -> None:
    from store.models import Dispute, PromiseToPay

    app = HostApp(AccountViewScreen(harbour))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f8", *"5.00 wrong price", "enter")
        await settle(pilot)
        row = [str(c) for c in app.screen.query_one("#t-open", DataTable).get_row_at(0)]
        assert row[-1] == "DISP", ([n.message for n in app._notifications], row)
        await pilot.press("f9", *"+14 12.00", "enter")
        await settle(pilot)
    dispute = Dispute.get()
    assert (dispute.amount_minor, dispute.reason) == (500, "wrong price")
    assert PromiseToPay.get().amount_minor == 1200


async def test_reallocate_and_refund_from_the_account(harbour: str) -> None:
    from store.payments import PaymentInput, record_payment
    from store.queries import customer_view, invoice_view

    pay = record_payment(PaymentInput(2000, "GBP", "cheque", datetime.date(2026, 11, 5), harbour)).number
    app = HostApp(AccountViewScreen(harbour))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right", "right")  # the Payments tab
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press(*"12", "f10")
        await settle(pilot)
        assert invoice_view("INV-000001").open_minor == 0
        await pilot.press("f11", *"8.00 bank_transfer overpaid", "enter")
        await settle(pilot)
    assert customer_view(harbour).credit_minor == 0
    assert pay


async def test_dispute_opened_and_settled_from_the_document(harbour: str) -> None:
    from store.disputes import open_dispute_of
    from store.queries import invoice_view
    from tui.screens.document_view import DocumentScreen

    app = HostApp(DocumentScreen("INV-000001"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press(*"price was wrong", "enter")
        await settle(pilot)
        assert open_dispute_of("INV-000001").amount_minor == 1200
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press(*"c agreed with customer", "enter")
        await settle(pilot)
        assert "settled by credit note CN-000001" in text_of(app, "#doc-status")
    assert open_dispute_of("INV-000001") is None and invoice_view("INV-000001").open_minor == 0


async def test_a_credit_note_by_amount_from_the_document(harbour: str) -> None:
    from store.queries import invoice_view
    from tests.conftest import line
    from tui.screens.document_view import DocumentScreen

    number = post(harbour, line(price=10000)).number  # 100.00 + 20% tax = 120.00
    app = HostApp(DocumentScreen(number))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f9", *"abc", "enter")
        await settle(pilot)
        assert "not line numbers such as 1,3 nor an amount such as 24.00" in text_of(app, "#doc-status")
        await pilot.press("f9", *"£24.00", "enter", *"short delivery", "enter")
        await settle(pilot)
        assert "Credit note CN-000001 for £24.00 posted (£24.00 applied)" in text_of(app, "#doc-status")
    assert invoice_view(number).open_minor == 12000 - 2400
    credit = invoice_view("CN-000001")
    assert (credit.total_minor, credit.credited_invoice) == (2400, number)
