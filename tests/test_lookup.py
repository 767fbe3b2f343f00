"""Account lookup: every way an operator finds an account, the ranking, and paging."""
from __future__ import annotations

import json

import pytest

from store.customers import CustomerData, create_customer, customer_data, get_customer, update_customer, with_changes
from store.disputes import open_dispute
from store.lookup import VOCABULARY, find_accounts
from tests.conftest import post


@pytest.fixture()
def accounts(books) -> dict[str, str]:
    made = {}
    for key, data in {
        "harbour": CustomerData(name="Harbour Supplies Ltd", email="ap@harbour.example", phone="+44 20 7946 0123",
                                postcode="BS1 4DJ", city="Bristol"),
        "zoe": CustomerData(name="Zoë Ångström", email="zoe@angstrom.example", phone="0161 496 0999",
                            postcode="M1 2AB", city="Manchester"),
        "obrien": CustomerData(name="O'Brien & Daughters", email="accounts@obrien.example", phone="028 9018 0000",
                               city="Belfast", postcode="BT1 1AA"),
        "harbinger": CustomerData(name="Harbinger Tools", email="x@harbinger.example", city="Leeds"),
    }.items():
        made[key] = create_customer(data).account_no
    VOCABULARY.forget()
    return made


def accounts_for(text: str) -> list[str]:
    return [h.account_no for h in find_accounts(text).hits]


@pytest.mark.parametrize("text,key", [
    ("harbour", "harbour"), ("HARBOUR supp", "harbour"), ("zoe", "zoe"), ("angstrom", "zoe"), ("Ångström", "zoe"),
    ("obrien", "obrien"), ("daught", "obrien"), ("ap@harbour", "harbour"), ("angstrom.example", "zoe"),
    ("020 7946 0123", "harbour"), ("+442079460123", "harbour"), ("(020) 7946-01", "harbour"), ("0161 496", "zoe"),
    ("bs1 4dj", "harbour"), ("BS14", "harbour"), ("m1 2", "zoe"),
])
def test_finds_by_name_email_phone_postcode(accounts: dict[str, str], text: str, key: str) -> None:
    assert accounts_for(text)[0] == accounts[key]


def test_close_misspellings_are_found(accounts: dict[str, str]) -> None:
    page = find_accounts("harbuor")
    assert [h.account_no for h in page.hits] == [accounts["harbour"]]
    assert page.hits[0].why == "name ~harbour"
    assert accounts_for("angstrm") == [accounts["zoe"]]


def test_prefix_matches_several_and_exact_word_ranks_first(accounts: dict[str, str]) -> None:
    assert accounts_for("harb") == [accounts["harbinger"], accounts["harbour"]]  # same rank: by name
    assert accounts_for("harbour") == [accounts["harbour"]]


def test_account_number_and_invoice_number(accounts: dict[str, str]) -> None:
    number = post(accounts["obrien"]).number
    assert accounts_for(accounts["zoe"])[0] == accounts["zoe"]
    page = find_accounts(number.lower())
    assert page.hits[0].account_no == accounts["obrien"] and page.hits[0].why == f"invoice {number}"
    assert set(accounts_for("1000")) == set(accounts.values())


def test_each_hit_shows_balance_overdue_and_flags(accounts: dict[str, str]) -> None:
    import datetime as dt

    from store.customers import put_on_hold

    number = post(accounts["harbour"], issue=dt.date(2020, 1, 1)).number
    post(accounts["harbour"], issue=dt.date(2099, 1, 1))
    open_dispute(number, 500, "wrong price")
    put_on_hold(accounts["harbour"], "audit")
    hit = find_accounts("harbour").hits[0]
    assert (hit.balance_minor, hit.overdue_minor, hit.status, hit.disputed) == (2400, 1200, "on_hold", True)


def test_an_edit_reindexes_the_account(accounts: dict[str, str]) -> None:
    row = get_customer(accounts["zoe"])
    update_customer(row.account_no, with_changes(customer_data(row), name="Zoë Nilsson", phone=""), row.version)
    assert accounts_for("angstrom") == []
    assert accounts_for("nilsson") == [accounts["zoe"]]
    assert accounts_for("0161 496") == []


def test_pages(books) -> None:
    for n in range(130):
        create_customer(CustomerData(name=f"Granite Works {n:03d}", email="g@example.com"))
    first = find_accounts("granite", limit=50)
    assert (len(first.hits), first.total, first.more) == (50, 130, True)
    last = find_accounts("granite", offset=100, limit=50)
    assert (len(last.hits), last.more) == (30, False)
    assert last.hits[-1].name == "Granite Works 129"


def test_find_command(accounts: dict[str, str], capsys) -> None:
    from store.models import database_proxy
    from tui.cli import main

    assert main(["--db", database_proxy.obj.database, "find", "harbour", "--json"]) == 0
    page = json.loads(capsys.readouterr().out)
    assert page["hits"][0]["account_no"] == accounts["harbour"] and page["total"] == 1
    assert main(["--db", database_proxy.obj.database, "find", "nobody-at-all"]) == 0
    assert "no account matches 'nobody-at-all'" in capsys.readouterr().out


NAMES_IN_SCRIPTS = [("श्री गणेश ट्रेडर्स", "गणेश"), ("বাংলা বস্ত্র কোম্পানি", "বস্ত্র"), ("தமிழ் நாடு நிறுவனம்", "நாடு"),
                    ("บริษัท สยาม จำกัด", "สยาม"), ("شركة الخليج للتجارة", "الخليج"), ("חברת אלון בע״מ", "אלון"),
                    ("株式会社 東京商事", "東京")]


@pytest.mark.parametrize(("name", "typed"), NAMES_IN_SCRIPTS)
def test_an_account_named_in_any_script_is_found_by_a_word_of_its_name(books, name: str, typed: str) -> None:
    create_customer(CustomerData(name="Harbour Supplies Ltd", email="h@example.com"))
    account = create_customer(CustomerData(name=name, email="w@example.com")).account_no
    assert [h.account_no for h in find_accounts(typed).hits] == [account]
    assert [h.account_no for h in find_accounts(typed[:2]).hits] == [account]  # a prefix, as it is typed


def test_migration_0019_reindexes_names_written_in_other_scripts(books) -> None:
    import importlib

    from store.models import SearchToken, database_proxy

    latin = create_customer(CustomerData(name="Harbour Supplies Ltd", email="h@example.com"))
    other = create_customer(CustomerData(name="श्री गणेश ट्रेडर्स", email="w@example.com"))
    # As the index was before: no name word for the Devanagari name at all.
    SearchToken.delete().where((SearchToken.customer == other.id) & SearchToken.token.startswith("n:")).execute()
    assert find_accounts("गणेश").hits == ()
    latin_before = sorted(t.token for t in SearchToken.select().where(SearchToken.customer == latin.id))
    importlib.import_module("store.migrations.0019_name_words_every_script").up(None, database_proxy.obj)
    assert [h.account_no for h in find_accounts("गणेश").hits] == [other.account_no]
    assert sorted(t.token for t in SearchToken.select().where(SearchToken.customer == latin.id)) == latin_before
