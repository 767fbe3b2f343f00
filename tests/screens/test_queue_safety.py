"""The matching queue cannot misapply money (issue 16): what is selected is visible, Enter applies only
the chosen suggestion of the payment on screen, unsure ones need a choice, Ctrl+Z takes back; and a
statement is imported from the screen by the same service as `billfold import`, currency included."""
from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable, Input, Static

from store.customers import CustomerData, create_customer
from store.models import Payment
from store.payments import PaymentInput, record_payment
from store.queries import invoice_view, payment_view
from store.verify import verify_books
from tests.conftest import line, post
from tests.screens.host import HostApp
from tests.screens.test_typeahead import burst, settle
from tui.screens.matching_queue import PaymentsScreen


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def suggestion_rows(app) -> list[str]:
    table = app.screen.query_one("#suggestions", DataTable)
    return [" ".join(str(c) for c in table.get_row_at(n)) for n in range(table.row_count)]


@pytest.fixture()
def muller(books) -> dict[str, str]:
    oliver = create_customer(CustomerData(name="Oliver Müller", email="o@example.org")).account_no
    firm = create_customer(CustomerData(name="Müller GmbH", email="m@example.de")).account_no
    acme = create_customer(CustomerData(name="Acme Widgets Ltd", email="a@acme.example")).account_no
    inv_oliver = post(oliver, line(price=5000)).number      # 60.00
    inv_firm = post(firm, line(price=9000)).number           # 108.00
    inv_acme = post(acme, line(price=2500)).number           # 30.00
    day = dt.date(2026, 11, 2)
    sure = record_payment(PaymentInput(3000, "GBP", "bank_transfer", day, reference=f"{inv_acme} thanks")).number
    firm_pays = record_payment(PaymentInput(5000, "GBP", "bank_transfer", day + dt.timedelta(1),
                                            payer="MUELLER GMBH")).number
    cheque = record_payment(PaymentInput(777, "GBP", "cheque", day + dt.timedelta(2), payer="Nobody Known")).number
    return {"oliver": oliver, "firm": firm, "acme": acme, "inv_oliver": inv_oliver, "inv_firm": inv_firm,
            "inv_acme": inv_acme, "sure": sure, "firm_pays": firm_pays, "cheque": cheque}


async def test_enter_applies_the_chosen_suggestion_and_ctrl_z_takes_it_back(muller) -> None:
    app = HostApp(PaymentsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.current == muller["sure"]
        assert suggestion_rows(app)[0].startswith("▶1") and suggestion_rows(app)[0].endswith("high")
        await pilot.press("enter")
        await settle(pilot)
        assert invoice_view(muller["inv_acme"]).open_minor == 0
        assert app.screen.current == muller["firm_pays"]  # the next payment took its place
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert f"Undone: {muller['sure']} taken back off {muller['inv_acme']} 30.00" in shown(app, "#queue-status")
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "Nothing to undo" in shown(app, "#queue-status")
    assert invoice_view(muller["inv_acme"]).open_minor == 3000
    assert payment_view(muller["sure"]).unallocated_minor == 3000
    assert verify_books() == []


async def test_a_company_payer_is_not_sure_and_never_the_private_person(muller) -> None:
    app = HostApp(PaymentsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert app.screen.current == muller["firm_pays"]
        rows = suggestion_rows(app)
        assert rows and all(muller["oliver"] not in r for r in rows)
        assert not any(r.startswith("▶") for r in rows)  # nothing chosen: a name only is low
        assert "Not sure (low): 1-9 chooses, then Enter" in shown(app, "#reasons")
        await pilot.press("enter")
        await settle(pilot)
        assert "Nothing chosen" in shown(app, "#queue-status")
        assert invoice_view(muller["inv_firm"]).open_minor == 10800
        await pilot.press("1")  # the operator chooses: the firm's invoice, 50.00 of it
        assert suggestion_rows(app)[0].startswith("▶1")
        await pilot.press("enter")
        await settle(pilot)
    assert invoice_view(muller["inv_firm"]).open_minor == 10800 - 5000
    assert invoice_view(muller["inv_oliver"]).open_minor == 6000


async def test_after_a_filter_change_nothing_is_selected_until_the_operator_moves(muller) -> None:
    app = HostApp(PaymentsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, ["slash", *"thanks", "enter", "enter", "enter"])  # the Enters typed ahead meet no selection
        await settle(pilot)
        queue = app.screen.query_one("#queue", DataTable)
        assert [r.number for r in app.screen.rows] == [muller["sure"]]
        assert app.screen.current is None and not queue.show_cursor
        assert "No payment selected" in shown(app, "#queue-status")
        assert invoice_view(muller["inv_acme"]).open_minor == 3000
        await pilot.press("down")  # the first move selects the first payment, visibly
        await settle(pilot)
        assert app.screen.current == muller["sure"] and queue.show_cursor
        await pilot.press("enter")
        await settle(pilot)
    assert invoice_view(muller["inv_acme"]).open_minor == 0


async def test_money_keys_are_function_keys(muller) -> None:
    """Letters and digits on the queue choose, move and open forms; none moves money or returns a payment."""
    app = HostApp(PaymentsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, [*"crmkqwxyz", "2", "3"])
        await settle(pilot)
    assert Payment.select().where((Payment.status != "open") | (Payment.unallocated_minor < Payment.amount_minor)
                                  ).count() == 0


EUR_CSV = "Date,Description,Amount,Currency\n03/11/2026,ACME ORDER 17,\"1,250.00\",EUR\n04/11/2026,Fee,-2.50,EUR\n"


async def import_csv(pilot, path, account_currency: str) -> None:
    from tui.screens.csv_mapping import CsvMappingScreen

    await pilot.press("i", *str(path), "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CsvMappingScreen)
    assert screen.query_one("#m-currency", Input).value == "Currency"  # guessed from the header
    screen.query_one("#m-name", Input).value = "euro-bank"
    screen.query_one("#m-default_currency", Input).value = account_currency
    await pilot.press("f10")
    await settle(pilot)


async def test_a_eur_statement_imports_in_eur_through_the_screen(books, tmp_path) -> None:
    from store.imports import load_mapping

    path = tmp_path / "eur.csv"
    path.write_text(EUR_CSV)
    app = HostApp(PaymentsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await import_csv(pilot, path, "eur")
        listing = str(app.screen.query_one("#import-text", Static).render())
        assert "   1  new       2026-11-03       €1,250.00  PAY-0000001" in listing
        assert "   2  skipped   2026-11-04" in listing and "money out" in listing
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PaymentsScreen)
    assert [(p.amount_minor, p.currency) for p in Payment.select()] == [(125000, "EUR")]
    assert load_mapping("euro-bank").default_currency == "EUR"


async def test_a_statement_in_another_currency_than_the_account_is_refused(books, tmp_path) -> None:
    path = tmp_path / "eur.csv"
    path.write_text(EUR_CSV)
    app = HostApp(PaymentsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await import_csv(pilot, path, "GBP")  # a GBP account's mapping, a EUR file
        status = shown(app, "#mapping-status")
        assert "line 1 is in EUR but the bank account of mapping 'euro-bank' is in GBP" in status
    assert Payment.select().count() == 0
