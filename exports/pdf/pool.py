"""Rendering in worker processes: a hard time limit, and every core for batches.

xhtml2pdf renders one document at a time per process (it keeps fonts and caches in module
globals) and is pure Python, so threads gain nothing. Each worker here is a long-lived process
that has imported xhtml2pdf and registered the fonts once; a render that overruns its time is
ended by killing its worker, which is then replaced, so one pathological document can neither
hang the caller nor stop a batch.
"""
from __future__ import annotations

import atexit
import contextlib
import logging
import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from exports.documents import Company
from exports.pdf import DEFAULT_LIMITS, RenderError, RenderLimits
from exports.processes import render_context as _context
from exports.processes import start_helpers as start_helpers  # where tests and callers have found it

log = logging.getLogger(__name__)

# Seconds a worker may take to start (import xhtml2pdf) before it is treated as failed.
START_SECONDS = 60.0


class RenderTimeout(RenderError):
    """The render was still running at its time limit; its worker was killed."""


@dataclass(frozen=True, slots=True)
class RenderJob:
    job_id: Any  # anything the caller wants back with the result
    kind: str  # a key of exports.pdf.RENDERERS (invoice, credit_note, statement, reminder, html) or of TASKS
    doc: Any
    company: Company | None


# Jobs that do more than print a record, run in the worker under the same time and size limits:
# kind -> "module:function", called as function(doc, company, limits=limits). Only names listed
# here can be run, and the result may be anything picklable, not only PDF bytes.
TASKS: dict[str, str] = {
    "invoice_email": "exports.deliver_messages:prepare_invoice",
    "statement_email": "exports.deliver_statements:prepare_statement",
}


def _task(kind: str) -> Any:
    from exports.pdf import render as pdf

    if kind in pdf.RENDERERS:
        return pdf.RENDERERS[kind]
    import importlib

    module, _, name = TASKS[kind].partition(":")
    return getattr(importlib.import_module(module), name)


def _stand_somewhere() -> None:
    # A worker starts in the folder its render server was started in, and the server starts on first
    # use, wherever the process then stood; if that folder has since been removed, every path the
    # renderer makes absolute fails. Workers read only absolute paths (fonts, the logo), so / will do.
    try:
        os.getcwd()
    except FileNotFoundError:
        os.chdir("/")


def _worker_main(conn: Connection, limits: RenderLimits) -> None:
    """A worker's life: warm up, then render what arrives until told to stop (None)."""
    _stand_somewhere()
    _warm_up()
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if job is None:
            return
        kind, doc, company = job
        try:
            conn.send(("ok", _task(kind)(doc, company, limits=limits)))
        except Exception as exc:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _warm_up() -> None:
    """Import the engine and register the fonts now, so the first real job is not the slow one."""
    from exports.pdf import render_invoice
    from exports.pdf.samples import sample_company, sample_invoice

    try:
        render_invoice(sample_invoice(1), sample_company())
    except RenderError:  # pragma: no cover - a broken engine shows on the first real job too
        log.exception("PDF worker could not render its warm-up document")


class _Worker:
    def __init__(self, ctx: Any, limits: RenderLimits) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, limits), daemon=True,
                                   name="billfold-pdf")
        self.process.start()
        child.close()
        self.ready = False

    def run(self, kind: str, doc: Any, company: Company | None, timeout: float) -> Any:
        if not self.ready:
            self._receive(START_SECONDS, "start")
            self.ready = True
        self.conn.send((kind, doc, company))
        status, payload = self._receive(timeout, "render")
        if status != "ok":
            raise RenderError(payload)
        return payload

    def _receive(self, timeout: float, what: str) -> tuple[str, Any]:
        if not self.conn.poll(timeout):
            raise RenderTimeout(f"{what} took longer than {timeout:g} s; worker stopped")
        try:
            received: tuple[str, Any] = self.conn.recv()  # _worker_main sends (status, payload) pairs
        except (EOFError, OSError):
            raise RenderError(f"worker died during {what} (exit code {self.process.exitcode})") from None
        return received

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):  # the worker may be gone already
            self.conn.send(None)
        self.process.join(2)
        if self.process.is_alive():
            self.kill()
        else:
            self.conn.close()


class RenderPool:
    """Up to `processes` warm workers (default: every core), started as they are first needed.

    Thread-safe: the TUI may render from several threads; each render holds one worker.
    """

    def __init__(self, processes: int | None = None, *, limits: RenderLimits = DEFAULT_LIMITS) -> None:
        self.size = max(1, processes or os.cpu_count() or 1)
        self.limits = limits
        self._ctx = _context()
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._workers: set[_Worker] = set()
        self._closed = False

    def _checkout(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise RenderError("render pool is closed")
            try:
                return self._idle.get_nowait()
            except queue.Empty:
                if len(self._workers) < self.size:
                    worker = _Worker(self._ctx, self.limits)
                    self._workers.add(worker)
                    return worker
        return self._idle.get()

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._workers.discard(worker)

    def render(self, kind: str, doc: Any, company: Company | None, timeout: float | None = None) -> Any:
        """One document as PDF bytes (or a task's result), or RenderError / RenderTimeout."""
        timeout = self.limits.seconds if timeout is None else timeout
        worker = self._checkout()
        try:
            pdf = worker.run(kind, doc, company, timeout)
        except RenderTimeout:
            self._discard(worker)
            raise
        except RenderError:
            if worker.process.is_alive():
                self._idle.put(worker)
            else:
                self._discard(worker)
            raise
        except BaseException:  # a pickling error or an interrupt: the worker's state is unknown
            self._discard(worker)
            raise
        self._idle.put(worker)
        return pdf

    def render_many(self, jobs: Iterable[RenderJob], timeout: float | None = None,
                    idle: tuple[float, Callable[[], None]] | None = None) -> Iterator[tuple[Any, Any]]:
        """(job id, PDF bytes or the RenderError) for every job, in the order they finish.

        `idle` is (seconds, function): the function is called, in the caller's thread, each time
        that many seconds pass with no result (to save work kept for a batch, say)."""
        # One thread per worker waits on its pipe; only a few jobs are in flight at once, so a
        # generator of jobs is consumed as results are taken, not all at the start.
        jobs_iter = iter(jobs)
        with ThreadPoolExecutor(self.size, thread_name_prefix="billfold-pdf") as threads:
            pending: dict[Future[bytes], Any] = {}

            def submit_next() -> bool:
                job = next(jobs_iter, None)
                if job is None:
                    return False
                pending[threads.submit(self.render, job.kind, job.doc, job.company, timeout)] = job.job_id
                return True

            while len(pending) < 2 * self.size and submit_next():
                pass
            while pending:
                done, _ = wait(pending, timeout=idle[0] if idle else None, return_when=FIRST_COMPLETED)
                if not done and idle:
                    idle[1]()
                for future in done:
                    job_id = pending.pop(future)
                    exc = future.exception()
                    if exc is None:
                        yield job_id, future.result()
                    elif isinstance(exc, RenderError):
                        yield job_id, exc
                    else:
                        yield job_id, RenderError(f"{type(exc).__name__}: {exc}")
                    submit_next()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._workers = list(self._workers), set()
        for worker in workers:
            worker.stop()

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_shared: RenderPool | None = None
_shared_lock = threading.Lock()


def shared_pool() -> RenderPool:
    """The process-wide pool render_in_worker uses; its workers stay warm between documents."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared._closed:
            _shared = RenderPool()
            atexit.register(_shared.close)
        return _shared


def render_in_worker(kind: str, doc: Any, company: Company | None, timeout: float = 60.0) -> bytes:
    """Render in a worker process of the shared pool; past `timeout` seconds the worker is killed
    and RenderTimeout raised. Other failures raise RenderError."""
    pdf = shared_pool().render(kind, doc, company, timeout)
    if not isinstance(pdf, bytes):
        raise RenderError(f"{kind} rendering gave {type(pdf).__name__}, not PDF bytes")
    return pdf


def render_many(jobs: Iterable[RenderJob], processes: int | None = None, timeout: float | None = None,
                idle: tuple[float, Callable[[], None]] | None = None) -> Iterator[tuple[Any, Any]]:
    """Render a batch on `processes` workers (default: every core), yielding (job id, PDF bytes or
    RenderError) as each finishes. A failure or timeout is reported for its job only."""
    with RenderPool(processes) as pool:
        yield from pool.render_many(jobs, timeout, idle)
