"""Discovery parsing: sitemaps (index, urlset, gzipped, bombs), feeds, listings, URL normalising and same-site checks."""
from __future__ import annotations

import gzip

import pytest

from critics.tasks.acquire import documents as discover
from critics.tasks.acquire.documents import (classify, is_site_root, normalise_url, parse_feed, parse_listing,
                                             parse_sitemap, parse_text_sitemap, robots_sitemaps, same_site)
from critics.tasks.acquire.scope import Scope

BASE = "https://reviews.example/"
SM_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'

URLSET = (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {SM_NS}>'
          "<url><loc>https://reviews.example/a</loc></url>"
          "<url><loc> https://reviews.example/b </loc><lastmod>2024-01-01</lastmod></url>"
          "<url><loc>/relative/c</loc></url></urlset>").encode()
INDEX = (f'<?xml version="1.0"?>\n<sitemapindex {SM_NS}>'
         "<sitemap><loc>https://reviews.example/sm-1.xml</loc></sitemap>"
         "<sitemap><loc>https://reviews.example/sm-2.xml.gz</loc></sitemap></sitemapindex>").encode()
URLSET_PREFIXED = (b'<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9">'
                   b"<sm:url><sm:loc>https://reviews.example/p</sm:loc></sm:url></sm:urlset>")
RSS = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Reviews</title><link>https://reviews.example/</link>'
       b"<item><title>One</title><link>https://reviews.example/r/1</link></item>"
       b"<item><title>Two</title><link>\n  /r/2  \n</link></item></channel></rss>")
ATOM = (b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Reviews</title>'
        b'<link href="https://reviews.example/" rel="alternate"/>'
        b'<entry><title>One</title><link href="https://reviews.example/r/1"/>'
        b'<link rel="edit" href="https://reviews.example/edit/1"/></entry>'
        b'<entry><title>Two</title><link rel="alternate" href="/r/2"/></entry></feed>')
LISTING = b"""<html><head><link rel="next" href="/reviews?page=2"></head><body>
<nav><ul><li><a href="/nav-home">Home</a></li></ul></nav>
<main>
  <article><h2><a href="/review/1#top">Film One</a></h2></article>
  <article><a href="/review/2">Film Two</a></article>
  <ul><li><a href="https://other.example/review/3">Elsewhere</a></li></ul>
  <aside><ul><li><a href="/popular">Popular</a></li></ul></aside>
  <ul><li><a rel="next" href="/reviews?page=2">Next</a></li></ul>
</main>
<footer><ul><li><a href="/about">About</a></li></ul></footer>
</body></html>"""


@pytest.mark.parametrize("body, kind, pages, follow", [
    (URLSET, "sitemap", ["https://reviews.example/a", "https://reviews.example/b", "https://reviews.example/relative/c"], []),
    (INDEX, "sitemap_index", [], ["https://reviews.example/sm-1.xml", "https://reviews.example/sm-2.xml.gz"]),
    (URLSET_PREFIXED, "sitemap", ["https://reviews.example/p"], []),
    (gzip.compress(URLSET), "sitemap", ["https://reviews.example/a", "https://reviews.example/b",
                                        "https://reviews.example/relative/c"], []),
    (gzip.compress(INDEX), "sitemap_index", [], ["https://reviews.example/sm-1.xml", "https://reviews.example/sm-2.xml.gz"]),
    (b"\xef\xbb\xbf\n  " + URLSET, "sitemap", ["https://reviews.example/a", "https://reviews.example/b",
                                               "https://reviews.example/relative/c"], []),
])
def test_sitemap_index_gives_follow_and_urlset_gives_pages(body, kind, pages, follow):
    found = parse_sitemap(body, BASE)
    assert (found.kind, found.pages, found.follow) == (kind, pages, follow)


def test_gzip_that_inflates_past_the_limit_raises_value_error(monkeypatch):
    monkeypatch.setattr(discover, "MAX_SITEMAP_BYTES", 1000)
    bomb = gzip.compress(URLSET[:100] + b" " * 5000)
    with pytest.raises(ValueError, match="size limit"):
        parse_sitemap(bomb, BASE)


def test_gzip_at_the_limit_is_accepted(monkeypatch):
    monkeypatch.setattr(discover, "MAX_SITEMAP_BYTES", len(URLSET))
    assert parse_sitemap(gzip.compress(URLSET), BASE).pages[0] == "https://reviews.example/a"


def test_corrupt_gzip_raises_value_error():
    with pytest.raises(ValueError, match="corrupt gzip"):
        parse_sitemap(gzip.compress(URLSET)[:30], BASE)


@pytest.mark.parametrize("body", [b"", b"not xml at all", b"<urlset><url><loc", b"\x00\x01\x02garbage",
                                  b"<<<>>>", b'<?xml version="1.0"?>'])
def test_malformed_sitemap_gives_no_pages_and_no_crash(body):
    found = parse_sitemap(body, BASE)
    assert found.pages == [] and found.follow == []


def test_sitemap_entities_are_not_expanded():
    body = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x "https://evil.example/">]>'
            b'<urlset ' + SM_NS.encode() + b'><url><loc>&x;a</loc></url></urlset>')
    assert all("evil.example" not in page for page in parse_sitemap(body, BASE).pages)


@pytest.mark.parametrize("body, pages", [
    (RSS, ["https://reviews.example/r/1", "https://reviews.example/r/2"]),
    (ATOM, ["https://reviews.example/r/1", "https://reviews.example/r/2"]),
])
def test_rss_and_atom_feeds_give_item_links_only(body, pages):
    found = parse_feed(body, BASE)
    assert (found.kind, found.pages, found.follow) == ("feed", pages, [])


@pytest.mark.parametrize("body", [b"", b"<rss><channel><item><link>", b"plain text"])
def test_malformed_feed_does_not_crash(body):
    assert parse_feed(body, BASE).kind == "feed"


@pytest.mark.parametrize("body, kind", [
    (URLSET, "sitemap"), (INDEX, "sitemap_index"), (gzip.compress(URLSET), "sitemap"),
    (gzip.compress(INDEX), "sitemap_index"), (RSS, "feed"), (ATOM, "feed"),
    (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>', "feed"),
    (LISTING, "html"), (b"", "html"), (b"   \n<URLSET>", "sitemap"),
])
def test_classify_names_each_kind_of_discovery_document(body, kind):
    assert classify(body) == kind


def test_listing_keeps_article_links_and_skips_nav_aside_footer_and_next():
    found = parse_listing(LISTING, "https://reviews.example/reviews")
    assert found.kind == "listing"
    assert found.pages == ["https://reviews.example/review/1#top", "https://reviews.example/review/2",
                           "https://other.example/review/3"]


def test_listing_follows_rel_next_on_the_same_site_once():
    assert parse_listing(LISTING, "https://reviews.example/reviews").follow == ["https://reviews.example/reviews?page=2"]


def test_listing_drops_off_site_next_page():
    body = b'<html><body><main><a rel="next" href="https://other.example/p2">n</a></main></body></html>'
    assert parse_listing(body, BASE).follow == []


@pytest.mark.parametrize("body", [b"", b"\x00\xff\xfe", b"<"])
def test_empty_or_garbage_listing_gives_nothing(body):
    found = parse_listing(body, BASE)
    assert found.pages == [] and found.follow == []


@pytest.mark.parametrize("body", [b"   \n", b"<!-- nothing -->", b"<html"])
def test_listing_that_parses_to_no_element_gives_nothing(body):
    found = parse_listing(body, BASE)
    assert found.pages == [] and found.follow == []


@pytest.mark.parametrize("url, expected", [
    ("https://Reviews.EXAMPLE/Film/1#section", "https://reviews.example/Film/1"),
    ("HTTP://Reviews.Example", "http://reviews.example/"),
    ("  https://reviews.example/a?b=1#c  ", "https://reviews.example/a?b=1"),
    ("https://reviews.example:8443/x#", "https://reviews.example:8443/x"),
    ("mailto:Critic@Example.org", "mailto:Critic@Example.org"),
    ("javascript:void(0)", "javascript:void(0)"),
    ("https://example.org:443/x", "https://example.org/x"),  # a scheme's default port is no port
    ("http://example.org:80", "http://example.org/"),
    ("http://example.org:443/x", "http://example.org:443/x"),  # not http's default
    ("https://example.org:/x", "https://example.org/x"),  # empty port
    ("http://[::1]:80/x", "http://[::1]/x"),
    ("https://example.org/a/./b/../c/", "https://example.org/a/c/"),  # RFC 3986 dot segments
    ("https://example.org/a/b/..", "https://example.org/a/"),
    ("https://example.org/../../x", "https://example.org/x"),  # never above the root
    ("https://example.org/a.b/c.html?x=../y", "https://example.org/a.b/c.html?x=../y"),  # dots in names and query kept
])
def test_normalise_url_drops_fragment_and_lowercases_scheme_and_host_only(url, expected):
    assert normalise_url(url) == expected


def test_normalise_url_keeps_malformed_url_as_written():
    assert normalise_url(" http://[bad/x ") == "http://[bad/x"


@pytest.mark.parametrize("url, site, expected", [
    ("https://reviews.example/a", "https://reviews.example/", True),
    ("https://REVIEWS.example/a", "https://reviews.example/", True),
    ("http://reviews.example/a", "https://reviews.example/", True),  # scheme is not part of the site
    ("https://reviews.example:8080/a", "https://reviews.example/", False),
    ("http://127.0.0.1:8000/a", "http://127.0.0.1:8000/", True),
    ("http://127.0.0.1:8001/a", "http://127.0.0.1:8000/", False),
    ("https://www.reviews.example/a", "https://reviews.example/", False),
    ("https://other.example/a", "https://reviews.example/", False),
    ("javascript:alert(1)", "https://reviews.example/", False),
    ("https://u:p@reviews.example/a", "https://reviews.example/", False),
    ("https://reviews.example:443/a", "https://reviews.example/", True),  # issue 18: was refused as off-site
    ("http://reviews.example:80/a", "https://reviews.example/", True),
    ("http://reviews.example:443/a", "https://reviews.example/", False),
])
def test_same_site_compares_host_and_port(url, site, expected):
    assert same_site(url, site) is expected


def test_sitemap_lastmod_is_kept_per_page_as_written():
    body = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            b"<url><loc>/a</loc><lastmod>2025-01-02</lastmod></url><url><loc>/b</loc></url>"
            b"<url><lastmod>2025-03-04T10:00:00Z</lastmod><loc>http://x.test/c</loc></url></urlset>")
    found = parse_sitemap(body, "http://x.test/")
    assert found.pages == ["http://x.test/a", "http://x.test/b", "http://x.test/c"]
    assert found.lastmod == {"http://x.test/a": "2025-01-02", "http://x.test/c": "2025-03-04T10:00:00Z"}


def test_scope_counts_the_default_port_as_the_same_site():
    scope = Scope.from_urls(["https://example.org/sitemap.xml"])
    assert scope.refusal("https://example.org:443/x") is None
    assert scope.refusal("https://example.org:8443/x") == "off-site host example.org"


def test_rss_item_with_only_a_permalink_guid_is_kept():
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>R</title>'
            b"<item><title>One</title><guid>https://reviews.example/r/1</guid></item>"
            b'<item><title>Two</title><guid isPermaLink="true">https://reviews.example/r/2</guid></item>'
            b'<item><title>Opaque</title><guid isPermaLink="false">tag:reviews.example,2024:3</guid></item>'
            b"</channel></rss>")
    assert parse_feed(body, BASE).pages == ["https://reviews.example/r/1", "https://reviews.example/r/2"]


def test_atom_links_resolve_against_xml_base():
    body = (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://reviews.example/films/">'
            b'<title>R</title><entry><title>One</title><link href="r/1"/><link rel="edit" href="/edit/1"/></entry>'
            b'<entry xml:base="/archive/2023/"><title>Two</title><link rel="alternate" href="r/2"/></entry></feed>')
    assert parse_feed(body, "https://reviews.example/feed.atom").pages == [
        "https://reviews.example/films/r/1", "https://reviews.example/archive/2023/r/2"]


def test_gzipped_feed_is_read():
    assert parse_feed(gzip.compress(RSS), BASE).pages == ["https://reviews.example/r/1", "https://reviews.example/r/2"]


TEXT_SITEMAP = b"https://reviews.example/r/1\r\n\n  https://reviews.example/r/2  \n# not a URL\nftp://x/y\n"


def test_plain_text_sitemap_gives_one_page_per_url_line():
    assert classify(TEXT_SITEMAP) == "text_sitemap" and classify(gzip.compress(TEXT_SITEMAP)) == "text_sitemap"
    found = parse_text_sitemap(TEXT_SITEMAP, BASE)
    assert (found.kind, found.pages) == ("sitemap", ["https://reviews.example/r/1", "https://reviews.example/r/2"])


@pytest.mark.parametrize("body", [b"Just some words\nhttps://x.example/", b"<html>https://x.example/</html>"])
def test_text_that_does_not_start_with_a_url_is_not_a_text_sitemap(body):
    assert classify(body) == "html"


def test_robots_sitemap_lines_are_read_in_any_case_and_place():
    body = (b"User-agent: *\nDisallow: /private/\nSitemap: https://reviews.example/sitemap.xml\n"
            b"sitemap:/relative-sitemap.txt\n  SITEMAP :  https://cdn.example/sm.xml # comment\n"
            b"Sitemap: https://reviews.example/sitemap.xml\n")
    assert robots_sitemaps(body, "https://reviews.example/robots.txt") == [
        "https://reviews.example/sitemap.xml", "https://reviews.example/relative-sitemap.txt", "https://cdn.example/sm.xml"]


@pytest.mark.parametrize("url, expected", [("https://x.example/", True), ("https://x.example", True),
                                           ("https://x.example/?page=2", False), ("https://x.example/reviews", False)])
def test_site_root(url, expected):
    assert is_site_root(url) is expected


def test_an_entity_bomb_in_a_sitemap_costs_only_its_own_entry():
    laughs = '<!ENTITY a "aaaaaaaaaa">' + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
                                                  for p, c in zip("abcdefgh", "bcdefghi"))
    body = (f'<?xml version="1.0"?><!DOCTYPE urlset [{laughs}]><urlset {SM_NS}><url><loc>&i;</loc></url>'
            "<url><loc>https://reviews.example/after</loc></url></urlset>").encode()
    assert parse_sitemap(body, BASE).pages == ["https://reviews.example/after"]
