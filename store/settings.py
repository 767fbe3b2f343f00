"""Company settings: every key declared once (type, allowed values, default, who may change it).

A write names a declared key with a value its declaration allows, or is refused naming the key
and what is allowed, with nothing written. Secrets (passwords, API keys) are never settings:
they come from a file only its owner can read, or the environment (see `secret`).
"""
from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from store.audit import record_event
from store.errors import ValidationError
from store.models import Setting
from store.permissions import Action
from store.service import transaction
from store.session import require
from store.validation import check_email, check_iban, check_phone, check_vat

Check = Callable[[str], str | None]  # None if the value is allowed, else what is allowed


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: str
    meaning: str
    allowed: str  # what is allowed, in words (the refusal and the README say this)
    check: Check
    admin_only: bool = False
    limit: bool = False  # an approval limit: raising it is audited as such, lowering never un-approves

    @property
    def action(self) -> Action:
        return Action.CHANGE_ADMIN_SETTINGS if self.admin_only else Action.CHANGE_SETTINGS

    @property
    def role(self) -> str:
        return "admin" if self.admin_only else "supervisor"


def _any(value: str) -> str | None:
    return None if "\n" not in value and len(value) <= 500 else "one line of at most 500 characters"


def _choice(*options: str) -> Check:
    return lambda value: None if value in options else f"one of {', '.join(options)}"


def _integer(low: int, high: int, blank: bool = False) -> Check:
    def check(value: str) -> str | None:
        if blank and value == "":
            return None
        if re.fullmatch(r"\d+", value) and low <= int(value) <= high:
            return None
        return f"a whole number from {low} to {high}" + (" (or empty)" if blank else "")
    return check


def _levels(value: str) -> str | None:
    parts = value.split(",")
    if all(re.fullmatch(r"\d+", p.strip() or "x") for p in parts):
        days = [int(p) for p in parts]
        if days == sorted(set(days)) and days[0] > 0:
            return None
    return "rising day counts past due, e.g. 7,21,45"


def _email(value: str) -> str | None:
    return None if value == "" or re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) else "an e-mail address"


def _host(value: str) -> str | None:
    return None if value == "" or re.fullmatch(r"[A-Za-z0-9.:\[\]-]+", value) else "a host name or address"


def _currency(value: str) -> str | None:
    return None if re.fullmatch(r"[A-Z]{3}", value) else "a three-letter ISO currency code, e.g. GBP"


def _path(value: str) -> str | None:
    return None if value == "" or (value.startswith(("/", "~")) and "\n" not in value) else "an absolute path"


def _group(value: str) -> str | None:
    import grp

    if value == "":
        return None
    try:
        grp.getgrnam(value)
        return None
    except KeyError:
        return "a group on this machine (see /etc/group)"


SPECS: tuple[SettingSpec, ...] = (
    SettingSpec("company_name", "Billfold Demo Ltd", "the name on every document", "any text", _any),
    SettingSpec("company_address", "", "address lines on documents, a vertical bar between lines", "any text", _any),
    SettingSpec("company_tax_id", "", "VAT / tax number on invoices", "any text", _any),
    SettingSpec("company_payment", "", "how to pay, on invoices, a vertical bar between lines", "any text", _any),
    SettingSpec("company_email", "", "reply address on documents", "an e-mail address", _email),
    SettingSpec("company_phone", "", "phone number on documents", "any text", _any),
    SettingSpec("company_logo", "", "logo image file for documents", "an absolute path", _path),
    SettingSpec("page_size", "A4", "paper size of documents", "A4, Letter", _choice("A4", "Letter")),
    SettingSpec("locale", "en_GB", "how amounts and dates are written on documents", "en_GB, en_US, en_IE",
                _choice("en_GB", "en_US", "en_IE")),
    SettingSpec("tax_rounding", "line", "round tax per line or per invoice", "line, invoice",
                _choice("line", "invoice")),
    SettingSpec("base_currency", "GBP", "currency of the reports", "a three-letter ISO currency code",
                _currency, admin_only=True),
    SettingSpec("dunning_levels", "7,21,45", "days overdue for reminder levels 1-3", "rising day counts",
                _levels),
    SettingSpec("dunning_repeat_days", "14", "days before the same reminder may go again", "1 to 365",
                _integer(1, 365)),
    SettingSpec("refund_approval_minor", "50000", "refunds above this (minor units) need a supervisor",
                "a whole number from 0 to 100000000000", _integer(0, 10**11), admin_only=True, limit=True),
    SettingSpec("write_off_approval_minor", "50000", "write-offs above this (minor units) need a supervisor",
                "a whole number from 0 to 100000000000", _integer(0, 10**11), admin_only=True, limit=True),
    SettingSpec("credit_note_approval_minor", "100000", "credit notes above this (minor units) need a supervisor",
                "a whole number from 0 to 100000000000", _integer(0, 10**11), admin_only=True, limit=True),
    SettingSpec("smtp_host", "", "mail server documents are sent through", "a host name or address", _host,
                admin_only=True),
    SettingSpec("smtp_port", "", "its port (empty: 465 for tls, else 587)", "1 to 65535 or empty",
                _integer(1, 65535, blank=True), admin_only=True),
    SettingSpec("smtp_security", "starttls", "how the mail connection is protected", "starttls, tls, none",
                _choice("starttls", "tls", "none"), admin_only=True),
    SettingSpec("smtp_user", "", "login at the mail server (the password is a secret, not a setting)",
                "any text", _any, admin_only=True),
    SettingSpec("smtp_from", "", "sender address of documents", "an e-mail address", _email, admin_only=True),
    SettingSpec("smtp_password_file", "", "file holding the SMTP password, readable only by its owner",
                "an absolute path", _path, admin_only=True),
    SettingSpec("print_spool", "", "folder print batches are written to (empty: the user data folder)",
                "an absolute path", _path, admin_only=True),
    SettingSpec("import_max_bytes", str(50 * 1024 * 1024), "largest statement file an import reads (bytes)",
                "a whole number from 1 to 10000000000", _integer(1, 10**10)),
    SettingSpec("file_group", "", "group that may read the books' files (set by billfold init --group)",
                "a group on this machine", _group, admin_only=True),
)
# The chart Billfold posts to (migration 0002): each account's counterpart in the company's own chart,
# for the ledger export (store/gl_mapping.py). Unset means unmapped: the export refuses, naming it.
GL_ACCOUNTS: tuple[tuple[str, str], ...] = (
    ("1000", "Bank"), ("1100", "Trade receivables"), ("2100", "Unapplied cash"), ("2150", "Unidentified receipts"),
    ("2200", "Sales tax payable"), ("4000", "Sales"), ("6900", "Bad debts written off"),
)
GL_TARGET_ALLOWED = "an account of the company's chart: up to 60 letters, digits, spaces and : . _ / & ( ) ' -"


def _ledger_account(value: str) -> str | None:
    if value == "" or re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 :._/&()'-]{0,59}", value):
        return None
    return GL_TARGET_ALLOWED


SPECS += (
    *(SettingSpec(f"gl_account_{code}", "", f"the company's account for Billfold's {code} {name} in ledger exports",
                  GL_TARGET_ALLOWED, _ledger_account) for code, name in GL_ACCOUNTS),
    SettingSpec("gl_xero_tax_rate", "No VAT", "the TaxRate column of Xero journal lines (tax is already its own "
                "line)", "a tax rate name as Xero lists it", _any),
)
SPEC_BY_KEY: dict[str, SettingSpec] = {s.key: s for s in SPECS}
SECRET_WORDS = ("password", "secret", "api_key", "apikey", "token")
SECRET_SOURCES = {"smtp_password": ("BILLFOLD_SMTP_PASSWORD", "smtp_password_file")}


@dataclass(frozen=True)
class SettingRow:
    key: str
    value: str
    default: str
    allowed: str
    who: str
    meaning: str


def spec_of(key: str) -> SettingSpec:
    """The declaration of `key`; an unknown key (or a secret) is refused naming what is allowed."""
    spec = SPEC_BY_KEY.get(key)
    if spec is not None:
        return spec
    if any(word in key.lower() for word in SECRET_WORDS):
        raise ValidationError(key, "is a secret, never stored in the books: put it in a file only you can read "
                                   "(smtp_password_file) or in the environment (BILLFOLD_SMTP_PASSWORD)")
    raise ValidationError(key, f"is not a setting; the settings are {', '.join(SPEC_BY_KEY)}")


def get_setting(key: str) -> str:
    row = Setting.get_or_none(Setting.key == key)
    if row is not None:
        return str(row.value)
    spec = SPEC_BY_KEY.get(key)
    return spec.default if spec else ""


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
    """Change one setting (refused, nothing written, unless declared, allowed and the operator may)."""
    spec = spec_of(key)
    value = _checked(key, value.strip())
    problem = spec.check(value)
    if problem is not None:
        raise ValidationError(key, f"'{value}' is not allowed: {key} is {problem}")
    with transaction():
        require(spec.action)
        before = Setting.get_or_none(Setting.key == key)
        old = str(before.value) if before else spec.default
        Setting.insert(key=key, value=value).on_conflict(conflict_target=[Setting.key],
                                                          update={Setting.value: value}).execute()
        after: dict[str, object] = {"value": value}
        if spec.limit and old.isdigit() and int(value) > int(old):
            after["limit_raised_from"] = int(old)
        record_event("setting.limit_raise" if "limit_raised_from" in after else "setting.change", "setting", key,
                     before={"value": before.value if before else None}, after=after)


def list_settings() -> list[SettingRow]:
    stored = {str(r.key): str(r.value) for r in Setting.select()}
    return [SettingRow(s.key, stored.get(s.key, s.default), s.default, s.allowed, s.role, s.meaning) for s in SPECS]


def secret(name: str, env: str, file_setting: str) -> str | None:
    """A secret from the environment, else from the file a setting names (refused if others can read it)."""
    if os.environ.get(env):
        return os.environ[env]
    path_text = get_setting(file_setting)
    if not path_text:
        return None
    path = Path(path_text).expanduser()
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise ValidationError(file_setting, f"{path}: {exc.strerror}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ValidationError(file_setting, f"{path} can be read by others; chmod 600 it ({name} is a secret)")
    return path.read_text().strip()
