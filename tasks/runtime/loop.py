"""The batch loop every crawl and reprocess runs (no Prefect here): the flow passes its tasks, a benchmark plain functions.

    run_batches(items, batch_size=..., in_flight=...,
                fetch=lambda chunk: Batch,               # a list of items -> a fetched batch (runs on a thread ahead)
                process=lambda work: handle,             # hand the batch's CPU work off; return at once
                collect=lambda handle, batch: Batch,     # wait for that work's result
                load=lambda batch: None)                 # load one batch, in order, on the caller's thread
"""
from __future__ import annotations

import contextvars
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterator

from critics.tasks.runtime.batch import Batch, batched, cpu_work, dedupe_canonical, merge_processed


def run_batches(items: list, *, batch_size: int, in_flight: int, fetch: Callable[[list], Batch],
                process: Callable[[Batch], Any], collect: Callable[[Any, Batch], Batch],
                load: Callable[[Batch], None]) -> None:
    """Fetch one batch ahead, keep `in_flight` batches' CPU work out, and load the oldest as it comes back."""
    seen_canonical: dict[str, str] = {}
    pending: list[tuple[Batch, Any]] = []
    for batch in fetched_ahead(items, batch_size, fetch):
        # a batch of only unchanged or failed pages has no CPU work: nothing to hand off
        pending.append((batch, process(cpu_work(batch)) if batch.fetched else None))
        if len(pending) > in_flight:
            _load_oldest(pending.pop(0), collect, load, seen_canonical)
    for started in pending:
        _load_oldest(started, collect, load, seen_canonical)


def fetched_ahead(items: list, batch_size: int, fetch: Callable[[list], Batch]) -> Iterator[Batch]:
    """Fetched batches in order; the next is fetched on a thread of this process while the caller works."""
    # A local thread, whatever the task runner: the one Fetcher holds every host's throttle and robots.txt.
    with ThreadPoolExecutor(1, thread_name_prefix="fetch-ahead") as fetch_ahead:
        ahead = None
        for chunk in batched(items, batch_size):
            in_this_run = contextvars.copy_context()  # a fetch task is then recorded under the caller's flow run
            future = fetch_ahead.submit(in_this_run.run, fetch, list(chunk))
            if ahead is not None:
                yield ahead.result()
            ahead = future
        if ahead is not None:
            yield ahead.result()


def _load_oldest(started: tuple[Batch, Any], collect, load, seen_canonical: dict[str, str]) -> None:
    batch, handle = started
    if handle is not None:
        batch = merge_processed(batch, collect(handle, batch))
    load(dedupe_canonical(batch, seen_canonical))  # dedupe is cheap and pure: a plain call

