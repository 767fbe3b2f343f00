"""Paged reads: every row exactly once at the edges, and counts that agree with the rows they count."""
from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable, Static

from store import deliveries
from store.customers import CustomerData, create_customer, get_customer
from store.invoices import void_invoice
from store.queries import customer_view, open_documents, open_documents_page, open_key
from tests.conftest import line, post


def read_all(customer_id: int, size: int, between=None) -> list[str]:
    """Every page of `size` until a short one; `between` runs after each page (rows added meanwhile)."""
    seen: list[str] = []
    after = None
    while True:
        page = open_documents_page(customer_id, after, size)
        seen += [d.number for d in page]
        if len(page) < size:
            return seen
        after = open_key(page[-1])
        if between is not None:
            between()


@pytest.fixture()
def account(books) -> str:
    return create_customer(CustomerData(name="Paged Ltd", email="ap@paged.example")).account_no


def post_many(account: str, count: int) -> None:
    # Several documents share each due date, so the key's second part (the number) is what orders them.
    for n in range(count):
        post(account, line(price=100 + n), issue=dt.date(2026, 10, 1) + dt.timedelta(days=n // 3))


@pytest.mark.parametrize(("rows", "size"), [(0, 5), (1, 5), (4, 5), (5, 5), (10, 5), (11, 5), (12, 1)])
def test_pages_give_every_open_item_once_in_order(account: str, rows: int, size: int) -> None:
    post_many(account, rows)
    cid = get_customer(account).id
    everything = [d.number for d in open_documents(cid)]
    assert len(everything) == rows
    assert read_all(cid, size) == everything  # first, last, exact multiples and a short last page


def test_rows_added_between_pages_are_read_once(account: str) -> None:
    post_many(account, 6)
    cid = get_customer(account).id
    added: list[str] = []

    def add() -> None:  # a later due date than any read yet: it belongs after the rows read so far
        added.append(post(account, line(price=999), issue=dt.date(2026, 12, 1)).number)

    seen = read_all(cid, 4, add)
    assert len(seen) == len(set(seen)) and set(added) <= set(seen)
    assert seen == [d.number for d in open_documents(cid)]


def test_the_header_figures_are_the_sums_of_the_open_items(account: str) -> None:
    post_many(account, 7)
    post(account, line(price=5000), issue=dt.date(2026, 1, 5))  # well overdue on the pinned day
    view = customer_view(account)
    docs = open_documents(view.id)
    assert view.balance_minor == sum(d.open_minor for d in docs)
    assert view.aging["90+"] == 6000 and sum(view.aging.values()) == view.balance_minor
    assert view.overdue_minor == sum(v for k, v in view.aging.items() if k != "current")


def test_pending_counts_agree_with_the_pending_documents(books) -> None:
    mail = create_customer(CustomerData(name="Mail Ltd", email="m@mail.example")).account_no
    paper = create_customer(CustomerData(name="Paper Ltd", channel="post")).account_no
    numbers = [post(mail, line()).number for _ in range(3)] + [post(paper, line()).number for _ in range(2)]
    void_invoice(numbers[0], "keyed twice")  # voided: left queued, not counted
    counts = deliveries.pending_counts()
    pending = deliveries.pending_documents()
    assert (counts.total, counts.by_email, counts.by_post) == (len(pending), 2, 2)
    assert deliveries.has_pending("email") and deliveries.has_pending("post")
    assert not deliveries.has_pending("email", ["reminder"])


async def test_account_view_reads_more_open_items_as_the_cursor_goes_down(account: str) -> None:
    from tests.screens.host import HostApp
    from tui.screens.account_view import OPEN_PAGE, AccountViewScreen

    post_many(account, OPEN_PAGE + 30)
    app = HostApp(AccountViewScreen(account))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#t-open", DataTable)
        assert table.row_count == OPEN_PAGE  # one page, not the whole account
        assert "Balance" in str(app.screen.query_one("#account-header", Static).render())
        for _ in range(OPEN_PAGE + 40):
            await pilot.press("down")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = [table.get_row_at(n)[0] for n in range(table.row_count)]
        assert shown == [d.number for d in open_documents(get_customer(account).id)]
