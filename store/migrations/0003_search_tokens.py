"""Account lookup by any word: a token table with one prefix index, filled for existing accounts."""
from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import CharField, ForeignKeyField, Model, Table

from store.search_tokens import tokens_for

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrate import SchemaMigrator



def up(migrator: SchemaMigrator, db: Database) -> None:
    class Customer(Model):
        class Meta:
            database = db
            table_name = "customer"

    class SearchToken(Model):
        customer = ForeignKeyField(Customer, on_delete="CASCADE")
        token = CharField()

        class Meta:
            database = db
            table_name = "search_token"
            indexes = ((("token", "customer"), True),)

    db.create_tables([SearchToken])
    customers = Table("customer", ("id", "account_no", "name", "contact_name", "email", "phone", "postcode")).bind(db)
    rows: list[dict[str, object]] = []
    for c in customers.select().dicts():
        rows.extend({"customer_id": c["id"], "token": t} for t in
                    tokens_for(c["account_no"], c["name"], c["contact_name"], c["email"], c["phone"], c["postcode"]))
    tokens = Table("search_token", ("customer_id", "token")).bind(db)
    for start in range(0, len(rows), 5000):
        tokens.insert(rows[start:start + 5000]).execute()
