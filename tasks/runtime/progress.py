"""Run progress in pages: a text bar on the terminal, one line per batch (no Prefect here)."""
from __future__ import annotations

import sys
import threading
from collections import Counter
from dataclasses import dataclass, field

BAR_WIDTH = 30


@dataclass
class Progress:
    """Pages settled out of the pages planned for one run."""

    label: str
    total: int
    done: int = 0
    outcomes: Counter = field(default_factory=Counter)
    fetched: int = 0  # pages answered so far (counted per page by the fetch threads, ahead of settling)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def percent(self) -> float:
        """Share of pages settled, 0-100 (an empty run is complete)."""
        return 100.0 if self.total <= 0 else min(100.0, 100.0 * self.done / self.total)

    @property
    def moving_percent(self) -> float:
        """Half for pages fetched, half for pages settled: moves per page while a batch is being fetched."""
        if self.total <= 0:
            return 100.0
        return min(100.0, 50.0 * (min(max(self.fetched, self.done), self.total) + self.done) / self.total)

    def count_fetched(self, pages: int = 1) -> int:
        """Count pages fetched (thread-safe); returns the new count."""
        with self._lock:
            self.fetched += pages
            return self.fetched

    def advance(self, outcomes: list[str]) -> None:
        """Count one batch's settled URL outcomes."""
        self.done += len(outcomes)
        self.outcomes.update(outcomes)

    def line(self) -> str:
        """One terminal line: bar, pages done of total, outcome counts."""
        filled = round(BAR_WIDTH * self.percent / 100)
        counts = " ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items()))
        return (f"[{self.label}] [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
                f"{self.done}/{self.total} pages ({self.percent:.0f}%) {counts}").rstrip()


def print_line(progress: Progress, stream=None) -> None:
    """Write the progress line to stderr (stdout stays for results)."""
    print(progress.line(), file=stream or sys.stderr, flush=True)
