"""The render server starts after the application's first frame, from a thread, and documents still
render in worker processes (the resource tracker was started before Textual took stderr)."""
from __future__ import annotations

import asyncio
import threading


async def test_documents_render_in_workers_when_the_server_starts_after_the_first_frame(books) -> None:
    from exports.pdf.pool import render_in_worker
    from exports.pdf.samples import sample_company, sample_invoice
    from exports.processes import start_render_server_in_background, start_resource_tracker
    from tui.app import BillfoldApp
    from tui.context import AppContext

    start_resource_tracker()  # as tui.launch does before the application starts
    started: list[threading.Thread] = []
    app = BillfoldApp(AppContext("alice", "books.db",
                                 after_first_frame=lambda: started.append(start_render_server_in_background())))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert len(started) == 1  # once, after the first frame
        await asyncio.to_thread(started[0].join, 60)
        pdf = await asyncio.to_thread(render_in_worker, "invoice", sample_invoice(1), sample_company())
    assert pdf.startswith(b"%PDF")
