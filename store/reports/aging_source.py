"""Where an aging reads what was open, as SQL: shared by the aging reports by customer and by document."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from store import ledger
from store.reports.common import _ledger_balances, _money, _other_currencies_note
from store.reports.periods import _today
from store.reports.record import Column

# ---------------------------------------------------------------- accounts receivable aging
#
# Aging reads many rows (at a million documents about half are open), so its statements are SQL
# text made from the table names, as store.lookup does, each shaped to read in the cheap order:
# aging_item (migration 0006: open_item with each document's number, kind and issue date, kept by
# triggers) holds every open document in its partial index aging_item_open in report order, so
# the open items of today are one index range per customer, read customer by customer in account
# order (CROSS JOIN fixes that order on SQLite), and come out in the report's order with no sort.
# Before today the same range gives each open document's amount at the day from its last two move
# days (migration 0008), and the documents settled since the day are merged in (see _aging_source
# and _documents_sql).

BUCKET_COLUMNS = (Column("current", "Current", "money"), Column("d1_30", "1-30", "money"),
                  Column("d31_60", "31-60", "money"), Column("d61_90", "61-90", "money"),
                  Column("over_90", "Over 90", "money"))

@dataclass(frozen=True, slots=True)
class _Aging:
    """Where an aging at `as_of` reads what was open."""

    as_of: dt.date
    from_open_items: bool  # today or later: the open items as they are now
    source: str

    def values(self, currency: str) -> dict[str, Any]:
        d30, d60, d90 = (self.as_of - dt.timedelta(days=n) for n in (30, 60, 90))
        return {"as_of": self.as_of.isoformat(), "d30": d30.isoformat(), "d60": d60.isoformat(),
                "d90": d90.isoformat(), "currency": currency}


def _aging_source(as_of: dt.date) -> _Aging:
    """Today or later: the open items (what is open now). Before today: rebuilt from the journal.

    At a past day each document's open amount is what its receivable moves (the journal lines on
    account 1100 with their entry dates) add up to by that day. Allocations, credits and
    write-offs count from the day they were made. aging_item keeps the last two move days of each
    document with what was open after each (migration 0008), so the moves themselves are read
    only for a document with more move days after `as_of`. Documents issued after `as_of` are
    left out. The total equals the control account at that day whenever the books balance.
    """
    if as_of >= _today():
        return _Aging(as_of, True, "the open items of today")
    return _Aging(as_of, False, f"the receivables journal (account {ledger.RECEIVABLES}) up to {as_of.isoformat()}")


def _bucket_sums_sql(amount: str, due: str) -> str:
    """Five sums of `amount` by days past due at :as_of (credit, a negative amount, counts as current),
    the total and the number of documents: columns b0..b4, total, docs."""
    owed = f"{amount} > 0 AND {due} < "
    conditions = (f"{amount} < 0 OR {due} >= :as_of", f"{owed}:as_of AND {due} >= :d30",
                  f"{owed}:d30 AND {due} >= :d60", f"{owed}:d60 AND {due} >= :d90", f"{owed}:d90")
    sums = [f"SUM(CASE WHEN {c} THEN {amount} ELSE 0 END) AS b{n}" for n, c in enumerate(conditions)]
    return ", ".join([*sums, f"SUM({amount}) AS total", "COUNT(*) AS docs"])


# Today's open items of :currency (a).
_OPEN_NOW = "a.open_minor <> 0 AND a.currency = :currency"
# A document's open amount at :as_of, before today (a: its aging item; see _aging_source). 0 for one
# settled by then or not yet posted; the caller leaves those out.
_OPEN_AT = ("CASE WHEN a.moved_on <= :as_of THEN a.open_minor WHEN a.prior_on <= :as_of THEN a.prior_minor "
            "WHEN a.prior_on IS NULL THEN 0 ELSE (SELECT CAST(COALESCE(SUM(m.amount_minor), 0) AS BIGINT) "
            "FROM {move} m WHERE m.document_id = a.document_id AND m.entry_date <= :as_of) END")
# Settled documents (a) of :currency issued by :as_of and moved after it: perhaps open then.
_SETTLED_SINCE = "a.open_minor = 0 AND a.moved_on > :as_of AND a.issue_date <= :as_of AND a.currency = :currency"


def _documents_sql(src: _Aging, *, names: bool = False) -> str:
    """Every document open at :as_of in report order: account, due date, number, kind, issue date, open
    amount (and the customer's name). Before today: also documents whose amount then was 0, to skip.

    Today's open items and, before today, those of them issued by :as_of come from aging_item_open
    in report order; before today the documents settled since :as_of (aging_item_closed) are sorted
    and merged in (SQLite merges a UNION ALL whose first part is in order already)."""
    columns = "c.account_no, a.due_date, a.number, a.kind, a.issue_date" + (", c.name" if names else "")
    if src.from_open_items:
        return (f"SELECT {columns}, a.open_minor FROM {{customer}} c {{cross}} {{aging}} a "
                f"ON a.customer_id = c.id AND {_OPEN_NOW} ORDER BY c.account_no, a.due_date, a.number")
    return (f"SELECT {columns}, {_OPEN_AT} FROM {{customer}} c {{cross}} {{aging}} a "
            f"ON a.customer_id = c.id AND {_OPEN_NOW} WHERE a.issue_date <= :as_of UNION ALL "
            f"SELECT {columns}, {_OPEN_AT} FROM {{aging}} a JOIN {{customer}} c ON c.id = a.customer_id "
            f"WHERE {_SETTLED_SINCE} ORDER BY 1, 2, 3")


def _aging_notes(as_of: dt.date, currency: str, total: int, documents: int, accounts: int, src: _Aging) -> list[str]:
    control = _ledger_balances(ledger.RECEIVABLES, through=None if src.from_open_items else as_of)
    unapplied = {c: -n for c, n in _ledger_balances(ledger.UNAPPLIED_CASH,
                                                    through=None if src.from_open_items else as_of).items()}
    when = "now" if src.from_open_items else f"at {as_of.isoformat()}"
    notes = [f"{documents} open documents on {accounts} accounts; open amounts from {src.source}.",
             "Credit notes not yet applied count as current; unapplied cash is not deducted "
             f"({_money(unapplied.get(currency, 0), currency)} on account {when}).",
             f"Receivables control account {ledger.RECEIVABLES} {when}: {_money(control.get(currency, 0), currency)}; "
             f"aging total {_money(total, currency)}; difference {_money(total - control.get(currency, 0), currency)} "
             "(must be zero)."]
    return notes + _other_currencies_note(control, currency, "Receivables are open")


def _bucket_of(days: int) -> int:
    """Days past due -> bucket 0 (current) to 4 (over 90)."""
    return 0 if days <= 0 else min(4, (days - 1) // 30 + 1)


# Bucket index -> the five bucket cells with an amount in that one (a call is cheaper than filling a list).
_IN_BUCKET: tuple[Callable[[int], tuple[int | None, ...]], ...] = (
    lambda n: (n, None, None, None, None), lambda n: (None, n, None, None, None),
    lambda n: (None, None, n, None, None), lambda n: (None, None, None, n, None),
    lambda n: (None, None, None, None, n))
