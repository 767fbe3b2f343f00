"""Reusable widgets for Billfold's screens (each styles itself with DEFAULT_CSS)."""
from tui.widgets.fields import AmountInput, DateInput, FieldInput, FieldRow

__all__ = ["AmountInput", "DateInput", "FieldInput", "FieldRow"]
