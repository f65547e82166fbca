"""Pure discovery parsing: sitemaps (index, nested, gzipped), RSS/Atom feeds and listing pages."""
from __future__ import annotations

import gzip
import io
import re
import zlib
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser
import lxml.html
from lxml import etree

from critics.tasks.text.clean import decode_html
from critics.tasks.acquire.scope import DEFAULT_PORTS, site_key, url_refusal

MAX_SITEMAP_BYTES = 50_000_000
MAX_ROBOTS_BYTES = 512_000  # as much of a robots.txt as the fetcher reads for its rules
_TEXT_SITEMAP_HEAD = re.compile(rb"https?://[^\s<>\"]+\s*(\n|$)")
_ABSOLUTE = re.compile(r"https?://\S+$", re.I)
_ROBOTS_SITEMAP = re.compile(r"^[ \t]*sitemap[ \t]*:[ \t]*(\S+)", re.I | re.M)
_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*(\[.*?\]\s*)?>", re.S)
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)


@dataclass
class Discovered:
    """What one discovery document points to."""

    kind: str  # sitemap_index | sitemap | feed | listing | page
    pages: list[str] = field(default_factory=list)  # candidate review pages
    follow: list[str] = field(default_factory=list)  # more discovery documents (child sitemaps, next pages)
    lastmod: dict[str, str] = field(default_factory=dict)  # page URL -> its sitemap <lastmod>, as written


def gunzip_if_needed(body: bytes) -> bytes:
    """Decompress gzipped sitemaps, refusing ones that inflate past the limit."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            data = stream.read(MAX_SITEMAP_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise ValueError(f"corrupt gzip ({type(exc).__name__})") from None
    if len(data) > MAX_SITEMAP_BYTES:
        raise ValueError("sitemap inflates past the size limit")
    return data


def classify(body: bytes, content_type: str | None = None) -> str:
    """Kind of a discovery document from its first bytes: sitemap_index, sitemap, feed or html."""
    head = gunzip_if_needed(body)[:2048].lstrip().lower()
    if b"<sitemapindex" in head:
        return "sitemap_index"
    if b"<urlset" in head:
        return "sitemap"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    if _TEXT_SITEMAP_HEAD.match(head):
        return "text_sitemap"
    return "html"


def parse_sitemap(body: bytes, base_url: str) -> Discovered:
    """Page URLs of a sitemap, or child sitemap URLs of a sitemap index."""
    root = _xml_root(gunzip_if_needed(body))
    if root is None:
        return Discovered("sitemap")
    locs = [_join(base_url, el.text) for el in root.iter() if _local(el.tag) == "loc" and el.text]
    if _local(root.tag) == "sitemapindex":
        return Discovered("sitemap_index", follow=locs)
    return Discovered("sitemap", pages=locs, lastmod=_lastmods(root, base_url))


def parse_text_sitemap(body: bytes, base_url: str) -> Discovered:
    """Page URLs of a plain-text sitemap (sitemaps.org: one absolute URL per line, UTF-8)."""
    text = gunzip_if_needed(body).decode("utf-8", errors="replace")
    lines = (line.strip() for line in text.splitlines())
    return Discovered("sitemap", pages=[_join(base_url, line) for line in lines if _ABSOLUTE.match(line)])


def robots_sitemaps(body: bytes, base_url: str) -> list[str]:
    """The `Sitemap:` URLs a robots.txt declares (any case, any position in the file)."""
    text = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
    found = (m.group(1) for m in _ROBOTS_SITEMAP.finditer(text))
    return list(dict.fromkeys(_join(base_url, url) for url in found))


def is_site_root(url: str) -> bool:
    """Whether url is a site's root page (`https://example.org/`), where robots.txt sitemaps are worth reading."""
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def _lastmods(root, base_url: str) -> dict[str, str]:
    """<lastmod> of each <url> entry that has one, keyed by its page URL."""
    found = {}
    for entry in root:
        fields = {_local(child.tag): (child.text or "").strip() for child in entry if isinstance(child.tag, str)}
        if fields.get("loc") and fields.get("lastmod"):
            found[_join(base_url, fields["loc"])] = fields["lastmod"]
    return found


def parse_feed(body: bytes, base_url: str) -> Discovered:
    """Item links of an RSS 0.9x/1.0/2.0 or Atom feed, read by feedparser: permalink-only <guid>s, xml:base."""
    # bytes, never a str: feedparser fetches a string that looks like a URL
    feed = feedparser.parse(bytes(gunzip_if_needed(body)), response_headers={"content-location": base_url},
                            sanitize_html=False, resolve_relative_uris=False)
    links = [_join(base_url, entry.link) for entry in feed.entries if entry.get("link")]
    return Discovered("feed", pages=list(dict.fromkeys(links)))


def parse_listing(body: bytes, base_url: str, content_type: str | None = None) -> Discovered:
    """Article links of a listing page and its next page (rel=next), same site only."""
    try:
        tree = lxml.html.document_fromstring(decode_html(body, content_type) or "<html></html>")
    except etree.ParserError:  # a body with no element at all ("<!-- -->", whitespace) lists nothing
        return Discovered("listing")
    next_pages = [_join(base_url, h) for h in tree.xpath('//a[@rel="next"]/@href | //link[@rel="next"]/@href')]
    scope = tree.xpath("//main") or tree.xpath("//body") or [tree]
    pages = []
    for anchor in scope[0].xpath(".//article//a[@href] | .//li//a[@href] | .//h2//a[@href] | .//h3//a[@href]"):
        if anchor.xpath('ancestor::nav or ancestor::aside or ancestor::footer') or anchor.get("rel") == "next":
            continue
        pages.append(_join(base_url, anchor.get("href")))
    # Off-site links are kept so the crawl can record them as out of scope rather than lose them.
    return Discovered("listing", pages=list(dict.fromkeys(pages)), follow=_same_site(next_pages, base_url))


def normalise_url(url: str) -> str:
    """One key per page: no fragment, lower-case scheme and host, no default port, no dot segments.

    Malformed URLs and other schemes are kept as written (and later refused, never fetched).
    """
    try:
        url, _ = urldefrag(url.strip())
        parts = urlsplit(url)
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return url  # javascript:, mailto:, data: ... are recorded as written, never fetched
    netloc = parts.netloc.lower()
    default = DEFAULT_PORTS[scheme]
    if netloc.endswith((f":{default}", ":")) and "]" not in netloc.rsplit(":", 1)[1]:
        netloc = netloc.rsplit(":", 1)[0]
    path = remove_dot_segments(parts.path) if "." in parts.path else parts.path
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{netloc}{path or '/'}{query}"


def remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4: `/a/./b/../c` -> `/a/c`, never climbing above the root."""
    segments, out = path.split("/"), []
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment in (".", ".."):
            if segment == ".." and len(out) > 1:
                out.pop()
            if last:
                out.append("")
            continue
        out.append(segment)
    return "/".join(out)


def same_site(url: str, site_url: str) -> bool:
    """Whether url is on the same host (and port, a scheme's default port being no port) as site_url."""
    if url_refusal(url) or url_refusal(site_url):
        return False
    return site_key(url) == site_key(site_url)


def _same_site(urls: list[str], base_url: str) -> list[str]:
    return list(dict.fromkeys(u for u in urls if same_site(u, base_url)))


def _join(base_url: str, href: str) -> str:
    """href resolved against base_url; a malformed href is kept as written (and later refused)."""
    href = href.strip()
    if href.startswith(("http://", "https://")) and "/." not in href:
        return href  # already absolute (the common sitemap case): skip urljoin, which is slow at 100,000 URLs
    try:
        return urljoin(base_url, href)
    except ValueError:
        return href.strip()


def _xml_root(body: bytes):
    # Strip a leading BOM/whitespace: lxml refuses an XML declaration that is not first.
    body = re.sub(rb"^(\xef\xbb\xbf|\s)+", b"", body)
    # A sitemap needs no DTD: an internal subset is dropped unread, so an entity bomb cannot cut the document
    # short (libxml2 stops at its amplification limit, losing every <url> after it).
    body = _DOCTYPE.sub(b"", body[:65536], count=1) + body[65536:] if b"<!DOCTYPE" in body[:65536] else body
    try:
        return etree.fromstring(body, _XML_PARSER)
    except etree.XMLSyntaxError:
        return None


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""

