"""Process-level parallelism for the CPU-bound steps: parse, clean and extract a batch on every core."""
from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from logging.handlers import QueueHandler, QueueListener

from schemas.records import ExtractedReview
from tasks.clean import clean_page
from tasks.extract import extract_review
from tasks.parse import parse_page

Work = tuple[str, bytes, str | None, float | None]  # url, body, content type, rating scale of its source
Done = tuple[str, ExtractedReview | None, str | None]  # url, review (None when rejected), reject reason

_pool: ProcessPoolExecutor | None = None
_listener: QueueListener | None = None
_pool_size = 0


def default_workers() -> int:
    """One worker per core the process may use (at least 1)."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def process_one(url: str, body: bytes, content_type: str | None, rating_scale: float | None,
                chunk_max_chars: int) -> Done:
    """Parse, clean and extract one page; a page that is not a usable review comes back with its reason."""
    page = parse_page(body, url, content_type)
    if page.reject_reason:
        return url, None, page.reject_reason
    return url, extract_review(clean_page(page), chunk_max_chars, rating_scale), None


def process_chunk(work: list[Work], chunk_max_chars: int) -> list[Done]:
    """process_one over a list of pages (the unit sent to a worker, so pickling is per chunk, not per page)."""
    return [process_one(url, body, kind, scale, chunk_max_chars) for url, body, kind, scale in work]


def process_pages(work: list[Work], chunk_max_chars: int, workers: int | None = None) -> list[Done]:
    """process_one over every page, spread over a process pool; results in input order."""
    return finish_pages(start_pages(work, chunk_max_chars, workers))


def start_pages(work: list[Work], chunk_max_chars: int, workers: int | None = None) -> list[Future]:
    """Hand the pages to the pool and return at once, so the caller can fetch or load meanwhile."""
    workers = workers or default_workers()
    if workers <= 1 or len(work) < 2:
        done: Future = Future()
        done.set_result(process_chunk(work, chunk_max_chars))
        return [done]
    size = -(-len(work) // (2 * workers))  # two chunks per worker evens out slow pages
    return [pool(workers).submit(process_chunk, work[i:i + size], chunk_max_chars) for i in range(0, len(work), size)]


def finish_pages(futures: list[Future]) -> list[Done]:
    """Wait for pages handed over by start_pages; results in input order."""
    return [done for future in futures for done in future.result()]


def process_batch(work, config, workers: int):
    """stage.process_batch of one batch, its pages shared among the pool's workers (the caller waits, GIL-free)."""
    from tasks import stage

    futures = [pool(workers).submit(stage.process_batch, piece, config) for piece in stage.split(work, workers)]
    return stage.join([future.result() for future in futures], work)


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
        # spawn, not fork: the parent may run Prefect's threads and event loop, which fork would copy mid-flight.
        context = multiprocessing.get_context("spawn")
        records = context.Queue()
        _listener = QueueListener(records, _Relay())
        _listener.start()
        _pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                    initargs=(records, logging.getLogger().getEffectiveLevel(), os.getpid()))
        _pool_size = workers
    return _pool


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
    # the parent's pid comes from the parent: one that died while this worker started would read as 1 here
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _warm_up()


def _exit_with_parent(parent: int, every_s: float = 1.0) -> None:
    """End this worker once its parent is gone (killed with SIGKILL, say)."""
    # A worker holds both ends of the pool's call queue, so it never sees EOF and would wait forever.
    while os.getppid() == parent:
        time.sleep(every_s)
    os._exit(0)


def _warm_up() -> None:
    from tasks.textmodel import default_model

    default_model()


atexit.register(shutdown)
