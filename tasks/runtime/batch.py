"""The batch record and its steps (no Prefect): each step takes tens of pages and returns what the next one needs.

The CPU-heavy half (parse, clean, extract) also runs apart from the batch: `cpu_work` is the slim copy a worker
needs, `parse_clean_extract` does the work, `split_work`/`join_pieces` share it among workers and `merge_processed`
folds the result back into the coordinator's batch."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from critics.schemas.config import Config
from critics.schemas.outcomes import FetchStatus, Outcome, Reason
from critics.schemas.records import ExtractedReview, ParsedPage
from critics.tasks.acquire import archive
from critics.tasks.text.clean import clean_page
from critics.tasks.acquire.discovery import Target
from critics.tasks.extract.review import extract_review
from critics.tasks.acquire.fetch import Fetcher, FetchResult
from critics.tasks.text.parse import parse_page

OutcomeRow = tuple[str, str, Outcome, str | None]  # url, source, outcome, reason


class Batch:
    """Tens of pages moving through the steps together, with every URL's outcome so far.

    Deliberately not a dataclass (like crawl.Frontier): Prefect walks dataclass task arguments field by field
    looking for futures, which cost a fifth of a crawl's main-thread time; a plain object passes untouched.
    """

    def __init__(self, targets: list[Target], fetched: list[tuple[Target, FetchResult]] | None = None):
        self.targets = targets
        self.known: dict[str, dict] = {}  # stored fetch state per URL
        self.results: list[FetchResult] = []
        self.hashes: dict[str, str] = {}  # url -> archive sha256
        self.fetched = fetched or []  # new or changed pages
        self.pages: list[tuple[Target, ParsedPage]] = []
        self.reviews: list[ExtractedReview] = []
        self.outcomes: list[OutcomeRow] = []

    def __repr__(self) -> str:
        return f"Batch({len(self.targets)} targets, {len(self.fetched)} fetched, {len(self.reviews)} reviews)"

    @property
    def source_of(self) -> dict[str, str]:
        """Source name of every URL in the batch."""
        return {t.url: t.source for t in self.targets}

    def settle(self, target: Target, outcome: Outcome, reason: str | None) -> None:
        """Record the final outcome of one URL."""
        self.outcomes.append((target.url, target.source, outcome, reason))


def fetch_batch(batch: Batch, fetcher: Fetcher, archive_root: Path, concurrency: int = 4) -> Batch:
    """Fetch conditionally (every exchange written to the WARC archive), and settle unchanged and failed URLs."""
    fetcher.use_archive(archive.open_archive(archive_root))

    def one(target: Target) -> FetchResult:
        state = batch.known.get(target.url, {})
        return fetcher.get(target.url, state.get("etag"), state.get("last_modified"), state.get("sha256"))

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        batch.results = list(pool.map(one, batch.targets))
    for target, result in zip(batch.targets, batch.results):
        _triage(batch, target, result)
    return batch


def _triage(batch: Batch, target: Target, result: FetchResult) -> None:
    state = batch.known.get(target.url, {})
    if result.outcome == FetchStatus.NOT_MODIFIED:
        if state.get("sha256"):
            batch.hashes[target.url] = state["sha256"]
        return batch.settle(target, Outcome.UNCHANGED, Reason.NOT_MODIFIED)
    if result.outcome != FetchStatus.OK or result.body is None:
        return batch.settle(target, Outcome.REJECTED, result.reason or Reason.FETCH_FAILED)
    if not _is_html(result.content_type):
        return batch.settle(target, Outcome.REJECTED, f"{Reason.NOT_HTML} ({result.content_type})")
    sha = result.sha256 or archive.content_hash(result.body)
    batch.hashes[target.url] = sha
    if state.get("sha256") == sha and state.get("is_loaded"):
        return batch.settle(target, Outcome.UNCHANGED, Reason.SAME_CONTENT)
    batch.fetched.append((target, result))


def parse_batch(batch: Batch) -> Batch:
    """Parse fetched pages; pages that are not usable reviews are settled as rejected with the reason."""
    for target, result in batch.fetched:
        page = parse_page(result.body, target.url, result.content_type)
        if page.reject_reason:
            batch.settle(target, Outcome.REJECTED, page.reject_reason)
        else:
            batch.pages.append((target, page))
    batch.fetched = []  # the bytes are archived; drop them so the batch stays small
    return batch


def clean_batch(batch: Batch) -> Batch:
    """Repair the text of every parsed page."""
    batch.pages = [(target, clean_page(page)) for target, page in batch.pages]
    return batch


def extract_batch(batch: Batch, config: Config) -> Batch:
    """Rating, verdict, chunks and mentions for every cleaned page."""
    batch.reviews = [extract_review(page, config.chunk_max_chars, target.rating_scale)
                     for target, page in batch.pages]
    return batch


def parse_clean_extract(work: Batch, config: Config) -> Batch:
    """Parse, clean and extract every fetched page (pure CPU; never touches DuckDB, the network or the archive)."""
    return extract_batch(clean_batch(parse_batch(work)), config)


def cpu_work(batch: Batch) -> Batch:
    """A slim copy for a worker: the targets and the new or changed pages, without fetch logs or stored state."""
    return Batch(targets=list(batch.targets), fetched=list(batch.fetched))


def split_work(work: Batch, parts: int) -> list[Batch]:
    """The fetched pages cut into at most `parts` contiguous pieces, one per worker."""
    size = max(1, -(-len(work.fetched) // max(1, parts)))
    return [Batch(targets=work.targets, fetched=work.fetched[i:i + size]) for i in range(0, len(work.fetched), size)]


def join_pieces(pieces: list[Batch], work: Batch) -> Batch:
    """Pieces processed apart, put back together in page order."""
    done = Batch(targets=work.targets)
    for piece in pieces:
        done.pages += piece.pages
        done.reviews += piece.reviews
        done.outcomes += piece.outcomes
    return done


def merge_processed(batch: Batch, done: Batch) -> Batch:
    """Fold a worker's result into the coordinator's batch; outcomes keep their sequential order."""
    batch.fetched = []
    batch.pages = done.pages
    batch.reviews = done.reviews
    batch.outcomes = batch.outcomes + done.outcomes
    return batch


def dedupe_canonical(batch: Batch, seen: dict[str, str]) -> Batch:
    """Keep the first page per canonical URL this run; later duplicates are settled as unchanged."""
    kept = []
    targets = {t.url: t for t in batch.targets}
    for review in batch.reviews:
        canonical, url = review.page.canonical_url, review.page.url
        if seen.get(canonical, url) != url:
            batch.settle(targets[url], Outcome.UNCHANGED, f"{Reason.DUPLICATE_CANONICAL} {canonical}")
            continue
        seen[canonical] = url
        kept.append(review)
    batch.reviews = kept
    return batch


def loaded_outcomes(batch: Batch) -> list[OutcomeRow]:
    """Outcomes of the batch once its reviews are loaded."""
    source_of = batch.source_of
    return batch.outcomes + [(r.page.url, source_of[r.page.url], Outcome.LOADED, None) for r in batch.reviews]


def batched(items: list, size: int):
    """Successive lists of at most size items (itertools.batched arrives only in 3.12)."""
    for start in range(0, len(items), max(1, size)):
        yield items[start:start + size]


def _is_html(content_type: str | None) -> bool:
    kind = (content_type or "text/html").split(";")[0].strip().lower()
    return kind in ("text/html", "application/xhtml+xml")
