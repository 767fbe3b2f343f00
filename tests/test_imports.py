"""Statements into the books: new, duplicate and skipped lines; overlaps; nothing from a bad file."""
from __future__ import annotations

from pathlib import Path

import pytest

from store.importers import CsvMapping, StatementFormatError
from store.imports import import_statement, load_mapping, save_mapping
from store.matching import match_queue
from store.models import ImportBatch, Payment
from store.verify import verify_books
from tests.conftest import snapshot

DATA = Path(__file__).parent / "data" / "statements"


def test_money_in_becomes_payments_once(books) -> None:
    first = import_statement((DATA / "camt053-v02.xml").read_bytes(), "camt.xml")
    assert (first.new, first.duplicate, first.skipped) == (3, 0, 1)
    assert first.skipped_lines == [{"position": 4, "reason": "money out"}]
    assert sorted(p.amount_minor for p in Payment.select()) == [5000, 10000, 15000]
    again = import_statement((DATA / "camt053-v02.xml").read_bytes(), "camt.xml")
    assert (again.new, again.duplicate) == (0, 3)
    assert Payment.select().count() == 3 and ImportBatch.select().count() == 2
    assert {r.reference for r in match_queue()} == {"INV-000003", "INV-000004", ""}
    assert verify_books() == []


def test_an_overlapping_csv_without_bank_ids_adds_only_the_new_lines(books) -> None:
    mapping = CsvMapping("signed", "Date", "%Y-%m-%d", amount="Amount", reference="Reference", payer="Payee")
    save_mapping(mapping)
    first = b"Date,Amount,Reference,Payee\n2026-11-05,250.00,INV-000001,Kestrel\n"
    both = first + b"2026-11-06,99.00,INV-000002,Heron\n"
    assert import_statement(first, "a.csv", "signed").new == 1
    result = import_statement(both, "b.csv", load_mapping("signed"))
    assert (result.new, result.duplicate) == (1, 1)
    assert Payment.select().count() == 2


def test_a_malformed_file_imports_nothing(books) -> None:
    bad = (DATA / "uk-bank.csv").read_bytes().replace(b"07/11/2026", b"31/02/2026")
    before = snapshot()
    with pytest.raises(StatementFormatError) as err:
        import_statement(bad, "uk.csv", CsvMapping("uk", "Date", money_in="Paid in", money_out="Paid out"))
    assert err.value.where == "line 4"
    assert snapshot() == before


def test_a_saved_mapping_is_found_for_the_banks_next_statement(books) -> None:
    from store.imports import mapping_for

    uk, signed = (DATA / "uk-bank.csv").read_bytes(), (DATA / "signed.csv").read_bytes()
    assert mapping_for(uk) is None
    save_mapping(CsvMapping("signed", "Date", "%m/%d/%Y", amount="Amount", reference="Description", payer="Payee"))
    save_mapping(CsvMapping("uk", "Date", money_in="Paid in", money_out="Paid out", reference="Description"))
    assert mapping_for(uk).name == "uk" and mapping_for(signed).name == "signed"
    assert mapping_for(b"When,What\n2026-11-01,12\n") is None


def test_import_command_guesses_saves_and_reuses_a_mapping(books, capsys) -> None:
    from store.models import database_proxy
    from tui.cli import main

    db = database_proxy.obj.database
    path = str(DATA / "uk-bank.csv")
    assert main(["--db", db, "import", path]) == 2
    assert "not saved yet; this guess reads it" in capsys.readouterr().err
    assert main(["--db", db, "import", path, "--save-as", "uk-bank"]) == 0
    assert "2 new payments, 0 duplicates, 1 skipped" in capsys.readouterr().out
    assert main(["--db", db, "import", path, "--mapping", "uk-bank"]) == 0
    assert "0 new payments, 2 duplicates, 1 skipped" in capsys.readouterr().out
    # The bank's next statement needs no --mapping: the saved one that reads it is used.
    assert main(["--db", db, "import", path]) == 0
    assert "0 new payments, 2 duplicates, 1 skipped" in capsys.readouterr().out
    assert main(["--db", db, "import", str(DATA / "sgml-1252.ofx")]) == 0
    assert "2 new payments" in capsys.readouterr().out
