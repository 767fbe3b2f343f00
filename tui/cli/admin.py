"""`billfold init`, `demo`, `verify`, `setting`, `item` and `tax-code`: the books themselves."""
from __future__ import annotations

import argparse
import re
from typing import Any

from store.errors import ValidationError
from store.money import format_amount, parse_amount, parse_quantity
from tui.cli.args import amount_text, count, text_arg
from tui.cli.base import EXIT_OK, EXIT_REFUSED, Outcome, add_command
from tui.cli.output import progress, table

_SETTING_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def cmd_init(args: argparse.Namespace) -> Outcome:
    """Create or upgrade the books; on fresh books the login running this becomes the first admin."""
    from store.db import current_label
    from store.operators import make_first_admin
    from store.session import check_operator, current_operator

    first = make_first_admin()
    if first is None:
        check_operator()  # books that have an admin already: only their operators go on
    if args.group:
        _share_with(args.group)
    value = {"database": current_label(), "first_admin": first, "operator": current_operator(),
             "group": args.group or ""}
    return Outcome(value, lambda: f"ok: {current_label()}" + (f"; {first} is its first admin" if first else "")
                   + (f"; files shared with group {args.group}" if args.group else ""))


def _share_with(group: str) -> None:
    from exports.deliver import default_print_dir
    from store.files import book_files, check_group, secure_files, share_with_group
    from store.settings import set_setting
    from tui.logs import log_path

    check_group(group)
    set_setting("file_group", group)
    files = book_files()
    folders = [default_print_dir(), log_path().parent, *([files[0].parent] if files else [])]
    share_with_group(group, files, folders)
    secure_files()


def cmd_demo(args: argparse.Namespace) -> Outcome:
    from store.demo import DemoSpec, build_demo, demo_summary
    from store.queries import books_summary
    from tui.cli.books import open_books

    open_books(args, create_demo=False)
    if books_summary().customers:
        raise ValidationError("database", "already has customers; the demo fills an empty database only")
    from store.operators import make_first_admin

    make_first_admin()  # fresh demo books: whoever builds them is their admin
    with progress(args, "Building the demo books"):  # the builder reports no steps: the bar pulses
        build_demo(DemoSpec(seed=args.seed, customers=args.customers, months=args.months))
    return Outcome(books_summary(), demo_summary)


def chain_head_arg(value: str) -> str:
    """A chain head as `billfold audit head` prints it: 64 hex digits."""
    if not re.fullmatch(r"[0-9a-fA-F]{64}", value.strip()):
        raise argparse.ArgumentTypeError("is not a chain head: 64 hex digits, as billfold audit head prints")
    return value.strip().lower()


def cmd_verify(args: argparse.Namespace) -> Outcome:
    from store.verify import verify_books

    with progress(args, "Verifying the books"):
        problems = verify_books(anchor=args.anchor) if args.anchor else verify_books()
    return Outcome({"ok": not problems, "problems": problems}, lambda: "\n".join(problems) if problems else "ok",
                   EXIT_REFUSED if problems else EXIT_OK)


def cmd_setting(args: argparse.Namespace) -> Outcome:
    from store.settings import get_setting, list_settings, set_setting, spec_of

    if args.key == "list" and args.value is None:
        rows = list_settings()
        return Outcome(rows, lambda: table([(r.key, r.value, r.default, r.allowed, r.who) for r in rows],
                                           ["setting", "value", "default", "allowed", "changed by"], "lllll"))
    if not _SETTING_KEY.match(args.key):
        raise ValidationError("key", f"'{args.key[:40]}' is not a setting name (lower-case letters, digits and _)")
    spec_of(args.key)  # an unknown key (or a secret) is refused before anything else
    if args.value is not None:
        set_setting(args.key, args.value)
    value = get_setting(args.key)
    return Outcome({"key": args.key, "value": value}, f"{args.key} = {value}")


def _other_prices(item: Any) -> str:
    return ", ".join(f"{cur} {format_amount(minor, cur)}" for cur, minor in item.prices)


def cmd_item(args: argparse.Namespace) -> Outcome:
    from store.catalogue import list_items, save_item, save_item_price

    if args.action == "price":  # a price in one more currency (or the item's own, in its own currency)
        if not args.currency:
            raise ValidationError("currency", "is required: the currency of this price, e.g. --currency EUR")
        currency = args.currency.upper()
        row = save_item_price(args.code or "", currency, parse_amount(args.price or "", currency, "price"))
        return Outcome(row, lambda: f"{row.code} {currency} {format_amount(row.price_in(currency) or 0, currency)}")
    if args.action == "save":
        currency = (args.currency or "GBP").upper()
        row = save_item(args.code or "", args.description or "", parse_amount(args.price or "", currency, "price"),
                        currency, args.tax or "S", not args.inactive)
        return Outcome(row, lambda: f"{row.code} {row.description} {format_amount(row.unit_price_minor, row.currency)}"
                                    f" {row.tax_code}")
    rows = list_items(include_inactive=True)
    return Outcome(rows, lambda: table([(i.code, i.description, format_amount(i.unit_price_minor, i.currency),
                                         i.currency, _other_prices(i), i.tax_code, "" if i.active else "inactive")
                                        for i in rows],
                                       ["code", "description", "price", "cur", "other prices", "tax", ""], "llrllll"))


def cmd_tax_code(args: argparse.Namespace) -> Outcome:
    from store.catalogue import list_tax_codes, save_tax_code

    if args.action == "save":
        row = save_tax_code(args.code or "", args.name or "", parse_quantity(args.rate or "", "rate"),
                            not args.inactive)
        return Outcome(row, lambda: f"{row.code} {row.name} {row.rate}%")
    rows = list_tax_codes(include_inactive=True)
    return Outcome(rows, lambda: table([(t.code, t.name, f"{t.rate}%", "" if t.active else "inactive")
                                        for t in rows], ["code", "name", "rate", ""], "llrl"))


def register(sub: Any) -> None:
    p = add_command(sub, "init", cmd_init, "create (or upgrade) the database; on fresh books you become its admin")
    p.add_argument("--group", type=text_arg, help="share the books' files with this group (read-only for it)")
    p = add_command(sub, "demo", cmd_demo, "fill an empty database with believable demo books",
                    books=False)
    p.add_argument("--seed", type=count(0, 2**31), default=7)
    p.add_argument("--customers", type=count(1, 100_000), default=40)
    p.add_argument("--months", type=count(1, 120), default=18)
    p = add_command(sub, "verify", cmd_verify, "check every invariant of the books; prints ok or each discrepancy")
    p.add_argument("--anchor", metavar="HASH", type=chain_head_arg,
                   help="also check the audit chain still passes through this head "
                        "(printed earlier by `billfold audit head` or a monthly report)")
    p = add_command(sub, "setting", cmd_setting, "`setting list`, `setting KEY` or `setting KEY VALUE`")
    p.add_argument("key", help="a setting, or list")
    p.add_argument("value", nargs="?")
    p = add_command(sub, "item", cmd_item, "list or save catalogue items, or set an item's price in a currency "
                                           "(`item price CODE --currency EUR --price 12.00`); no line already "
                                           "keyed changes")
    p.add_argument("action", choices=["list", "save", "price"])
    p.add_argument("code", nargs="?")
    p.add_argument("--description")
    p.add_argument("--price", type=amount_text)
    p.add_argument("--currency")
    p.add_argument("--tax", help="tax code (default S)")
    p.add_argument("--inactive", action="store_true")
    p = add_command(sub, "tax-code", cmd_tax_code, "list or save tax codes (lines keep the rate they were keyed at)")
    p.add_argument("action", choices=["list", "save"])
    p.add_argument("code", nargs="?")
    p.add_argument("--name")
    p.add_argument("--rate")
    p.add_argument("--inactive", action="store_true")
