"""Every command under bad input: exit 2 (or a clear refusal, 1), one line, no traceback, books unchanged.

The commands are found by walking the parser, so a command added later is covered without being
listed here. Each is run with every argument it takes (positional or option) set to one bad value.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_walk import leaf_commands
from tests.conftest import post, snapshot
from tui.cli import main
from tui.cli.parser import build_parser

BAD_VALUES = {
    "empty": "",
    "blank": "   ",
    "huge": "9" * 400,
    "non-ascii": "\u0661\u0662\u0663\u066b\u0664\u0665",  # Arabic-Indic digits: 123.45
    "control": "Bad\x1b[2J\x00name",
}


def _bad_argv(path: tuple[str, ...], parser: argparse.ArgumentParser, bad: str) -> list[str] | None:
    """The command with every argument it takes set to `bad`; None if it takes no value at all."""
    argv: list[str] = [*path]
    exclusive_taken: set[int] = set()
    takes_values = False
    for action in parser._actions:
        if action.nargs == 0 or isinstance(action, argparse._HelpAction):
            continue  # flags: --post, --all, --json, ...
        group = next((id(g) for g in parser._mutually_exclusive_groups if action in g._group_actions), None)
        if group is not None:
            if group in exclusive_taken:
                continue
            exclusive_taken.add(group)
        value = str(list(action.choices)[-1]) if action.choices else bad  # a valid choice reaches the handler
        takes_values |= not action.choices
        argv += [value] if not action.option_strings else [action.option_strings[-1], value]
    return argv if takes_values else None


CASES = [(kind, argv) for path, parser in leaf_commands(build_parser()) for kind, bad in BAD_VALUES.items()
         if (argv := _bad_argv(path, parser, bad)) is not None]
assert len(CASES) > 200  # the walk found the commands


@pytest.fixture()
def busy_books(books: Path, customer: str) -> Path:
    post(customer)
    return books


@pytest.mark.parametrize("kind,argv", CASES, ids=[f"{' '.join(a[:2])}-{k}" for k, a in CASES])
def test_every_command_refuses_bad_arguments_and_writes_nothing(busy_books: Path, capsys, kind: str,
                                                                  argv: list[str]) -> None:
    before = snapshot()
    code = main(["--db", str(busy_books), *argv])
    out, err = capsys.readouterr()
    assert code in (1, 2), (code, out, err)
    assert err.startswith("billfold: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "unexpected error" not in err, err
    assert "\x1b" not in err and "\x00" not in err
    assert out == ""
    assert snapshot() == before


@pytest.mark.parametrize("kind", ["empty", "non-ascii", "control"])
def test_a_refusal_is_json_when_json_is_asked_for(busy_books: Path, capsys, kind: str) -> None:
    code = main(["--db", str(busy_books), "payment", "record", "--customer", "100001", "--amount",
                 BAD_VALUES[kind], "--json"])
    out, err = capsys.readouterr()
    error = json.loads(out)["error"]
    assert (code, err, error["code"]) == (2, "", 2)
    assert error["field"] in ("--amount", "amount")


@pytest.mark.parametrize("amount,message", [
    ("", "--amount: is empty"),
    ("  ", "--amount: is empty"),
    ("-5", "--amount: '-5' is negative"),
    ("1.005", "amount: GBP amounts have at most 2 decimal places"),
    ("\u0661\u0662", "--amount: '\u0661\u0662' is not an amount: use the digits 0-9"),
    ("99999999999999999999", "--amount: '99999999999999999999...' is larger than the books hold"),
    ("1e5", "--amount: '1e5' is not an amount"),
])
def test_amount_arguments_name_what_is_wrong(busy_books: Path, capsys, amount: str, message: str) -> None:
    code = main(["--db", str(busy_books), "payment", "record", "--customer", "100001", "--amount", amount])
    assert code == 2
    assert capsys.readouterr().err.startswith(f"billfold: {message}")


@pytest.mark.parametrize("argv", [
    ("write-off", "INV-000001", "--reason", "gone"),
    ("invoice", "credit", "INV-000001", "--reason", "goodwill"),
    ("dispute", "open", "INV-000001", "--reason", "damaged"),
])
def test_the_whole_amount_is_a_flag_never_an_empty_value(busy_books: Path, capsys, argv: tuple[str, ...]) -> None:
    before = snapshot()
    assert main(["--db", str(busy_books), *argv, "--amount", ""]) == 2
    assert main(["--db", str(busy_books), *argv]) == 2  # neither --amount nor --all: say which
    assert "one of the arguments" in capsys.readouterr().err
    assert snapshot() == before
    assert main(["--db", str(busy_books), *argv, "--all", "--json"]) == 0
    assert snapshot() != before


@pytest.mark.parametrize("date", ["9999-12-31", "1900-01-01", "+9999"])
def test_dates_far_from_today_are_refused(busy_books: Path, capsys, date: str) -> None:
    code = main(["--db", str(busy_books), "payment", "record", "--customer", "100001", "--amount", "5",
                 "--date", date])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("billfold: --date: ") and "years from today" in err


def test_a_name_with_escape_sequences_prints_harmlessly(busy_books: Path, capsys) -> None:
    from store.models import database_proxy

    # Books written before names were cleaned (or by hand) may hold them: printing must still be safe.
    database_proxy.obj.execute_sql("UPDATE customer SET name = ? WHERE account_no = '100001'",
                                   ("Harbour\x1b[2J\x9b31m Ltd",))
    assert main(["--db", str(busy_books), "customer", "show", "100001"]) == 0
    out = capsys.readouterr().out
    assert "Harbour\\x1b[2J\\x9b31m Ltd" in out and "\x1b" not in out and "\x9b" not in out
    assert main(["--db", str(busy_books), "customer", "show", "100001", "--json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["customer"]["name"] == "Harbour\x1b[2J\x9b31m Ltd" and "\x1b" not in out


def test_stored_text_loses_its_control_characters(busy_books: Path) -> None:
    from store.customers import CustomerData, create_customer
    from store.queries import customer_view

    row = create_customer(CustomerData(name="Tern\x1b[2J Ltd\x07", city="Ba\x00th\tSpa"))
    view = customer_view(row.account_no)
    assert (view.name, view.city) == ("Tern[2J Ltd", "Bath\tSpa")


# ---------------------------------------------------------------- as a shell runs it

# billfold as the operator alice: the test-only identity seam (the OS login here is no operator of the books).
AS_ALICE = [sys.executable, str(Path(__file__).with_name("as_operator.py")), "alice", "billfold"]


def _billfold(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = env or {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    return subprocess.run([*AS_ALICE, *argv], capture_output=True, text=True, env=env,
                          timeout=120, encoding="utf-8", errors="replace")


def test_a_closed_pipe_after_the_change_is_committed_exits_0(busy_books: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    reader, writer = os.pipe()
    os.close(reader)  # `| head -c0`: the reader is gone before billfold writes a byte
    try:
        done = subprocess.run([*AS_ALICE, "--db", str(busy_books), "payment", "record",
                               "--customer", "100001", "--amount", "7.50", "--json"],
                              stdout=writer, stderr=subprocess.PIPE, text=True, env=env, timeout=120)
    finally:
        os.close(writer)
    assert (done.returncode, done.stderr) == (0, "")
    from store.queries import payment_view

    assert payment_view("PAY-0000001").amount_minor == 750  # the exit status said: the books changed


def test_a_missing_db_file_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "books.db"
    done = _billfold("--db", str(missing), "verify")
    assert done.returncode == 2
    assert done.stderr == f"billfold: db: {missing} does not exist; check the path, or create the books there " \
                          f"with 'billfold --db {missing} init'\n"
    assert not missing.parent.exists()
    done = _billfold("--db", f"sqlite://{missing}", "customer", "show", "100001")  # the URL form too
    assert done.returncode == 2 and f"{missing} does not exist" in done.stderr and not missing.parent.exists()
    assert _billfold("--db", str(missing), "init").returncode == 0 and missing.exists()


def test_version_usage_and_unknown_commands(tmp_path: Path) -> None:
    done = _billfold("--version")
    assert done.returncode == 0 and done.stdout.startswith("billfold ")
    done = _billfold("--db", str(tmp_path / "x.db"), "no-such-command")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "invalid choice" in done.stderr


def test_postgres_that_cannot_be_reached_says_host_port_and_reason() -> None:
    done = _billfold("--db", "postgresql://billfold@127.0.0.1:1/books", "verify")
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert done.stderr.startswith("billfold: PostgreSQL at 127.0.0.1 port 1, database books: ")
    assert "Connection refused" in done.stderr


def test_a_terminal_without_the_characters_gets_escapes_not_an_error(busy_books: Path) -> None:
    from store.customers import CustomerData, create_customer

    account = create_customer(CustomerData(name="Zoë Ångström")).account_no
    done = _billfold("--db", str(busy_books), "customer", "show", account,
                     env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
                          "PYTHONIOENCODING": "ascii"})
    assert (done.returncode, done.stderr) == (0, "")
    assert "Zo\\xeb \\xc5ngstr\\xf6m" in done.stdout
