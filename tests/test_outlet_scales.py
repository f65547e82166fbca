"""A rating printed without its scale reads on the outlet's usual scale, learned from real RT ratings."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from critics.schemas.records import ParsedPage
from critics.tasks.extract.review import extract_review
from critics.tasks.extract.scales import SCALES_PATH, outlet_key, usual_scale

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


def _page(outlet: str, printed: str) -> ParsedPage:
    text = "A modest comedy that knows its audience and never asks for more. " * 10
    return ParsedPage(url="http://o.test/r", canonical_url="http://o.test/r", outlet=outlet, body_text=text,
                      rating_text_blocks=[printed], film_title="X")


def test_outlet_keys_ignore_case_entities_and_a_leading_the():
    assert outlet_key("The Kansas City Star") == outlet_key("kansas city  star") == "kansas city star"
    assert outlet_key("Reel Views &amp; More") == "reel views & more"


@pytest.mark.parametrize("outlet, printed, score", [
    ("The Kansas City Star", "★★", 50.0),        # rates out of 4 in the RT data
    ("Empire Magazine", "★★", 40.0),             # out of 5
    ("An Outlet Nobody Knows", "★★", 40.0),      # schema.org's default, 5
])
def test_a_bare_star_count_reads_on_the_outlets_usual_scale(outlet, printed, score):
    assert extract_review(_page(outlet, printed)).score == score


def test_the_sources_configured_scale_wins():
    assert extract_review(_page("The Kansas City Star", "★★"), default_best=5.0).score == 40.0


def test_a_stated_scale_is_never_overridden():
    assert extract_review(_page("The Kansas City Star", "★★☆☆☆")).score == 40.0
    assert usual_scale(None) is None


@pytest.mark.skipif(not (REALDATA / "rt_flatiron").is_dir(), reason="../shared/realdata is absent")
def test_the_shipped_table_is_what_the_training_script_learns():
    from critics.tasks.training.outlet_scales import count_scales, usual_scales
    shipped = json.loads(SCALES_PATH.read_text(encoding="utf-8"))["outlets"]
    assert usual_scales(count_scales(REALDATA)) == shipped
