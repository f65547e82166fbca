"""Process-level parallelism for the CPU-bound steps: parse, clean and extract a batch on every core."""
from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import select
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from logging.handlers import QueueHandler, QueueListener

from critics.tasks.runtime.batch import join_pieces, parse_clean_extract, split_work

_pool: ProcessPoolExecutor | None = None
_listener: QueueListener | None = None
_pool_size = 0
PRELOAD = ["critics.tasks.runtime.batch", "critics.tasks.extract.textmodel"]


def parse_clean_extract_pooled(work, config, workers: int):
    """batch.parse_clean_extract of one batch, its pages shared among the pool's workers (the caller waits, GIL-free)."""
    return collect_work(submit_work(work, config, workers), work)


def submit_work(work, config, workers: int) -> list[Future]:
    """Hand a batch's pages to the pool, a contiguous piece per worker, and return at once."""
    return [pool(workers).submit(parse_clean_extract, piece, config) for piece in split_work(work, workers)]


def collect_work(futures: list[Future], work):
    """Wait for the pieces handed over by submit_work and join them in page order."""
    return join_pieces([future.result() for future in futures], work)


def warm_up(workers: int) -> None:
    """Start the pool's workers now (each loads the models), so the first batch does not wait for them."""
    executor = pool(workers)
    for _ in range(workers):
        executor.submit(_warm_up)


def pool(workers: int) -> ProcessPoolExecutor:
    """The shared worker pool, started once per process (workers load the models once, not per batch)."""
    global _pool, _pool_size, _listener
    if _pool is None or _pool_size != workers:
        shutdown()
        context = _context()
        records = context.Queue()
        _listener = QueueListener(records, _Relay())
        _listener.start()
        _pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                    initargs=(records, logging.getLogger().getEffectiveLevel(), os.getpid()))
        _pool_size = workers
    return _pool


def _context():
    """Forkserver with the steps' modules imported once: each worker is a cheap fork of a clean process."""
    # Not plain fork: the parent may run Prefect's threads and event loop, which fork would copy mid-flight.
    # Not spawn: every worker would import trafilatura, lxml and the steps again (~0.9 s CPU each).
    if "forkserver" not in multiprocessing.get_all_start_methods():  # Windows
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def shutdown() -> None:
    """Stop the shared pool and its log relay (also run at interpreter exit)."""
    global _pool, _listener
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None
    if _listener is not None:
        _listener.stop()
        _listener = None


class _Relay(logging.Handler):
    """Hands a worker's log record to the same-named logger here, so the parent's handlers (Prefect's) see it."""

    def handle(self, record: logging.LogRecord) -> bool:
        logging.getLogger(record.name).handle(record)
        return True


def _start_worker(records, level: int, parent: int) -> None:
    """Worker set-up: its log records go back to the parent; it exits with the parent; the models load once."""
    root = logging.getLogger()
    root.handlers[:] = [QueueHandler(records)]
    root.setLevel(level)
    # the parent's pid comes from the parent: one that died while this worker started is already gone
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _warm_up()


def _exit_with_parent(parent: int, every_s: float = 1.0) -> None:
    """End this worker once the pool's owner has exited (killed with SIGKILL, say), reaped or not."""
    # A worker holds both ends of the pool's call queue, so it never sees EOF and would wait forever; it also
    # holds the fork server's liveness pipe, so the fork server stays up until the workers leave.
    try:
        pidfd = os.pidfd_open(parent)  # readable once the process exits, even while unreaped
    except ProcessLookupError:
        os._exit(0)
    except (AttributeError, OSError):  # not Linux: poll; an unreaped owner keeps its workers until reaped
        while _alive(parent):
            time.sleep(every_s)
        os._exit(0)
    select.select([pidfd], [], [])
    os._exit(0)


def _alive(pid: int) -> bool:
    """Whether a process with this pid exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _warm_up() -> None:
    from critics.tasks.extract.textmodel import default_model

    default_model()


atexit.register(shutdown)
