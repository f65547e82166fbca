"""Edges real sites have (issue 18): content codings, charset labels, odd dates, URL forms, feeds, text sitemaps,
robots.txt Sitemap lines, and more broken HTTP. Routes for tests/badsite/server.py."""
from __future__ import annotations

import gzip
import json
import zlib

from .pages import review_html

GB_TITLE = "\u9738\u738b\u522b\u59ec"  # Farewell My Concubine, in GB2312 characters
GB_LINE = "\u8fd9\u90e8\u7535\u5f71\u975e\u5e38\u7cbe\u5f69\uff0c\u5bfc\u6f14\u7684\u53d9\u4e8b\u8282\u594f\u628a\u63e1\u5f97\u5f88\u597d\u3002"
JA_TITLE = "\u5343\u3068\u5343\u5c0b\u306e\u795e\u96a0\u3057"  # Spirited Away
JA_LINE = "\u3053\u306e\u6620\u753b\u306f\u7d20\u6674\u3089\u3057\u3044\u3002\u76e3\u7763\u306e\u6f14\u51fa\u304c\u898b\u4e8b\u3067\u3059\u3002"
RU_TITLE = "\u0421\u0442\u0430\u043b\u043a\u0435\u0440"  # Stalker
RU_LINE = ("\u042d\u0442\u043e\u0442 \u0444\u0438\u043b\u044c\u043c \u043d\u0430\u0441\u0442\u043e\u044f\u0449\u0438\u0439 "
           "\u0448\u0435\u0434\u0435\u0432\u0440, \u0440\u0435\u0436\u0438\u0441\u0441\u0451\u0440 \u0441\u0443\u043c\u0435\u043b "
           "\u043f\u0435\u0440\u0435\u0434\u0430\u0442\u044c \u0430\u0442\u043c\u043e\u0441\u0444\u0435\u0440\u0443 \u044d\u043f\u043e\u0445\u0438.")
LATIN_EXTRA = "The caf\u00e9 scenes \u2014 \u201cso sweet\u201d \u2014 cost \u20ac5 and are worth it."

# path -> (review title, text that must survive decoding into reviews.text or films.title). Only the words: repair
# (ftfy) turns full-width punctuation into ASCII on purpose.
DECODED = {
    "/charset-gb2312": (GB_TITLE, GB_LINE[:8]), "/charset-x-sjis": (JA_TITLE, JA_LINE[:8]),
    "/charset-cp1251-undeclared": (RU_TITLE, RU_LINE), "/charset-latin1-label": ("The Euro Cafe", "\u20ac5"),
    "/charset-meta-gb2312": (GB_TITLE + " II", GB_LINE[:8]), "/charset-unknown-label": ("Caf\u00e9 Unknown", "caf\u00e9"),
    "/charset-bom-beats-meta": ("The BOM Wins \u00e9t\u00e9", "\u00e9t\u00e9"),
}
# path -> the publication date the page states in an odd form (None: no readable date anywhere)
DATED = {"/date-sept": "2024-09-05", "/date-ordinal": "2024-03-01", "/date-rfc2822": "2024-09-05",
         "/date-text-only": "2023-11-14", "/date-garbage": None}


def routes(send, page, base) -> dict:
    """The edge routes, given server.py's _send(h, status, body, type, headers, length), _page and _base."""

    def encoded(coding: str, body_of):
        def route(h, _):
            send(h, 200, body_of(review_html(f"The {coding.title()} Coding").encode()), "text/html", {"Content-Encoding": coding})
        return route

    def charset(title: str, line: str, codec: str, content_type: str, meta: str | None = None, bom: bytes = b""):
        def route(h, _):
            html = review_html(title, extra=line)
            if meta:
                html = html.replace('<meta charset="utf-8">', f'<meta charset="{meta}">')
            else:
                html = html.replace('<meta charset="utf-8">', "")
            send(h, 200, bom + html.encode(codec), content_type)
        return route

    def dated(title: str, time_html: str, jsonld: str | None = None):
        def route(h, _):
            html = review_html(title, jsonld=jsonld).replace('<time datetime="2024-03-01">1 March 2024</time>', time_html)
            send(h, 200, html.encode())
        return route

    def plain(status: int, body: bytes = b"", headers: dict | None = None, content_type: str | None = "text/plain"):
        def route(h, _):
            send(h, status, body, content_type, headers)
        return route

    def hops(n: int, target: str):
        def route(h, _):
            send(h, 302, b"", "text/plain", {"Location": target if n == 0 else f"/redirect-hop-{n - 1}-{target.strip('/')}"})
        return route

    def with_type(content_type: str | None, title: str):
        def route(h, _):
            send(h, 200, review_html(title).encode(), content_type)
        return route

    def raw(head: bytes, body: bytes):
        def route(h, _):
            h.wfile.write(head + body)
        return route

    def good_page(title: str):
        return lambda h, _: page(h, title)

    sept = json.dumps({"@type": "Review", "datePublished": "Sept. 5, 2024", "itemReviewed": {"@type": "Movie", "name": "The September Issue"},
                       "author": {"@type": "Person", "name": "Dana Reviewer"}})
    table = {
        # content codings
        "/gzip-over-plain": lambda h, _: send(h, 200, review_html("The Plain Lie").encode(), "text/html", {"Content-Encoding": "gzip"}),
        "/deflate-raw": encoded("deflate", _raw_deflate),
        "/deflate-zlib": encoded("deflate", zlib.compress),
        "/gzip-double": lambda h, _: send(h, 200, gzip.compress(gzip.compress(review_html("The Double Wrap").encode())), "text/html",
                                          {"Content-Encoding": "gzip, gzip"}),
        "/encoding-identity": lambda h, _: send(h, 200, review_html("The Identity Card").encode(), "text/html", {"Content-Encoding": "identity"}),
        "/gzip-upper-case": lambda h, _: send(h, 200, gzip.compress(review_html("The Loud Header").encode()), "text/html",
                                              {"Content-Encoding": "GZIP"}),
        "/encoding-compress": lambda h, _: send(h, 200, b"\x1f\x9d\x90garbage", "text/html", {"Content-Encoding": "compress"}),
        "/deflate-garbage": lambda h, _: send(h, 200, b"this is not deflate at all" * 10, "text/html", {"Content-Encoding": "deflate"}),
        "/gzip-truncated": lambda h, _: send(h, 200, gzip.compress(review_html("The Half Zip").encode())[:200], "text/html",
                                             {"Content-Encoding": "gzip"}),
        # charset labels as browsers read them
        "/charset-gb2312": charset(GB_TITLE, GB_LINE, "gbk", "text/html; charset=gb2312"),
        "/charset-x-sjis": charset(JA_TITLE, JA_LINE, "cp932", "text/html; charset=x-sjis"),
        "/charset-cp1251-undeclared": charset(RU_TITLE, RU_LINE + " " + RU_LINE, "cp1251", "text/html"),
        "/charset-latin1-label": charset("The Euro Cafe", LATIN_EXTRA, "cp1252", "text/html; charset=latin1"),
        "/charset-meta-gb2312": charset(GB_TITLE + " II", GB_LINE, "gbk", "text/html", meta="gb2312"),
        "/charset-unknown-label": charset("Caf\u00e9 Unknown", "A caf\u00e9 film.", "utf-8", "text/html; charset=x-klingon"),
        "/charset-bom-beats-meta": charset("The BOM Wins \u00e9t\u00e9", "", "utf-8", "text/html", meta="iso-8859-1",
                                           bom=b"\xef\xbb\xbf"),
        # dates in the forms sites print
        "/date-sept": dated("The September Issue", "", jsonld=sept),
        "/date-ordinal": dated("The First Of March", '<time datetime="1st March 2024">1st March 2024</time>'),
        "/date-rfc2822": dated("The Mail Date", '<time datetime="Thu, 05 Sep 2024 10:00:00 GMT">Thursday</time>'),
        "/date-text-only": dated("The Plain Date", '<p class="date">Published: 2023-11-14</p>'),
        "/date-garbage": dated("The Undated Film", '<time datetime="soon">some day</time>'),
        # URL forms (the sitemap lists them dotted, upper-cased, with fragments, queries, escapes)
        "/dot-target": good_page("The Dotted Line"), "/case-target": good_page("The Upper Case"),
        "/frag-target": good_page("The Fragment"), "/query-target": good_page("The Query"),
        "/caf%C3%A9-review": good_page("The Escaped Path"), "/escape-root": good_page("The Root Escape"),
        # feeds and plain-text sitemaps (children of the sitemap index)
        "/feed.rss": lambda h, _: send(h, 200, _rss(base(h)), "application/rss+xml"),
        "/atom.xml": lambda h, _: send(h, 200, _atom(base(h)), "text/html"),  # mislabelled: sniffed as a feed
        "/urls.txt": lambda h, _: send(h, 200, _text_sitemap(base(h), "/text-sitemap-page"), "text/plain"),
        "/bomb-sitemap.xml": lambda h, _: send(h, 200, _bomb_sitemap(base(h)), "application/xml"),
        "/feed-guid-page": good_page("The Permalink Guid"), "/feed-link-page": good_page("The Linked Item"),
        "/feed-relative": good_page("The Relative Item"), "/films/atom-entry": good_page("The Atom Base"),
        "/other/atom-entry-two": good_page("The Entry Base"), "/atom-id-page": good_page("The Atom Id"),
        "/text-sitemap-page": good_page("The Text Sitemap"), "/after-bomb": good_page("The Survivor"),
        # robots.txt Sitemap lines (the "sitemaps" site, crawled from its root)
        "/": lambda h, _: send(h, 200, b"<html><head><title>Home</title></head><body><p>Welcome.</p></body></html>"),
        "/robots-listed.xml": lambda h, _: send(h, 200, _urlset([f"{base(h)}/robots-sitemap-page"]), "application/xml"),
        "/robots-urls.txt.gz": lambda h, _: send(h, 200, gzip.compress(_text_sitemap(base(h), "/robots-text-page")),
                                                 "application/gzip"),
        "/robots-sitemap-page": good_page("The Robots Sitemap"), "/robots-text-page": good_page("The Robots Text"),
        "/port-page": good_page("The Default Port"),
        "/port-feed.xml": lambda h, _: send(h, 200, _port_feed(), "application/rss+xml"),
        # content types
        "/no-content-type": with_type(None, "The Untyped Page"),
        "/xhtml": with_type("application/xhtml+xml; charset=utf-8", "The Strict Markup"),
        "/text-plain-html": with_type("text/plain", "The Plain Text"),
        "/json-body": plain(200, b'{"review": "not a page"}', content_type="application/json"),
        # statuses and redirects
        "/status-204": plain(204, content_type=None), "/status-418": plain(418, b"teapot"), "/status-599": plain(599, b"odd"),
        "/redirect-no-location": plain(301, b"moved, but where?"),
        "/redirect-chain": hops(3, "/redirect-target"),
        "/redirect-too-many": hops(25, "/redirect-target"),
        "/retry-after-a-day": plain(503, b"back tomorrow", {"Retry-After": "86400"}),
        "/retry-after-date": plain(429, b"later", {"Retry-After": "Wed, 21 Oct 2065 07:28:00 GMT"}),
        # broken HTTP
        "/header-flood": raw(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n"
                             + b"".join(b"X-Flood-%d: x\r\n" % i for i in range(150)) + b"\r\n", review_html("The Flood").encode()),
        "/header-huge": raw(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nX-Huge: " + b"x" * 70_000 + b"\r\n\r\n",
                            review_html("The Huge Header").encode()),
        "/chunked-bad": raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n",
                            b"zz-not-hex\r\n<html>\r\n0\r\n\r\n"),
        "/short-body": raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 50000\r\nConnection: close\r\n\r\n",
                           review_html("The Short Measure").encode()),
        "/status-line-garbage": raw(b"HTTP/1.1 2OO OKAY\r\nContent-Type: text/html\r\n\r\n", b"<html></html>"),
        # pages that parse to nothing, or to something surprising
        "/script-only": lambda h, _: send(h, 200, b"<html><head><script>" + b"var x = 1;" * 2000 + b"</script></head></html>"),
        "/unclosed-comment": lambda h, _: send(h, 200, b"<html><body><p>Start.</p><!-- " + b"hidden words " * 2000),
        "/meta-refresh": lambda h, _: send(h, 200, b'<html><head><meta http-equiv="refresh" content="0;url=/good"></head></html>'),
        "/entity-bomb-html": lambda h, _: send(h, 200, _entity_bomb_page()),
        "/nul-bytes": lambda h, _: send(h, 200, review_html("The Null Set").replace("restrained", "re\x00strained").encode()),
        "/header-vs-meta": charset("The Header Rules \u00e9", "", "utf-8", "text/html; charset=utf-8", meta="windows-1251"),
    }
    for n in range(25):  # the hops of /redirect-chain and /redirect-too-many
        table[f"/redirect-hop-{n}-redirect-target"] = hops(n, "/redirect-target")
    return table


def _raw_deflate(body: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-15)  # raw deflate, no zlib header: what many servers send as "deflate"
    return packer.compress(body) + packer.flush()


def _urlset(locs: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


def _rss(base: str) -> bytes:
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bad Site Weekly</title><link>{base}/</link>'
            f"<item><title>Permalink only</title><guid>{base}/feed-guid-page</guid></item>"
            f'<item><title>Opaque guid</title><guid isPermaLink="false">tag:bad.example,2024:7</guid></item>'
            f"<item><title>Linked</title><link>{base}/feed-link-page</link><guid isPermaLink=\"false\">x-1</guid></item>"
            f"<item><title>Relative</title><link>feed-relative</link></item>"
            f"<item><title>Elsewhere</title><link>https://evil.example/feed-item</link></item>"
            "</channel></rss>").encode()


def _atom(base: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="{base}/films/">'
            "<title>Bad Site Weekly</title><id>tag:bad.example,2024:feed</id>"
            '<entry><title>One</title><link href="atom-entry"/><link rel="edit" href="/edit/1"/></entry>'
            '<entry xml:base="/other/"><title>Two</title><link rel="alternate" href="atom-entry-two"/></entry>'
            f"<entry><title>Three</title><id>{base}/atom-id-page</id></entry></feed>").encode()


def _port_feed() -> bytes:
    """Items written with the scheme's default port: the same site as the feed's http://127.0.0.1/."""
    return (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Ports</title>'
            b"<item><link>http://127.0.0.1:80/port-page</link></item>"
            b"<item><link>https://127.0.0.1:443/port-https-page</link></item></channel></rss>")


def _text_sitemap(base: str, path: str) -> bytes:
    return f"{base}{path}\r\n\n# a comment line\nhttp://example.org/text-offsite\n".encode()


def _bomb_sitemap(base: str) -> bytes:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
                                                    for p, c in zip("abcdefgh", "bcdefghi"))
    return (f'<?xml version="1.0"?><!DOCTYPE urlset [{entities}]>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&i;</loc></url>'
            f"<url><loc>{base}/after-bomb</loc></url></urlset>").encode()


def _entity_bomb_page() -> bytes:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
                                                    for p, c in zip("abcdefgh", "bcdefghi"))
    return review_html("The Laughing Billion").replace("<!DOCTYPE html>", f"<!DOCTYPE html [{entities}]>") \
        .replace("</article>", "<p>&i;</p></article>").encode()
