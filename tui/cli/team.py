"""`billfold approvals`, `approve`, `reject`, `assign`, `reassign`, `mywork`, `team` and `audit`: the team.

A command the books will not do alone (a refund, write-off or credit note over its limit, a clerk
sending an account to collections) becomes a request with the command's own --reason: see
`request_outcome`, which `tui.cli.run` calls when a service says so.
"""
from __future__ import annotations

import argparse
from typing import Any

from store import approvals, audit_trail, worklists
from store.approvals import ApprovalRow
from store.audit_trail import change_text
from store.errors import Conflict, NeedsApproval
from store.money import format_money
from tui.cli.args import count, date_arg, text_arg
from tui.cli.base import Outcome, add_command, add_group
from tui.cli.output import table

REQUEST_ID = count(1, 2**62)


def request_outcome(args: argparse.Namespace, refusal: NeedsApproval) -> Outcome:
    """File the request a refusal describes, with the command's --reason (none: the refusal stands)."""
    reason = (getattr(args, "reason", None) or "").strip()
    if not reason:
        raise Conflict(f"{refusal}; give --reason to ask for approval")
    row = approvals.request_from(refusal, reason)
    return Outcome({"status": "requested", "request": row},
                   f"request {row.id}: {row.what()} waits for a supervisor's approval (billfold approvals list)")


def _amount(row: ApprovalRow) -> str:
    return format_money(row.amount_minor, row.currency) if row.amount_minor is not None and row.currency else ""


def cmd_approvals_list(args: argparse.Namespace) -> Outcome:
    rows = approvals.list_requests(None if args.all else "pending", limit=args.limit)

    def text() -> str:
        if not rows:
            return "nothing waits for approval"
        body = [(r.id, r.kind, r.subject, _amount(r), r.requested_by, r.requested_at, r.status, r.reason[:30])
                for r in rows]
        return table(body, ["id", "kind", "about", "amount", "asked by", "at", "status", "reason"], "rlllrlll")

    return Outcome(rows, text)


def _decided(row: ApprovalRow) -> Outcome:
    said = row.outcome if row.status == "approved" else f"rejected: {row.decision_reason}"
    return Outcome(row, f"request {row.id} ({row.what()}) {row.status} by {row.decided_by}: {said}")


def cmd_approve(args: argparse.Namespace) -> Outcome:
    from exports.packet import approve_with_packet

    row, packet = approve_with_packet(args.id, args.note or "")
    if packet is None:
        return _decided(row)
    decided = _decided(row)
    return Outcome({"request": row, "packet": str(packet)}, f"{decided.render_text()}; packet: {packet}")


def cmd_reject(args: argparse.Namespace) -> Outcome:
    return _decided(approvals.reject_request(args.id, args.reason))


def _work(item: worklists.WorkItem) -> Outcome:
    return Outcome(item, f"assignment {item.id}: {item.topic} {item.subject} ({item.name}) is {item.assigned_to}'s")


def cmd_assign_account(args: argparse.Namespace) -> Outcome:
    return _work(worklists.assign_account(args.account, args.topic, args.to, args.note or ""))


def cmd_assign_payment(args: argparse.Namespace) -> Outcome:
    return _work(worklists.assign_payment(args.payment, args.to, args.note or ""))


def cmd_reassign(args: argparse.Namespace) -> Outcome:
    return _work(worklists.reassign(args.id, args.to))


def cmd_done(args: argparse.Namespace) -> Outcome:
    item = worklists.finish_assignment(args.id)
    return Outcome(item, f"assignment {item.id} ({item.topic} {item.subject}) done")


def cmd_mywork(args: argparse.Namespace) -> Outcome:
    work = worklists.my_work()
    value: dict[str, Any] = {"login": work.login, "role": work.role, "counts": work.counts,
                             "assigned": work.assigned, "to_approve": work.to_approve, "my_requests": work.my_requests}

    def text() -> str:
        c = work.counts
        out = [f"My work: {work.login} ({work.role}): {c['assigned']} assigned, {c['to_approve']} to approve, "
               f"{c['my_requests_pending']} of my requests waiting", ""]
        assigned = [(w.id, w.topic, w.subject, w.name[:24], w.assigned_by, w.assigned_at) for w in work.assigned]
        out.append(table(assigned, ["id", "topic", "about", "name", "from", "since"], "rlllll")
                   if assigned else "Nothing is assigned to you.")
        if work.to_approve:
            out += ["", "Waiting for your approval:",
                    table([(r.id, r.kind, r.subject, _amount(r), r.requested_by, r.reason[:30])
                           for r in work.to_approve],
                          ["id", "kind", "about", "amount", "asked by", "reason"], "rllrll")]
        if work.my_requests:
            out += ["", "Your requests:",
                    table([(r.id, r.kind, r.subject, r.status, r.decided_by or "",
                            (r.outcome or r.decision_reason)[:36]) for r in work.my_requests],
                          ["id", "kind", "about", "status", "by", "outcome"], "rlllll")]
        return "\n".join(out)

    return Outcome(value, text)


def cmd_team(args: argparse.Namespace) -> Outcome:
    days = worklists.team_today(args.date)
    return Outcome(days, lambda: table([(d.login, d.role, d.invoices_posted, d.payments_applied, d.still_assigned)
                                        for d in days],
                                       ["operator", "role", "invoices posted", "payments applied", "still assigned"],
                                       "llrrr"))


def cmd_audit(args: argparse.Namespace) -> Outcome:
    if args.what == "head":
        head = audit_trail.chain_head()
        return Outcome(head, head.hash)
    events = audit_trail.audit_events(operator=args.operator, since=args.since, document=args.document,
                                      limit=args.limit)

    def text() -> str:
        if not events:
            return "no audit events"
        return table([(e.at, e.operator, e.action, e.entity_id, e.account_no or "", change_text(e.before, e.after)[:60])
                      for e in events], ["at", "operator", "action", "ref", "account", "change"], "llllll")

    return Outcome(events, text)


def register(sub: Any) -> None:
    group = add_group(sub, "approvals", "the approvals queue: what waits for a second person")
    p = add_command(group, "list", cmd_approvals_list, "requests waiting for approval, oldest first")
    p.add_argument("--all", action="store_true", help="every request, decided ones too, newest first")
    p.add_argument("--limit", type=count(1, 10_000), default=500)
    p = add_command(sub, "approve", cmd_approve, "approve a request: carries it out now (not your own request)")
    p.add_argument("id", type=REQUEST_ID)
    p.add_argument("--note", type=text_arg, help="a word for the record")
    p = add_command(sub, "reject", cmd_reject, "reject a request, saying why (nothing is posted)")
    p.add_argument("id", type=REQUEST_ID)
    p.add_argument("--reason", required=True, type=text_arg)

    assign = add_group(sub, "assign", "give an account or an unmatched payment to an operator (supervisor)")
    p = add_command(assign, "account", cmd_assign_account, "an account's collections follow-up or dispute")
    p.add_argument("account")
    p.add_argument("--topic", required=True, choices=worklists.ACCOUNT_TOPICS)
    p.add_argument("--to", required=True, help="the operator's login")
    p.add_argument("--note", type=text_arg)
    p = add_command(assign, "payment", cmd_assign_payment, "an unmatched payment to identify or allocate")
    p.add_argument("payment")
    p.add_argument("--to", required=True, help="the operator's login")
    p.add_argument("--note", type=text_arg)
    p = add_command(sub, "reassign", cmd_reassign, "move an assignment to another operator (supervisor)")
    p.add_argument("id", type=REQUEST_ID)
    p.add_argument("--to", required=True, help="the operator's login")
    p = add_command(sub, "done", cmd_done, "mark one of your assignments done")
    p.add_argument("id", type=REQUEST_ID)
    add_command(sub, "mywork", cmd_mywork, "what is assigned to you and what waits for your approval, with counts")
    p = add_command(sub, "team", cmd_team, "per operator: invoices posted and payments applied today, work assigned")
    p.add_argument("--date", type=date_arg, default=None, help="another day (UTC) than today")

    p = add_command(sub, "audit", cmd_audit, "the audit trail: who did what, when, old and new values; "
                                             "`audit head` prints the chain's head hash")
    p.add_argument("what", nargs="?", choices=["head"], help="head: the hash to keep for verify --anchor")
    p.add_argument("--operator", help="only this login's events")
    p.add_argument("--since", type=date_arg, help="from this day (UTC)")
    p.add_argument("--document", help="only the events of this document (INV-..., CN-..., PAY-..., RF-...)")
    p.add_argument("--limit", type=count(1, 1_000_000), default=1000, help="the newest N events (default 1000)")
