"""`billfold contract ...` and `billfold bill --recurring MONTH` (--preview, drafts, --post), with --json."""
from __future__ import annotations

import json

from store.models import Invoice
from store.session import set_operator
from tests.conftest import run_json, snapshot


def test_contract_commands_and_a_month_run(cli, customer) -> None:
    added = run_json(cli, "contract", "add", customer, "--description", "Hosting", "--price", "250.00",
                     "--tax-code", "S", "--period", "monthly", "--billing", "advance", "--start", "2026-11-15")
    assert (added["id"], added["price_minor"], added["period"], added["end"]) == (1, 25000, "monthly", None)
    assert [c["id"] for c in run_json(cli, "contract", "list", customer)] == [1]
    preview = run_json(cli, "bill", "--recurring", "2026-11", "--preview")
    assert preview["totals"] == [{"currency": "GBP", "invoices": 1, "charges": 1, "total_minor": 16000}]
    assert Invoice.select().count() == 0  # a preview writes nothing
    drafted = run_json(cli, "bill", "--recurring", "2026-11")
    assert (drafted["drafts"], drafted["charges"]) == (1, 1)
    assert run_json(cli, "bill", "--recurring", "2026-11")["drafts"] == 0

    code, out, _err = cli("bill", "--recurring", "2026-11", "--post", "--json")  # alice is a clerk
    assert code == 1 and "post a recurring billing run needs a supervisor or admin" in json.loads(out)["error"][
        "message"]
    set_operator("bob")
    posted = run_json(cli, "bill", "--recurring", "2026-11", "--post")
    assert (posted["posted"], posted["first"], posted["refused"]) == (1, "INV-000001", [])
    shown = run_json(cli, "contract", "show", "1")
    assert [(c["run_month"], c["document"], c["net_minor"]) for c in shown["charges"]] == [
        ("2026-11", "INV-000001", 13333)]

    changed = run_json(cli, "contract", "change", "1", "--quantity", "2")
    assert changed["quantity"] == "2"
    code, out, _err = cli("contract", "end", "1", "--on", "2026-11-20")
    assert code == 0 and "already billed through 2026-11-30: posted invoices are not changed" in out
    code, out, _err = cli("bill", "--recurring", "2026-12")
    assert code == 0 and "drafted 0 invoices" in out


def test_bad_contract_input_is_refused_naming_the_field(cli, customer) -> None:
    before = snapshot()
    base = ["contract", "add", customer, "--description", "Hosting", "--tax-code", "S", "--billing", "advance",
            "--start", "2026-12-01"]
    code, out, _err = cli(*base, "--period", "weekly", "--price", "1", "--json")
    assert code == 2 and "invalid choice: 'weekly'" in json.loads(out)["error"]["message"]
    code, out, _err = cli(*base, "--period", "monthly", "--json")
    assert code == 2 and json.loads(out)["error"]["message"] == "price: is required for a free-text line"
    code, out, _err = cli(*base, "--period", "monthly", "--price", "1", "--end", "2026-11-01", "--json")
    assert code == 2 and "end: 2026-11-01 is before the start 2026-12-01" in json.loads(out)["error"]["message"]
    code, _out, err = cli("bill", "--recurring", "2026-1")
    assert code == 2 and "'2026-1' is not a month: write it as YYYY-MM" in err
    code, _out, err = cli("bill")
    assert code == 2 and "one of the arguments --orders --recurring is required" in err
    code, _out, err = cli("bill", "--recurring", "2026-12", "--yes")
    assert code == 2 and "yes: is for --orders" in err
    code, _out, err = cli("bill", "--orders", "--post")
    assert code == 2 and "post: is for --recurring" in err
    code, _out, err = cli("contract", "end", "7", "--on", "2026-12-01")
    assert code == 2 and "contract 7: no such contract" in err
    assert snapshot() == before
