"""Starting the Textual application from the command line (kept apart so `billfold verify` never imports Textual)."""
from __future__ import annotations

import argparse
import datetime as dt


def run_application(args: argparse.Namespace) -> int:
    from tui.cli.books import open_books

    label = open_books(args)
    from store.db import current_label
    from store.session import current_operator

    from tui.app import BillfoldApp
    from tui.context import AppContext
    from tui.services import Services

    from exports.pdf.pool import start_helpers

    start_helpers()  # before Textual takes stderr over: documents render in worker processes
    context = AppContext(operator=current_operator(), database_label=current_label() or label,
                         today=dt.date.today(), services=Services(), first_mode="mywork")
    BillfoldApp(context).run()
    return 0
