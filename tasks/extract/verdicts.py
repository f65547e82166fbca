"""Fresh/rotten from a printed rating, using cutoffs learned per scale and per outlet (see tasks/training/cutoffs.py).

A review is fresh when its score (0-100) is at or above the cutoff. Lookup order: the outlet's own
cutoff for that scale, then the scale's cutoff, then the same scale under another name (stars/5 is
x/5), then the table's default (60).
"""
from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path

from critics.schemas.paths import package_data
from critics.schemas.records import Rating

DEFAULT_CUTOFFS_PATH = package_data("models", "verdict_cutoffs.json")
DEFAULT_CUTOFF = 60.0
KNOWN_SCALES = {
    "x/2", "x/3", "x/4", "x/5", "x/6", "x/7", "x/8", "x/10", "x/20", "x/100",
    "stars/4", "stars/5", "stars/10", "letter", "percent",
}
# Same scale printed another way; the training data only has 'N/D' and letters.
_SCALE_ALIASES = {"percent": "x/100", "x/100": "percent"}


def scale_kind(rating: Rating) -> str:
    """The scale a cutoff is learned for: 'x/4', 'x/5', 'x/10', 'letter', 'stars/5', 'percent', ... or 'other'."""
    scale = (rating.scale or "").replace(" assumed", "").strip()
    return scale if scale in KNOWN_SCALES else "other"


def normalise_outlet(outlet: str | None) -> str:
    """Outlet key for the table: entities decoded ('&amp;' in the training data), case-folded, whitespace collapsed."""
    return " ".join(html.unescape(outlet or "").split()).casefold()


def verdict_from_rating(rating: Rating, outlet: str | None, table: dict | None = None) -> str | None:
    """'fresh'/'rotten' from a printed rating using the learned per-outlet/per-scale cutoffs; None if the rating says nothing."""
    if rating is None:
        return None
    if rating.score is None:
        return rating.verdict_hint if rating.verdict_hint in ("fresh", "rotten") else None
    cutoff = cutoff_for(scale_kind(rating), outlet, load_cutoffs() if table is None else table)
    return "fresh" if rating.score >= cutoff else "rotten"


def cutoff_for(kind: str, outlet: str | None, table: dict) -> float:
    """The most specific cutoff the table has for this scale kind and outlet."""
    own = table.get("outlet_scale", {}).get(normalise_outlet(outlet), {})
    scales = table.get("scale", {})
    for key in (kind, _alias(kind)):
        if key in own:
            return float(own[key])
    for key in (kind, _alias(kind)):
        if key in scales:
            return float(scales[key])
    return float(table.get("default_cutoff", DEFAULT_CUTOFF))


def load_cutoffs(path=None) -> dict:
    """The cutoff table (default data/models/verdict_cutoffs.json), cached; an empty table (cutoff 60) if the file is missing."""
    return _load(str(Path(path) if path else DEFAULT_CUTOFFS_PATH))


@lru_cache(maxsize=8)
def _load(path: str) -> dict:
    file = Path(path)
    if not file.is_file():
        return {"default_cutoff": DEFAULT_CUTOFF, "scale": {}, "outlet_scale": {}, "provenance": {"missing": path}}
    return json.loads(file.read_text(encoding="utf-8"))


def _alias(kind: str) -> str:
    return _SCALE_ALIASES.get(kind) or (kind.replace("stars/", "x/") if kind.startswith("stars/") else kind)
