"""A billing run to kill: bills the approved orders of a database, saying a line after each invoice.

Run by tests/test_order_billing.py, which reads those lines and kill -9s the process after a chosen
one, so the kill lands between (or inside) the per-order transactions without any sleeping.
"""
from __future__ import annotations

import sys


def main(db: str) -> None:
    from store.db import open_database

    open_database(db)
    from store.order_billing import bill_orders
    from store.session import set_operator

    set_operator("bob")  # the test-only seam: a supervisor of the test books

    def said(billed: object, done: int, total: int) -> None:
        print(f"billed {getattr(billed, 'invoice', '-')} {done}/{total}", flush=True)

    bill_orders(said)
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
