"""The CPU-heavy half of a batch as one unit of remote work: ship only what workers need, merge back in order."""
from __future__ import annotations

from schemas.config import Config
from tasks.batch import Batch, clean_batch, extract_batch, parse_batch


def work_of(batch: Batch) -> Batch:
    """A slim copy for a worker: the targets and the new or changed pages, without fetch logs or stored state."""
    return Batch(targets=list(batch.targets), fetched=list(batch.fetched))


def process_batch(work: Batch, config: Config) -> Batch:
    """Parse, clean and extract every fetched page (pure CPU; never touches DuckDB, the network or the archive)."""
    return extract_batch(clean_batch(parse_batch(work)), config)


def merge(batch: Batch, done: Batch) -> Batch:
    """Fold a worker's result into the coordinator's batch; outcomes keep their sequential order."""
    batch.fetched = []
    batch.pages = done.pages
    batch.reviews = done.reviews
    batch.outcomes = batch.outcomes + done.outcomes
    return batch
