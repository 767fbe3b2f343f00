"""Accounts named in other scripts are found by their name words: re-index those names.

Name words were once only the a-z runs of a folded name, so 'श्री गणेश ट्रेडर्स' or 'บริษัท สยาม' had
no name word at all. Only accounts whose name or contact has a character outside ASCII are
re-indexed (the words of the rest are unchanged).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import Table

from store.search_tokens import tokens_for

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrate import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    customers = Table("customer", ("id", "account_no", "name", "contact_name", "email", "phone", "postcode")).bind(db)
    tokens = Table("search_token", ("customer_id", "token")).bind(db)
    for c in customers.select().dicts().iterator():
        if (c["name"] + c["contact_name"]).isascii():
            continue
        tokens.delete().where(tokens.customer_id == c["id"]).execute()  # type: ignore[attr-defined]
        tokens.insert([{"customer_id": c["id"], "token": t} for t in sorted(
            tokens_for(c["account_no"], c["name"], c["contact_name"], c["email"], c["phone"], c["postcode"]))]
        ).execute()
