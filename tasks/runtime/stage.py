"""The CPU-heavy half of a batch as one unit of remote work: ship only what workers need, merge back in order."""
from __future__ import annotations

from critics.schemas.config import Config
from critics.tasks.runtime.batch import Batch, clean_batch, extract_batch, parse_batch


def work_of(batch: Batch) -> Batch:
    """A slim copy for a worker: the targets and the new or changed pages, without fetch logs or stored state."""
    return Batch(targets=list(batch.targets), fetched=list(batch.fetched))


def process_batch(work: Batch, config: Config) -> Batch:
    """Parse, clean and extract every fetched page (pure CPU; never touches DuckDB, the network or the archive)."""
    return extract_batch(clean_batch(parse_batch(work)), config)


def split(work: Batch, parts: int) -> list[Batch]:
    """The fetched pages cut into at most `parts` contiguous pieces, one per worker."""
    size = max(1, -(-len(work.fetched) // max(1, parts)))
    return [Batch(targets=work.targets, fetched=work.fetched[i:i + size]) for i in range(0, len(work.fetched), size)]


def join(pieces: list[Batch], work: Batch) -> Batch:
    """Pieces processed apart, put back together in page order."""
    done = Batch(targets=work.targets)
    for piece in pieces:
        done.pages += piece.pages
        done.reviews += piece.reviews
        done.outcomes += piece.outcomes
    return done


def merge(batch: Batch, done: Batch) -> Batch:
    """Fold a worker's result into the coordinator's batch; outcomes keep their sequential order."""
    batch.fetched = []
    batch.pages = done.pages
    batch.reviews = done.reviews
    batch.outcomes = batch.outcomes + done.outcomes
    return batch
