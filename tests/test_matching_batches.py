"""Auto-match applies many payments to a transaction: each is checked and refused as when it was alone,
and a failure that is not a refusal takes back its whole batch (and only it), saying so."""
from __future__ import annotations

import pytest

from store import matching
from store.matching import auto_match
from store.models import Allocation, AuditEvent, JournalEntry
from store.queries import invoice_view, payment_view
from store.verify import verify_books
from tests.test_matching import receive, shop  # noqa: F401 (the fixture)


def _books_now() -> tuple[int, int, int]:
    return Allocation.select().count(), JournalEntry.select().count(), AuditEvent.select().count()


def test_a_refused_allocation_in_a_batch_writes_nothing_and_the_rest_apply(shop, monkeypatch) -> None:  # noqa: F811
    first, second, third = (receive(12000, reference="INV-000001"), receive(6000, reference="INV-000002"),
                            receive(8400, reference="INV-000004"))
    by_hand = receive(6000)
    real = matching.allocate_payment

    def paid_meanwhile(number: str, allocations: list[tuple[str, int]], **kw: object) -> object:
        if number == second:  # an operator paid INV-000002 a moment ago: this allocation must be refused
            real(by_hand, [("INV-000002", 6000)])
        return real(number, allocations, **kw)

    monkeypatch.setattr(matching, "allocate_payment", paid_meanwhile)
    applied = auto_match(dry_run=False)
    assert [(m.payment, m.applied) for m in applied] == [(first, True), (second, False), (third, True)]
    assert "INV-000002" in applied[1].error
    # The refused allocation left nothing behind, not even the identification it wrote before refusing.
    assert payment_view(second).unallocated_minor == 6000
    assert AuditEvent.select().where((AuditEvent.entity_id == second)
                                     & (AuditEvent.action == "payment.identify")).count() == 0
    assert invoice_view("INV-000002").open_minor == 0  # paid by hand
    assert invoice_view("INV-000001").open_minor == 0 and invoice_view("INV-000004").open_minor == 0
    assert verify_books() == []


def test_a_failure_rolls_back_its_batch_only_and_reports_it(shop, monkeypatch) -> None:  # noqa: F811
    first, second, third = (receive(12000, reference="INV-000001"), receive(6000, reference="INV-000002"),
                            receive(8400, reference="INV-000004"))
    monkeypatch.setattr(matching, "BATCH_PAYMENTS", 2)
    real = matching.allocate_payment

    def disk_full_on_third(number: str, allocations: list[tuple[str, int]], **kw: object) -> object:
        if number == third:
            raise OSError("disk full")
        return real(number, allocations, **kw)

    monkeypatch.setattr(matching, "allocate_payment", disk_full_on_third)
    applied = auto_match(dry_run=False)
    assert [(m.payment, m.applied) for m in applied] == [(first, True), (second, True), (third, False)]
    assert applied[2].error == "not applied: batch of 1 rolled back after OSError: disk full"
    assert invoice_view("INV-000004").open_minor == 8400
    assert verify_books() == []


def test_a_failure_takes_back_what_its_batch_had_applied(shop, monkeypatch) -> None:  # noqa: F811
    first, second = receive(12000, reference="INV-000001"), receive(6000, reference="INV-000002")
    before = _books_now()
    real = matching.allocate_payment

    def fails_second(number: str, allocations: list[tuple[str, int]], **kw: object) -> object:
        if number == second:
            raise OSError("disk full")
        return real(number, allocations, **kw)

    monkeypatch.setattr(matching, "allocate_payment", fails_second)
    applied = auto_match(dry_run=False)
    reason = "not applied: batch of 2 rolled back after OSError: disk full"
    assert [(m.payment, m.applied, m.error) for m in applied] == [(first, False, reason), (second, False, reason)]
    assert _books_now() == before  # the first allocation of the batch is gone with it
    assert payment_view(first).unallocated_minor == 12000
    assert verify_books() == []


@pytest.mark.parametrize("size", [1, 2, 200])
def test_every_batch_size_applies_the_same(shop, monkeypatch, size: int) -> None:  # noqa: F811
    monkeypatch.setattr(matching, "BATCH_PAYMENTS", size)
    payments = [receive(12000, reference="INV-000001"), receive(6000, reference="INV-000002"),
                receive(3000, reference="INV-000003")]
    assert [(m.payment, m.applied) for m in auto_match(dry_run=False)] == [(p, True) for p in payments]
    assert verify_books() == []
