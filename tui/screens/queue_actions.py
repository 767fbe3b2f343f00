"""What the matching queue does besides Enter on a suggestion: split, leave as credit, return to the
sender, a payment keyed by hand, auto-match, and Ctrl+Z. Each acts on the payment the queue has
selected and reports on the queue's status line, as Enter does (tui/screens/matching_queue.py)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from textual.widgets import DataTable, Static

from store.errors import BooksError
from store.matching import Suggestion
from store.money import format_amount, format_money
from tui.dbwork import in_db
from tui.screens.confirm import ConfirmScreen
from tui.screens.prompt import TextPrompt

if TYPE_CHECKING:
    from tui.screens.matching_queue import PaymentsScreen


def undo_last(screen: PaymentsScreen) -> None:
    """Ctrl+Z: take back this session's last allocation (reversing entries; never a deletion)."""
    if not screen.undo:
        screen.refuse("Nothing to undo: no allocation made in this session is left.")
        return
    screen.run_worker(_undo(screen, *screen.undo.pop()), exclusive=True, group="apply")


async def _undo(screen: PaymentsScreen, number: str, allocations: tuple[tuple[str, int], ...], done: str) -> None:
    taken: list[str] = []
    try:
        for invoice, _amount in allocations:
            result = await in_db(screen.services.unallocate_payment, number, invoice)
            taken.append(f"{invoice} {format_amount(-result.allocated_minor, await _currency(screen, number))}")
    except BooksError as exc:
        screen.refuse(f"[b]Not undone:[/b] {escape(str(exc))}" + (f" (taken back: {', '.join(taken)})" if taken
                                                                else ""))
        return
    message = f"Undone: {number} taken back off {', '.join(taken)}"
    screen.notify(message, timeout=5, markup=False)
    await screen._reload(screen.query_one("#queue", DataTable).cursor_row, select=screen.selecting)
    screen.query_one("#queue-status", Static).update(
        escape(message) + (f".  {len(screen.undo)} more to undo." if screen.undo else "."))


async def _currency(screen: PaymentsScreen, number: str) -> str:
    return str((await in_db(screen.services.payment_view, number)).currency)


def split_selected(screen: PaymentsScreen) -> None:
    row = screen.selected_row()
    if row is None:
        screen.refuse("No payment selected: Down selects one.")
        return
    from tui.screens.split import SplitScreen

    account = row.account_no or (screen.suggestions[0].account_no if screen.suggestions else None)

    def split(allocations: list[tuple[str, int]] | None) -> None:
        if allocations:
            screen.run_worker(screen._apply(screen.services.split_payment, row.number, allocations,
                                        undo=tuple(allocations),
                                        done=f"{row.number} split over {len(allocations)} invoice(s)"),
                            group="apply")

    screen.app.push_screen(SplitScreen(row.number, row.unallocated_minor, row.currency, account), split)


def leave_as_credit(screen: PaymentsScreen) -> None:
    row = screen.selected_row()
    if row is None:
        screen.refuse("No payment selected: Down selects one.")
        return
    default = row.account_no or (screen.suggestions[0].account_no if screen.suggestions else "")

    def credit(account: str | None) -> None:
        if account:
            s = Suggestion(account.strip(), "", (), 0, ())
            screen.run_worker(screen._apply(screen.services.accept_suggestion, row.number, s,
                                        done=f"{row.number} left as credit on {account.strip()}"), group="apply")

    screen.app.push_screen(TextPrompt(f"Leave {row.number} ({format_money(row.unallocated_minor, row.currency)}) "
                                    "as credit on which account?", default), credit)


def return_selected(screen: PaymentsScreen) -> None:
    row = screen.selected_row()
    if row is None:
        screen.refuse("No payment selected: Down selects one.")
        return
    def give_back(note: str | None) -> None:
        if note:
            screen.run_worker(screen._apply(screen.services.return_payment, row.number, note,
                                        done=f"{row.number} returned"), group="apply")

    screen.app.push_screen(TextPrompt(f"Return {row.number} ({format_money(row.unallocated_minor, row.currency)}) "
                                    "to the sender (not ours). Note:"), give_back)


def new_payment(screen: PaymentsScreen) -> None:
    from tui.screens.payment_entry import PaymentEntryScreen

    screen.app.push_screen(PaymentEntryScreen(None), lambda _r: screen.reload())


def auto_match(screen: PaymentsScreen) -> None:
    screen.run_worker(_confirm_auto_match(screen), exclusive=True, group="apply")


async def _confirm_auto_match(screen: PaymentsScreen) -> None:
    dry = await in_db(screen.services.auto_match, True)
    if not dry:
        screen.query_one("#queue-status", Static).update("Auto-match: no certain matches.")
        return
    listing = "\n".join(f"  {m.payment} -> {m.invoice}" for m in dry[:6]) + (
        f"\n  and {len(dry) - 6} more" if len(dry) > 6 else "")

    def apply(yes: bool | None) -> None:
        if yes:
            screen.run_worker(_apply_auto(screen), exclusive=True, group="apply")

    screen.app.push_screen(ConfirmScreen(f"Auto-match would apply {len(dry)}, one transaction each:\n{listing}\n"
                                       "Apply them?"), apply)


async def _apply_auto(screen: PaymentsScreen) -> None:
    done = await in_db(screen.services.auto_match, False)
    applied = sum(m.applied for m in done)
    await screen._reload(0)
    left = f"; left: {done[0].error}" if applied < len(done) else ""
    screen.query_one("#queue-status", Static).update(f"Auto-match applied {applied} of {len(done)}{left}")
