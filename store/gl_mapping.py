"""The account mapping of ledger exports: each of Billfold's accounts to the company's own chart of accounts.

Kept as settings (`gl_account_<code>`, declared in store/settings.py), so it is validated, audited,
listed by `billfold setting list` and changed only by whoever may change settings. The value is
what the company's package calls the account: a Xero account code (`610`), a QuickBooks account
name (`Accounts Receivable`), a beancount account (`Assets:Receivables`).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from store.errors import Conflict, ValidationError
from store.models import Account
from store.settings import GL_ACCOUNTS, SPEC_BY_KEY, get_setting, set_setting


@dataclass(frozen=True, slots=True)
class MappingRow:
    account: str  # Billfold's code, 1100
    name: str  # Billfold's name, Trade receivables
    kind: str  # asset, liability, income, expense
    target: str  # the company's account ("" while unmapped)

    @property
    def setting(self) -> str:
        return setting_key(self.account)

    @property
    def mapped(self) -> bool:
        return bool(self.target)


def setting_key(account: str) -> str:
    return f"gl_account_{account}"


def account_mapping() -> list[MappingRow]:
    """Every account of Billfold's chart with the company account it is exported to, in code order."""
    rows = {str(a.code): (str(a.name), str(a.kind)) for a in Account.select()}
    for code, name in GL_ACCOUNTS:  # an account the chart lacks still shows (its setting exists)
        rows.setdefault(code, (name, "asset"))
    return [MappingRow(code, name, kind, get_setting(setting_key(code)) if setting_key(code) in SPEC_BY_KEY else "")
            for code, (name, kind) in sorted(rows.items())]


def set_mapping(account: str, target: str) -> MappingRow:
    """Map one of Billfold's accounts (refused, nothing written, unless it is one and the operator may)."""
    account = account.strip()
    codes = [row.account for row in account_mapping()]
    if account not in codes:
        raise ValidationError("account", f"'{account[:40]}' is not one of Billfold's accounts; they are "
                                         f"{', '.join(codes)}")
    if setting_key(account) not in SPEC_BY_KEY:
        raise ValidationError("account", f"{account} has no mapping setting (gl_account_{account} is not declared "
                                         "in store/settings.py)")
    set_setting(setting_key(account), target)
    return next(row for row in account_mapping() if row.account == account)


def unmapped(accounts: Iterable[str]) -> list[MappingRow]:
    """Of `accounts` (those a journal uses), the ones with no company account yet."""
    wanted = set(accounts)
    known = {row.account: row for row in account_mapping()}
    missing = [known.get(code, MappingRow(code, "(not in the chart)", "asset", "")) for code in sorted(wanted)]
    return [row for row in missing if not row.mapped]


def unmapped_message(rows: list[MappingRow], what: str) -> str:
    names = ", ".join(f"{row.account} {row.name}" for row in rows)
    return (f"{what} uses accounts with no company account mapped: {names}. Map each with "
            f"`billfold gl mapping set ACCOUNT TARGET` (or on the ledger export screen's mapping); nothing exported")


def mapped_targets(accounts: Iterable[str], what: str) -> dict[str, MappingRow]:
    """The mapping of every account in `accounts`, or a refusal naming those unmapped."""
    missing = unmapped(accounts)
    if missing:
        raise Conflict(unmapped_message(missing, what))
    known = {row.account: row for row in account_mapping()}
    return {code: known[code] for code in accounts}
