"""Files Billfold creates are its owner's only, or shared read-only with the init group; never world-readable."""
from __future__ import annotations

import grp
import os
import shutil
import stat
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.session import set_operator
from tui.cli import main


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Data and log folders under tmp_path; the umask put back afterwards (Billfold sets its own)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("BILLFOLD_LOG", str(tmp_path / "logs" / "billfold.log"))
    previous = os.umask(0o022)  # a typical login's umask: Billfold must not rely on it
    set_operator("olga")
    yield tmp_path
    set_operator(None)
    os.umask(previous)


def _work(db: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db), "customer", "add", "--name", "Mode Ltd", "--email", "m@example.com"]) == 0
    assert main(["--db", str(db), "report", "trial_balance", "--format", "csv", "-o", str(out)]) == 0
    capsys.readouterr()


def test_everything_created_is_owner_only(home: Path, capsys) -> None:
    db = home / "books" / "books.db"
    assert main(["--db", str(db), "init"]) == 0
    _work(db, home / "trial.csv", capsys)
    from tui.logs import log_exception

    log = log_exception(RuntimeError("a test error"))
    wal = Path(f"{db}-wal")
    assert wal.exists()
    for path in (db, wal, home / "trial.csv", log):
        assert _mode(path) == 0o600, f"{path} is {oct(_mode(path))}"
    assert _mode(log.parent) == 0o700


def test_an_existing_world_readable_database_is_tightened(home: Path, capsys) -> None:
    db = home / "books.db"
    assert main(["--db", str(db), "init"]) == 0
    db.chmod(0o644)
    assert main(["--db", str(db), "verify"]) == 0
    assert _mode(db) == 0o600


@pytest.fixture()
def group() -> Iterator[str]:
    if os.getuid() != 0 or not shutil.which("groupadd"):
        pytest.skip("making a group needs root and groupadd")
    name = f"bfg{uuid.uuid4().hex[:6]}"
    subprocess.run(["groupadd", name], check=True)
    yield name
    subprocess.run(["groupdel", name], capture_output=True)


def test_init_group_shares_read_only_with_that_group(home: Path, group: str, capsys) -> None:
    db = home / "books" / "books.db"
    assert main(["--db", str(db), "init", "--group", group]) == 0
    gid = grp.getgrnam(group).gr_gid
    assert (_mode(db), db.stat().st_gid) == (0o640, gid)
    assert (_mode(db.parent), db.parent.stat().st_gid) == (0o2750, gid)
    _work(db, db.parent / "trial.csv", capsys)  # made later, in the shared folder
    made = db.parent / "trial.csv"
    assert (_mode(made), made.stat().st_gid) == (0o640, gid)
    print_dir = home / "data" / "billfold" / "print"
    assert (_mode(print_dir), print_dir.stat().st_gid) == (0o2750, gid)
    assert main(["--db", str(db), "init", "--group", "no_such_group_here"]) == 2
    assert "'no_such_group_here' is not a group on this machine" in capsys.readouterr().err
