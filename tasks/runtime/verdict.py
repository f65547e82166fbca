"""A run's honest end: Failed naming the source and cause when a source yielded nothing or too many pages failed.

No Prefect here: the flows turn a Verdict into their final state; the CLI prints its message.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Rejections the pipeline chose (robots.txt, scope, limits, not a review page): not failures of the night.
REFUSALS = ("robots.txt disallows", "out of scope", "redirect out of scope", "off-site", "over max_pages",
            "no review text", "no film title found", "not a film review",
            "page nested too deeply", "not HTML")
# What a page fetched and looked at counts as: the source answered.
ANSWERED = ("loaded", "unchanged")


class RunFailed(RuntimeError):
    """A run that finished its work but ends Failed; carries the run's outcome counts."""

    def __init__(self, message: str, summary: dict[str, int] | None = None):
        super().__init__(message)
        self.summary = dict(summary or {})

    def __reduce__(self):  # Prefect pickles a failed flow's result: keep the summary
        return (RunFailed, (str(self), self.summary))


@dataclass
class SourceTally:
    """One source's URL outcomes in one run."""

    source: str
    counts: dict[str, int] = field(default_factory=dict)  # outcome -> URLs
    failed: int = 0  # rejected for a failure, not a refusal
    refused: int = 0  # rejected on purpose, after the page answered or without asking
    content_refused: int = 0  # of those, refused after reading the page (the source answered)
    top_failure: str | None = None  # the most frequent failure reason

    @property
    def answered(self) -> int:
        """Pages the source served that the pipeline looked at (loaded, unchanged, or refused as content)."""
        return sum(self.counts.get(o, 0) for o in ANSWERED) + self.content_refused


@dataclass(frozen=True)
class Verdict:
    """Whether the run ends Failed, and its one-line message."""

    is_failed: bool
    message: str


def is_failure(reason: str | None) -> bool:
    """Whether a rejection reason is a failure (HTTP error, timeout, broken body), not a deliberate refusal."""
    text = (reason or "").lower()
    return not any(text.startswith(r.lower()) or f": {r.lower()}" in text for r in REFUSALS)


def tally(rows: list[tuple[str, str, str | None, int]]) -> dict[str, SourceTally]:
    """(source, outcome, reason, URL count) rows into one tally per source."""
    tallies: dict[str, SourceTally] = {}
    worst: dict[str, dict[str, int]] = {}
    for source, outcome, reason, count in rows:
        t = tallies.setdefault(source, SourceTally(source))
        t.counts[outcome] = t.counts.get(outcome, 0) + count
        if outcome != "rejected":
            continue
        if is_failure(reason):
            t.failed += count
            reasons = worst.setdefault(source, {})
            reasons[reason or "unknown"] = reasons.get(reason or "unknown", 0) + count
        else:
            t.refused += count
            t.content_refused += count if _is_content(reason) else 0
    for source, reasons in worst.items():
        tallies[source].top_failure = max(reasons.items(), key=lambda kv: (kv[1], kv[0]))[0]
    return tallies


def judge(kind: str, sources: list[str], tallies: dict[str, SourceTally], summary: dict[str, int],
          max_rejected_share: float) -> Verdict:
    """Failed when a configured source yielded no page, or failed pages pass the share; else Completed with counts."""
    counts = counts_line(summary)
    for name in sources:
        t = tallies.get(name, SourceTally(name))
        if t.answered == 0:
            return Verdict(True, f"{kind} failed: source {name!r} yielded no page ({_cause(t)}); {counts}")
    failed = sum(t.failed for t in tallies.values())
    pages = failed + sum(t.answered for t in tallies.values())
    share = failed / pages if pages else 0.0
    if share > max_rejected_share:
        top = max(tallies.values(), key=lambda t: t.failed)
        return Verdict(True, f"{kind} failed: {failed} of {pages} pages failed ({share:.0%} > "
                             f"max_rejected_share {max_rejected_share:.0%}; most in {top.source!r}: "
                             f"{top.top_failure}); {counts}")
    return Verdict(False, f"{kind} completed: {counts}")


def counts_line(summary: dict[str, int]) -> str:
    """The run's URL accounting in one line."""
    return (f"{summary.get('discovered', 0)} URLs: {summary.get('loaded', 0)} loaded, "
            f"{summary.get('unchanged', 0)} unchanged, {summary.get('rejected', 0)} rejected, "
            f"{summary.get('out_of_scope', 0)} out of scope")


def _cause(t: SourceTally) -> str:
    if t.top_failure:
        return t.top_failure
    if t.refused:
        return "every page refused (robots.txt, scope or limits)"
    return "discovery found no review pages"


def _is_content(reason: str | None) -> bool:
    """A refusal made after reading the page (the source answered), not before asking."""
    text = (reason or "").lower()
    return text.startswith(("no review text", "no film title found", "not a film review", "page nested too deeply",
                            "not html"))
