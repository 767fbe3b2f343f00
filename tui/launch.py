"""Starting the Textual application from the command line (kept apart so `billfold verify` never imports Textual)."""
from __future__ import annotations

import argparse


def run_application(args: argparse.Namespace) -> int:
    from store.db import prefer_less_memory
    from tui.cli.books import open_books

    prefer_less_memory()
    label = open_books(args)
    from exports.processes import start_render_server_in_background, start_resource_tracker
    from store.db import current_label
    from store.session import current_operator
    from tui.app import BillfoldApp
    from tui.context import AppContext
    from tui.services import Services

    start_resource_tracker()  # before Textual takes stderr over: documents render in worker processes
    # The render server imports the PDF engine (half a second of CPU): started once the first screen
    # is drawn, from a thread, so neither the first frame nor typing waits for it.
    context = AppContext(operator=current_operator(), database_label=current_label() or label, services=Services(),
                         first_mode="mywork", after_first_frame=start_render_server_in_background)
    BillfoldApp(context).run()
    return 0
