"""The ledger export service and `billfold gl`: the mapping (settings), refusals, the record of each export,
and a month changed after its export going out as the difference."""
from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest

from store.gl_export import parse_month, period_exports
from store.models import AuditEvent, GlExport, GlExportEntry
from tests.conftest import acting_as, run_json, snapshot
from tests.gl_books import MAPPING, NOVEMBER, add_signed, expected, frozen, map_chart, month_of_books


def _csv_sums(path: Path, currency: str) -> dict[str, list[int]]:
    sums: dict[str, list[int]] = {}
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["currency"] == currency:
                add_signed(sums, row["mapped_account"], int(row["debit_minor"]) - int(row["credit_minor"]))
    return sums


def test_mapping_is_shown_checked_and_set_by_whoever_may_change_settings(cli, customer: str) -> None:
    month_of_books(customer)
    shown = run_json(cli, "gl", "mapping", "--period", "2026-11")
    assert [r["account"] for r in shown["accounts"]] == sorted(MAPPING)
    assert shown["ok"] is False and "1100" in shown["unmapped"] and "6900" not in shown["unmapped"]  # unused
    code, _out, err = cli("gl", "mapping", "set", "1100", "Accounts Receivable")  # alice is a clerk
    assert code == 1 and "change settings needs a supervisor or admin; alice is a clerk" in err
    with acting_as("bob"):
        assert run_json(cli, "gl", "mapping", "set", "1100", "Accounts Receivable")["target"] == "Accounts Receivable"
        code, _out, err = cli("gl", "mapping", "set", "1100", "Receivables\ttab")
        assert code == 2 and "gl_account_1100: 'Receivables tab' is not allowed" in err
        code, _out, err = cli("gl", "mapping", "set", "9999", "Suspense")
        assert code == 2 and "'9999' is not one of Billfold's accounts; they are 1000, 1100" in err
        code, _out, err = cli("gl", "mapping", "set", "4000", "Sales; DROP")
        assert code == 2 and err.startswith("billfold: gl_account_4000: 'Sales; DROP' is not allowed")
    settings = {r["key"]: r["value"] for r in run_json(cli, "setting", "list")}
    assert settings["gl_account_1100"] == "Accounts Receivable" and settings["gl_account_4000"] == ""
    event = AuditEvent.select().where(AuditEvent.entity_id == "gl_account_1100").get()
    assert event.operator == "bob" and event.after == {"value": "Accounts Receivable"}


def test_export_refuses_naming_the_unmapped_accounts_and_writes_nothing(cli, customer: str, tmp_path: Path) -> None:
    month_of_books(customer)
    map_chart({"1000": "Checking", "1100": "Accounts Receivable"})
    before = snapshot()
    out = tmp_path / "nov.csv"
    code, text, err = cli("gl", "export", "--period", "2026-11", "--format", "csv", "--out", str(out))
    assert code == 1 and "uses accounts with no company account mapped: 2100 Unapplied cash" in err
    assert "2150 Unidentified receipts" in err and "4000 Sales" in err and "6900" not in err
    assert "gl mapping set ACCOUNT TARGET" in err and not out.exists() and snapshot() == before
    code, text, _err = cli("gl", "export", "--period", "2026-11", "--format", "csv", "--json")
    assert code == 1 and json.loads(text)["error"]["code"] == 1


@pytest.mark.parametrize(("args", "field", "message"), [
    (("--period", "2026-Q4", "--format", "csv"), "period", "is not a month"),
    (("--period", "November", "--format", "csv"), "period", "is not a period"),
    (("--period", "2026-11", "--format", "quickbooks-iif"), "currency", "has entries in EUR, GBP; a quickbooks-iif "
                                                                       "file holds one currency"),
    (("--period", "2026-11", "--format", "xero-csv", "--currency", "EURO"), "currency", ""),
])
def test_bad_requests_are_usage_errors_naming_the_field(cli, customer: str, args, field: str, message: str) -> None:
    month_of_books(customer)
    map_chart()
    code, out, _err = cli("gl", "export", *args, "--json")
    error = json.loads(out)["error"]
    assert code == 2 and error["field"] == field and message in error["message"]
    assert GlExport.select().count() == 0


def test_an_export_is_recorded_and_a_second_says_by_whom_and_refuses(cli, customer: str, tmp_path: Path) -> None:
    month_of_books(customer)
    map_chart()
    out = tmp_path / "nov.csv"
    first = run_json(cli, "gl", "export", "--period", "2026-11", "--format", "csv", "--out", str(out))
    assert first["kind"] == "full" and first["exported_by"] == "alice" and first["trial_balance_checked"]
    assert first["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest() and first["file"] == str(out)
    record = GlExport.get_by_id(first["id"])
    assert (record.period, record.format, record.currency, record.entry_count) == ("2026-11", "csv", None,
                                                                                   first["entries"])
    assert GlExportEntry.select().count() == first["entries"]  # one entry, one currency each here
    assert AuditEvent.select().where(AuditEvent.action == "gl.export").get().after["sha256"] == first["sha256"]
    with acting_as("bob"):
        code, _text, err = cli("gl", "export", "--period", "2026-11", "--format", "csv", "--out", str(tmp_path / "b"))
    assert code == 1 and "2026-11 was already exported as csv (export 1 (full) by alice at 2026-11-22" in err
    assert "nothing was posted into it since; --again writes the whole month again" in err
    assert not (tmp_path / "b").exists() and GlExport.select().count() == 1
    # Another format is another package: its first export is the whole month.
    assert run_json(cli, "gl", "export", "--period", "2026-11", "--format", "beancount", "--out",
                    str(tmp_path / "n.beancount"))["kind"] == "full"
    history = run_json(cli, "gl", "history", "--period", "2026-11")
    assert [(h["format"], h["exported_by"]) for h in history] == [("csv", "alice"), ("beancount", "alice")]


def test_a_late_void_and_a_late_posting_go_out_as_the_difference(cli, customer: str, tmp_path: Path) -> None:
    from store.invoices import void_invoice
    from tests.conftest import line, post

    numbers = month_of_books(customer)
    map_chart()
    first = run_json(cli, "gl", "export", "--period", "2026-11", "--format", "csv", "--out", str(tmp_path / "1.csv"))
    void_invoice(numbers["first"], "Keyed twice")  # dated today, 22 November: into the exported month
    late = post(customer, line("Late", "1", 777), issue=NOVEMBER.start).number  # back-dated into the month
    with acting_as("bob"):
        second = run_json(cli, "gl", "export", "--period", "2026-11", "--format", "csv", "--out",
                          str(tmp_path / "2.csv"))
    assert second["kind"] == "difference" and second["entries"] == 2 and not second["trial_balance_checked"]
    assert second["previous"][0]["exported_by"] == "alice" and second["exported_by"] == "bob"
    with (tmp_path / "2.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["kind"] for r in rows} == {"void", "invoice"} and len({r["entry"] for r in rows}) == 2
    assert any(numbers["first"] in r["description"] for r in rows) and any(late in r["description"] for r in rows)
    assert int(second["first_entry"]) > int(first["last_entry"])
    # The two files together are the month's trial balance now, in every currency.
    for currency in ("GBP", "EUR"):
        both = _csv_sums(tmp_path / "1.csv", currency)
        for account, (debit, credit) in _csv_sums(tmp_path / "2.csv", currency).items():
            add_signed(both, account, debit)
            add_signed(both, account, -credit)
        assert frozen(both) == expected(currency)
    code, _text, err = cli("gl", "export", "--period", "2026-11", "--format", "csv")
    assert code == 1 and "export 1 (full) by alice" in err and "export 2 (difference) by bob" in err
    again = run_json(cli, "gl", "export", "--period", "2026-11", "--format", "csv", "--again", "--out",
                     str(tmp_path / "3.csv"))
    assert again["kind"] == "again" and again["trial_balance_checked"]
    assert frozen(_csv_sums(tmp_path / "3.csv", "GBP")) == expected("GBP")
    assert GlExportEntry.select().count() == first["entries"] + 2  # again carries nothing new
    assert len(period_exports(NOVEMBER, "csv")) == 3


def test_one_currency_formats_keep_each_currency_apart(cli, customer: str, tmp_path: Path) -> None:
    month_of_books(customer)
    map_chart()
    euro = run_json(cli, "gl", "export", "--period", "2026-11", "--format", "xero-csv", "--currency", "eur",
                    "--out", str(tmp_path / "eur.csv"))
    sterling = run_json(cli, "gl", "export", "--period", "2026-11", "--format", "xero-csv", "--currency", "GBP",
                        "--out", str(tmp_path / "gbp.csv"))
    assert (euro["currency"], euro["kind"], sterling["currency"], sterling["kind"]) == ("EUR", "full", "GBP", "full")
    code, _out, err = cli("gl", "export", "--period", "2026-11", "--format", "xero-csv", "--currency", "EUR")
    assert code == 1 and "already exported as xero-csv" in err
    code, _out, err = cli("gl", "export", "--period", "2026-11", "--format", "xero-csv", "--currency", "USD")
    assert code == 1 and "no journal entries in USD are dated in November 2026" in err


def test_an_empty_month_and_a_default_file_name(cli, customer: str, tmp_path: Path, monkeypatch) -> None:
    month_of_books(customer)
    map_chart()
    code, _out, err = cli("gl", "export", "--period", "2026-09", "--format", "beancount")
    assert code == 1 and "no journal entries are dated in September 2026; nothing exported" in err
    monkeypatch.chdir(tmp_path)
    result = run_json(cli, "gl", "export", "--period", "2026-10", "--format", "beancount")
    assert Path(result["file"]) == tmp_path / "gl-2026-10-beancount.beancount" and Path(result["file"]).exists()


def test_the_demo_books_export_at_once(db_path: Path, tmp_path: Path, monkeypatch) -> None:
    import datetime as dt

    from store.db import close_database, open_database
    from store.demo import DemoSpec, build_demo
    from store.session import ensure_demo_admin, set_operator

    open_database(str(db_path))
    set_operator(ensure_demo_admin())
    try:
        build_demo(DemoSpec(customers=4, months=3, today=dt.date(2026, 11, 22)))
        from exports.gl_formats import export_to_file

        result = export_to_file("2026-11", "beancount", tmp_path / "demo.beancount")
        assert result.record.entry_count > 0 and result.trial_balance_checked
    finally:
        set_operator(None)
        close_database()


def test_reading_takes_no_write_lock_and_an_export_recorded_meanwhile_wins(customer: str, tmp_path: Path) -> None:
    """While one export writes its file, another operator can export (and post) the same month: the
    first is then refused and nothing of it recorded, so no entry is carried twice."""
    import threading

    from exports.gl_formats import export_to_file
    from store.errors import Conflict
    from store.gl_export import export_journal

    month_of_books(customer)
    map_chart()
    finished: list[object] = []

    def slow_write(batch):
        # Another connection records its export of the same month while this one is still writing.
        other = threading.Thread(target=lambda: finished.append(export_to_file("2026-11", "csv", tmp_path / "b.csv")))
        other.start()
        other.join(timeout=20)
        assert not other.is_alive(), "the other export waited: the first held the write lock while reading"
        return str(tmp_path / "a.csv"), "0" * 64

    with pytest.raises(Conflict, match=r"someone recorded an export of 2026-11 as csv while .*a\.csv was being "
                                       r"written; that file is not recorded: discard it and export again"):
        export_journal("2026-11", "csv", slow_write)
    assert [r.file_name for r in period_exports(parse_month("2026-11"))] == [
        str(tmp_path / "b.csv")]
    assert GlExportEntry.select().count() == finished[0].record.entry_count  # type: ignore[attr-defined]
