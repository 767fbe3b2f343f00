"""Errors the books raise on purpose: each one is a sentence an operator can act on."""
from __future__ import annotations


class BooksError(Exception):
    """Base of every refusal by the books. Nothing was written when one is raised."""


class ValidationError(BooksError):
    """Bad input: names the field and what is wrong with it."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def required(field: str, text: str, message: str = "is required") -> str:
    """`text` stripped, or a ValidationError naming the field when nothing is left (a reason, a note)."""
    if not text.strip():
        raise ValidationError(field, message)
    return text.strip()


class NotFound(BooksError):
    """A record asked for by its key does not exist."""


class Conflict(BooksError):
    """The request clashes with the state of the books (posted, locked, changed by someone else)."""


class StorageError(BooksError):
    """The database cannot be used as asked (old SQLite library, unknown URL, ...)."""


class NeedsApproval(Conflict):
    """The action is over a limit (or beyond the operator's role) and needs a second person.

    Carries what `store.approvals.request_approval` needs to file the request, so a caller can
    offer "ask a supervisor" instead of failing. Nothing was written when it is raised.
    """

    def __init__(self, kind: str, subject: str, params: dict[str, object], message: str, *,
                 customer_id: int | None = None, amount_minor: int | None = None,
                 currency: str | None = None) -> None:
        self.kind, self.subject, self.params = kind, subject, params
        self.customer_id, self.amount_minor, self.currency = customer_id, amount_minor, currency
        super().__init__(message)
