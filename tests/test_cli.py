"""The command line: JSON for scripts, one clear line and exit 2 for bad input, nothing written."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.demo import WORLD_CUSTOMERS
from tests.conftest import run_json, snapshot
from tui.cli import main


def test_a_day_of_work_from_the_command_line(cli) -> None:
    customer = run_json(cli, "customer", "add", "--name", "Kestrel Trading", "--email", "ap@kestrel.example",
                        "--terms-days", "14", "--credit-limit-minor", "5,000.00")
    account = customer["account_no"]
    assert (account, customer["credit_limit_minor"], customer["terms_days"]) == ("100001", 500000, 14)
    inv = run_json(cli, "invoice", "create", "--customer", account, "--date", "2026-11-01", "--reference", "PO-1",
                   "--line", "description=Consulting;quantity=7.5;unit_price=95;tax_code=S",
                   "--line", "desc=Handbook;qty=2;price=19.99;tax=Z", "--post")
    assert (inv["number"], inv["total_minor"], inv["due_date"]) == ("INV-000001", 71250 * 12 // 10 + 3998,
                                                                    "2026-11-15")
    pay = run_json(cli, "payment", "record", "--customer", account, "--amount", "1,000.00", "--date", "2026-11-10",
                   "--method", "cheque", "--reference", "INV-000001")
    assert (pay["number"], pay["amount_minor"]) == ("PAY-0000001", 100000)
    alloc = run_json(cli, "payment", "allocate", "PAY-0000001", "--to", "INV-000001")
    assert alloc["unallocated_minor"] == 100000 - inv["total_minor"]
    shown = run_json(cli, "customer", "show", account)
    assert shown["customer"]["balance_minor"] == -(100000 - inv["total_minor"])
    refund = run_json(cli, "refund", account, "--amount", "50.00")
    assert refund["status"] == "posted"
    code, out, _ = cli("invoice", "show", "INV-000001")
    assert code == 0 and "Consulting" in out and "£894.98" in out
    code, out, _ = cli("verify")
    assert (code, out.strip()) == (0, "ok")


def test_void_credit_and_write_off(cli) -> None:
    account = run_json(cli, "customer", "add", "--name", "Heron Ltd", "--channel", "post")["account_no"]
    for _ in range(3):
        run_json(cli, "invoice", "create", "--customer", account, "--line", "desc=x;qty=1;price=100;tax=S", "--post")
    assert run_json(cli, "invoice", "void", "INV-000001", "--reason", "keyed twice")["reversed_minor"] == 12000
    credit = run_json(cli, "invoice", "credit", "INV-000002", "--reason", "goodwill", "--amount", "24.00")
    assert (credit["number"], credit["applied_minor"]) == ("CN-000001", 2400)
    off = run_json(cli, "write-off", "INV-000003", "--reason", "uncollectable", "--all")
    assert off["amount_minor"] == 12000 and off["open_minor"] == 0
    assert cli("verify")[0] == 0


@pytest.mark.parametrize("argv,message", [
    (("customer", "add", "--name", "X", "--email", "bad"), "billfold: email: 'bad' is not an e-mail address"),
    (("invoice", "create", "--customer", "100001", "--line", "desc=x;qty=1;price=1.005;tax=S", "--post"),
     "billfold: line 1 unit_price: GBP amounts have at most 2 decimal places"),
    (("invoice", "create", "--customer", "100001", "--line", "desc=x;qty=-1;price=1;tax=S", "--post"),
     "billfold: line 1 quantity: must be more than zero"),
    (("invoice", "create", "--customer", "999999", "--line", "desc=x;qty=1;price=1;tax=S"),
     "billfold: account 999999: no such customer"),
    (("invoice", "create", "--customer", "100001", "--date", "someday", "--line", "desc=x;price=1;tax=S"),
     "billfold: --date: 'someday' is not a date"),
    (("payment", "record", "--customer", "100001", "--amount", "12,34"),
     "billfold: amount: '12,34' has misplaced thousands separators"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(cli, argv, message: str) -> None:
    _books_with_an_allocation(cli)
    before = snapshot()
    code, out, err = cli(*argv)
    assert code == 2
    assert err.startswith(message) and err.count("\n") == 1 and "Traceback" not in err
    assert out == ""
    assert snapshot() == before


def _books_with_an_allocation(cli) -> None:
    run_json(cli, "customer", "add", "--name", "Juniper", "--email", "j@example.com")
    run_json(cli, "invoice", "create", "--customer", "100001", "--line", "desc=x;qty=1;price=10;tax=S", "--post")
    run_json(cli, "payment", "record", "--customer", "100001", "--amount", "5")
    run_json(cli, "payment", "allocate", "PAY-0000001", "--to", "INV-000001=5")


@pytest.mark.parametrize("argv,message", [
    (("payment", "allocate", "PAY-0000001", "--to", "INV-000001=999"),
     "billfold: payment PAY-0000001 has only £0.00 left to allocate"),
    (("invoice", "void", "INV-000001", "--reason", "x"),
     "billfold: invoice INV-000001 has £5.00 of payments and credits allocated to it"),
])
def test_refusals_by_the_books_exit_1_and_write_nothing(cli, argv, message: str) -> None:
    _books_with_an_allocation(cli)
    before = snapshot()
    code, out, err = cli(*argv)
    assert (code, out) == (1, "")
    assert err.startswith(message) and err.count("\n") == 1
    assert snapshot() == before
    code, out, err = cli(*argv, "--json")  # the same refusal, for a script
    assert (code, err) == (1, "")
    error = json.loads(out)["error"]
    assert error["code"] == 1 and error["message"].startswith(message.removeprefix("billfold: "))


def test_unexpected_errors_are_one_line_and_logged(cli, monkeypatch, books: Path) -> None:
    import store.verify

    def boom(**_options: object) -> list[str]:  # verify_books takes anchor= since the audit anchors
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store.verify, "verify_books", boom)
    code, _out, err = cli("verify")
    assert code == 1
    assert err.startswith("billfold: unexpected error: RuntimeError: disk on fire (details in ")
    assert "Traceback" not in err
    log = (books.parent / "billfold.log").read_text()
    assert "Traceback" in log and "disk on fire" in log


def test_demo_with_the_same_seed_gives_the_same_books(tmp_path: Path, capsys, monkeypatch) -> None:
    def build(name: str) -> dict:
        path = str(tmp_path / name)
        assert main(["--db", path, "demo", "--seed", "3", "--customers", "6", "--months", "6", "--json"]) == 0
        summary = json.loads(capsys.readouterr().out)
        assert main(["--db", path, "verify"]) == 0
        capsys.readouterr()
        from store.db import close_database
        from store.queries import customer_view

        balances = [customer_view(str(100001 + n)).balance_minor for n in range(6)]
        close_database()
        return {"summary": summary, "balances": balances}

    first, second = build("a.db"), build("b.db")
    assert first == second
    # The six asked for, the EUR customer whose order waits for review (store.demo._demo_orders), and the
    # customers written in other scripts that every demo has.
    assert first["summary"]["customers"] == 6 + 1 + len(WORLD_CUSTOMERS) and first["summary"]["invoices"] > 20


def _on_a_terminal(argv: list[str]) -> tuple[int, bytes]:
    """Run billfold with stderr on a pseudo-terminal; returns its exit status and what the terminal got."""
    import os
    import pty
    import subprocess
    import sys

    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]), "COLUMNS": "80"}
    try:
        runner = [sys.executable, str(Path(__file__).with_name("as_operator.py")), "alice", "billfold"]
        done = subprocess.run([*runner, *argv], stdout=subprocess.DEVNULL, stderr=slave, env=env, timeout=120)
    finally:
        os.close(slave)
    screen = b""
    try:
        while chunk := os.read(master, 65536):
            screen += chunk
    except OSError:  # EIO: the terminal's other end is closed and everything was read
        pass
    os.close(master)
    return done.returncode, screen


def test_progress_bars_draw_on_a_terminal_only_and_never_with_json(books: Path) -> None:
    code, screen = _on_a_terminal(["--db", str(books), "verify"])
    assert code == 0 and b"Verifying the books" in screen  # rich's bar, drawn and cleared again
    code, screen = _on_a_terminal(["--db", str(books), "verify", "--json"])
    assert (code, screen) == (0, b"")
    code, out, err = main_captured(["--db", str(books), "verify"])
    assert (code, out, err) == (0, "ok\n", "")  # stderr is no terminal here (captured): no bar


def main_captured(argv: list[str]) -> tuple[int, str, str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("shell,marker", [("bash", "_shtab_billfold"), ("zsh", "#compdef billfold")])
def test_completion_scripts_know_every_command(shell: str, marker: str) -> None:
    code, out, _err = main_captured(["completion", shell])
    assert code == 0 and marker in out
    for command in ("customer", "write-off", "dispute", "draft", "completion"):
        assert command in out
    assert "--idempotency-key" in out and "--all" in out
