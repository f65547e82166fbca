"""A source's include/exclude URL patterns: which discovered pages may be fetched, and the reason when not."""
from __future__ import annotations

import pytest

from critics.tasks.acquire.patterns import pattern_refusal


@pytest.mark.parametrize("url, include, exclude, reason", [
    ("https://o.test/tv/show-review", [], ["/tv/*", "*/gallery/*"], "excluded by pattern '/tv/*'"),
    ("https://o.test/2024/gallery/1", [], ["/tv/*", "*/gallery/*"], "excluded by pattern '*/gallery/*'"),
    ("https://o.test/film/x", ["/reviews/*"], [], "matches no include pattern ('/reviews/*')"),
    ("https://o.test/reviews/x?page=2", ["/reviews/*"], [], None),
    ("https://o.test/reviews/tv/x", ["/reviews/*"], ["/reviews/tv/*"], "excluded by pattern '/reviews/tv/*'"),
    ("https://o.test/reviews/x", ["https://o.test/reviews/*"], [], None),
    ("https://o.test/", [], [], None),
])
def test_patterns_decide_and_name_the_pattern(url, include, exclude, reason):
    assert pattern_refusal(url, include, exclude) == reason
