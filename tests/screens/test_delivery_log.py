"""The delivery log screen: uncertain messages shown, resent or marked sent only after a yes."""
from __future__ import annotations

from textual.widgets import DataTable, Static

from store import outbox
from tests import test_delivery
from tests.test_outbox import abandon

smtp, three = test_delivery.smtp, test_delivery.three  # fixtures


async def test_delivery_log_resends_and_marks_sent_after_asking(smtp, three, tmp_path, monkeypatch) -> None:
    from exports.pdf.pool import start_helpers
    from tests.screens.host import HostApp
    from tui.screens.deliver import DeliverScreen

    inbox, _running = smtp
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    ids = sorted(i.id for i in outbox.delivery_log("queued") if i.channel == "email")
    abandon(ids)
    start_helpers()
    app = HostApp(DeliverScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f8")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert "3 messages (every state); 2 uncertain. F4" in str(app.screen.query_one("#log-filter", Static).render())
        assert [tuple(table.get_row_at(n)[:3]) for n in range(table.row_count)] == [
            (str(ids[1] + 1), "queued", three["paper"]), (str(ids[1]), "uncertain", three["mail2"]),
            (str(ids[0]), "uncertain", three["mail1"])]
        await pilot.press("f4")  # uncertain only
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 2
        await pilot.press("f7")
        await pilot.pause()
        question = str(app.screen.query_one("#confirm-question", Static).render())
        assert f"Send {three['mail2']} to zoe@angstrom.example again now" in question and "twice" in question
        await pilot.press("n")
        await pilot.pause()
        assert inbox.messages == [] and outbox.get_item(ids[1]).status == "uncertain"
        await pilot.press("f7", "y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(inbox.messages) == 1 and outbox.get_item(ids[1]).status == "sent"
        assert "1 e-mailed" in str(app.screen.query_one("#log-status", Static).render())
        assert [table.get_row_at(n)[1] for n in range(table.row_count)] == ["uncertain"]
        await pilot.press("f9")
        await pilot.pause()
        assert "never be sent again" in str(app.screen.query_one("#confirm-question", Static).render())
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert outbox.get_item(ids[0]).status == "sent" and len(inbox.messages) == 1
        assert table.row_count == 0
