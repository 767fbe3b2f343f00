"""The recurring billing screen at 80x24: the month's preview, F10 drafts, F9 posts (a supervisor), F7 adds a
contract, F8 ends one; no printable key alone changes anything. Opened from the period-end hub."""
from __future__ import annotations

from textual.widgets import Static

from store.contracts import list_contracts
from store.session import set_operator
from tests.conftest import snapshot
from tests.recurring_books import contract
from tests.screens.host import HostApp
from tui.screens.contracts import ContractsScreen
from tui.screens.period_end import JOBS, PeriodEndScreen
from tui.widgets.report_table import ReportTable


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_preview_draft_and_post_a_month(customer) -> None:
    contract(customer, "2026-11-15", price="250.00")
    contract(customer, "2026-10-01", period="quarterly", billing="arrears", price="90.00")
    app = HostApp(ContractsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one(ReportTable).row_count == 2
        assert text(app, "#rec-summary").startswith("Run 2026-11: 1 charge to draft: GBP 1 invoice "
                                                    "160.00.")
        before = snapshot()
        await pilot.press("x", "p", "y", "d", "enter", "space")  # no printable key alone changes anything
        await settle(pilot)
        assert snapshot() == before
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert text(app, "#rec-summary").startswith("Run 2026-12: 2 charges to draft: GBP 2 invoices "
                                                    "408.00.")
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "Drafted 2 invoices for 2026-12" in text(app, "#rec-result")
        assert "drafts waiting 2; posted 0" in text(app, "#rec-summary")
        await pilot.press("f9", "y")
        await settle(pilot)
        assert "Not posted: post a recurring billing run needs a supervisor or admin; alice is a clerk" in text(
            app, "#rec-result")
        set_operator("bob")
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        set_operator("alice")
        assert text(app, "#rec-result") == "Posted 2 invoices (INV-000001 to INV-000002)"
        summary = text(app, "#rec-summary")
        assert "0 charges to draft: nothing to draft." in summary
        assert "Already billed 2; drafts waiting 0; posted 2." in summary


async def test_add_and_end_a_contract_from_the_screen(customer) -> None:
    contract(customer, "2026-11-01", price="250.00")
    app = HostApp(ContractsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        # The account comes from the contract under the cursor; the cursor starts on the item code.
        await pilot.press("enter", *"Backup", "enter", "enter", *"12.50", "enter", "S", "enter", "ctrl+u",
                          *"quarterly", "enter", "enter", *"2026-12-01", "f10")
        await settle(pilot)
        assert "Added contract 2 for" in text(app, "#rec-result")
        await pilot.press("down", "ctrl+e")  # F8's Ctrl twin
        await settle(pilot)
        await pilot.press(*"2027-03-31", "enter")
        await settle(pilot)
        assert text(app, "#rec-result") == "Contract 2 ends on 2027-03-31"
    added = next(c for c in list_contracts() if c.id == 2)
    assert (added.description, added.price_minor, added.period, str(added.start), str(added.end)) == (
        "Backup", 1250, "quarterly", "2026-12-01", "2027-03-31")


async def test_the_period_end_hub_opens_recurring_billing(books) -> None:
    app = HostApp(PeriodEndScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        place = [job.key for job in JOBS].index("recurring")
        await pilot.press(*["down"] * place, "enter")
        await settle(pilot)
        assert isinstance(app.screen, ContractsScreen)
        assert "nothing to draft" in text(app, "#rec-summary")
