"""The `billfold` command: the application (no subcommand) and its scripting twin.

Every subcommand prints plain text for people or `--json` for scripts. Bad input is one line on
stderr naming the field, exit status 2, and nothing written; an unexpected error is one line on
stderr, the details in the log file, exit status 1.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]
# Commands that may run before the login is an operator: they make the first admin.
FIRST_COMMANDS = ("init", "demo")


def demo_database_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("billfold", appauthor=False) / "billfold-demo.db"


def build_parser() -> argparse.ArgumentParser:
    from tui import cli_commands as c

    parser = argparse.ArgumentParser(prog="billfold", description="Keyboard-first billing for operators.")
    parser.add_argument("--db", help="database file or URL (postgresql://...); default: BILLFOLD_DB or the "
                                     "file in the user data directory")
    parser.add_argument("--demo", action="store_true", help="use the demo database (built on first use)")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.set_defaults(handler=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Handler, help_text: str, parent: argparse._SubParsersAction = sub
                ) -> argparse.ArgumentParser:
        p = parent.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        p.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON for scripts")
        return p

    from tui import cli_team

    p = command("init", cli_team.cmd_init, "create (or upgrade) the database; on fresh books you become its admin")
    cli_team.init_arguments(p)
    p = command("demo", c.cmd_demo, "fill an empty database with believable demo books")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--customers", type=int, default=40)
    p.add_argument("--months", type=int, default=18)
    command("verify", c.cmd_verify, "check every invariant of the books; prints ok or each discrepancy")

    customer = sub.add_parser("customer", help="customer accounts").add_subparsers(dest="action", required=True)
    p = command("add", c.cmd_customer_add, "add a customer account", customer)
    for name in c.CUSTOMER_FIELDS:
        p.add_argument(f"--{name.replace('_', '-')}", dest=name, required=name == "name")
    p = command("show", c.cmd_customer_show, "show an account with its balance and open items", customer)
    p.add_argument("account")

    invoice = sub.add_parser("invoice", help="invoices and credit notes").add_subparsers(dest="action", required=True)
    p = command("create", c.cmd_invoice_create, "create an invoice (a draft, or posted with --post)", invoice)
    p.add_argument("--customer", required=True, help="account number")
    p.add_argument("--date", default="t", help="issue date: 2026-11-22, 22/11, t, +30 (default today)")
    p.add_argument("--due", help="due date (default: from the customer's terms)")
    p.add_argument("--reference", default="", help="order / PO reference")
    p.add_argument("--memo", default="")
    p.add_argument("--line", action="append", required=True, metavar="FIELDS",
                   help="'item=CODE;quantity=2' or 'description=...;quantity=1;unit_price=9.50;tax_code=S"
                        "[;discount=10]'; repeat for each line")
    p.add_argument("--post", action="store_true", help="post it at once (gives the number)")
    p.add_argument("--over-limit", action="store_true", help="confirm posting over the credit limit")
    p.add_argument("--idempotency-key")
    p = command("show", c.cmd_invoice_show, "show an invoice or credit note", invoice)
    p.add_argument("number")
    p = command("void", c.cmd_invoice_void, "void a posted invoice (posts the reversal)", invoice)
    p.add_argument("number")
    p.add_argument("--reason", required=True)
    p.add_argument("--idempotency-key")
    p = command("credit", c.cmd_invoice_credit, "credit note against a posted invoice", invoice)
    p.add_argument("number")
    p.add_argument("--reason", required=True)
    p.add_argument("--lines", help="line positions to credit, e.g. 1,3 (default: every line not yet credited)")
    p.add_argument("--amount", help="credit this gross amount instead of whole lines")
    p.add_argument("--idempotency-key")

    payment = sub.add_parser("payment", help="payments and allocations").add_subparsers(dest="action", required=True)
    p = command("record", c.cmd_payment_record, "record a payment received", payment)
    p.add_argument("--customer", help="account number (leave out for an unidentified receipt)")
    p.add_argument("--amount", required=True)
    p.add_argument("--currency", help="default: the customer's currency")
    p.add_argument("--method", default="bank_transfer")
    p.add_argument("--date", default="t")
    p.add_argument("--reference", default="")
    p.add_argument("--payer", default="")
    p.add_argument("--idempotency-key")
    p = command("allocate", c.cmd_payment_allocate, "allocate a payment to invoices in one step", payment)
    p.add_argument("payment")
    p.add_argument("--to", action="append", required=True, metavar="INVOICE=AMOUNT",
                   help="invoice and amount (INVOICE alone: its whole open amount); repeat for each")
    p.add_argument("--idempotency-key")
    p = command("unallocate", c.cmd_payment_unallocate, "take a payment back off an invoice", payment)
    p.add_argument("payment")
    p.add_argument("--from", dest="invoice", required=True)

    p = command("refund", c.cmd_refund, "refund credit from a customer's account")
    p.add_argument("account")
    p.add_argument("--amount", required=True)
    p.add_argument("--method", default="bank_transfer")
    p.add_argument("--reference", default="")
    p.add_argument("--idempotency-key")
    p = command("write-off", c.cmd_write_off, "write off what is open on an invoice")
    p.add_argument("invoice")
    p.add_argument("--reason", required=True)
    p.add_argument("--amount", help="part of the open amount (default: all of it)")
    p.add_argument("--idempotency-key")
    c.register_more(command, sub)
    cli_team.register(command, sub)
    return parser


def open_books(args: argparse.Namespace, create_demo: bool = True) -> str:
    """Open the database the arguments name; returns it as the label the application shows."""
    from store.db import open_database

    from store.files import secure_files

    secure_files()
    if args.demo and not args.db:
        path = demo_database_path()
        fresh = not path.exists()
        database = open_database(str(path))
        if fresh and create_demo:
            from store.demo import build_demo

            print("Building the demo books (once; about five seconds)...", file=sys.stderr, flush=True)
            build_demo()
        from store.session import ensure_demo_admin

        ensure_demo_admin()
        return str(database.database)
    database = open_database(args.db)
    if getattr(args, "command", None) not in FIRST_COMMANDS:
        from store.session import check_operator

        check_operator()  # a login that is not an operator of these books goes no further
    from store.pg_roles import is_postgres

    # Again, now that the books can say which group (if any) shares their files.
    secure_files(None if is_postgres(database) else str(database.database))
    return str(database.database)


def main(argv: Sequence[str] | None = None) -> int:
    from store.errors import BooksError, ValidationError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.handler is None:
            from tui.launch import run_application

            return run_application(args)
        if args.command not in ("demo",):
            open_books(args)
        return int(args.handler(args) or 0)
    except ValidationError as exc:
        print(f"billfold: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BooksError as exc:
        print(f"billfold: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback on the operator's screen
        from tui.logs import log_exception

        where = log_exception(exc)
        print(f"billfold: unexpected error: {exc.__class__.__name__}: {exc} (details in {where})", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:] if len(sys.argv) > 1 else None))
