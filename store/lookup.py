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

from peewee import fn
from rapidfuzz import fuzz, process

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


def _prefix(token: str) -> object:
    """token >= p AND token < p + U+FFFF: a prefix range the index answers without LIKE's collation rules."""
    return (SearchToken.token >= token) & (SearchToken.token < token + "\uffff")


def _ids(condition: object, limit: int = CANDIDATES) -> list[int]:
    return [cid for (cid,) in SearchToken.select(SearchToken.customer).where(condition).limit(limit).tuples()]


def _exact_ids(token: str) -> list[int]:
    return _ids(SearchToken.token == token)


class _Vocabulary:
    """Every distinct name word, kept in memory for close-misspelling matches; refreshed each minute."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.loaded_at = -VOCABULARY_TTL_S

    def get(self) -> list[str]:
        if time.monotonic() - self.loaded_at > VOCABULARY_TTL_S:
            self.words = [r.token[2:] for r in SearchToken.select(SearchToken.token).distinct()
                          .where(_prefix("n:"))]
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
        for cid in _ids(_prefix(f"n:{word}")):
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
        add(_ids(_prefix(f"a:{compact}")), ACCOUNT, "account")
    invoice = Invoice.select(Invoice.customer).where(Invoice.number == raw.upper()).first()
    if invoice is not None:
        add([invoice.customer_id], EXACT_INVOICE, f"invoice {raw.upper()}")
    digits = digits_of(raw)
    if len(digits) >= 4 and re.fullmatch(r"[\d\s+().\-/]+", raw):
        add(_ids(_prefix(f"p:{digits.lstrip('0') or digits}")), PHONE, "phone")
    if "@" in raw:
        add(_ids(_prefix(f"e:{raw.casefold()}")), EMAIL, "e-mail")
    elif "." in raw and " " not in raw:
        add(_ids(_prefix(f"d:{raw.casefold()}")), EMAIL, "e-mail domain")
    if len(compact) >= 2 and any(ch.isdigit() for ch in compact) and any(ch.isalpha() for ch in compact):
        add(_ids(_prefix(f"z:{postcode_key(raw)}")), POSTCODE, "postcode")
    words = name_words(raw)
    if words and not compact.isdigit():
        for cid, (rank, why) in accounts_named(words).items():
            add([cid], rank, why)
    return found


def _open_sums(ids: list[int], today: dt.date) -> tuple[dict[int, int], dict[int, int], dict[int, int], set[int]]:
    opens = {r.customer_id: int(r.n) for r in OpenItem.select(OpenItem.customer, fn.SUM(OpenItem.open_minor).alias("n"))
             .where(OpenItem.customer.in_(ids) & (OpenItem.open_minor != 0)).group_by(OpenItem.customer)}
    overdue = {r.customer_id: int(r.n) for r in
               OpenItem.select(OpenItem.customer, fn.SUM(OpenItem.open_minor).alias("n"))
               .where(OpenItem.customer.in_(ids) & (OpenItem.open_minor > 0) & (OpenItem.due_date < today))
               .group_by(OpenItem.customer)}
    unapplied = {r.customer_id: int(r.n) for r in
                 Payment.select(Payment.customer, fn.SUM(Payment.unallocated_minor).alias("n"))
                 .where(Payment.customer.in_(ids) & (Payment.unallocated_minor > 0)).group_by(Payment.customer)}
    disputed = {r.customer_id for r in Invoice.select(Invoice.customer).join(Dispute, on=(Dispute.invoice == Invoice.id))
                .where(Invoice.customer.in_(ids) & (Dispute.status == "open"))}
    return opens, overdue, unapplied, disputed


def find_accounts(text: str, offset: int = 0, limit: int = PAGE, today: dt.date | None = None) -> LookupPage:
    """Accounts matching what was typed, best first, one page at a time."""
    if not text.strip():
        return LookupPage(text, (), 0, 0)
    found = _candidates(text)
    if not found:
        return LookupPage(text, (), 0, offset)
    # Plain tuples (id, account, name, city, currency, status): no model objects for a few hundred rows.
    names = {row[0]: row for row in Customer.select(Customer.id, Customer.account_no, Customer.name, Customer.city,
                                                    Customer.currency, Customer.status)
             .where(Customer.id.in_(list(found))).tuples()}
    ordered = sorted(found, key=lambda cid: (-found[cid][0], names[cid][2].casefold(), names[cid][1]))
    page_ids = ordered[offset:offset + limit]
    opens, overdue, unapplied, disputed = _open_sums(page_ids, today or dt.date.today())
    hits = tuple(
        AccountHit(names[cid][1], names[cid][2], names[cid][3], names[cid][4],
                   opens.get(cid, 0) - unapplied.get(cid, 0), overdue.get(cid, 0), names[cid][5],
                   cid in disputed, found[cid][0], found[cid][1])
        for cid in page_ids)
    return LookupPage(text, hits, len(ordered), offset)
