"""Pilot tests of the team screens at 80x24: a clerk's refund request, the supervisor's approval from
My work, the confirmation that ignores keys typed before it, the audit screen and document history."""
from __future__ import annotations

import datetime as dt

from textual import events
from textual.widgets import DataTable, Static

from store import payments
from store.models import ApprovalRequest, Refund
from store.session import set_operator
from store.worklists import assign_account
from tests.conftest import post
from tests.screens.host import HostApp, settle, text_of
from tui.screens.account_view import AccountViewScreen
from tui.screens.approvals import ApprovalsScreen, DecisionConfirm
from tui.screens.audit import AuditScreen
from tui.screens.document_view import DocumentScreen
from tui.screens.my_work import MyWorkScreen


def with_credit(account: str) -> None:
    payments.record_payment(payments.PaymentInput(100000, "GBP", "bank_transfer", dt.date(2026, 11, 2), account))


async def clerk_requests_refund(account: str) -> None:
    set_operator("alice")
    app = HostApp(AccountViewScreen(account))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f11")  # refund credit, on the account view
        await pilot.press(*"600.00 cheque", "enter")
        await settle(pilot)
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "over the £500.00 refund limit" in shown
        await pilot.press(*"paid twice", "enter")
        await settle(pilot)


async def test_clerk_requests_supervisor_approves_clerk_sees_it_posted(customer: str) -> None:
    with_credit(customer)
    await clerk_requests_refund(customer)
    request = ApprovalRequest.get()
    assert (request.kind, request.amount_minor, request.reason, request.status) == ("refund", 60000, "paid twice",
                                                                                     "pending")
    set_operator("bob")
    app = HostApp(MyWorkScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "1 to approve" in text_of(app, "#mywork-summary")
        await pilot.press("right")
        await settle(pilot)
        assert app.screen.query_one("#w-approve", DataTable).get_row_at(0)[:3] == ["1", "refund", "RF-000001"]
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, DecisionConfirm)
        question = text_of(app, "#decision-question")
        assert "Approve request 1?" in question and "refund RF-000001 £600.00" in question
        assert "pays the refund out now" in question
        await pilot.press("y")  # a printable key is not an answer
        await settle(pilot)
        assert isinstance(app.screen, DecisionConfirm) and ApprovalRequest.get().status == "pending"
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, MyWorkScreen)
        assert "Request 1 approved: refund RF-000001 of £600.00 posted." in text_of(app, "#mywork-status")
    assert Refund.get().status == "posted" and ApprovalRequest.get().decided_by == "bob"
    set_operator("alice")
    app = HostApp(MyWorkScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right", "right")
        await settle(pilot)
        row = app.screen.query_one("#w-requests", DataTable).get_row_at(0)
        assert row[3:] == ["approved", "bob", "refund RF-000001 of £600.00 posted"]


async def test_the_confirmation_drops_keys_typed_before_it_appeared(customer: str) -> None:
    with_credit(customer)
    set_operator("alice")
    payments.request_refund(customer, 60000, "cheque", reason="paid twice")
    set_operator("bob")
    app = HostApp(ApprovalsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, DecisionConfirm)
        early = events.Key("f10", None)
        early.time = confirm.shown_at - 0.5  # typed while the question was on its way
        confirm.post_message(early)
        await settle(pilot)
        assert app.screen is confirm and ApprovalRequest.get().status == "pending"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ApprovalsScreen) and ApprovalRequest.get().status == "pending"


async def test_the_requester_is_refused_on_screen_too(customer: str) -> None:
    with_credit(customer)
    set_operator("bob")
    payments.request_refund(customer, 60000, "cheque", reason="paid twice")
    app = HostApp(ApprovalsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert "asked for by bob; someone else must approve it" in text_of(app, "#approvals-status")
    assert ApprovalRequest.get().status == "pending"


async def test_my_work_counts_assignments_and_reassigns_with_one_key(customer: str) -> None:
    set_operator("bob")
    assign_account(customer, "collections", "bob", "call Friday")
    app = HostApp(MyWorkScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "1 assigned," in text_of(app, "#mywork-summary")
        assert app.screen.query_one("#w-assigned", DataTable).get_row_at(0)[1:3] == ["collections", customer]
        await pilot.press("f7")
        await pilot.press(*"alice", "enter")
        await settle(pilot)
        assert "is now alice's" in text_of(app, "#mywork-status")
        assert "0 assigned," in text_of(app, "#mywork-summary")


async def test_audit_screen_and_document_history(customer: str) -> None:
    set_operator("alice")
    number = post(customer).number
    app = HostApp(AuditScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#audit", DataTable)
        actions = [table.get_row_at(r)[2] for r in range(table.row_count)]
        assert actions[-1] == "invoice.post" and "customer.create" in actions
        await pilot.press("slash", *f"document={number}", "enter")
        await settle(pilot)
        assert table.row_count == 1 and "document=" in text_of(app, "#audit-head")
    app = HostApp(DocumentScreen(number))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        history = text_of(app, "#doc-history")
        assert "alice" in history and "invoice.post" in history and "total_minor: 1200" in history
