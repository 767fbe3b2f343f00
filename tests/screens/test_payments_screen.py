"""Pilot tests of the matching queue and of recording a payment by hand."""
from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable, Input, Static

from store.customers import CustomerData, create_customer
from store.payments import PaymentInput, record_payment
from store.queries import invoice_view, payment_view
from store.verify import verify_books
from tests.conftest import line, post
from tests.screens.host import HostApp, settle, text_of
from tui.screens.matching_queue import PaymentsScreen
from tui.screens.payment_entry import PaymentEntryScreen


@pytest.fixture()
def queue(books) -> dict[str, str]:
    acme = create_customer(CustomerData(name="Acme Widgets Ltd", email="a@acme.example")).account_no
    a1, a2 = post(acme, line(price=10000)).number, post(acme, line(price=5000)).number
    p1 = record_payment(PaymentInput(6000, "GBP", "bank_transfer", dt.date(2026, 11, 1),
                                     reference=f"paying {a2}")).number
    p2 = record_payment(PaymentInput(18000, "GBP", "bank_transfer", dt.date(2026, 11, 2), payer="ACME WIDGETS")).number
    p3 = record_payment(PaymentInput(777, "GBP", "cheque", dt.date(2026, 11, 3), payer="Nobody Known")).number
    return {"acme": acme, "a1": a1, "a2": a2, "p1": p1, "p2": p2, "p3": p3}


async def test_clear_the_queue_by_keys(queue) -> None:
    app = HostApp(PaymentsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#queue", DataTable).row_count == 3
        assert "invoice INV-000002 is in the reference" in text_of(app, "#reasons")
        await pilot.press("enter")  # accept the top suggestion of PAY-0000001
        await settle(pilot)
        assert invoice_view(queue["a2"]).open_minor == 0
        assert app.screen.current == queue["p2"]  # the next payment took its place
        # 180.00 from "ACME WIDGETS" against 120.00 open: a name and no exact amount, so nothing is
        # chosen and Enter alone applies nothing; 1 chooses the top suggestion, then Enter.
        assert "Not sure (low): 1-9 chooses" in text_of(app, "#reasons")
        await pilot.press("enter")
        await settle(pilot)
        assert invoice_view(queue["a1"]).open_minor == 12000 and "Nothing chosen" in text_of(app, "#queue-status")
        await pilot.press("1", "enter")
        await settle(pilot)
        assert invoice_view(queue["a1"]).open_minor == 0 and payment_view(queue["p2"]).unallocated_minor == 6000
        # the 60.00 left on Acme's account is its credit now (nothing open to pay): it leaves the queue
        assert app.screen.current == queue["p3"]
        await pilot.press("f7", "ctrl+u", *queue["acme"], "enter")  # leave the unknown cheque as credit on Acme
        await settle(pilot)
        assert payment_view(queue["p3"]).account_no == queue["acme"]
        assert "The queue is clear." in text_of(app, "#queue-status")
    assert verify_books() == []


async def test_return_to_sender(queue) -> None:
    app = HostApp(PaymentsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f8", *"not ours", "enter")
        await settle(pilot)
        assert app.screen.current == queue["p2"]
    assert payment_view(queue["p1"]).status == "returned"
    assert verify_books() == []


async def test_split_with_amounts_typed(queue) -> None:
    app = HostApp(PaymentsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press(*"100", "enter", *"20", "enter", "f10")
        await settle(pilot)
    assert invoice_view(queue["a1"]).open_minor == 2000 and invoice_view(queue["a2"]).open_minor == 4000
    assert payment_view(queue["p2"]).unallocated_minor == 18000 - 12000


async def test_taken_by_another_operator(queue) -> None:
    from store.matching import claim_payment
    from store.session import set_operator

    set_operator("bob")
    claim_payment(queue["p1"])
    set_operator("alice")
    app = HostApp(PaymentsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "taken by bob" in text_of(app, "#payment-detail")
        await pilot.press("enter")
        await settle(pilot)
        assert "being worked by bob" in text_of(app, "#queue-status")
    assert invoice_view(queue["a2"]).open_minor == 6000


async def test_filter_by_method(queue) -> None:
    app = HostApp(PaymentsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#q-method", Input).value = "cheque"
        app.screen.query_one("#q-method", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert [r.number for r in app.screen.rows] == [queue["p3"]]


async def test_auto_match_from_the_screen(queue) -> None:
    app = HostApp(PaymentsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert f"Auto-match would apply 1, one transaction each:\n  {queue['p1']} -> {queue['a2']}\n" in str(
            app.screen.query_one("#confirm-question", Static).render())
        await pilot.press("y")  # one key
        await settle(pilot)
        assert "Auto-match applied 1 of 1" in text_of(app, "#queue-status")
    assert invoice_view(queue["a2"]).open_minor == 0


async def test_record_a_payment_by_hand_oldest_first(queue) -> None:
    app = HostApp(PaymentEntryScreen(queue["acme"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"130", "f9")
        await settle(pilot)
        assert "Left to allocate: £0.00" in text_of(app, "#left-to-allocate")
        await pilot.press("f10")
        await settle(pilot)
    assert invoice_view(queue["a1"]).open_minor == 0 and invoice_view(queue["a2"]).open_minor == 5000
    assert verify_books() == []


async def test_esc_asks_before_discarding_a_payment_being_typed(queue) -> None:
    from tui.screens.confirm import ConfirmScreen

    app = HostApp(PaymentEntryScreen(queue["acme"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")  # nothing typed yet: straight back
        await settle(pilot)
        assert not isinstance(app.screen, PaymentEntryScreen)
        app.push_screen(PaymentEntryScreen(queue["acme"]))
        await settle(pilot)
        await pilot.press(*"130", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one("#p-amount", Input).value == "130"
        await pilot.press("escape", "y")
        await settle(pilot)
        assert not isinstance(app.screen, (PaymentEntryScreen, ConfirmScreen))


async def test_import_a_statement_from_the_queue(books) -> None:
    from pathlib import Path

    statement = Path(__file__).parents[1] / "data" / "statements" / "camt053-v02.xml"
    app = HostApp(PaymentsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i", *str(statement), "enter")
        await settle(pilot)
        assert "3 new, 0 duplicates, 1 skipped" in str(app.screen.query_one("#import-summary", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert "3 new, 0 duplicates, 1 skipped" in text_of(app, "#queue-status")
        assert app.screen.query_one("#queue", DataTable).row_count == 3
        await pilot.press("i", *"/no/such/file.csv", "enter")
        await settle(pilot)
        assert "Not imported: /no/such/file.csv" in text_of(app, "#queue-status")


async def test_a_banks_csv_is_mapped_once_then_read_without_asking(books, tmp_path) -> None:
    from store.imports import load_mapping
    from store.models import Payment
    from tui.screens.csv_mapping import CsvMappingScreen

    first = tmp_path / "nov.csv"
    first.write_text("Posted,Details,Credit,Debit\n03/11/2026,INV-000001 ACME,\"1,250.00\",\n"
                     "04/11/2026,Card fee,,12.50\n")
    app = HostApp(PaymentsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i", *str(first), "enter")
        await settle(pilot)
        assert isinstance(app.screen, CsvMappingScreen)
        assert "Posted,Details,Credit,Debit" in str(app.screen.query_one("#sample", Static).render())
        # The header's names are not common ones: the operator names the columns, and a wrong one first.
        screen = app.screen
        for key, value in (("name", "our-bank"), ("date", "Posted"), ("money_in", "Credit"), ("money_out", "Debt"),
                           ("reference", "Details")):
            screen.query_one(f"#m-{key}", Input).value = value
        screen.query_one("#m-date_format", Input).value = "dd/mm/yyyy"
        await pilot.press("f10")
        await settle(pilot)
        row = screen.query_one("#m-date_format").parent
        assert "has no fields, e.g. %d/%m/%Y" in str(row.query_one(".field-error", Static).render())
        screen.query_one("#m-date_format", Input).value = "%d/%m/%Y"
        await pilot.press("f10")
        await settle(pilot)
        assert "has no 'Debt' column for the money out (columns: Posted, Details, Credit, Debit)" in text_of(
            app, "#mapping-status")
        assert Payment.select().count() == 0
        screen.query_one("#m-money_out", Input).value = "Debit"
        await pilot.press("f10")
        await settle(pilot)
        assert "   2  skipped   2026-11-04" in str(app.screen.query_one("#import-text", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PaymentsScreen)
        assert "(mapping our-bank): 1 new, 0 duplicates, 1 skipped" in text_of(app, "#queue-status")
        assert load_mapping("our-bank").money_in == "Credit"
        # December's statement from the same bank: read with the saved mapping, no questions.
        second = tmp_path / "dec.csv"
        second.write_text("Posted,Details,Credit,Debit\n01/12/2026,ACME,99.00,\n")
        await pilot.press("i", *str(second), "enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PaymentsScreen)
        assert "(mapping our-bank): 1 new" in text_of(app, "#queue-status")
    assert sorted(p.amount_minor for p in Payment.select()) == [9900, 125000]


async def test_the_next_page_of_the_queue_comes_in_as_payments_are_placed(queue, monkeypatch) -> None:
    from tui.screens import matching_queue as payments

    monkeypatch.setattr(payments, "QUEUE_PAGE", 2)
    app = HostApp(PaymentsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#queue", DataTable).row_count == 2
        assert "2+ payment(s) to allocate." in text_of(app, "#queue-status")
        await pilot.press("enter")  # PAY-0000001 placed: one row left, so the rest of the queue is read
        await settle(pilot)
        assert [r.number for r in app.screen.rows] == [queue["p2"], queue["p3"]] and app.screen.current == queue["p2"]
        assert "2 to go." in text_of(app, "#queue-status")


async def test_payment_method_defaults_to_the_customers_habit_completes_and_picks_by_f4(books) -> None:
    from store.models import Payment

    payer = create_customer(CustomerData(name="Cheque Payer Ltd", email="c@cheque.example")).account_no
    for n, method in enumerate(("cheque", "bank_transfer", "cheque")):
        record_payment(PaymentInput(1000, "GBP", method, dt.date(2026, 11, 1 + n), payer))
    app = HostApp(PaymentEntryScreen(payer))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        method = app.screen.query_one("#p-method", Input)
        assert method.value == "cheque"  # two of the last three came by cheque
        method.focus()
        await pilot.press("ctrl+u", *"d", "enter")  # 'd' is direct_debit and nothing else
        await settle(pilot)
        assert method.value == "direct_debit" and app.focused.id == "p-amount"
        method.focus()
        await pilot.press("ctrl+u", *"c", "enter")  # cash, cheque or card: the cursor stays, the message says
        await settle(pilot)
        assert "'c' is one of cash, cheque, card: type more" in text_of(app, "#pe-method")
        assert app.focused is method
        await pilot.press(*"99")  # held: discarded, not typed into the method or the amount
        assert method.value == "c" and app.screen.query_one("#p-amount", Input).value == ""
        await pilot.press("escape")  # leave the held field as it is
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press(*"car", "enter")
        await settle(pilot)
        assert method.value == "card" and app.focused.id == "p-amount"
        await pilot.press(*"10", "f10")
        await settle(pilot)
    assert Payment.select().order_by(Payment.id.desc()).get().method == "card"
