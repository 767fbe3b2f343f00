"""`billfold payment ...`, `refund`, `write-off`, `match` and `import`: money in, and where it goes."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from store import matching, payments, queries
from store.errors import Conflict, ValidationError
from store.money import format_amount, format_money, parse_amount
from store.payment_methods import DEFAULT_METHOD, complete_method, usual_method
from tui.cli.args import amount_text, count, date_arg, text_arg
from tui.cli.base import EXIT_OK, Outcome, add_command, add_group
from tui.cli.output import progress, table


def allocations(specs: list[str], currency: str) -> list[tuple[str, int]]:
    """INVOICE=AMOUNT (or INVOICE alone: its whole open amount), each checked as --to is."""
    pairs: list[tuple[str, int]] = []
    for spec in specs:
        number, sep, amount = spec.partition("=")
        number = number.strip()
        if not number:
            raise ValidationError("to", f"'{spec}' names no invoice; give INVOICE or INVOICE=AMOUNT")
        if sep:
            try:
                text = amount_text(amount)
            except argparse.ArgumentTypeError as exc:
                raise ValidationError(f"amount for {number}", str(exc)) from None
            pairs.append((number, parse_amount(text, currency, f"amount for {number}")))
        else:
            pairs.append((number, queries.invoice_view(number).open_minor))
    return pairs


def _allocated(result: payments.AllocationResult, currency: str) -> Outcome:
    return Outcome(result, lambda: f"{result.payment}: allocated {format_money(result.allocated_minor, currency)}"
                                   f" to {', '.join(result.invoices) or 'nothing'}; "
                                   f"{format_money(result.unallocated_minor, currency)} left")


def cmd_record(args: argparse.Namespace) -> Outcome:
    view = queries.customer_view(args.customer) if args.customer else None
    currency = args.currency or (view.currency if view else "")
    if not currency:
        raise ValidationError("currency", "is required for a payment without a customer")
    # Left out, the method is the one the customer usually pays by (as the payment entry screen fills it).
    method = complete_method(args.method) if args.method else usual_method(view.id) if view else DEFAULT_METHOD
    data = payments.PaymentInput(parse_amount(args.amount, currency.upper(), "amount"), currency.upper(),
                                 method, args.date, args.customer, args.reference, args.payer)
    if args.to:  # keyed and applied in one step, as the payment entry screen does
        pairs = allocations(args.to, currency.upper())
        return _allocated(payments.record_and_allocate(data, pairs, idempotency_key=args.idempotency_key),
                          currency.upper())
    result = payments.record_payment(data, idempotency_key=args.idempotency_key)
    return Outcome(result, lambda: f"{result.number} {format_money(result.amount_minor, result.currency)} recorded")


def cmd_allocate(args: argparse.Namespace) -> Outcome:
    payment = queries.payment_view(args.payment)
    result = payments.allocate_payment(args.payment, allocations(args.to, payment.currency),
                                       idempotency_key=args.idempotency_key)
    return _allocated(result, payment.currency)


def _claim(number: str) -> None:
    """Take the payment as the matching queue does, so no one else applies it at the same time."""
    holder = matching.claim_payment(number)
    if holder:
        raise Conflict(f"payment {number} is being worked on by {holder}; try again when they are done")


def cmd_split(args: argparse.Namespace) -> Outcome:
    """The matching queue's split (s): the payment is claimed while it is applied, as on screen."""
    payment = queries.payment_view(args.payment)
    pairs = allocations(args.to, payment.currency)
    _claim(payment.number)
    try:
        result = matching.split_payment(payment.number, pairs)
    finally:
        matching.release_payment(payment.number)
    return _allocated(result, payment.currency)


def _suggestion_line(n: int, s: matching.Suggestion, currency: str) -> str:
    what = ", ".join(f"{inv} {format_amount(a, currency)}" for inv, a in s.allocations) or "leave as credit"
    return f"{n}. {s.account_no} {s.customer_name}: {what} ({'; '.join(s.reasons)})"


def cmd_suggest(args: argparse.Namespace) -> Outcome:
    payment = queries.payment_view(args.payment)
    found = matching.suggest_allocations(payment.number)
    return Outcome(found, lambda: "\n".join(_suggestion_line(n, s, payment.currency) for n, s in enumerate(found, 1))
                   or "no suggestions")


def cmd_accept(args: argparse.Namespace) -> Outcome:
    """The matching queue's Enter / 1-9: apply suggestion N as it is listed by `payment suggest`."""
    payment = queries.payment_view(args.payment)
    found = matching.suggest_allocations(payment.number)
    if args.pick > len(found):
        raise ValidationError("pick", f"there are {len(found)} suggestions for {payment.number}")
    _claim(payment.number)
    try:
        result = matching.accept_suggestion(payment.number, found[args.pick - 1])
    finally:
        matching.release_payment(payment.number)
    return Outcome(result, lambda: _suggestion_line(args.pick, found[args.pick - 1], payment.currency) + ": applied")


def cmd_unallocate(args: argparse.Namespace) -> Outcome:
    payment = queries.payment_view(args.payment)
    result = payments.unallocate_payment(args.payment, args.invoice, idempotency_key=args.idempotency_key)
    return Outcome(result, lambda: f"{result.payment}: {format_money(-result.allocated_minor, payment.currency)} "
                                   f"taken back off {args.invoice.upper()}")


def cmd_return(args: argparse.Namespace) -> Outcome:
    result = payments.return_payment(args.payment, args.note)
    return Outcome(result, lambda: f"{result.number} {format_money(result.amount_minor, result.currency)} returned "
                                   "to the sender")


def cmd_assign(args: argparse.Namespace) -> Outcome:
    result = payments.assign_payment(args.payment, args.customer)
    return Outcome(result, lambda: f"{result.number} left as credit on {args.customer}")


def cmd_queue(args: argparse.Namespace) -> Outcome:
    rows = matching.match_queue(limit=args.limit)
    return Outcome(rows, lambda: table([(r.number, r.received_date, r.method, format_amount(r.unallocated_minor,
                                                                                            r.currency),
                                         r.currency, r.account_no or "?", r.reference, r.claimed_by or "")
                                        for r in rows],
                                       ["payment", "received", "method", "to place", "", "account", "reference",
                                        "claimed by"], "lllrllll") if rows else "nothing to place")


def cmd_refund(args: argparse.Namespace) -> Outcome:
    view = queries.customer_view(args.account)
    result = payments.request_refund(view.account_no, parse_amount(args.amount, view.currency, "amount"), args.method,
                                     args.reference, reason=args.reason or "", idempotency_key=args.idempotency_key)
    return Outcome(result, lambda: f"{result.number} {format_money(result.amount_minor, result.currency)} "
                                   + ("refunded" if result.status == "posted" else
                                      f"waits for a supervisor's approval (request {result.approval_id})"))


def cmd_write_off(args: argparse.Namespace) -> Outcome:
    view = queries.invoice_view(args.invoice)
    amount = None if args.all else parse_amount(args.amount, view.currency, "amount")
    result = payments.write_off(args.invoice, args.reason, amount, idempotency_key=args.idempotency_key)
    return Outcome(result, lambda: f"{result.invoice}: wrote off {format_money(result.amount_minor, result.currency)};"
                                   f" {format_money(result.open_minor, result.currency)} still open")


def cmd_match(args: argparse.Namespace) -> Outcome:
    matches = matching.auto_match(dry_run=args.dry_run)

    def text() -> str:
        if not matches:
            return "no certain matches"
        rows = [(m.payment, m.invoice, format_amount(m.amount_minor, m.currency),
                 "would apply" if args.dry_run else ("applied" if m.applied else f"left: {m.error}"), m.reason)
                for m in matches]
        done = sum(m.applied for m in matches)
        tail = f"\n{len(matches)} certain matches" + ("" if args.dry_run else f", {done} applied")
        return table(rows, ["payment", "invoice", "amount", "result", "why"], "llrll") + tail

    return Outcome(matches, text, EXIT_OK)


def cmd_import(args: argparse.Namespace) -> Outcome:
    from store.import_files import read_statement_file
    from store.importers import CsvMapping, detect_format, guess_mapping
    from store.imports import import_statement, mapping_for, save_mapping

    path = Path(args.file)
    data = read_statement_file(path)  # a regular file within import_max_bytes, or refused naming it
    mapping: str | CsvMapping | None = args.mapping
    if args.columns:
        spec = dict(part.split("=", 1) for part in args.columns.split(";") if "=" in part)
        mapping = CsvMapping.from_dict({"name": args.save_as or "unsaved", **spec})
        if args.save_as:
            save_mapping(mapping)
    elif mapping is None and detect_format(data, path.name) == "csv" and (saved := mapping_for(data)):
        mapping = saved
    elif mapping is None and detect_format(data, path.name) == "csv":
        guessed = guess_mapping(data, args.save_as or path.stem)
        if guessed is None:
            raise ValidationError("mapping", "this CSV needs a column mapping: --columns 'date=Date;amount=Amount;"
                                             "reference=Description;date_format=%d/%m/%Y' --save-as NAME")
        if not args.save_as:
            raise ValidationError("mapping", f"not saved yet; this guess reads it: --columns "
                                             f"'{_spec(guessed)}' --save-as NAME")
        save_mapping(guessed)
        mapping = guessed
    with progress(args, f"Importing {path.name}") as advance:
        result = import_statement(data, path.name, mapping,
                                  progress=(lambda done, total: advance(done, total, f"{done:,} lines")) if advance
                                  else None)

    from store.imports import interrupted_imports

    stopped = interrupted_imports()

    def text() -> str:
        out = [f"{path.name} ({result.format}): {result.new} new payments, {result.duplicate} duplicates, "
               f"{result.skipped} skipped"]
        out += [f"  line {s['position']}: skipped, {s['reason']}" for s in result.skipped_lines[:20]]
        out += [f"import {batch} of {name} stopped after {done:,} lines (killed): import that file again to finish it"
                for batch, name, done in stopped]
        return "\n".join(out)

    return Outcome(result, text)


def _spec(mapping: Any) -> str:
    data = mapping.to_dict()
    return ";".join(f"{k}={v}" for k, v in data.items() if v not in (None, "", True) and k != "name")


def register(sub: Any) -> None:
    payment = add_group(sub, "payment", "payments, allocations and the matching queue")
    p = add_command(payment, "record", cmd_record, "record a payment received (and apply it with --to)")
    p.add_argument("--customer", help="account number (leave out for an unidentified receipt)")
    p.add_argument("--amount", required=True, type=amount_text)
    p.add_argument("--currency", help="default: the customer's currency")
    p.add_argument("--method", help="cash, cheque, card, bank_transfer, direct_debit or other (or the start of "
                                    "one); default: the method the customer usually pays by")
    p.add_argument("--date", type=date_arg, default="t")
    p.add_argument("--reference", default="")
    p.add_argument("--payer", default="")
    p.add_argument("--to", action="append", metavar="INVOICE=AMOUNT", help="apply it at once; repeat for each")
    p.add_argument("--idempotency-key")
    p = add_command(payment, "allocate", cmd_allocate, "allocate a payment to invoices in one step")
    p.add_argument("payment")
    p.add_argument("--to", action="append", required=True, metavar="INVOICE=AMOUNT",
                   help="invoice and amount (INVOICE alone: its whole open amount); repeat for each")
    p.add_argument("--idempotency-key")
    p = add_command(payment, "split", cmd_split, "split a payment across invoices, as the matching queue's split")
    p.add_argument("payment")
    p.add_argument("--to", action="append", required=True, metavar="INVOICE=AMOUNT")
    p = add_command(payment, "unallocate", cmd_unallocate, "take a payment back off an invoice")
    p.add_argument("payment")
    p.add_argument("--from", dest="invoice", required=True)
    p.add_argument("--idempotency-key")
    p = add_command(payment, "return", cmd_return, "send an unallocated payment back to the sender ('not ours')")
    p.add_argument("payment")
    p.add_argument("--note", required=True, type=text_arg, help="why it goes back")
    p = add_command(payment, "assign", cmd_assign, "leave an unidentified payment as credit on an account")
    p.add_argument("payment")
    p.add_argument("--customer", required=True)
    p = add_command(payment, "suggest", cmd_suggest, "ranked ways to apply a payment, with the reasons")
    p.add_argument("payment")
    p = add_command(payment, "accept", cmd_accept, "apply a payment as suggestion N says (default: the top one)")
    p.add_argument("payment")
    p.add_argument("--pick", type=count(1, 9), default=1, metavar="N")
    p = add_command(payment, "queue", cmd_queue, "the matching queue: money still to place")
    p.add_argument("--limit", type=count(1, 10_000), default=200)

    p = add_command(sub, "refund", cmd_refund, "refund credit from a customer's account")
    p.add_argument("account")
    p.add_argument("--amount", required=True, type=amount_text)
    p.add_argument("--method", default="bank_transfer")
    p.add_argument("--reference", default="")
    p.add_argument("--reason", type=text_arg, help="why (recorded with the request when over the approval limit)")
    p.add_argument("--idempotency-key")
    p = add_command(sub, "write-off", cmd_write_off, "write off what is open on an invoice")
    p.add_argument("invoice")
    p.add_argument("--reason", required=True, type=text_arg)
    how_much = p.add_mutually_exclusive_group(required=True)
    how_much.add_argument("--amount", type=amount_text, help="part of the open amount")
    how_much.add_argument("--all", action="store_true", help="all of the open amount")
    p.add_argument("--idempotency-key")
    p = add_command(sub, "match", cmd_match, "apply the certain payment matches (reference names one invoice, "
                                             "amount equals its balance)")
    p.add_argument("--dry-run", action="store_true", help="list what would be applied and why; write nothing")
    p = add_command(sub, "import", cmd_import, "import a bank statement (CSV, OFX, camt.053): money in becomes "
                                               "payments")
    p.add_argument("file")
    p.add_argument("--mapping", help="a saved CSV column mapping, by name")
    p.add_argument("--columns", help="a CSV mapping: 'date=Date;amount=Amount;reference=Description;"
                                     "date_format=%%d/%%m/%%Y' (or money_in=..;money_out=..)")
    p.add_argument("--save-as", help="keep the mapping under this name for next time")
