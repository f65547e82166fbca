"""Shapes real outlets print that the corpus showed: each rule on a small page written for the test."""
from __future__ import annotations

import pytest

from critics.tasks.text.bylines import copyright_owner
from critics.tasks.text.parse import parse_page

WORDS = " ".join(["The film holds its nerve and its cast is superb throughout the long second act."] * 8)


def _page(head: str = "", body: str = "", title: str = "Post") -> bytes:
    return (f"<html><head><title>{title}</title>{head}</head><body><article><h1>{title}</h1>{body}"
            f"</article></body></html>").encode()


def test_a_template_printed_author_map_reads_as_the_name():
    """Hugo themes print .Site.Author as 'map[name:Ryan Lin]'."""
    page = parse_page(_page('<meta name="author" content="map[name:Ryan Lin]">', f"<p>{WORDS}</p>"), "http://b.test/p")
    assert page.critic == "Ryan Lin"


def test_a_one_word_author_in_structured_data_is_a_pen_name():
    body = ('<span itemprop="author" itemscope itemtype="http://schema.org/Person">'
            f'<meta itemprop="name" content="Danceiny"></span><p>{WORDS}</p>')
    html = _page("", f'<div itemscope itemtype="http://schema.org/Article">{body}</div>')
    assert parse_page(html, "http://b.test/p").critic == "Danceiny"


def test_a_one_word_author_named_as_the_site_is_no_critic():
    head = '<meta property="og:site_name" content="Indiefferential"><meta name="author" content="Indiefferential">'
    page = parse_page(_page(head, f"<p>{WORDS}</p>"), "http://b.test/p")
    assert (page.critic, page.outlet) == (None, "Indiefferential")


def test_a_person_whose_site_bears_their_name_stays_the_critic():
    head = '<meta property="og:site_name" content="Charles Barnes"><meta name="author" content="Charles Barnes">'
    assert parse_page(_page(head, f"<p>{WORDS}</p>"), "http://b.test/p").critic == "Charles Barnes"


@pytest.mark.parametrize("line, owner", [
    ("© 2025 Greg L. Turnquist. All rights reserved.", "Greg L. Turnquist"),
    ("© 2007 The Outlet. All rights reserved", "The Outlet"),
    ("© 2021 A. O. Scott.", "A. O. Scott"),
])
def test_the_copyright_owner_keeps_initials(line, owner):
    from lxml import html
    assert copyright_owner(html.fromstring(f"<html><body><footer>{line}</footer></body></html>")) == owner


def test_a_title_the_opening_dates_beats_a_punning_headline():
    text = ("<p>So Weapons (2025) has become the first horror film I watched in a cinema this year.</p>"
            f"<p>Weapons is strange. {WORDS}</p>")
    page = parse_page(_page("", text, title="Weaponest Kids"), "http://b.test/posts/witch/")
    assert page.film_title == "Weapons"


def test_full_width_separators_split_a_chinese_headline():
    title = "讀後心得｜無聲：無法出聲的受害學生"
    text = "<p>《無聲》改編自真實事件。" + "電影《無聲》讓人難忘，我推薦《無聲》。" * 10 + "</p>"
    head = '<meta name="keywords" content="Movie Review">'
    assert parse_page(_page(head, text, title=title), "http://b.test/p").film_title == "無聲"


def test_a_blogger_saying_they_write_movie_reviews_is_evidence():
    text = (f"<p>On occasion, I write movie reviews. Last night I watched “Heat” on DVD. {WORDS}</p>"
            f"<p>The movie is a film of rare patience; the director frames every scene with care. {WORDS}</p>")
    page = parse_page(_page("", text, title="“Heat” movie is really cool"), "http://b.test/blog/heat/")
    assert page.reject_reason is None, page.reject_reason
    assert any("movie reviews" in e for e in page.review_evidence)


def test_comments_after_a_comments_heading_are_not_review_text():
    body = (f"<p>{WORDS}</p><h2 id=comments>Comments<a href=#comments>#</a></h2>"
            "<h3>Comment by Grinder on 2012-08-08</h3><p>Fascinating blog! Is your theme custom made?</p>")
    text = parse_page(_page("", body, title="Heat review"), "http://b.test/heat-review/").body_text
    assert "superb throughout" in text and "Fascinating blog" not in text


def test_text_after_an_empty_table_is_kept():
    body = (f"<div><p><table>\n</table>“27 Dresses” was obviously written by a plot generator. {WORDS}</p>"
            f"<p>{WORDS}</p></div>")
    text = parse_page(_page("", body, title="Review: 27 Dresses"), "http://b.test/r").body_text
    assert "obviously written by a plot generator" in text


def test_the_text_ends_at_the_pages_copyright_or_other_stories_line():
    body = (f"<p>{WORDS}</p><p>{WORDS} Not even a one-time watch.</p><p>Other Stories</p>"
            "<p>Halla Bol and other things</p><p>Copyright © Zee News Limited. All rights reserved.</p>")
    text = parse_page(_page("", body, title="Review: Om Shanti Om"), "http://b.test/r").body_text
    assert text.endswith("Not even a one-time watch.") and "Copyright" not in text


def test_an_uncredited_name_keeps_its_generational_suffix():
    from critics.tasks.extract.mentions import find_mentions
    from critics.tasks.text.chunk import split_sentences
    text = "The extras you never noticed were actually Robert Downey Jr. in disguise, as Alan King noted."
    found = {m.surface for m in find_mentions(text, split_sentences(text), [], None) if m.kind == "person"}
    assert {"Robert Downey Jr.", "Alan King"} <= found


def test_a_title_the_text_introduces_as_a_film_called_x_beats_a_headline_that_names_none():
    text = (f"<p>Today I watched a film called Hi, mom with my family. {WORDS}</p>"
            f"<p>Hi, mom is a comedy about a mother. {WORDS}</p>")
    page = parse_page(_page('<meta name="keywords" content="film review">', text, title="Stay Humble And Be Full"),
                      "http://b.test/posts/x/")
    assert page.film_title == "Hi, mom"
