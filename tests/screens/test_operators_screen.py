"""The admin screen (F12): an admin adds a clerk, changes a role and disables a login by F-keys; a clerk is refused.
And the reports screen shows the lock date."""
from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Static

from store.models import AuditEvent, Operator
from store.session import set_operator
from tests.screens.host import HostApp, settle
from tui.screens.operators import OperatorsScreen


def status(app) -> str:
    return str(app.screen.query_one("#op-status", Static).render())


def rows(app) -> list[tuple[str, str, str]]:
    """(login, role, state) of each row shown."""
    table = app.screen.query_one(DataTable)
    return [(str(row[0]), str(row[2]), str(row[3])) for row in map(table.get_row_at, range(table.row_count))]


async def test_an_admin_adds_a_clerk_grants_and_disables(books) -> None:
    set_operator("ada")
    app = HostApp(OperatorsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "admins: ada" in str(app.screen.query_one("#op-lock", Static).render())
        await pilot.press("f7", *"dora", "enter")  # role defaults to clerk
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert status(app) == "dora is now a clerk."
        assert Operator.get(Operator.login == "dora").role == "clerk"
        await pilot.press("f8")  # dora is selected after adding
        await settle(pilot)
        await pilot.press(*"supervisor", "enter")
        await settle(pilot)
        assert status(app) == "dora is now a supervisor."
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert status(app) == "dora is now disabled."
        assert Operator.get(Operator.login == "dora").disabled_at is not None
        assert ("dora", "supervisor", "disabled") in rows(app)
    assert [e.action for e in AuditEvent.select().where(AuditEvent.entity_id == "dora")] == [
        "operator.add", "operator.grant", "operator.disable"]


async def test_a_clerk_sees_the_list_but_changes_nothing(books) -> None:
    app = HostApp(OperatorsScreen())  # acting as alice, a clerk
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7", *"mallory", "enter", "f10")
        await settle(pilot)
        assert status(app) == "Not done: manage operators needs an admin; alice is a clerk"
        await pilot.press("d", "y")  # printable keys alone change nothing
        await settle(pilot)
    assert Operator.get_or_none(Operator.login == "mallory") is None
    assert Operator.get(Operator.login == "alice").disabled_at is None


async def test_the_reports_screen_shows_the_lock_date(books) -> None:
    from store.periods import close_period
    from tui.screens.reports import ReportsScreen

    set_operator("bob")
    close_period("2026-10", today=dt.date(2026, 11, 22))
    app = HostApp(ReportsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await settle(pilot)
        notes = str(app.screen.query_one("#report-notes", Static).render())
        assert notes.startswith("Books closed up to 2026-10-31: figures to that day no longer change.")
