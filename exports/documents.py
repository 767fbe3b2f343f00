"""The plain data a printed document is made from.

The renderer never reads the books: store/ queries fill these records and exports/pdf.py prints
them. Every amount is an int of minor units in the document's currency. Each record checks that
its own figures add up, so a document that would print totals its lines do not support is
refused before it reaches paper.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Literal

from store.kinds import DocumentKind

PageSize = Literal["A4", "Letter"]
InvoiceKind = DocumentKind

PAGE_SIZES: tuple[PageSize, ...] = ("A4", "Letter")
INVOICE_KINDS: tuple[InvoiceKind, ...] = tuple(DocumentKind)
REMINDER_LEVELS = (1, 2, 3)

# The letter each dunning level sends unless the caller supplies its own wording.
DEFAULT_REMINDER_TEXT: Mapping[int, str] = {
    1: ("Our records show that the invoices below are past their due date. If you have already "
        "paid, thank you, and please disregard this letter.\n\n"
        "Otherwise we would be grateful for payment within the next 7 days."),
    2: ("We wrote to you recently about the overdue invoices below and have not yet received "
        "payment.\n\n"
        "Please pay the total due within 7 days, or contact us at once if there is a problem "
        "with any of these invoices."),
    3: ("Despite our earlier reminders, the invoices below remain unpaid.\n\n"
        "Unless the total due reaches us within 7 days, we will pass the account to our "
        "collections process without further notice, and further charges may apply."),
}

REMINDER_TITLES: Mapping[int, str] = {1: "Payment reminder", 2: "Second reminder", 3: "Final notice"}


def _check_minor(record: object) -> None:
    """Refuse a float (or bool) where an amount of minor units belongs."""
    for f in fields(record):  # type: ignore[arg-type]
        if f.name.endswith("_minor"):
            value = getattr(record, f.name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"{type(record).__name__}.{f.name} must be an int of minor units, "
                                f"not {type(value).__name__}")


def _check_tuple(record: object, *names: str) -> None:
    # A list would make the frozen record mutable behind its back, and unhashable.
    for name in names:
        if not isinstance(getattr(record, name), tuple):
            raise TypeError(f"{type(record).__name__}.{name} must be a tuple")


def _check_adds_up(what: str, stated: int, parts: Iterable[int]) -> None:
    total = sum(parts)
    if stated != total:
        raise ValueError(f"{what} is {stated} but its parts add up to {total}")


@dataclass(frozen=True, slots=True)
class Company:
    """The sender: letterhead, footer and payment details."""

    name: str
    address_lines: tuple[str, ...] = ()
    tax_id: str = ""
    payment_lines: tuple[str, ...] = ()  # bank name, IBAN/sort code, ... one per printed line
    email: str = ""
    phone: str = ""
    logo_path: str | None = None  # the only file a document may read besides the shipped fonts
    page_size: PageSize = "A4"
    locale: str = "en_GB"

    def __post_init__(self) -> None:
        _check_tuple(self, "address_lines", "payment_lines")
        if self.page_size not in PAGE_SIZES:
            raise ValueError(f"page_size must be one of {PAGE_SIZES}, not {self.page_size!r}")


@dataclass(frozen=True, slots=True)
class Party:
    """The customer as addressed on the document."""

    account_no: str
    name: str
    address_lines: tuple[str, ...] = ()
    city: str = ""
    postcode: str = ""
    country: str = ""
    tax_id: str = ""
    attention: str = ""  # the contact person, printed "Attn: ..." under the addressee
    region: str = ""  # state, province or prefecture, where the destination's addresses name one

    def __post_init__(self) -> None:
        _check_tuple(self, "address_lines")


@dataclass(frozen=True, slots=True)
class DocLine:
    description: str
    quantity: str  # a Decimal as text, e.g. "2" or "1.5"
    unit_price_minor: int
    discount_percent: str  # "" or "0" for none, else e.g. "10" or "12.5"
    tax_code: str
    tax_rate: str  # percent as text, e.g. "20"
    net_minor: int
    tax_minor: int

    def __post_init__(self) -> None:
        _check_minor(self)


@dataclass(frozen=True, slots=True)
class TaxSummary:
    code: str
    rate: str  # percent as text
    net_minor: int
    tax_minor: int

    def __post_init__(self) -> None:
        _check_minor(self)


@dataclass(frozen=True, slots=True)
class InvoiceDoc:
    kind: InvoiceKind
    number: str
    issue_date: dt.date
    due_date: dt.date | None
    currency: str
    customer: Party
    lines: tuple[DocLine, ...]
    tax_summaries: tuple[TaxSummary, ...]
    subtotal_minor: int
    tax_total_minor: int
    total_minor: int
    amount_paid_minor: int  # paid, credited or written off so far
    amount_due_minor: int
    reference: str = ""
    memo: str = ""
    credited_invoice_number: str | None = None
    # Set on a voided document: it prints a VOID banner on every page and no paid or due lines.
    void_reason: str | None = None

    def __post_init__(self) -> None:
        _check_minor(self)
        _check_tuple(self, "lines", "tax_summaries")
        if self.kind not in INVOICE_KINDS:
            raise ValueError(f"kind must be one of {INVOICE_KINDS}, not {self.kind!r}")
        _check_adds_up("subtotal", self.subtotal_minor, (ln.net_minor for ln in self.lines))
        _check_adds_up("subtotal", self.subtotal_minor, (t.net_minor for t in self.tax_summaries))
        _check_adds_up("tax total", self.tax_total_minor, (t.tax_minor for t in self.tax_summaries))
        _check_adds_up("total", self.total_minor, (self.subtotal_minor, self.tax_total_minor))
        _check_adds_up("total", self.total_minor, (self.amount_paid_minor, self.amount_due_minor))


@dataclass(frozen=True, slots=True)
class StatementRow:
    date: dt.date
    kind: str  # as printed: "Invoice", "Payment", "Credit note", ...
    number: str
    description: str
    debit_minor: int
    credit_minor: int
    balance_minor: int  # running balance after this row

    def __post_init__(self) -> None:
        _check_minor(self)


@dataclass(frozen=True, slots=True)
class Aging:
    current_minor: int = 0
    days_1_30_minor: int = 0
    days_31_60_minor: int = 0
    days_61_90_minor: int = 0
    over_90_minor: int = 0

    def __post_init__(self) -> None:
        _check_minor(self)

    @classmethod
    def from_buckets(cls, buckets: Mapping[str, int]) -> Aging:
        """From store.queries' aging dict, keyed 'current', '1-30', '31-60', '61-90', '90+'."""
        return cls(buckets.get("current", 0), buckets.get("1-30", 0), buckets.get("31-60", 0),
                   buckets.get("61-90", 0), buckets.get("90+", 0))

    @property
    def buckets(self) -> tuple[tuple[str, int], ...]:
        return (("Current", self.current_minor), ("1-30 days", self.days_1_30_minor),
                ("31-60 days", self.days_31_60_minor), ("61-90 days", self.days_61_90_minor),
                ("Over 90 days", self.over_90_minor))

    @property
    def total_minor(self) -> int:
        return sum(amount for _, amount in self.buckets)


@dataclass(frozen=True, slots=True)
class StatementDoc:
    customer: Party
    currency: str
    period_from: dt.date
    period_to: dt.date
    opening_balance_minor: int
    rows: tuple[StatementRow, ...]
    closing_balance_minor: int
    aging: Aging

    def __post_init__(self) -> None:
        _check_minor(self)
        _check_tuple(self, "rows")
        if self.period_from > self.period_to:
            raise ValueError("period_from is after period_to")
        balance = self.opening_balance_minor
        for index, row in enumerate(self.rows, 1):
            balance += row.debit_minor - row.credit_minor
            if row.balance_minor != balance:
                raise ValueError(f"row {index} ({row.number}) shows balance {row.balance_minor}, "
                                 f"but the rows before it add up to {balance}")
        if self.closing_balance_minor != balance:
            raise ValueError(f"closing balance is {self.closing_balance_minor} but the rows add up to {balance}")

    @property
    def total_debit_minor(self) -> int:
        return sum(row.debit_minor for row in self.rows)

    @property
    def total_credit_minor(self) -> int:
        return sum(row.credit_minor for row in self.rows)


@dataclass(frozen=True, slots=True)
class OverdueItem:
    number: str
    issue_date: dt.date
    due_date: dt.date
    days_overdue: int
    amount_due_minor: int

    def __post_init__(self) -> None:
        _check_minor(self)


@dataclass(frozen=True, slots=True)
class ReminderDoc:
    level: int  # 1, 2 or 3
    customer: Party
    date: dt.date
    currency: str
    items: tuple[OverdueItem, ...]
    total_due_minor: int
    text: str = ""  # the letter's wording; empty for DEFAULT_REMINDER_TEXT[level]

    def __post_init__(self) -> None:
        _check_minor(self)
        _check_tuple(self, "items")
        if self.level not in REMINDER_LEVELS:
            raise ValueError(f"level must be one of {REMINDER_LEVELS}, not {self.level!r}")
        _check_adds_up("total due", self.total_due_minor, (item.amount_due_minor for item in self.items))

    @property
    def title(self) -> str:
        return REMINDER_TITLES[self.level]

    @property
    def body_text(self) -> str:
        return self.text or DEFAULT_REMINDER_TEXT[self.level]
