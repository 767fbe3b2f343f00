"""Report previews (F6)."""
from __future__ import annotations

from tui.screens.not_yet import NotYetScreen


class ReportsScreen(NotYetScreen):
    PLACE = "Reports"
    WHAT = "Until then: billfold verify checks the books; billfold customer show ACCOUNT shows aging."
