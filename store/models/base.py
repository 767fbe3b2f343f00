"""The base every table of the books shares, and the proxy the open database is bound to."""
from __future__ import annotations

from peewee import DatabaseProxy, Model

database_proxy = DatabaseProxy()


class BaseModel(Model):
    # A model without a primary key of its own declares the `id = AutoField()` peewee would add, and each
    # foreign key's `<name>_id` attribute is annotated: what peewee makes at run time, said for the type checker.

    class Meta:
        database = database_proxy
        legacy_table_names = False
