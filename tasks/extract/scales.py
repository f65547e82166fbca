"""An outlet's usual rating scale, for a rating printed without one ('2 stars' at the Kansas City Star is 2 of 4).

The table (data/models/outlet_scales.json) is learned from real Rotten Tomatoes ratings by
tasks/training/outlet_scales.py. A source's own scale in the config always comes first.
"""
from __future__ import annotations

import json
from functools import lru_cache

from critics.schemas.paths import package_data
from critics.tasks.extract.verdicts import normalise_outlet

SCALES_PATH = package_data("models", "outlet_scales.json")


def outlet_key(outlet: str | None) -> str:
    """'The Kansas City Star' and 'Kansas City Star' as one key: the cutoff table's outlet key, no leading 'the'."""
    return normalise_outlet(outlet).removeprefix("the ")


def usual_scale(outlet: str | None) -> float | None:
    """The best rating the outlet's critics use when a page prints no scale; None when the data does not say."""
    best = _table().get(outlet_key(outlet))
    return float(best) if best else None


@lru_cache(maxsize=1)
def _table() -> dict[str, int]:
    path = SCALES_PATH
    return json.loads(path.read_text(encoding="utf-8"))["outlets"] if path.is_file() else {}
