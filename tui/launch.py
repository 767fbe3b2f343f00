"""Starting the Textual application from the command line (kept apart so `billfold verify` never imports Textual)."""
from __future__ import annotations

import argparse


def run_application(args: argparse.Namespace) -> int:
    from tui.cli.books import open_books

    label = open_books(args)
    from exports.pdf.pool import start_helpers
    from store.db import current_label
    from store.session import current_operator
    from tui.app import BillfoldApp
    from tui.context import AppContext
    from tui.services import Services

    start_helpers()  # before Textual takes stderr over: documents render in worker processes
    context = AppContext(operator=current_operator(), database_label=current_label() or label, services=Services(),
                         first_mode="mywork")
    BillfoldApp(context).run()
    return 0
