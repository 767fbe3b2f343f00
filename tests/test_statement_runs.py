"""The statement run: who gets one, what it says, how it goes (once), and the command line."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from exports.deliver import deliver_pending, send_statements
from store import outbox
from store.customers import CustomerData, create_customer
from store.errors import ValidationError
from store.models import Outbox, StatementRun
from store.payments import PaymentInput, record_and_allocate
from store.statement_runs import preview_statements, queue_statements, statement_period
from tests import test_delivery
from tests.conftest import line, post, run_json
from tests.test_delivery import attachment_of, pdf_text

smtp = test_delivery.smtp  # fixture

AS_OF = dt.date(2026, 11, 22)  # the period: 2026-10-23 to 2026-11-22
BEFORE = dt.date(2026, 9, 1)


@pytest.fixture()
def accounts(books) -> dict[str, str]:
    """One account for each way of being chosen or not."""
    made = {key: create_customer(data).account_no for key, data in {
        "active": CustomerData(name="Kestrel Trading", email="ap@kestrel.example"),  # invoiced in the period
        "owing": CustomerData(name="Heron Granite", channel="post", address1="1 Quay", city="York",
                              postcode="YO1 9LS"),  # owes from before the period, nothing since
        "paid_before": CustomerData(name="Quiet Ltd", email="ap@quiet.example"),  # settled before the period
        "paid_in": CustomerData(name="Settled Ltd", email="ap@settled.example"),  # paid in the period
        "never": CustomerData(name="Nothing Yet Ltd", email="ap@nothing.example"),
    }.items()}
    post(made["active"], line("Consulting", "2", 9500), issue=dt.date(2026, 11, 1))  # 228.00 with VAT
    post(made["owing"], line("Granite", "1", 10000), issue=BEFORE)  # 120.00
    for key, paid_on in (("paid_before", dt.date(2026, 9, 15)), ("paid_in", dt.date(2026, 11, 5))):
        number = post(made[key], line("Survey", "1", 10000), issue=BEFORE).number
        record_and_allocate(PaymentInput(12000, "GBP", "bank_transfer", paid_on, made[key]), [(number, 12000)])
    return made


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_period_is_the_month_ending_on_the_as_of_date() -> None:
    assert statement_period(AS_OF) == (dt.date(2026, 10, 23), AS_OF)
    assert statement_period(dt.date(2026, 11, 30)) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert statement_period(dt.date(2026, 3, 30)) == (dt.date(2026, 3, 1), dt.date(2026, 3, 30))
    assert statement_period(dt.date(2026, 1, 15)) == (dt.date(2025, 12, 16), dt.date(2026, 1, 15))
    assert statement_period(AS_OF, dt.date(2026, 11, 1)) == (dt.date(2026, 11, 1), AS_OF)
    with pytest.raises(ValidationError) as refused:
        statement_period(AS_OF, dt.date(2026, 11, 23))
    assert refused.value.field == "from"


def test_open_balance_or_activity_in_the_period_chooses_a_customer(accounts) -> None:
    preview = preview_statements(AS_OF)
    chosen = {c.account_no: c for c in preview.candidates}
    assert set(chosen) == {accounts["active"], accounts["owing"], accounts["paid_in"]}
    assert [(chosen[accounts[k]].closing_minor, chosen[accounts[k]].moved, chosen[accounts[k]].channel)
            for k in ("active", "owing", "paid_in")] == [(22800, True, "email"), (12000, False, "post"),
                                                         (0, True, "email")]
    assert preview.by_channel() == {"email": 2, "post": 1}
    assert preview.totals() == {"GBP": (3, 34800)}
    # a month earlier: the paid-in account had not paid yet and the active one had no invoice
    earlier = {c.account_no for c in preview_statements(dt.date(2026, 10, 22)).candidates}
    assert earlier == {accounts["owing"], accounts["paid_in"]}
    with pytest.raises(ValidationError):
        preview_statements(dt.date(2026, 11, 23))  # tomorrow


def test_each_statement_goes_once_by_its_channel_with_the_right_balances(smtp, accounts, tmp_path) -> None:
    inbox, _running = smtp
    queued, summary = send_statements(AS_OF, processes=2, print_dir=tmp_path)
    assert queued.queued == 3 and (summary.emailed, summary.queued_for_print, summary.failed) == (2, 1, [])
    got = {to[0]: message for to, message in inbox.messages}
    assert sorted(got) == ["ap@kestrel.example", "ap@settled.example"]
    kestrel = got["ap@kestrel.example"]
    assert kestrel["Subject"] == f"Billfold Test Ltd: statement of account {accounts['active']} to 2026-11-22"
    assert "the balance on 2026-11-22 is £228.00" in kestrel.get_body(("plain",)).get_content()
    text = words(pdf_text(attachment_of(kestrel)))
    assert "Kestrel Trading" in text  # the address block's layout is the destination country's
    assert f"Statement date 22 Nov 2026 Period 23 Oct 2026 – 22 Nov 2026 Account {accounts['active']}" in text
    assert ("Opening balance £0.00 Invoices and charges £228.00 Payments and credits £0.00 Closing balance "
            "£228.00 Balance due £228.00") in text
    assert "01/11/2026 Invoice INV-000001 228.00 228.00 Totals for the period 228.00 0.00 228.00" in text
    settled = words(pdf_text(attachment_of(got["ap@settled.example"])))  # owed 120.00, paid it in the period
    assert ("Opening balance £120.00 Invoices and charges £0.00 Payments and credits £120.00 Closing balance "
            "£0.00 Nothing to pay") in settled
    assert "05/11/2026 Payment PAY-0000002 120.00 0.00" in settled
    batch = words(pdf_text(summary.batch_file.read_bytes()))
    assert "Heron Granite" in batch and "Opening balance £120.00" in batch and "Balance due £120.00" in batch
    assert accounts["owing"] in (tmp_path / f"{summary.batch}.txt").read_text()
    rows = list(Outbox.select().where(Outbox.kind == "statement"))
    assert len(rows) == 3 and {r.status for r in rows} == {"sent"}
    assert {r.message_id for r in rows if r.channel == "email"} == {m["Message-ID"] for m in got.values()}
    # run again: nothing is queued or sent twice, and it says when and by whom it was done
    again, summary = send_statements(AS_OF, processes=1, print_dir=tmp_path)
    assert again.queued == 0 and (summary.emailed, summary.queued_for_print) == (0, 0) and len(inbox.messages) == 2
    assert again.preview.already_line().startswith("3 already queued on 2026-11-22 ")
    assert again.preview.already_line().endswith(" by alice")
    assert StatementRun.select().count() == 3


def test_queued_statements_go_with_the_next_deliver_run(smtp, accounts, tmp_path) -> None:
    inbox, _running = smtp
    deliver_pending(processes=1, print_dir=tmp_path)  # the invoices posted above go first
    inbox.messages.clear()
    assert queue_statements(AS_OF).queued == 3
    assert {i.kind for i in outbox.delivery_log("queued")} == {"statement"}
    summary = deliver_pending(processes=1, print_dir=tmp_path)
    assert (summary.emailed, summary.queued_for_print) == (2, 1)
    assert all(m["Subject"].startswith("Billfold Test Ltd: statement of account") for _to, m in inbox.messages)


def test_a_second_run_with_another_start_queues_nothing_new(accounts) -> None:
    assert queue_statements(AS_OF).queued == 3
    assert queue_statements(AS_OF, dt.date(2026, 11, 1)).queued == 0
    assert queue_statements(dt.date(2026, 11, 21)).queued == 3  # another date is another run


def test_the_command_line_previews_queues_and_says_what_was_queued_already(cli, accounts) -> None:
    preview = run_json(cli, "statements", "--as-of", "2026-11-22", "--dry-run")
    assert (preview["statements"], preview["by_channel"], preview["totals"]) == (
        3, {"email": 2, "post": 1}, {"GBP": {"statements": 3, "balance_minor": 34800}})
    assert preview["from"] == "2026-10-23" and StatementRun.select().count() == 0
    code, out, _err = cli("statements", "--as-of", "2026-11-22", "--dry-run")
    assert code == 0 and "3 statements to queue (preview; nothing queued): 2 by e-mail, 1 by post" in out
    assert "348.00" in out and "Kestrel Trading" in out
    done = run_json(cli, "statements", "--as-of", "2026-11-22")
    assert done["queued"] == 3 and done["delivery"] is None
    code, out, _err = cli("statements", "--as-of", "2026-11-22")
    assert code == 0 and "3 already queued on 2026-11-22 " in out and "by alice" in out and "nothing new" in out
    code, out, _err = cli("statements", "--as-of", "2026-11-22", "--from", "2026-11-23", "--json")
    assert code == 2 and json.loads(out)["error"]["field"] == "from"
    assert StatementRun.select().count() == 3
