"""How payments arrive: the methods the books know, completing what an operator typed, and the
method a customer usually pays by (the payment entry's default for them)."""
from __future__ import annotations

from collections import Counter

from store.errors import ValidationError
from store.models import Payment

METHODS = ("cash", "cheque", "card", "bank_transfer", "direct_debit", "other")
DEFAULT_METHOD = "bank_transfer"
RECENT = 20  # the habit is read from this many of the customer's latest payments


def complete_method(typed: str) -> str:
    """A method named by itself or by the start of one ('ch' -> cheque); anything else is refused."""
    text = typed.strip().casefold().replace(" ", "_")
    if text in METHODS:
        return text
    matches = [m for m in METHODS if m.startswith(text)] if text else []
    if len(matches) == 1:
        return matches[0]
    choices = ", ".join(matches or METHODS)
    raise ValidationError("method", f"'{typed.strip()}' is {'one of' if matches else 'not one of'} {choices}"
                          + (": type more" if matches else ""))


def usual_method(customer_id: int) -> str:
    """The method most of the customer's latest payments came by (the latest wins a tie), else the default."""
    recent = [p.method for p in Payment.select(Payment.method).where(Payment.customer == customer_id)
              .order_by(Payment.received_date.desc(), Payment.id.desc()).limit(RECENT)]
    if not recent:
        return DEFAULT_METHOD
    counts = Counter(recent)
    best = max(counts.values())
    return next(m for m in recent if counts[m] == best)
