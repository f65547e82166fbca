"""A hostile website on loopback: one path per bad behaviour, for the bad-input corpus."""
from __future__ import annotations

import contextlib
import gzip
import json
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import edges
from .pages import ODD_LOCS, review_html

SQL_TITLE = "Robert'); DROP TABLE reviews;-- SELECT * FROM films"
SQL_CRITIC = "Seán O'Brien-Drop"
BIG_SITEMAP_URLS = 100_000


class BadSite:
    """The routes of one loopback server: path -> handler method name, plus its robots.txt behaviour."""

    def __init__(self, robots: str = "ok"):
        self.robots = robots
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()

    def hit(self, path: str) -> int:
        """Count a request to path and return how many there have been."""
        with self.lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            return self.hits[path]


def _handler(site: BadSite):
    class Handler(BaseHTTPRequestHandler):
        site = None
        protocol_version = "HTTP/1.0"  # close-delimited bodies: no length needed for streamed pages

        def do_GET(self):  # noqa: N802
            path = self.path.split("?", 1)[0]
            count = site.hit(path)
            route = ROUTES.get(path)
            if path == "/robots.txt":
                return _robots(self, site.robots)
            if path.startswith("/p/"):
                return _send(self, 404, b"gone", "text/plain")
            if route is None:
                return _send(self, 404, b"no such page", "text/plain")
            route(self, count)

        def handle(self):
            with contextlib.suppress(OSError):  # clients hang up on huge and slow pages on purpose
                super().handle()

        def log_message(self, *args):
            pass

    Handler.site = site
    return Handler


def _base(h) -> str:
    return f"http://{h.headers.get('Host')}"


def _send(h, status: int, body: bytes, content_type: str | None = "text/html; charset=utf-8",
          headers: dict | None = None, length: bool = True) -> None:
    h.send_response(status)
    if content_type:
        h.send_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        h.send_header(name, value)
    if length:
        h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def _page(h, title: str, **kwargs) -> None:
    _send(h, 200, review_html(title, **kwargs).encode("utf-8"))


def _robots(h, mode: str) -> None:
    if mode == "500":
        return _send(h, 500, b"robots broke", "text/plain")
    if mode == "404":
        return _send(h, 404, b"none", "text/plain")
    if mode == "5mb":  # rules first, then megabytes of junk: only the first part is read
        junk = b"# " + b"x" * 78 + b"\n"
        return _send(h, 200, b"User-agent: *\nDisallow: /secret/\n" + junk * 65_000, "text/plain")
    if mode == "sitemaps":  # Sitemap: lines, read when a start URL is the site's root
        lines = f"Sitemap: {_base(h)}/robots-listed.xml\nsitemap:/robots-urls.txt.gz\nSitemap: http://example.org/robots-offsite.xml\n"
        return _send(h, 200, b"User-agent: *\nDisallow: /private/\n" + lines.encode(), "text/plain")
    _send(h, 200, b"User-agent: *\nDisallow: /private/\n", "text/plain")


def _sitemap(locs: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


# ---- discovery documents -------------------------------------------------------------------------

def sitemap_index(h, _):
    children = [f"{_base(h)}/sitemap.xml", f"{_base(h)}/malformed-sitemap.xml", f"{_base(h)}/offsite-sitemap.xml",
                "http://example.com/sitemap.xml", f"{_base(h)}/feed.rss", f"{_base(h)}/atom.xml", f"{_base(h)}/urls.txt",
                f"{_base(h)}/bomb-sitemap.xml"]
    body = "".join(f"<sitemap><loc>{c}</loc></sitemap>" for c in children)
    _send(h, 200, f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>'.encode(), "application/xml")


def sitemap(h, _):
    from .pages import SITEMAP_PATHS, FOREIGN_LOCS
    odd = [_xml_escape(u.format(base=_base(h), hostport=h.headers.get("Host"))) for u in ODD_LOCS]
    locs = [f"{_base(h)}{p}" for p in SITEMAP_PATHS] + [_xml_escape(u) for u in FOREIGN_LOCS] + odd
    _send(h, 200, _sitemap(locs), "application/xml")


def malformed_sitemap(h, _):
    body = (f'<?xml version="1.0"?><urlset><url><loc>{_base(h)}/from-malformed-sitemap</loc></url>'
            '<url><loc>&bogus; <<</loc><url></urlset').encode()
    _send(h, 200, body, "application/xml")


def offsite_sitemap(h, _):
    _send(h, 200, _sitemap(["http://example.net/review/one", "https://evil.example/review/two"]), "application/xml")


def big_sitemap(h, _):
    locs = [f"{_base(h)}/p/{i}" for i in range(BIG_SITEMAP_URLS)]
    _send(h, 200, gzip.compress(_sitemap(locs), compresslevel=1), "application/x-gzip")


def robots_probe_sitemap(h, _):
    _send(h, 200, _sitemap([f"{_base(h)}/secret/review", f"{_base(h)}/review"]), "application/xml")


# ---- pages ---------------------------------------------------------------------------------------

def good(h, _):
    _page(h, "The Lighthouse Keeper")


def empty(h, _):
    _send(h, 200, b"")


def binary(h, _):
    _send(h, 200, bytes(range(256)) * 64)


def huge_streamed(h, _):  # 20 MB with no Content-Length: only a streaming limit stops it
    _send(h, 200, b"", length=False)
    chunk = b"<p>" + b"filler " * 1400 + b"</p>\n"
    for _ in range(20_000_000 // len(chunk)):
        h.wfile.write(chunk)


def huge_declared(h, _):
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", str(20_000_000))
    h.end_headers()
    h.wfile.write(b"<p>" + b"x" * 100_000)


GZIP_BOMB = gzip.compress(b"<html><body>" + b"\0" * 30_000_000, compresslevel=9)


def gzip_bomb(h, _):
    _send(h, 200, GZIP_BOMB, "text/html", {"Content-Encoding": "gzip"})


def gzip_ok(h, _):
    _send(h, 200, gzip.compress(review_html("The Compressed Cut").encode()), "text/html", {"Content-Encoding": "gzip"})


def brotli_claimed(h, _):
    _send(h, 200, b"\x8b\x00\x80garbage", "text/html", {"Content-Encoding": "br"})


def cp1252_as_utf8(h, _):
    html = review_html("Caf\u00e9 Society Blues", extra="The caf\u00e9 scenes \u2014 \u201cso sweet\u201d \u2014 are a delight.")
    _send(h, 200, html.encode("cp1252"), "text/html; charset=utf-8")


def utf16_bom(h, _):
    _send(h, 200, review_html("The Sixteen Bits").encode("utf-16"), "text/html")


def no_charset_latin1(h, _):
    _send(h, 200, review_html("Na\u00efve Hearts").encode("latin-1"), "text/html")


def mojibake(h, _):
    html = review_html("The Garden Party", extra="Its caf\u00e9 scene is na\u00efve and wonderful.")
    _send(h, 200, html.encode("utf-8").decode("latin-1").encode("utf-8"))


def deep_nesting(h, _):
    inner = review_html("The Matryoshka Doll")
    _send(h, 200, ("<div>" * 10_000 + inner + "</div>" * 10_000).encode())


def deep_nesting_only(h, _):
    _send(h, 200, ("<html><body>" + "<div><span>" * 10_000 + "deep" + "</span></div>" * 10_000).encode())


def unclosed_tags(h, _):
    html = review_html("The Open Door").replace("</p>", "").replace("</div>", "").replace("</article>", "")
    _send(h, 200, html.replace("</body>", "").replace("</html>", "").encode())


def jsonld_invalid(h, _):
    _page(h, "The Broken Promise", jsonld='{"@type": "Review", "name": "unterminated')


def jsonld_huge(h, _):
    blob = json.dumps({"@type": "Thing", "padding": ["x" * 100] * 9_000})
    _page(h, "The Heavy Load", jsonld=blob)


def jsonld_graph(h, _):
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "name": "page"},
        {"@type": "Review", "itemReviewed": {"@type": "Movie", "name": "The Graph Theory", "dateCreated": "2023"},
         "author": {"@type": "Person", "name": "Grace Graph"}, "reviewRating": {"ratingValue": "4", "bestRating": "5"}}]}
    _page(h, "The Graph Theory", jsonld=json.dumps(graph))


def jsonld_array(h, _):
    items = [{"@type": "Organization", "name": "Array Weekly"},
             {"@type": "Review", "itemReviewed": {"@type": "Movie", "name": "The Array Of Light"},
              "author": {"@type": "Person", "name": "Ann Array"}, "reviewRating": {"ratingValue": "2", "bestRating": "5"}}]
    _page(h, "The Array Of Light", jsonld=json.dumps(items))


def jsonld_deep(h, _):
    _page(h, "The Deep End", jsonld="[" * 5000 + "]" * 5000)


def jsonld_deep_objects(h, _):
    _page(h, "The Nesting Instinct", jsonld='{"a":' * 900 + "1" + "}" * 900)


def two_reviews(h, _):
    first = review_html("The First Feature", critic="Alice First")
    second = review_html("The Second Feature", critic="Bob Second")
    body = first.split("<body>")[1].split("</body>")[0] + second.split("<body>")[1].split("</body>")[0]
    _send(h, 200, f"<html><head><title>Double bill</title></head><body>{body}</body></html>".encode())


def no_text(h, _):
    _send(h, 200, b"<html><head><title>The Silent Film review</title></head><body><h1>The Silent Film review</h1>"
                  b"<p>Coming soon.</p></body></html>")


def non_english(h, _):
    text = ("Ce film est une merveille de mise en sc\u00e8ne. Les acteurs sont remarquables et la photographie "
            "est somptueuse. Le sc\u00e9nario, subtil et \u00e9mouvant, nous tient en haleine du d\u00e9but \u00e0 la fin. "
            "La musique accompagne chaque sc\u00e8ne avec gr\u00e2ce. Un chef-d'\u0153uvre que l'on n'oubliera pas de sit\u00f4t, "
            "et que je recommande \u00e0 tous les amateurs de cin\u00e9ma d'auteur.")
    _page(h, "La Vie En Rose", body_text=text, critic="Jean Dupont", lang="fr")


def redirect_to(target: str):
    def route(h, _):
        location = target.replace("{base}", _base(h)).replace("{otherhost}", _base(h).replace("127.0.0.1", "localhost"))
        _send(h, 302, b"", "text/plain", {"Location": location})
    return route


def status(code: int, headers: dict | None = None):
    def route(h, _):
        _send(h, code, f"status {code}".encode(), "text/plain", headers)
    return route


def throttled_then_ok(h, count):
    if count == 1:
        return _send(h, 429, b"slow down", "text/plain", {"Retry-After": "1"})
    _page(h, "The Patient Viewer")


def slow_loris(h, _):
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    for byte in review_html("The Slow Burn").encode()[:60]:
        h.wfile.write(bytes([byte]))
        h.wfile.flush()
        time.sleep(1.0)


def slow_headers(h, _):
    time.sleep(3.0)
    _page(h, "The Long Wait")


def reset_mid_body(h, _):
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "50000")
    h.end_headers()
    h.wfile.write(review_html("The Cut Short").encode()[:300])
    h.wfile.flush()
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()


def not_html(h, _):
    _send(h, 200, b"%PDF-1.4 not a page", "application/pdf")


def sql_injection(h, _):
    _page(h, SQL_TITLE, critic=SQL_CRITIC)


ROUTES = {
    "/sitemap_index.xml": sitemap_index, "/sitemap.xml": sitemap, "/malformed-sitemap.xml": malformed_sitemap,
    "/offsite-sitemap.xml": offsite_sitemap, "/big-sitemap.xml.gz": big_sitemap,
    "/robots-probe.xml": robots_probe_sitemap, "/secret/review": good, "/review": good,
    "/good": good, "/from-malformed-sitemap": good, "/redirect-target": good, "/private/hidden": good,
    "/empty": empty, "/binary": binary, "/huge-streamed": huge_streamed, "/huge-declared": huge_declared,
    "/gzip-bomb": gzip_bomb, "/gzip-ok": gzip_ok, "/brotli-claimed": brotli_claimed,
    "/cp1252-as-utf8": cp1252_as_utf8, "/utf16-bom": utf16_bom, "/no-charset-latin1": no_charset_latin1,
    "/mojibake": mojibake, "/deep-nesting": deep_nesting, "/deep-nesting-only": deep_nesting_only,
    "/unclosed-tags": unclosed_tags, "/jsonld-invalid": jsonld_invalid, "/jsonld-huge": jsonld_huge,
    "/jsonld-graph": jsonld_graph, "/jsonld-array": jsonld_array, "/jsonld-deep": jsonld_deep,
    "/jsonld-deep-objects": jsonld_deep_objects,
    "/two-reviews": two_reviews, "/no-text": no_text, "/non-english": non_english,
    "/redirect-loop-a": redirect_to("{base}/redirect-loop-b"), "/redirect-loop-b": redirect_to("{base}/redirect-loop-a"),
    "/redirect-ok": redirect_to("/redirect-target"), "/redirect-other-host": redirect_to("{otherhost}/good"),
    "/redirect-private": redirect_to("http://10.0.0.1/admin"),
    "/redirect-metadata": redirect_to("http://169.254.169.254/latest/meta-data/"),
    "/redirect-file": redirect_to("file:///etc/passwd"),
    "/redirect-credentials": redirect_to("http://user:secret@127.0.0.1:1/x"),
    "/status-404": status(404), "/status-410": status(410), "/status-500": status(500), "/status-503": status(503),
    "/status-429-then-ok": throttled_then_ok, "/status-429": status(429, {"Retry-After": "1"}),
    "/slow-loris": slow_loris, "/slow-headers": slow_headers, "/reset-mid-body": reset_mid_body,
    "/not-html": not_html, "/sql-injection": sql_injection,
}
ROUTES.update(edges.routes(_send, _page, _base))


@contextlib.contextmanager
def serve_badsite(*robots_modes: str):
    """Serve one bad site per robots mode on 127.0.0.1 (different ports = different hosts); yield their base URLs."""
    servers = []
    for mode in robots_modes:
        try:  # "default-port": port 80, so that http://127.0.0.1:80/x and http://127.0.0.1/x are one site
            server = ThreadingHTTPServer(("127.0.0.1", 80 if mode == "default-port" else 0), _handler(BadSite(mode)))
        except OSError:  # port 80 taken or not ours to bind: that site is left out (its tests skip)
            continue
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, name=f"badsite-{mode}", daemon=True).start()
        servers.append(server)
    try:
        yield {s.RequestHandlerClass.site.robots: f"http://127.0.0.1:{s.server_address[1]}" for s in servers}
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
