"""Operators: init makes the first admin, admins add/grant/disable, strangers are refused at startup.

The last part runs Billfold as real OS logins (useradd, runuser) where the test can make them.
"""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.models import AuditEvent, Operator
from store.session import os_login, set_operator
from tests.conftest import acting_as, snapshot
from tui.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _cli(db: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_operator_commands(books: Path, capsys) -> None:
    with acting_as("ada"):
        code, out, _ = _cli(books, capsys, "operator", "add", "dora", "--role", "clerk", "--name", "Dora", "--json")
        assert code == 0 and json.loads(out)["role"] == "clerk"
        assert _cli(books, capsys, "operator", "grant", "dora", "supervisor")[1].strip() == "dora is now a supervisor"
        code, _, err = _cli(books, capsys, "operator", "add", "dora", "--role", "clerk")
        assert code == 1 and "dora is already an operator (supervisor)" in err
        assert _cli(books, capsys, "operator", "disable", "dora", "--json")[0] == 0
        listed = json.loads(_cli(books, capsys, "operator", "list", "--json")[1])
    assert [(o["login"], o["role"], o["disabled"]) for o in listed][-1] == ("dora", "supervisor", True)
    assert [e.action for e in AuditEvent.select().where(AuditEvent.entity_id == "dora")] == [
        "operator.add", "operator.grant", "operator.disable"]
    set_operator("dora")  # a disabled login is refused at startup, naming the admins
    code, _, err = _cli(books, capsys, "verify")
    assert code == 1 and err.strip() == ("billfold: dora is disabled in these books; an admin can add it with "
                                         "`billfold operator add dora --role clerk` (admins: ada)")


def test_only_admins_manage_operators_and_the_last_admin_stays(books: Path, capsys) -> None:
    before = snapshot()
    code, _, err = _cli(books, capsys, "operator", "add", "eve", "--role", "admin")
    assert code == 1 and "manage operators needs an admin; alice is a clerk" in err
    assert snapshot() == before
    with acting_as("ada"):
        for argv in (("operator", "disable", "ada"), ("operator", "grant", "ada", "clerk")):
            code, _, err = _cli(books, capsys, *argv)
            assert code == 1 and "ada is the last admin of these books; make another admin first" in err
        assert snapshot() == before
        _cli(books, capsys, "operator", "add", "eve", "--role", "admin")
        assert _cli(books, capsys, "operator", "disable", "ada")[0] == 0  # eve is still an admin
    assert Operator.get(Operator.login == "ada").disabled_at is not None


def test_init_makes_the_first_admin_and_strangers_are_refused(tmp_path: Path, capsys) -> None:
    db = tmp_path / "fresh.db"
    set_operator("olga")
    code, out, _ = _cli(db, capsys, "init", "--json")
    assert code == 0 and json.loads(out)["first_admin"] == "olga"
    assert _cli(db, capsys, "init")[1].strip() == f"ok: {db.name}"  # already has an admin: nothing more
    set_operator("mallory")
    code, _, err = _cli(db, capsys, "customer", "add", "--name", "Sneaky Ltd")
    assert code == 1 and err.strip() == ("billfold: mallory is not an operator of these books; an admin can add it "
                                         "with `billfold operator add mallory --role clerk` (admins: olga)")
    code, _, err = _cli(db, capsys, "init")
    assert code == 1 and "mallory is not an operator" in err
    code, _, err = _cli(db, capsys)  # the application itself: refused before any screen is drawn
    assert code == 1 and err.startswith("billfold: mallory is not an operator of these books")
    set_operator(None)


def test_the_real_login_is_the_os_login_not_the_environment(monkeypatch) -> None:
    import pwd

    monkeypatch.setenv("USER", "somebody_else")
    monkeypatch.setenv("LOGNAME", "somebody_else")
    monkeypatch.setenv("BILLFOLD_OPERATOR", "somebody_else")
    set_operator(None)
    from store.session import current_operator, set_database_login

    set_database_login(None)
    assert current_operator() == os_login() == pwd.getpwuid(os.getuid()).pw_name


# ---------------------------------------------------------------- real OS logins

def _python_for_others() -> list[str]:
    """An interpreter another login can run, with this checkout's packages (the venv may live under /root)."""
    exe = Path(sys.executable).resolve()
    if all(p.stat().st_mode & stat.S_IXOTH for p in [exe, *exe.parents]):
        return [sys.executable]
    system = shutil.which("python3", path="/usr/bin:/usr/local/bin")
    if system is None:
        pytest.skip("no interpreter other logins can run")
    version = subprocess.run([system, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True,
                             text=True).stdout.strip()
    if version != str(tuple(sys.version_info[:2])):
        pytest.skip(f"{system} is Python {version}, the packages are for {sys.version_info[:2]}")
    return [system]


@pytest.fixture()
def os_login_maker() -> Iterator[list[str]]:
    if os.getuid() != 0 or not shutil.which("useradd") or not shutil.which("runuser"):
        pytest.skip("real OS logins need root with useradd and runuser")
    made: list[str] = []
    yield made
    for login in made:
        if login.startswith("rm:"):
            shutil.rmtree(login[3:], ignore_errors=True)
        else:
            subprocess.run(["userdel", login], capture_output=True)


def test_real_os_logins(os_login_maker: list[str], tmp_path: Path, capsys) -> None:
    clerk = f"bfc{uuid.uuid4().hex[:6]}"
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", clerk], check=True)
    os_login_maker.append(clerk)
    folder = Path(tempfile.mkdtemp(prefix="billfold-oslogin-"))  # pytest's own folders are root's only
    os_login_maker.append(f"rm:{folder}")
    db = folder / "books.db"
    set_operator(None)
    assert _cli(db, capsys, "init")[0] == 0  # root runs init: root is the first admin
    shutil.chown(folder, clerk)
    for path in folder.iterdir():
        shutil.chown(path, clerk)
    site = [p for p in sys.path if p.endswith("site-packages")]
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join([str(ROOT), *site]), "HOME": str(folder),
           "BILLFOLD_LOG": str(folder / "billfold.log"), "USER": "root", "BILLFOLD_OPERATOR": "root"}

    def as_clerk(*argv: str) -> subprocess.CompletedProcess[str]:
        billfold = "import sys; from tui.cli import main; sys.exit(main(sys.argv[1:]))"
        return subprocess.run([shutil.which("runuser") or "runuser", "-u", clerk, "--", *_python_for_others(), "-c",
                               billfold, "--db", str(db), *argv], capture_output=True, text=True, env=env,
                              cwd=str(folder))

    refused = as_clerk("customer", "add", "--name", "Not Yet Ltd")
    assert refused.returncode == 1, refused.stderr
    assert refused.stderr.strip() == (f"billfold: {clerk} is not an operator of these books; an admin can add it "
                                      f"with `billfold operator add {clerk} --role clerk` (admins: {os_login()})")
    assert _cli(db, capsys, "operator", "add", clerk, "--role", "clerk")[0] == 0
    done = as_clerk("customer", "add", "--name", "Clerk Made Ltd", "--email", "ap@clerk.example", "--json")
    assert done.returncode == 0, done.stderr
    closing = as_clerk("period", "close", "2026-10")
    assert closing.returncode == 1 and f"close a period needs a supervisor or admin; {clerk} is a clerk" in \
        closing.stderr
    from store.db import open_database

    open_database(str(db))
    event = AuditEvent.select().where(AuditEvent.action == "customer.create").get()
    assert event.operator == clerk  # $USER and BILLFOLD_OPERATOR said root: the real uid decided
