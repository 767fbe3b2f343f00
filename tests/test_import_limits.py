"""Imports that never block the office: bounded inputs, short transactions, resumed after a kill."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from store.errors import Conflict, ValidationError
from store.import_files import read_statement_file
from store.importers import CsvMapping, StatementFormatError
from store.imports import import_statement, interrupted_imports, save_mapping
from store.models import AuditEvent, ImportBatch, Payment
from store.verify import verify_books
from tests.conftest import admin_setting, snapshot

ROOT = Path(__file__).resolve().parents[1]
MAPPING = CsvMapping("plain", "Date", "%Y-%m-%d", amount="Amount", reference="Reference", payer="Payee")


def statement(lines: int) -> bytes:
    rows = [f"2026-11-{1 + n % 28:02d},{10 + n % 90}.{n % 100:02d},REF-{n:06d},Payer {n % 37}" for n in range(lines)]
    return ("Date,Amount,Reference,Payee\n" + "\n".join(rows) + "\n").encode()


def test_a_fifo_a_device_and_a_directory_are_refused_at_once(books, tmp_path) -> None:
    fifo = tmp_path / "statement.csv"
    os.mkfifo(fifo)  # nobody writes to it: reading it would wait for ever
    with pytest.raises(ValidationError, match="is a FIFO"):
        read_statement_file(fifo)
    with pytest.raises(ValidationError, match="is a character device"):
        read_statement_file(Path("/dev/zero"))
    with pytest.raises(ValidationError, match="is a directory"):
        read_statement_file(tmp_path)
    with pytest.raises(ValidationError, match="No such file"):
        read_statement_file(tmp_path / "missing.csv")


def test_a_file_over_the_limit_is_refused_before_it_is_read(books, tmp_path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(statement(200))
    admin_setting("import_max_bytes", "1000")
    size = path.stat().st_size
    with pytest.raises(ValidationError, match=rf"is {size:,} bytes; the limit is 1,000 \(setting import_max_bytes\)"):
        read_statement_file(path)
    admin_setting("import_max_bytes", str(path.stat().st_size))
    assert read_statement_file(path) == path.read_bytes()


def test_the_command_refuses_dev_zero_and_a_fifo_naming_them(books, tmp_path, capsys) -> None:
    from store.models import database_proxy
    from tui.cli import main

    db = database_proxy.obj.database
    before = snapshot()
    assert main(["--db", db, "import", "/dev/zero"]) == 2
    assert "/dev/zero is a character device; only a regular file can be imported" in capsys.readouterr().err
    os.mkfifo(tmp_path / "pipe")
    assert main(["--db", db, "import", str(tmp_path / "pipe")]) == 2
    assert "is a FIFO (named pipe)" in capsys.readouterr().err
    assert snapshot() == before


def test_an_encoding_error_names_its_line(books) -> None:
    data = statement(5).replace(b"Payer 3", b"Payer \xff\xfe 3")
    with pytest.raises(StatementFormatError) as err:
        import_statement(data, "bad.csv", CsvMapping("utf8", "Date", "%Y-%m-%d", amount="Amount", encoding="utf-8"))
    assert err.value.where == "line 5"


def test_a_long_statement_goes_in_short_transactions_and_again_creates_nothing(books) -> None:
    data = statement(45)
    events = AuditEvent.select().count()
    result = import_statement(data, "long.csv", MAPPING, chunk=10)
    assert (result.new, result.duplicate) == (45, 0) and Payment.select().count() == 45
    batch = ImportBatch.get_by_id(result.batch_id)
    assert (batch.status, batch.lines_done, batch.new_count) == ("done", 45, 45)
    assert AuditEvent.select().count() == events + 45 + 1  # a payment each, and the import
    again = import_statement(data, "long.csv", MAPPING, chunk=7)
    assert (again.new, again.duplicate) == (0, 45) and Payment.select().count() == 45
    assert verify_books() == []


def test_an_import_still_running_elsewhere_is_refused(books) -> None:
    import socket

    data = statement(3)
    import hashlib

    ImportBatch.create(filename="x.csv", file_sha256=hashlib.sha256(data).hexdigest(), format="csv",
                       created_by="alice", status="running", claimed_by=f"{socket.gethostname()}:1")  # init: alive
    with pytest.raises(Conflict, match="is being imported now"):
        import_statement(data, "x.csv", MAPPING)


def test_a_killed_import_is_finished_by_the_next_run_of_the_file(books, tmp_path, capsys) -> None:
    path = tmp_path / "long.csv"
    path.write_bytes(statement(3000))
    save_mapping(MAPPING)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "outbox_worker.py"), "import", str(books),
                             str(path), "100", "plain"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    proc.send_signal(signal.SIGKILL)  # after its first chunk was committed, while it writes the next ones
    proc.communicate()
    assert first.startswith("imported 100/3000")
    [(batch_id, name, done)] = interrupted_imports()
    assert name == "long.csv" and 100 <= done < 3000
    assert Payment.select().count() == done  # whole chunks only
    from tui.cli import main

    other = tmp_path / "other.csv"
    other.write_bytes(statement(1).replace(b"REF-000000", b"OTHER-1"))
    assert main(["--db", str(books), "import", str(other), "--mapping", "plain"]) == 0
    assert f"import {batch_id} of long.csv stopped after {done:,} lines (killed): import that file again" \
        in capsys.readouterr().out
    result = import_statement(path.read_bytes(), "long.csv", "plain")
    assert result.batch_id == batch_id and result.new == 3000 and Payment.select().count() == 3001
    assert interrupted_imports() == [] and verify_books() == []
    assert import_statement(path.read_bytes(), "long.csv", "plain").new == 0
