"""Company settings: a key/value table, read with defaults, written with an audit event."""
from __future__ import annotations

import re

from store.audit import record_event
from store.models import Setting
from store.service import transaction
from store.validation import check_email, check_iban, check_phone, check_vat

DEFAULTS = {
    "tax_rounding": "line",
    "base_currency": "GBP",
    "refund_approval_minor": "50000",
    "company_name": "Billfold Demo Ltd",
    "dunning_levels": "7,21,45",
    "dunning_repeat_days": "14",
    "import_max_bytes": str(50 * 1024 * 1024),
}


def get_setting(key: str) -> str:
    row = Setting.get_or_none(Setting.key == key)
    if row is not None:
        return row.value
    return DEFAULTS.get(key, "")


def _checked(key: str, value: str) -> str:
    """The company's own contact and payment details, checked as a customer's are (store.validation);
    a payment line that starts with IBAN must hold a valid IBAN, which is stored in groups of four."""
    if not value.strip():
        return value
    if key == "company_email":
        return check_email(value.strip(), key)
    if key == "company_phone":
        return check_phone(value.strip(), "GB", key)
    if key == "company_tax_id":
        return check_vat(value.strip(), "GB", key)
    if key == "company_payment":
        lines = value.split("|")
        for i, line in enumerate(lines):
            label, _, rest = line.strip().partition(" ")
            if label.upper() == "IBAN":  # "IBAN GB29 NWBK ... · BIC NWBKGB2L": the IBAN runs to the · or BIC
                number, tail = re.match(r"(.*?)(\s*(?:·|\bBIC\b).*)?$", rest).groups()  # type: ignore[union-attr]
                lines[i] = f"IBAN {check_iban(number, key)}{tail or ''}"
        return "|".join(lines)
    return value


def set_setting(key: str, value: str) -> None:
    value = _checked(key, value)
    with transaction():
        before = Setting.get_or_none(Setting.key == key)
        Setting.insert(key=key, value=value).on_conflict(conflict_target=[Setting.key],
                                                          update={Setting.value: value}).execute()
        record_event("setting.change", "setting", key, before={"value": before.value if before else None},
                     after={"value": value})
