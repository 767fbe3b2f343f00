"""Company settings: a key/value table, read with defaults, written with an audit event."""
from __future__ import annotations

from store.audit import record_event
from store.models import Setting
from store.service import transaction

DEFAULTS = {
    "tax_rounding": "line",
    "base_currency": "GBP",
    "refund_approval_minor": "50000",
    "write_off_approval_minor": "50000",
    "credit_note_approval_minor": "100000",
    "company_name": "Billfold Demo Ltd",
    "dunning_levels": "7,21,45",
    "dunning_repeat_days": "14",
}


def get_setting(key: str) -> str:
    row = Setting.get_or_none(Setting.key == key)
    if row is not None:
        return row.value
    return DEFAULTS.get(key, "")


def set_setting(key: str, value: str) -> None:
    with transaction():
        before = Setting.get_or_none(Setting.key == key)
        Setting.insert(key=key, value=value).on_conflict(conflict_target=[Setting.key],
                                                          update={Setting.value: value}).execute()
        record_event("setting.change", "setting", key, before={"value": before.value if before else None},
                     after={"value": value})
