"""PostgreSQL enforces the permission table too: group roles with GRANTs, and triggers for what a GRANT cannot say.

A clerk who connects with psql gets exactly what Billfold would allow them: no INSERT into
setting, period_lock, collection_case or operator. Supervisors may change settings (except the
admin-only keys, refused by a trigger that checks role membership) and close periods; only
admins reopen a period or change operators. Group roles are cluster-wide and created once; the
GRANTs are per database and given again after every migration so that new tables are covered.
"""
from __future__ import annotations

import re
from typing import Any

from peewee import Database, PostgresqlDatabase

from store.errors import ValidationError
from store.permissions import ROLES

GROUPS: dict[str, str] = {role: f"billfold_{role}" for role in ROLES}
# Tables a role below the named one may read but not write.
RESTRICTED: dict[str, str] = {
    "setting": "supervisor",
    "period_lock": "supervisor",
    "collection_case": "supervisor",
    "operator": "admin",
    "migratehistory": "owner",
}
# Tables a role below the named one may add rows to but not change (a clerk files a request; deciding is above).
INSERT_ONLY_BELOW: dict[str, str] = {"approval_request": "supervisor"}
# History: a role may add rows, nobody may change them (triggers refuse it even to the owner).
APPEND_ONLY = ("journal_entry", "journal_line", "audit_event", "allocation", "invoice_void", "write_off",
               "period_lock")
LOGIN_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,62}$")


def _sql(database: Database, sql: str, params: tuple[object, ...] = ()) -> Any:
    return database.execute_sql(sql, params)  # type: ignore[no-untyped-call]


def is_postgres(database: Database) -> bool:
    return isinstance(database, PostgresqlDatabase)


def check_login(login: str) -> str:
    if not LOGIN_PATTERN.match(login):
        raise ValidationError("login", f"'{login}' is not a login name (letters, digits, _ . -; a letter first)")
    return login


def quoted(login: str) -> str:
    return '"' + check_login(login).replace('"', '""') + '"'


def _create_groups(database: Database) -> None:
    for group in GROUPS.values():
        _sql(database,
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{group}') "
            f"THEN CREATE ROLE {group} NOLOGIN; END IF; END $$")
    _sql(database, f"GRANT {GROUPS['clerk']} TO {GROUPS['supervisor']}")
    _sql(database, f"GRANT {GROUPS['supervisor']} TO {GROUPS['admin']}")


def _tables(database: Database) -> list[str]:
    cursor = _sql(database,
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def apply_grants(database: Database, append_only: tuple[str, ...]) -> None:
    """Group roles and their GRANTs on every table of the books (idempotent)."""
    _create_groups(database)
    clerk, supervisor, admin = GROUPS["clerk"], GROUPS["supervisor"], GROUPS["admin"]
    _sql(database, f"GRANT USAGE ON SCHEMA public TO {clerk}")
    _sql(database, f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {clerk}")
    for table in _tables(database):
        name = f'"{table}"'
        _sql(database, f"REVOKE ALL ON {name} FROM {clerk}, {supervisor}, {admin}")
        _sql(database, f"GRANT SELECT ON {name} TO {clerk}")
        level = RESTRICTED.get(table, "clerk")
        if level == "owner":
            continue
        writes = "INSERT" if table in append_only else "INSERT, UPDATE, DELETE"
        if table in INSERT_ONLY_BELOW:
            _sql(database, f"GRANT INSERT ON {name} TO {GROUPS[level]}")
            level, writes = INSERT_ONLY_BELOW[table], "UPDATE"
        _sql(database, f"GRANT {writes} ON {name} TO {GROUPS[level]}")


def sync_setting_rules(database: Database, rules: list[tuple[str, str]]) -> None:
    """Which role may change each setting key, for the trigger on setting (migration 0009)."""
    _sql(database, "DELETE FROM setting_rule")
    for key, role in rules:
        _sql(database, "INSERT INTO setting_rule (key, role) VALUES (%s, %s)", (key, role))


def grant_login(database: Database, login: str, role: str) -> None:
    """Make `login` a database login in exactly the group of `role` (creating the login role if needed)."""
    name = quoted(login)
    _sql(database,
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{check_login(login)}') "
        f"THEN CREATE ROLE {name} LOGIN; END IF; END $$")
    # Admins add other logins, which needs CREATEROLE on the login itself: attributes are not inherited.
    _sql(database, f"ALTER ROLE {name} LOGIN {'CREATEROLE' if role == 'admin' else 'NOCREATEROLE'}")
    for other in ROLES:
        if other != role:
            _sql(database, f"REVOKE {GROUPS[other]} FROM {name}")
    _sql(database, f"GRANT {GROUPS[role]} TO {name}")


def revoke_login(database: Database, login: str) -> None:
    """A disabled operator can no longer connect, nor act through the groups."""
    name = quoted(login)
    exists = _sql(database, "SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone()
    if not exists:
        return
    for group in GROUPS.values():
        _sql(database, f"REVOKE {group} FROM {name}")
    _sql(database, f"ALTER ROLE {name} NOLOGIN NOCREATEROLE")


def session_user(database: Database) -> str:
    return str(_sql(database, "SELECT session_user").fetchone()[0])


def is_superuser(database: Database) -> bool:
    return bool(_sql(database, "SELECT rolsuper FROM pg_roles WHERE rolname = session_user").fetchone()[0])
