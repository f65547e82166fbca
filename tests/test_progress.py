"""The terminal progress line counts settled pages and outcomes."""
from __future__ import annotations

import pytest

from critics.tasks.runtime.progress import Progress


@pytest.mark.parametrize("total, batches, percent, shown", [
    (4, [["loaded", "unchanged"]], 50.0, "2/4 pages (50%) loaded 1 unchanged 1"),
    (2, [["loaded"], ["rejected"]], 100.0, "2/2 pages (100%) loaded 1 rejected 1"),
    (0, [], 100.0, "0/0 pages (100%)"),
])
def test_progress_line_shows_pages_done_of_total_and_outcomes(total, batches, percent, shown):
    progress = Progress("nightly", total)
    for outcomes in batches:
        progress.advance(outcomes)
    assert progress.percent == percent
    assert progress.line().startswith("[nightly] [") and progress.line().endswith(shown)
