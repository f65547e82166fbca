"""Parsing real-looking pages: what must be kept (metadata, the critic's text) and what must be dropped."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import lxml.html
import pytest

from critics.tasks.text.clean import clean_page
from critics.tasks.text.parse import canonical_url, find_review, jsonld_objects, parse_date, parse_page

PAGES = Path(__file__).parent / "fixtures" / "pages"
SITE = "http://critics.test"


def _page(name: str):
    body = (PAGES / name).read_bytes()
    return clean_page(parse_page(body, f"{SITE}/{name}", "text/html; charset=utf-8")), body.decode("utf-8")


@pytest.mark.parametrize("name, title, year, critic, outlet, published, structured", [
    ("celluloid_jsonld.html", "The Lighthouse Keeper's Wife", 2024, "Jovan Szabo", "The Celluloid Review", date(2024, 3, 8), "jsonld"),
    ("screen_ledger_microdata.html", "A Season of Small Fires", 2024, "Eleni Yardley", "Screen Ledger", date(2024, 12, 22), "microdata"),
    ("reel_talk_text_rating.html", "The Lighthouse Keeper's Wife", 2024, "Dario Jellicoe", "Reel Talk Weekly", date(2024, 2, 27), None),
    ("grade_point_letter.html", "A Season of Small Fires", 2024, "Ulla Cavendish", "Grade Point Cinema", date(2024, 12, 4), None),
    ("starlight_star_row.html", "A Season of Small Fires", None, "Hamish Montague", "Starlight Post", date(2024, 11, 25), None),
    ("long_take_meta_byline.html", "A Season of Small Fires", 2024, "Tariq Winslow", "The Long Take", date(2024, 11, 24), None),
    ("plainview_unrated.html", "The Lighthouse Keeper's Wife", None, "Imogen Kowalczyk", "Plainview Journal", date(2024, 2, 9), None),
])
def test_metadata_is_kept_from_each_layout(name, title, year, critic, outlet, published, structured):
    page, _ = _page(name)
    assert page.reject_reason is None
    assert (page.film_title, page.film_year, page.critic, page.outlet, page.published_at) == (title, year, critic, outlet, published)
    assert page.structured_rating_rule == structured
    assert len(page.body_text.split()) >= 150


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.glob("*.html")))
def test_comments_sidebars_banners_and_share_buttons_are_dropped(name):
    page, html = _page(name)
    comments = [" ".join(c.split()) for c in re.findall(r'<p class="comment-body">([^<]+)', html)]
    assert comments, "every fixture carries reader comments"
    kept = page.body_text + "\n" + "\n".join(page.rating_text_blocks)
    for comment in comments:
        assert comment.replace("&#x27;", "'")[:40] not in kept
    for furniture in ("We use cookies", "Share this review", "More reviews", "Top 10"):
        assert furniture not in page.body_text


@pytest.mark.parametrize("name, printed", [
    ("reel_talk_text_rating.html", "Rating: 3/4"),
    ("grade_point_letter.html", "B+"),
    ("starlight_star_row.html", "★★★★"),
    ("long_take_meta_byline.html", "8 out of 10"),
])
def test_the_critics_printed_rating_is_among_the_rating_candidates(name, printed):
    page, _ = _page(name)
    assert any(printed in line for line in page.rating_text_blocks)


def test_credits_come_from_json_ld_performance_roles():
    page, _ = _page("celluloid_jsonld.html")
    roles = {(c.role, c.character is not None) for c in page.credits}
    assert ("director", False) in roles and ("actor", True) in roles


@pytest.mark.parametrize("value, expected", [
    ("2024-03-08", date(2024, 3, 8)),
    ("2024-03-08T09:00:00Z", date(2024, 3, 8)),
    ("2024-03-08T09:00:00+01:00", date(2024, 3, 8)),
    ("March 8, 2024", date(2024, 3, 8)),
    ("8 March 2024", date(2024, 3, 8)),
    ("yesterday", None),
    (None, None),
])
def test_parse_date_reads_iso_and_written_forms(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("href, expected", [
    ("/a/b.html", f"{SITE}/a/b.html"),
    ("https://other.test/x", "https://other.test/x"),
    ("", f"{SITE}/page?utm_source=x"),
])
def test_canonical_url_resolves_against_the_page(href, expected):
    tree = lxml.html.document_fromstring(f'<html><head><link rel="canonical" href="{href}"></head><body>x</body></html>')
    assert canonical_url(tree, f"{SITE}/page?utm_source=x") == expected


@pytest.mark.parametrize("script, types", [
    ('{"@type": "Review", "name": "a"}', ["Review"]),
    ('{"@graph": [{"@type": "WebPage"}, {"@type": "Review"}]}', ["WebPage", "Review"]),
    ('[{"@type": "Movie"}, {"@type": "Review"}]', ["Movie", "Review"]),
    ('{"@type": "Review", broken', []),
])
def test_json_ld_graphs_and_arrays_are_flattened_and_invalid_blocks_skipped(script, types):
    tree = lxml.html.document_fromstring(f'<html><head><script type="application/ld+json">{script}</script></head><body>x</body></html>')
    assert [o.get("@type") for o in jsonld_objects(tree)] == types


def test_a_review_nested_in_another_object_is_found():
    objects = [{"@type": "WebPage", "mainEntity": {"@type": "Review", "reviewBody": "x"}}]
    assert find_review(objects)["reviewBody"] == "x"


@pytest.mark.parametrize("body, reason", [
    (b"", "empty"),
    (b"<html><body><p>Too short to be a review.</p></body></html>", "no review text"),
])
def test_pages_without_a_review_are_rejected_with_a_reason(body, reason):
    assert reason in parse_page(body, f"{SITE}/x", "text/html").reject_reason


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.glob("*.html")))
def test_the_byline_is_metadata_not_review_text(name):
    page, _ = _page(name)
    assert page.critic
    assert not any(line.startswith(("By ", "Reviewed by")) for line in page.body_text.splitlines())
