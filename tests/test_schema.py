"""The shape of the books: money columns, no floats anywhere, layers, migrations."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import peewee
import pytest

from store.db import MIN_SQLITE, close_database, migration_runner, open_database, sqlite_version
from store.fields import MinorField
from store.models import ALL_MODELS, database_proxy

ROOT = Path(__file__).resolve().parents[1]
MONEY_NAME = re.compile(r"(_minor|amount|total|price|balance|limit)$")


def test_every_money_column_is_an_integer_of_minor_units() -> None:
    money = [(m.__name__, f.name) for m in ALL_MODELS for f in m._meta.sorted_fields if MONEY_NAME.search(f.name)]
    assert len(money) >= 20
    for model in ALL_MODELS:
        for field in model._meta.sorted_fields:
            if MONEY_NAME.search(field.name):
                assert isinstance(field, MinorField), f"{model.__name__}.{field.name} is {type(field).__name__}"
                assert field.field_type == "BIGINT"  # 64-bit in PostgreSQL; INTEGER (64-bit) in SQLite
            assert not isinstance(field, (peewee.FloatField, peewee.DoubleField, peewee.DecimalField)), field


def test_database_columns_hold_integers_not_reals(books) -> None:
    for model in ALL_MODELS:
        table = model._meta.table_name
        for col in database_proxy.obj.execute_sql(f'PRAGMA table_info("{table}")').fetchall():
            assert col[2].upper() not in ("REAL", "FLOAT", "DOUBLE", "NUMERIC", "DECIMAL"), (table, col)
            if col[1].endswith("_minor"):
                assert col[2].upper() in ("INTEGER", "BIGINT"), (table, col)


def _sources(*packages: str) -> list[Path]:
    return [p for pkg in packages for p in (ROOT / pkg).rglob("*.py")]


def test_no_float_ever_holds_money_in_the_code() -> None:
    offenders = []
    for path in _sources("store", "exports", "tui"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "float":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} float()")
            if isinstance(node, ast.Constant) and isinstance(node.value, float) and "minor" in ast.unparse(
                    getattr(node, "parent", node)):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} float literal")
            if isinstance(node, ast.Attribute) and node.attr in ("FloatField", "DoubleField", "DecimalField"):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.attr}")
    assert offenders == []


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_layers_import_one_way() -> None:
    problems = []
    for path in _sources("store", "exports"):
        for name in _imports(path):
            if name.split(".")[0] in ("textual", "tui"):
                problems.append(f"{path.relative_to(ROOT)} imports {name}")
    for path in _sources("store"):
        for name in _imports(path):
            if name.split(".")[0] == "exports":
                problems.append(f"{path.relative_to(ROOT)} imports {name}")
    for path in _sources("tui"):
        for name in _imports(path):
            if name.split(".")[0] in ("peewee", "playhouse", "apsw") or name == "store.models":
                problems.append(f"{path.relative_to(ROOT)} imports {name}")
    assert problems == []


def test_sqlite_library_is_new_enough_for_wal() -> None:
    assert sqlite_version() >= MIN_SQLITE


def test_old_sqlite_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from store import db
    from store.errors import StorageError

    monkeypatch.setattr(db, "sqlite_version", lambda: (3, 40, 1))
    with pytest.raises(StorageError, match="WAL-reset corruption bug"):
        db.open_database(str(tmp_path / "old.db"))


def test_pragmas_are_in_force(books) -> None:
    run = database_proxy.obj.execute_sql
    assert run("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert run("PRAGMA foreign_keys").fetchone()[0] == 1
    assert run("PRAGMA synchronous").fetchone()[0] == 2
    assert database_proxy.obj._lock_type == "IMMEDIATE"


def test_a_database_of_the_first_schema_is_brought_to_the_current_one(tmp_path: Path) -> None:
    path = str(tmp_path / "old.db")
    database = open_database(path, migrate=False)
    migration_runner(database).up("0001_initial")
    database.execute_sql("INSERT INTO customer (account_no, name, contact_name, address1, address2, city, postcode, "
                         "country, email, phone, currency, terms_days, credit_limit_minor, tax_id, status, hold_reason,"
                         " channel, notes, name_key, phone_digits, postcode_key, email_key, version, created_at, "
                         "updated_at, updated_by) VALUES ('100001', 'Old Timer Ltd', '', '', '', '', '', 'GB', "
                         "'o@example.com', '', 'GBP', 30, 250000, '', 'active', '', 'email', '', 'old timer ltd', '',"
                         " '', '', 1, '2025-01-01 00:00:00', '2025-01-01 00:00:00', 'x')")
    close_database()
    database = open_database(path)
    applied = [m.name for m in migration_runner(database).status() if m.applied]
    assert applied == [m.name for m in migration_runner(database).status()]
    from store.queries import customer_view

    view = customer_view("100001")
    assert (view.name, view.credit_limit_minor) == ("Old Timer Ltd", 250000)
    tables = set(database.get_tables())
    assert {m._meta.table_name for m in ALL_MODELS} <= tables
    from playhouse.schema_diff import diff_models

    assert not diff_models(database, ALL_MODELS), "models and migrated schema differ"
    close_database()
