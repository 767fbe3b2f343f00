"""Customer accounts: entering them, changing them, holds and closing.

Parsing what was typed (`parse_customer_fields`) is kept apart from the services that write,
so a form can show every field's message at once and the services can trust their input.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields, replace

from store.audit import record_event
from store.errors import Conflict, NotFound, ValidationError, required
from store.fields import utcnow
from store.kinds import CustomerStatus
from store.models import Customer, CustomerNote, OpenItem, Payment, SearchToken
from store.money import check_currency, format_money, parse_amount
from store.numbering import take_number
from store.permissions import Action
from store.search_tokens import digits_of, fold, postcode_key, tokens_for
from store.service import transaction
from store.session import current_operator, require
from store.sql import sum_of
from store.validation import check_email, check_phone, check_region, check_vat

STATUSES = tuple(CustomerStatus)
CHANNELS = ("email", "post")


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
    tax_code: str = ""  # default tax code of a line typed without one (empty: each line names its own)
    notes: str = ""
    region: str = ""  # state, province or prefecture, as the destination country's addresses name it


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
    _check_with_libraries(raw, values, base, errors)
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
    if key == "country":
        if not re.fullmatch(r"[A-Za-z]{2}", text or "GB"):
            raise ValidationError(key, "is a two-letter country code such as GB or DE")
        return (text or "GB").upper()
    if key == "tax_code":
        return _check_tax_code(text)
    if key == "channel" and text not in CHANNELS:
        raise ValidationError(key, f"is one of {', '.join(CHANNELS)}")
    if key == "name" and len(text) > 200:
        raise ValidationError(key, "is longer than 200 characters")
    return text


def _check_tax_code(text: str) -> str:
    from store.catalogue import load_catalogue

    code = text.upper()
    rates = load_catalogue().tax_rates
    if code and code not in rates:
        raise ValidationError("tax_code", f"'{text}' is not a tax code (one of {', '.join(sorted(rates))})")
    return code


def _check_with_libraries(raw: Mapping[str, str], values: dict[str, object], base: CustomerData | None,
                          errors: dict[str, str]) -> None:
    """E-mail, phone and VAT number by store.validation, the phone and VAT number in the account's country.
    A value the account already holds is not refused again (books kept before these checks stay editable)."""
    country = str(values["country"])
    checks: dict[str, Callable[[str], str]] = {"email": check_email,
              "region": lambda text: check_region(text, country),
              "phone": lambda text: check_phone(text, country),
              "tax_id": lambda text: check_vat(text, country)}
    for key, check in checks.items():
        text = str(values[key])
        changed_country = key == "region" and "country" in raw  # a state is checked again in a new country
        if (key not in raw and not changed_country) or key in errors or not text or (
                base is not None and getattr(base, key) == text and not changed_country):
            continue
        try:
            values[key] = check(text)
        except ValidationError as exc:
            errors[key] = exc.message


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


def put_on_hold(account_no: str, reason: str) -> Customer:
    return _set_status(account_no, CustomerStatus.ON_HOLD, required("reason", reason), "customer.hold",
                       (CustomerStatus.ACTIVE,))


def release_hold(account_no: str, reason: str = "") -> Customer:
    return _set_status(account_no, CustomerStatus.ACTIVE, reason.strip(), "customer.release",
                       (CustomerStatus.ON_HOLD,))


def close_customer(account_no: str, reason: str) -> Customer:
    row = get_customer(account_no)
    balance = customer_balance(row.id)
    if balance:
        raise Conflict(f"account {account_no} has a balance of {format_money(balance, row.currency)}; "
                       "settle or write it off before closing")
    return _set_status(account_no, CustomerStatus.CLOSED, required("reason", reason), "customer.close",
                       (CustomerStatus.ACTIVE, CustomerStatus.ON_HOLD))


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
    return (sum_of(OpenItem.open_minor, OpenItem.customer == customer_id)
            - sum_of(Payment.unallocated_minor, Payment.customer == customer_id))


def with_changes(data: CustomerData, **changes: object) -> CustomerData:
    return replace(data, **changes)  # type: ignore[arg-type]
