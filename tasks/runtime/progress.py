"""Run progress in pages: a text bar on the terminal, one line per batch (no Prefect here)."""
from __future__ import annotations

import sys
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

    @property
    def percent(self) -> float:
        """Share of pages settled, 0-100 (an empty run is complete)."""
        return 100.0 if self.total <= 0 else min(100.0, 100.0 * self.done / self.total)

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
