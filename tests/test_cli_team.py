"""The team on the command line: approvals, worklists, the audit trail, verify --anchor."""
from __future__ import annotations

from store.models import ApprovalRequest, Refund, WriteOff, database_proxy
from store.session import set_operator
from tests.conftest import admin_setting, run_json, snapshot


def books_with_credit(cli) -> str:
    account = run_json(cli, "customer", "add", "--name", "Kestrel Trading", "--channel", "post")["account_no"]
    run_json(cli, "payment", "record", "--customer", account, "--amount", "1,000.00", "--date", "2026-11-10")
    return str(account)


def test_refund_request_listed_approved_and_seen_posted(cli) -> None:
    account = books_with_credit(cli)
    refund = run_json(cli, "refund", account, "--amount", "600.00", "--reason", "paid twice")
    assert (refund["status"], refund["approval_id"]) == ("requested", 1)
    queue = run_json(cli, "approvals", "list")
    assert [(r["id"], r["kind"], r["subject"], r["amount_minor"], r["reason"], r["requested_by"]) for r in queue] == [
        (1, "refund", refund["number"], 60000, "paid twice", "alice")]
    code, out, _ = cli("approvals", "list")
    assert code == 0 and "refund" in out and "£600.00" in out and "paid twice" in out
    code, out, err = cli("approve", "1")
    assert (code, out) == (1, "") and "approve a request needs a supervisor or admin; alice is a clerk" in err
    admin_setting("refund_approval_minor", "30000")  # so that bob's own request, within the £400 not yet
    set_operator("bob")                               # asked for, waits for approval too
    own = run_json(cli, "refund", account, "--amount", "350.00", "--reason", "bob's own")
    code, out, err = cli("approve", str(own["approval_id"]))  # nobody approves their own request
    assert (code, out) == (1, "") and "asked for by bob; someone else must approve it" in err
    set_operator("carol")
    assert run_json(cli, "reject", str(own["approval_id"]), "--reason", "asked twice")["status"] == "rejected"
    set_operator("bob")
    code, out, _ = cli("approve", "1", "--note", "bank statement checked")
    assert code == 0 and f"refund {refund['number']} of £600.00 posted" in out
    assert Refund.get().status == "posted"
    set_operator("alice")
    mine = run_json(cli, "mywork")
    assert [(r["status"], r["decided_by"]) for r in mine["my_requests"]] == [("approved", "bob")]
    assert run_json(cli, "approvals", "list") == []
    assert cli("verify")[0] == 0


def test_reject_needs_a_reason_and_records_it(cli) -> None:
    account = books_with_credit(cli)
    run_json(cli, "refund", account, "--amount", "600.00", "--reason", "paid twice")
    set_operator("bob")
    code, _, err = cli("reject", "1")
    assert code == 2 and "--reason" in err
    rejected = run_json(cli, "reject", "1", "--reason", "already paid by cheque")
    assert (rejected["status"], rejected["decision_reason"], rejected["decided_by"]) == (
        "rejected", "already paid by cheque", "bob")
    assert Refund.get().status == "rejected"


def test_a_write_off_over_the_limit_becomes_a_request(cli) -> None:
    account = run_json(cli, "customer", "add", "--name", "Heron Ltd", "--channel", "post")["account_no"]
    run_json(cli, "invoice", "create", "--customer", account, "--line", "desc=x;qty=1;price=1000;tax=S", "--post")
    before = WriteOff.select().count()
    asked = run_json(cli, "write-off", "INV-000001", "--reason", "insolvent", "--all")
    assert asked["status"] == "requested" and asked["request"]["kind"] == "write_off"
    assert WriteOff.select().count() == before
    set_operator("carol")
    approved = run_json(cli, "approve", str(asked["request"]["id"]))
    assert approved["outcome"] == "£1,200.00 of INV-000001 written off"
    assert WriteOff.get().created_by == "carol"


def test_a_clerk_without_a_reason_is_told_how_to_ask(cli) -> None:
    account = run_json(cli, "customer", "add", "--name", "Heron Ltd", "--channel", "post")["account_no"]
    run_json(cli, "invoice", "create", "--customer", account, "--line", "desc=x;qty=1;price=10;tax=S", "--post")
    before = snapshot()
    code, _, err = cli("collections", account, "--agency", "Recover & Co")
    assert code == 1 and "give --reason to ask for approval" in err
    assert snapshot() == before
    asked = run_json(cli, "collections", account, "--agency", "Recover & Co", "--reason", "no reply to letters")
    assert ApprovalRequest.get_by_id(asked["request"]["id"]).params == {
        "account": account, "agency": "Recover & Co", "note": ""}


def test_assign_mywork_team_and_reassign(cli) -> None:
    account = books_with_credit(cli)
    code, _, err = cli("assign", "account", account, "--topic", "collections", "--to", "alice")
    assert code == 1 and "needs a supervisor or admin; alice is a clerk" in err
    set_operator("bob")
    given = run_json(cli, "assign", "account", account, "--topic", "collections", "--to", "alice", "--note", "call")
    run_json(cli, "assign", "payment", "PAY-0000001", "--to", "alice")
    team = {d["login"]: d["still_assigned"] for d in run_json(cli, "team")}
    assert team == {"ada": 0, "alice": 2, "bob": 0, "carol": 0}
    set_operator("alice")
    mine = run_json(cli, "mywork")
    assert mine["counts"] == {"assigned": 2, "to_approve": 0, "my_requests_pending": 0}
    assert [(w["topic"], w["subject"]) for w in mine["assigned"]] == [("collections", account),
                                                                     ("payment", "PAY-0000001")]
    code, out, _ = cli("mywork")
    assert "2 assigned" in out and "collections" in out
    set_operator("bob")
    moved = run_json(cli, "reassign", str(given["id"]), "--to", "carol")
    assert moved["assigned_to"] == "carol"
    set_operator("carol")
    assert run_json(cli, "done", str(given["id"]))["id"] == given["id"]


def test_audit_filters_head_and_anchor(cli) -> None:
    account = books_with_credit(cli)
    set_operator("bob")
    run_json(cli, "invoice", "create", "--customer", account, "--line", "desc=x;qty=1;price=10;tax=S", "--post")
    by_bob = run_json(cli, "audit", "--operator", "bob")
    assert [e["action"] for e in by_bob] == ["invoice.draft", "invoice.post"]
    about = run_json(cli, "audit", "--document", "INV-000001")
    assert [(e["operator"], e["action"], e["after"]["total_minor"]) for e in about] == [("bob", "invoice.post", 1200)]
    code, out, _ = cli("audit", "--operator", "bob")
    assert code == 0 and "invoice.post" in out and "total_minor: 1200" in out
    assert run_json(cli, "audit", "--since", "+1") == []
    code, head, _ = cli("audit", "head")
    head = head.strip()
    assert code == 0 and len(head) == 64
    run_json(cli, "customer", "add", "--name", "Later Ltd", "--channel", "post")
    assert cli("verify", "--anchor", head)[:2] == (0, "ok\n")
    sql = database_proxy.obj.execute_sql
    sql("DROP TRIGGER audit_event_no_delete")
    sql("DELETE FROM audit_event WHERE id > 1")  # history cut back to before the anchor
    code, out, _ = cli("verify", "--anchor", head)
    assert code == 1 and f"no longer passes through {head[:12]}" in out


def test_collections_approved_from_the_queue_writes_the_agency_packet(cli, tmp_path) -> None:
    from pypdf import PdfReader

    admin_setting("print_spool", str(tmp_path / "spool"))
    account = run_json(cli, "customer", "add", "--name", "Heron Ltd", "--channel", "post")["account_no"]
    run_json(cli, "invoice", "create", "--customer", account, "--line", "desc=x;qty=1;price=10;tax=S", "--post")
    asked = run_json(cli, "collections", account, "--agency", "Recover & Co", "--reason", "no reply to letters")
    assert not (tmp_path / "spool").exists() or not list((tmp_path / "spool").glob("collections-*"))
    set_operator("carol")
    approved = run_json(cli, "approve", str(asked["request"]["id"]))
    packet = tmp_path / "spool" / f"collections-{account}-20261122.pdf"
    assert approved["packet"] == str(packet) and approved["request"]["status"] == "approved"
    text = "".join(page.extract_text() for page in PdfReader(packet).pages)
    assert f"Collections packet: account {account}" in text and "Heron Ltd" in text
    assert list((tmp_path / "spool").iterdir()) == [packet]  # written whole, no .part left behind
