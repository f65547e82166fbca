"""A large local review site for benchmarks: the demo pages multiplied, served from memory on loopback.

Copy k of every demo review page lives under /c{k}/ with its links, canonical URL and film titles
rewritten (copy k of "The Harvest" reviews the film "The Harvest Kavelo"), so copies are distinct
reviews of distinct films. Pages are rendered on request (deterministic, so ETags are stable across
runs and an unchanged re-run gets 304s). Run as a script it serves in the foreground:

    python benchmarks/big_site.py --pages 5000      # prints the base URL, serves until killed
"""
from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import sys
import threading
from email.utils import formatdate
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEMO_ROOT = REPO_ROOT / "data" / "demo_site"
SITEMAP_SIZE = 5_000  # URLs per sitemap file (the protocol allows 50,000)
LAST_MODIFIED = formatdate(1_735_689_600, usegmt=True)  # 2025-01-01, fixed so re-runs are unchanged
_SYLLABLES = ["ka", "ve", "lo", "mi", "ran", "tho", "su", "bel", "dor", "ni", "quen", "pa", "ris", "tel", "vo",
              "zan", "mer", "lu", "go", "fen"]
_COPY_PATH = re.compile(r"^/c(\d+)(/.*)$")


class BigSite:
    """The first n pages of the multiplied demo site, rendered on demand."""

    def __init__(self, pages: int, demo_root: Path = DEMO_ROOT):
        truth = json.loads((demo_root / "truth.json").read_text(encoding="utf-8"))
        self.pages = pages
        self.paths = [r["path"] for r in truth["reviews"]]
        self.lastmod = {r["path"]: r["published_at"] for r in truth["reviews"]}
        self.bodies = {p: _read_page(demo_root / "site", p) for p in self.paths}
        self.titles = _title_pattern(truth["films"])

    @property
    def copies(self) -> int:
        return -(-self.pages // len(self.paths))

    def page_paths(self) -> list[str]:
        """Every page path of the site, copy by copy."""
        every = (f"/c{k}{p}" for k in range(self.copies) for p in self.paths)
        return [p for _, p in zip(range(self.pages), every)]

    def render(self, path: str, base: str) -> tuple[bytes, str] | None:
        """(body, content type) of a site path, or None when it is not part of the site."""
        if path == "/robots.txt":
            return f"User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap_index.xml\n".encode(), "text/plain"
        if path == "/sitemap_index.xml":
            return self._sitemap_index(base), "application/xml"
        match = re.fullmatch(r"/sitemaps/reviews-(\d+)\.xml", path)
        if match:
            return self._sitemap(int(match[1]), base), "application/xml"
        return self._page(path, base)

    def _page(self, path: str, base: str) -> tuple[bytes, str] | None:
        match = _COPY_PATH.match(path)
        if not match or match[2] not in self.bodies or int(match[1]) >= self.copies:
            return None
        copy, original = int(match[1]), match[2]
        if copy * len(self.paths) + self.paths.index(original) >= self.pages:
            return None
        body = self.bodies[original].replace("__BASE__", f"{base}/c{copy}")
        if copy:
            suffix = " " + copy_word(copy)
            body = self.titles.sub(lambda m: m[0] + suffix, body)
        return body.encode("utf-8"), "text/html; charset=utf-8"

    def _sitemap_index(self, base: str) -> bytes:
        count = -(-self.pages // SITEMAP_SIZE)
        entries = "".join(f"<sitemap><loc>{base}/sitemaps/reviews-{i}.xml</loc></sitemap>\n" for i in range(count))
        return _xml("sitemapindex", entries)

    def _sitemap(self, index: int, base: str) -> bytes | None:
        chunk = self.page_paths()[index * SITEMAP_SIZE:(index + 1) * SITEMAP_SIZE]
        entries = "".join(f"<url><loc>{base}{p}</loc><lastmod>{self.lastmod[_COPY_PATH.match(p)[2]]}</lastmod></url>\n"
                          for p in chunk)
        return _xml("urlset", entries)


@lru_cache(maxsize=None)
def copy_word(copy: int) -> str:
    """A made-up, deterministic word naming copy k (1 -> 'Ve', 21 -> 'Veka', ...)."""
    parts, n = [], copy
    while n:
        n, digit = divmod(n, len(_SYLLABLES))
        parts.append(_SYLLABLES[digit])
    return "".join(parts).capitalize()


def _title_pattern(films: list[dict]) -> re.Pattern:
    """Every way a film title is printed (plain, HTML-escaped), longest first so full titles win."""
    variants = set()
    for film in films:
        for title in [film["title"], *film.get("aliases", [])]:
            variants |= {title, html.escape(title), html.escape(title, quote=False), title.replace("'", "\u2019")}
    ordered = sorted(variants, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ordered)) + r")(?![\w-])")


def _read_page(site: Path, path: str) -> str:
    file = site / path.lstrip("/")
    return (file / "index.html" if file.is_dir() else file).read_text(encoding="utf-8")


def _xml(root: str, entries: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</{root}>\n").encode()


def make_server(site: BigSite, port: int = 0) -> ThreadingHTTPServer:
    """A keep-alive HTTP/1.1 server for the site with ETag/If-None-Match support."""
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; with Nagle on, keep-alive requests stall ~40 ms on delayed ACKs.
        disable_nagle_algorithm = True

        def do_GET(self):  # noqa: N802 (http.server naming)
            base = f"http://{self.headers.get('Host', '127.0.0.1')}"
            found = site.render(self.path.split("?")[0], base)
            if found is None:
                return self._send(404, b"not found", "text/plain")
            body, content_type = found
            etag = '"' + hashlib.sha1(body).hexdigest() + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", None, etag)
            self._send(200, body, content_type, etag)

        def _send(self, status, body, content_type, etag=None):
            self.send_response(status)
            for name, value in (("Content-Type", content_type), ("ETag", etag), ("Last-Modified", LAST_MODIFIED)):
                if value:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    return server


def serve_in_thread(site: BigSite) -> tuple[ThreadingHTTPServer, str]:
    """Start the server on a free port in a daemon thread; returns (server, base URL)."""
    server = make_server(site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def main(argv: list[str] | None = None) -> None:
    """Serve the site in the foreground, printing its base URL on the first line of stdout."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--pages", type=int, default=5_000)
    args.add_argument("--port", type=int, default=0)
    opts = args.parse_args(argv)
    server = make_server(BigSite(min(opts.pages, 50_000)), opts.port)
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        sys.stdout.flush()


if __name__ == "__main__":
    main()
