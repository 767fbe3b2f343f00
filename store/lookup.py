"""Account lookup: the query behind every keystroke of the lookup screen and `billfold find`.

Each typed word is matched by prefix against the account's search tokens (one index range scan
per word and kind), an invoice number finds its account, and names with no prefix match are
tried against close misspellings of the known name words. Only a page of accounts is ever
fetched with its balances, so the cost does not grow with how many accounts match.
"""
from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rapidfuzz import fuzz, process

from store import clock
from store.models import Customer, Dispute, Invoice, OpenItem, Payment, SearchToken
from store.search_tokens import digits_of, fold, name_words, postcode_key

PAGE = 50
CANDIDATES = 400  # per word and kind: more than any screen shows, few enough to stay fast
VOCABULARY_TTL_S = 60.0

# Higher ranks first.
EXACT_ACCOUNT, EXACT_INVOICE, ACCOUNT, PHONE, EMAIL, POSTCODE, NAME_EXACT, NAME, FUZZY = (
    100, 95, 90, 80, 70, 60, 50, 40, 20)


@dataclass(frozen=True, slots=True)
class AccountHit:
    account_no: str
    name: str
    city: str
    currency: str
    balance_minor: int
    overdue_minor: int
    status: str
    disputed: bool
    rank: int
    why: str


@dataclass(frozen=True, slots=True)
class LookupPage:
    text: str
    hits: tuple[AccountHit, ...]
    total: int  # accounts matched (up to the candidate cap)
    offset: int
    flags: dict[str, int] = field(default_factory=dict)

    @property
    def more(self) -> bool:
        return self.offset + len(self.hits) < self.total


# Every keystroke runs a handful of these; peewee would spend more time building their SQL (about
# 1 ms for an IN list of a few hundred ids) than SQLite spends answering them, so the text of each
# is made once, from the models' own table and column names, and run with its parameters.

def _run(sql: str, params: tuple[Any, ...] | list[Any]) -> list[tuple[Any, ...]]:
    return list(Customer._meta.database.execute_sql(sql, params).fetchall())


def _placeholders(n: int) -> str:
    return ", ".join([Customer._meta.database.param] * n)


def _statements() -> dict[str, str]:
    return _statements_for(Customer._meta.database.param)  # '?' for SQLite, '%s' for PostgreSQL


@cache
def _statements_for(p: str) -> dict[str, str]:
    token, customer, open_item = SearchToken._meta.table_name, Customer._meta.table_name, OpenItem._meta.table_name
    payment, dispute, invoice = Payment._meta.table_name, Dispute._meta.table_name, Invoice._meta.table_name
    return {
        "prefix": f"SELECT customer_id FROM {token} WHERE token >= {p} AND token < {p} LIMIT {p}",
        "exact": f"SELECT customer_id FROM {token} WHERE token = {p} LIMIT {p}",
        "invoice": f"SELECT customer_id FROM {invoice} WHERE number = {p} LIMIT 1",
        "names": f"SELECT id, account_no, name, city, currency, status FROM {customer} WHERE id IN ({{ids}})",
        # One statement for a page: balance, overdue, unapplied cash and an open dispute per account,
        # each a sum over that account's rows through the (customer, ...) indexes.
        "sums": f"""SELECT c.id,
            (SELECT COALESCE(SUM(o.open_minor), 0) FROM {open_item} o
              WHERE o.customer_id = c.id AND o.open_minor <> 0),
            (SELECT COALESCE(SUM(o.open_minor), 0) FROM {open_item} o
              WHERE o.customer_id = c.id AND o.open_minor > 0 AND o.due_date < {p}),
            (SELECT COALESCE(SUM(y.unallocated_minor), 0) FROM {payment} y
              WHERE y.customer_id = c.id AND y.unallocated_minor > 0),
            EXISTS (SELECT 1 FROM {dispute} d JOIN {invoice} i ON d.invoice_id = i.id
              WHERE i.customer_id = c.id AND d.status = 'open')
            FROM {customer} c WHERE c.id IN ({{ids}})""",
    }


def _prefix_ids(prefix: str, limit: int = CANDIDATES) -> list[int]:
    """Accounts with a token starting with `prefix`: a range (not LIKE, whose collation rules defeat the index)."""
    return [cid for (cid,) in _run(_statements()["prefix"], (prefix, prefix + "\uffff", limit))]


def _exact_ids(token: str) -> list[int]:
    return [cid for (cid,) in _run(_statements()["exact"], (token, CANDIDATES))]


class _Vocabulary:
    """Every distinct name word, kept in memory for close-misspelling matches; refreshed each minute."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.loaded_at = -VOCABULARY_TTL_S

    def get(self) -> list[str]:
        if time.monotonic() - self.loaded_at > VOCABULARY_TTL_S:
            self.words = [t[2:] for (t,) in SearchToken.select(SearchToken.token).distinct()
                          .where((SearchToken.token >= "n:") & (SearchToken.token < "n:\uffff")).tuples()]
            self.loaded_at = time.monotonic()
        return self.words

    def forget(self) -> None:
        self.loaded_at = -VOCABULARY_TTL_S


VOCABULARY = _Vocabulary()


def _close_words(word: str) -> list[str]:
    if len(word) < 3:
        return []
    cutoff = 80 if len(word) >= 6 else 75
    return [w for w, _score, _i in process.extract(word, VOCABULARY.get(), scorer=fuzz.ratio, score_cutoff=cutoff,
                                                   limit=8)]


def accounts_named(words: list[str]) -> dict[int, tuple[int, str]]:
    """Accounts every typed word matches (by exact word, prefix, or a close misspelling)."""
    result: dict[int, tuple[int, str]] | None = None
    for word in words:
        found: dict[int, tuple[int, str]] = {}
        for cid in _prefix_ids(f"n:{word}"):
            found[cid] = (NAME, "name")
        for cid in _exact_ids(f"n:{word}"):
            found[cid] = (NAME_EXACT, "name")
        if not found:
            for close in _close_words(word):
                for cid in _exact_ids(f"n:{close}"):
                    found.setdefault(cid, (FUZZY, f"name ~{close}"))
        if result is None:
            result = found
        else:
            result = {cid: min(result[cid], found[cid]) for cid in result.keys() & found.keys()}
        if not result:
            return {}
    return result or {}


def _candidates(text: str) -> dict[int, tuple[int, str]]:
    raw = text.strip()
    folded = fold(raw)
    found: dict[int, tuple[int, str]] = {}

    def add(ids: list[int], rank: int, why: str) -> None:
        for cid in ids:
            if cid not in found or found[cid][0] < rank:
                found[cid] = (rank, why)

    compact = folded.replace(" ", "")
    if compact.isdigit():
        add(_exact_ids(f"a:{compact}"), EXACT_ACCOUNT, "account")
        add(_prefix_ids(f"a:{compact}"), ACCOUNT, "account")
    invoice = _run(_statements()["invoice"], (raw.upper(),))
    if invoice:
        add([invoice[0][0]], EXACT_INVOICE, f"invoice {raw.upper()}")
    digits = digits_of(raw)
    if len(digits) >= 4 and re.fullmatch(r"[\d\s+().\-/]+", raw):
        add(_prefix_ids(f"p:{digits.lstrip('0') or digits}"), PHONE, "phone")
    if "@" in raw:
        add(_prefix_ids(f"e:{raw.casefold()}"), EMAIL, "e-mail")
    elif "." in raw and " " not in raw:
        add(_prefix_ids(f"d:{raw.casefold()}"), EMAIL, "e-mail domain")
    if len(compact) >= 2 and any(ch.isdigit() for ch in compact) and any(ch.isalpha() for ch in compact):
        add(_prefix_ids(f"z:{postcode_key(raw)}"), POSTCODE, "postcode")
    words = name_words(raw)
    if words and not compact.isdigit():
        for cid, (rank, why) in accounts_named(words).items():
            add([cid], rank, why)
    return found


def _page_sums(ids: list[int], today: dt.date) -> dict[int, tuple[int, int, int, bool]]:
    """(open, overdue, unapplied, disputed) for each account of one page."""
    sql = _statements()["sums"].format(ids=_placeholders(len(ids)))
    return {row[0]: (int(row[1]), int(row[2]), int(row[3]), bool(row[4]))
            for row in _run(sql, (today.isoformat(), *ids))}


def find_accounts(text: str, offset: int = 0, limit: int = PAGE, today: dt.date | None = None) -> LookupPage:
    """Accounts matching what was typed, best first, one page at a time."""
    if not text.strip():
        return LookupPage(text, (), 0, 0)
    found = _candidates(text)
    if not found:
        return LookupPage(text, (), 0, offset)
    # Plain tuples (id, account, name, city, currency, status): no model objects for a few hundred rows.
    ids = list(found)
    names = {row[0]: row for row in _run(_statements()["names"].format(ids=_placeholders(len(ids))), ids)}
    ordered = sorted(found, key=lambda cid: (-found[cid][0], names[cid][2].casefold(), names[cid][1]))
    page_ids = ordered[offset:offset + limit]
    sums = _page_sums(page_ids, today or clock.today()) if page_ids else {}
    hits = tuple(
        AccountHit(names[cid][1], names[cid][2], names[cid][3], names[cid][4],
                   sums[cid][0] - sums[cid][2], sums[cid][1], names[cid][5], sums[cid][3],
                   found[cid][0], found[cid][1])
        for cid in page_ids)
    return LookupPage(text, hits, len(ordered), offset)
