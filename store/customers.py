"""Customer accounts: entering them, changing them, holds and closing.

Parsing what was typed (`parse_customer_fields`) is kept apart from the services that write,
so a form can show every field's message at once and the services can trust their input.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace

from store.audit import record_event
from store.errors import Conflict, NotFound, ValidationError
from store.fields import utcnow
from store.models import Customer, CustomerNote, OpenItem, Payment, SearchToken
from store.money import check_currency, format_money, parse_amount
from store.numbering import take_number
from store.search_tokens import digits_of, fold, postcode_key, tokens_for
from store.permissions import Action
from store.service import transaction
from store.session import current_operator, require

STATUSES = ("active", "on_hold", "in_collections", "closed")
CHANNELS = ("email", "post")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class CustomerData:
    name: str
    currency: str = "GBP"
    contact_name: str = ""
    address1: str = ""
    address2: str = ""
    city: str = ""
    postcode: str = ""
    country: str = "GB"
    email: str = ""
    phone: str = ""
    terms_days: int = 30
    credit_limit_minor: int = 0
    tax_id: str = ""
    channel: str = "email"
    notes: str = ""


EDITABLE = tuple(f.name for f in fields(CustomerData))


def parse_customer_fields(raw: Mapping[str, str], base: CustomerData | None = None
                          ) -> tuple[CustomerData | None, dict[str, str]]:
    """What an operator typed, as CustomerData; or every field's message. Unknown keys are refused."""
    errors: dict[str, str] = {}
    values: dict[str, object] = asdict(base or CustomerData(name=""))
    # Currency first: the credit limit is parsed in it (GBP while the currency itself is wrong).
    for key in sorted(raw, key=lambda k: k != "currency"):
        if key not in EDITABLE:
            errors[key] = "is not a customer field"
            continue
        currency = str(values["currency"]) if "currency" not in errors else "GBP"
        try:
            values[key] = _parse_field(key, (raw[key] or "").strip(), currency)
        except ValidationError as exc:
            errors[key] = exc.message
    if not str(values["name"]).strip():
        errors.setdefault("name", "is required")
    if values["channel"] == "email" and not values["email"] and "email" not in errors:
        errors["email"] = "is required when invoices go by e-mail (or set channel to post)"
    if errors:
        return None, errors
    return CustomerData(**values), {}  # type: ignore[arg-type]


def _parse_field(key: str, text: str, currency: str) -> object:
    if key == "currency":
        return check_currency(text or "GBP")
    if key == "terms_days":
        if not text.isdigit() or not 0 <= int(text) <= 365:
            raise ValidationError(key, f"'{text}' is not a number of days from 0 to 365")
        return int(text)
    if key == "credit_limit_minor":
        if not text:
            return 0
        amount = parse_amount(text, check_currency(currency), key)
        if amount < 0:
            raise ValidationError(key, "cannot be negative")
        return amount
    if key == "email" and text and not _EMAIL.match(text):
        raise ValidationError(key, f"'{text}' is not an e-mail address")
    if key == "phone" and text and len(digits_of(text)) < 5:
        raise ValidationError(key, f"'{text}' has too few digits for a phone number")
    if key == "country":
        if not re.fullmatch(r"[A-Za-z]{2}", text or "GB"):
            raise ValidationError(key, "is a two-letter country code such as GB or DE")
        return (text or "GB").upper()
    if key == "channel" and text not in CHANNELS:
        raise ValidationError(key, f"is one of {', '.join(CHANNELS)}")
    if key == "name" and len(text) > 200:
        raise ValidationError(key, "is longer than 200 characters")
    return text


def _search_keys(data: CustomerData) -> dict[str, str]:
    return {"name_key": fold(data.name), "phone_digits": digits_of(data.phone),
            "postcode_key": postcode_key(data.postcode), "email_key": data.email.casefold()}


def _index(customer_id: int, account_no: str, data: CustomerData) -> None:
    """Rewrite the words the account is found by (inside the caller's transaction)."""
    SearchToken.delete().where(SearchToken.customer == customer_id).execute()
    tokens = tokens_for(account_no, data.name, data.contact_name, data.email, data.phone, data.postcode)
    SearchToken.insert_many([{"customer": customer_id, "token": t} for t in sorted(tokens)]).execute()


def customer_data(row: Customer) -> CustomerData:
    return CustomerData(**{name: getattr(row, name) for name in EDITABLE})


def get_customer(account_no: str) -> Customer:
    row = Customer.get_or_none(Customer.account_no == account_no.strip())
    if row is None:
        raise NotFound(f"account {account_no}: no such customer")
    return row


def create_customer(data: CustomerData) -> Customer:
    with transaction():
        require(Action.EDIT_ACCOUNTS)
        _, account_no = take_number("CUST")
        row = Customer.create(account_no=account_no, updated_by=current_operator(),
                              **asdict(data), **_search_keys(data))
        _index(row.id, account_no, data)
        record_event("customer.create", "customer", account_no, customer_id=row.id, after=asdict(data))
        return row


def update_customer(account_no: str, data: CustomerData, expected_version: int) -> Customer:
    """Save an edit made on the version that was read; refuse if someone saved in between."""
    with transaction():
        require(Action.EDIT_ACCOUNTS)
        row = get_customer(account_no)
        before = customer_data(row)
        if data.currency != before.currency and _has_activity(row):
            raise ValidationError("currency", "cannot change once the account has documents or payments")
        changed = (Customer.update(**asdict(data), **_search_keys(data), version=Customer.version + 1,
                                   updated_at=utcnow(), updated_by=current_operator())
                   .where((Customer.id == row.id) & (Customer.version == expected_version)).execute())
        if not changed:
            raise Conflict(f"account {account_no} was changed by {row.updated_by} at "
                           f"{row.updated_at:%Y-%m-%d %H:%M} after you opened it; reopen it and make your change again")
        _index(row.id, account_no, data)
        diff_before = {k: v for k, v in asdict(before).items() if getattr(data, k) != v}
        diff_after = {k: getattr(data, k) for k in diff_before}
        record_event("customer.update", "customer", account_no, customer_id=row.id,
                     before=diff_before, after=diff_after)
        return Customer.get_by_id(row.id)


def _has_activity(row: Customer) -> bool:
    return bool(row.invoices.exists() or row.payments.exists())


def _set_status(account_no: str, status: str, reason: str, action: str, allowed_from: tuple[str, ...]) -> Customer:
    with transaction():
        require(Action.EDIT_ACCOUNTS)
        row = get_customer(account_no)
        if row.status not in allowed_from:
            raise Conflict(f"account {account_no} is {row.status.replace('_', ' ')}; cannot {action.split('.')[-1]}")
        Customer.update(status=status, hold_reason=reason, version=Customer.version + 1, updated_at=utcnow(),
                        updated_by=current_operator()).where(Customer.id == row.id).execute()
        record_event(action, "customer", account_no, customer_id=row.id,
                     before={"status": row.status, "reason": row.hold_reason},
                     after={"status": status, "reason": reason})
        return Customer.get_by_id(row.id)


def _require_reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError("reason", "is required")
    return reason.strip()


def put_on_hold(account_no: str, reason: str) -> Customer:
    return _set_status(account_no, "on_hold", _require_reason(reason), "customer.hold", ("active",))


def release_hold(account_no: str, reason: str = "") -> Customer:
    return _set_status(account_no, "active", reason.strip(), "customer.release", ("on_hold",))


def close_customer(account_no: str, reason: str) -> Customer:
    row = get_customer(account_no)
    balance = customer_balance(row.id)
    if balance:
        raise Conflict(f"account {account_no} has a balance of {format_money(balance, row.currency)}; "
                       "settle or write it off before closing")
    return _set_status(account_no, "closed", _require_reason(reason), "customer.close",
                       ("active", "on_hold"))


def add_note(account_no: str, text: str) -> CustomerNote:
    if not text.strip():
        raise ValidationError("note", "is empty")
    with transaction():
        require(Action.EDIT_ACCOUNTS)
        row = get_customer(account_no)
        note = CustomerNote.create(customer=row.id, text=text.strip(), created_by=current_operator())
        record_event("customer.note", "customer", account_no, customer_id=row.id, after={"note": text.strip()})
        return note


def customer_balance(customer_id: int) -> int:
    """What the customer owes: open documents less unallocated payments (negative: we owe them)."""
    open_docs = sum(i.open_minor for i in OpenItem.select(OpenItem.open_minor).where(OpenItem.customer == customer_id))
    unapplied = sum(p.unallocated_minor for p in
                    Payment.select(Payment.unallocated_minor).where(Payment.customer == customer_id))
    return open_docs - unapplied


def with_changes(data: CustomerData, **changes: object) -> CustomerData:
    return replace(data, **changes)  # type: ignore[arg-type]
