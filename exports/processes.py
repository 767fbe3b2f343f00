"""multiprocessing's helper processes for the render workers, started without importing the renderer.

exports.pdf.pool imports the PDF engine's templates; this module imports only multiprocessing, so
the application can start the helper that must exist before Textual takes stderr (the resource
tracker) at no cost, and the render server (which imports xhtml2pdf, half a second of CPU) after
its first frame, from a thread.
"""
from __future__ import annotations

import multiprocessing
import sys
import threading
from typing import Any

# What the render server imports once, so that each worker forked from it starts warm.
PRELOAD = ["exports.pdf.pool", "xhtml2pdf.pisa"]


def render_context() -> Any:
    # Not fork: the TUI has threads running, and a forked copy of a process holding locks can
    # hang. forkserver (where there is one) forks workers from a clean server that has already
    # imported the renderer, so replacing a killed worker is quick; spawn elsewhere.
    if sys.platform != "win32" and "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker now, while stderr is still a real file.

    The tracker is handed stderr's file descriptor; inside the Textual application stderr is a
    capture object whose fileno() is -1, and every worker started then would fail. The render
    server started later reuses this tracker and is handed no stderr of its own.
    """
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()


def start_render_server() -> None:
    """Start the server render workers are forked from (it imports the renderer: a second or so)."""
    from multiprocessing import forkserver

    start_resource_tracker()
    if render_context().get_start_method() == "forkserver":
        forkserver.ensure_running()


def start_render_server_in_background() -> threading.Thread:
    """The render server, started from a thread so that nothing waits for it; the first document
    rendered waits for it if it is not ready by then (forkserver.ensure_running holds a lock)."""
    thread = threading.Thread(target=start_render_server, name="billfold-render-server", daemon=True)
    thread.start()
    return thread


def start_helpers() -> None:
    """Both helpers now (the command line and tests, which have no first frame to wait for)."""
    start_render_server()
