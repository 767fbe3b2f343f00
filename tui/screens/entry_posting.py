"""Posting from invoice entry: the form clears at once and the invoice posts in the background."""
from __future__ import annotations

import uuid

from textual.widgets import Static

from store.errors import BooksError
from store.invoices import CreditLimitExceeded, DraftInput
from store.money import format_money
from tui.answers import answered
from tui.dbwork import in_db
from tui.screens.confirm import ConfirmScreen
from tui.screens.entry_form import EntryForm
from tui.screens.entry_lines import Pending
from tui.typeahead import caught_up


class EntryPosting(EntryForm):
    # ------------------------------------------------------------ actions

    async def action_post(self) -> None:
        await caught_up(self.focused)
        self.submit(post=True)

    async def action_save_draft(self) -> None:
        await caught_up(self.focused)
        self.submit(post=False)

    def submit(self, post: bool, allow_over_limit: bool = False) -> None:
        data, errors = self.collect()
        if data is None:
            key, message = next(iter(errors.items()))
            self.show_error(f"Not {'posted' if post else 'saved'}: {message}")
            self.keep_message = True
            self.focus_error(key)
            return
        if post and not allow_over_limit and self.over_limit(data):
            v = self.customer
            assert v is not None and self.catalogue is not None  # over_limit() said so
            total = self.services.preview_totals(list(data.lines), self.catalogue.tax_rates, self.rounding).total_minor
            question = (f"{v.account_no}: balance {format_money(v.balance_minor, v.currency)} + this invoice "
                        f"{format_money(total, v.currency)} exceeds the credit limit "
                        f"{format_money(v.credit_limit_minor, v.currency)}. Post anyway?")
            self.app.push_screen(ConfirmScreen(question), answered(lambda _yes: self.submit(True, True)))
            return
        pending = Pending(data, self.form_values(), self.draft_id, self.version)
        self.previous = pending.values
        self.clear_form()
        self.query_one("#inv-title", Static).update("New invoice   [i]posting the last one...[/i]" if post else
                                                     "New invoice   [i]saving the draft...[/i]")
        self.run_worker(self.finish(pending, post, allow_over_limit), group="post")

    def over_limit(self, data: DraftInput) -> bool:
        v = self.customer
        if v is None or not v.credit_limit_minor or self.catalogue is None:
            return False
        total = self.services.preview_totals(list(data.lines), self.catalogue.tax_rates, self.rounding).total_minor
        return v.balance_minor + total > v.credit_limit_minor

    async def finish(self, pending: Pending, post: bool, allow_over_limit: bool) -> None:
        s = self.services
        title = self.query_one("#inv-title", Static)
        try:
            if post:
                if pending.draft_id is not None:
                    await in_db(s.update_draft, pending.draft_id, pending.data, pending.version)
                    result = await in_db(s.post_invoice, pending.draft_id, allow_over_limit=allow_over_limit)
                else:
                    result = await in_db(s.create_and_post, pending.data, allow_over_limit=allow_over_limit,
                                         idempotency_key=f"entry-{uuid.uuid4()}")
                message = (f"Posted [b]{result.number}[/b] to {pending.data.account_no}: "
                           f"{format_money(result.total_minor, result.currency)}")
            elif pending.draft_id is not None:
                draft = await in_db(s.update_draft, pending.draft_id, pending.data, pending.version)
                message = f"Saved draft {draft.id} for {pending.data.account_no}"
            else:
                draft = await in_db(s.create_draft, pending.data)
                message = f"Saved draft {draft.id} for {pending.data.account_no}"
        except (BooksError, CreditLimitExceeded) as exc:
            await self.put_back(pending, str(exc))
            return
        title.update(f"New invoice   {message}")
        self.notify(message.replace("[b]", "").replace("[/b]", ""), timeout=4)

    async def put_back(self, pending: Pending, reason: str) -> None:
        """A post refused in the background: back into the form if nothing new was typed, else a draft."""
        title = self.query_one("#inv-title", Static)
        if not self.touched:
            await self.fill(pending.values)
            self.draft_id, self.version = pending.draft_id, pending.version
            title.update("Not posted: put back for correction")
            self.show_error(f"Not posted: {reason}")
            return
        try:
            if pending.draft_id is None:
                draft = await in_db(self.services.create_draft, pending.data)
                kept = f"kept as draft {draft.id}"
            else:
                kept = f"draft {pending.draft_id} kept"
        except BooksError as exc:
            kept = f"not kept ({exc})"
        self.notify(f"Not posted: {reason}; {kept} (Ctrl+O lists drafts)", severity="error", timeout=8, markup=False)

