"""Settings are declared once: unknown keys and bad values are refused naming what is allowed; secrets never stored."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from store.models import AuditEvent, Setting
from store.permissions import ROLES, permission_table
from store.settings import SPECS, get_setting, set_setting
from tests.conftest import acting_as, snapshot
from tui.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def _cli(books: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--db", str(books), *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("key", "value", "allowed"), [
    ("tax_rounding", "foo", "tax_rounding is one of line, invoice"),
    ("page_size", "A5", "page_size is one of A4, Letter"),
    ("refund_approval_minor", "-5", "a whole number from 0 to"),
    ("smtp_port", "99999", "a whole number from 1 to 65535"),
    ("dunning_levels", "45,7", "rising day counts"),
    ("smtp_from", "not-an-address", "an e-mail address"),
    ("base_currency", "pounds", "a three-letter ISO currency code"),
])
def test_a_bad_value_is_refused_with_exit_2_naming_the_key(books: Path, capsys, key: str, value: str,
                                                           allowed: str) -> None:
    with acting_as("ada"):
        before = snapshot()
        code, _out, err = _cli(books, capsys, "setting", key, value)
        assert code == 2 and err.startswith(f"billfold: {key}: '{value}' is not allowed") and allowed in err
        assert snapshot() == before


def test_an_unknown_key_is_refused_and_invoicing_still_works(books: Path, capsys, customer: str) -> None:
    with acting_as("ada"):
        code, _out, err = _cli(books, capsys, "setting", "tax_roundin", "line")
        assert code == 2 and "tax_roundin: is not a setting; the settings are company_name," in err
        assert _cli(books, capsys, "setting", "tax_rounding", "foo")[0] == 2
    assert get_setting("tax_rounding") == "line"
    from tests.conftest import line, post

    assert post(customer, line()).total_minor == 1200


def test_secrets_are_never_settings_nor_in_the_audit(books: Path, capsys) -> None:
    with acting_as("ada"):
        before = snapshot()
        code, _out, err = _cli(books, capsys, "setting", "smtp_password", "hunter2")
        assert code == 2 and "smtp_password: is a secret, never stored in the books" in err
        assert "BILLFOLD_SMTP_PASSWORD" in err
        assert _cli(books, capsys, "setting", "stripe_api_key", "sk_live_1")[0] == 2
    assert snapshot() == before
    assert not [e for e in AuditEvent.select() if "hunter2" in json.dumps(e.after)]
    assert Setting.get_or_none(Setting.key == "smtp_password") is None


def test_who_may_change_which_setting(books: Path) -> None:
    from store.permissions import PermissionDenied

    with pytest.raises(PermissionDenied, match="change settings needs a supervisor or admin; alice is a clerk"):
        set_setting("company_name", "Alice Ltd")
    with acting_as("bob"):
        set_setting("company_name", "Bob Ltd")
        for key, value in (("refund_approval_minor", "99999999"), ("smtp_host", "evil.example"),
                           ("smtp_from", "x@evil.example"), ("print_spool", "/tmp/elsewhere")):
            with pytest.raises(PermissionDenied, match="change limits and delivery destinations needs an admin"):
                set_setting(key, value)
    assert get_setting("refund_approval_minor") == "50000" and get_setting("smtp_host") == ""


def test_raising_a_limit_is_audited_and_lowering_never_unapproves(books: Path, customer: str) -> None:
    from store.models import Refund
    from store.payments import PaymentInput, approve_refund, record_payment, request_refund

    record_payment(PaymentInput(90000, "GBP", "cheque", __import__("datetime").date(2026, 11, 2), customer))
    big = request_refund(customer, 60000, "cheque").number
    with acting_as("bob"):
        approve_refund(big)
    with acting_as("ada"):
        set_setting("refund_approval_minor", "80000")
        set_setting("refund_approval_minor", "100")
    raised = AuditEvent.select().where(AuditEvent.action == "setting.limit_raise").get()
    assert (raised.operator, raised.after) == ("ada", {"value": "80000", "limit_raised_from": 50000})
    lowered = AuditEvent.select().where(AuditEvent.entity_id == "refund_approval_minor").order_by(
        AuditEvent.id.desc()).get()
    assert lowered.action == "setting.change"
    assert Refund.get(Refund.number == big).status == "posted"


def test_setting_list_shows_every_declared_setting(books: Path, capsys) -> None:
    with acting_as("bob"):
        set_setting("company_name", "Listed Ltd")
    code, out, _err = _cli(books, capsys, "setting", "list", "--json")
    rows = {r["key"]: r for r in json.loads(out)}
    assert code == 0 and list(rows) == [s.key for s in SPECS]
    assert rows["company_name"]["value"] == "Listed Ltd" and rows["company_name"]["default"] == "Billfold Demo Ltd"
    assert rows["smtp_host"]["who"] == "admin" and rows["tax_rounding"]["allowed"] == "line, invoice"
    code, out, _err = _cli(books, capsys, "setting", "list")
    assert code == 0 and re.search(r"tax_rounding\s+line\s+line\s+line, invoice\s+supervisor", out)


def _block(name: str) -> str:
    text = README.read_text()
    return text.split(f"<!-- {name}:start -->\n", 1)[1].split(f"<!-- {name}:end -->", 1)[0]


def settings_markdown() -> str:
    rows = ["| setting | default | allowed | changed by | meaning |", "|---|---|---|---|---|"]
    rows += [f"| `{s.key}` | {s.default or '(empty)'} | {s.allowed} | {s.role} or admin | {s.meaning} |"
             .replace("admin or admin", "admin") for s in SPECS]
    return "\n".join(rows) + "\n"


def permissions_markdown() -> str:
    rows = ["| action | " + " | ".join(ROLES) + " |", "|---|" + "---|" * len(ROLES)]
    rows += [f"| {action} | " + " | ".join("yes" if ok[r] else "no" for r in ROLES) + " |"
             for action, ok in permission_table()]
    return "\n".join(rows) + "\n"


def test_the_readme_tables_are_the_declarations() -> None:
    """The README's settings and permission tables are generated from the code (python -m tests.test_settings)."""
    assert _block("settings") == settings_markdown()
    assert _block("permissions") == permissions_markdown()


if __name__ == "__main__":  # prints the two tables for the README
    print(permissions_markdown())
    print(settings_markdown())
