"""Polite fetching against a loopback server: robots.txt, conditional GET, retries, size limits, redirects, throttle."""
from __future__ import annotations

import email.utils
import gzip
import threading
import time
import zlib
from collections import Counter
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import urllib3

from critics.schemas.config import FetchSettings
from critics.tasks.acquire.fetch import Fetcher, HostThrottle, parse_retry_after

SETTINGS = FetchSettings(retries=2, backoff_s=0.01, max_retry_after_s=0.1, connect_timeout_s=1, read_timeout_s=2,
                         page_timeout_s=5, max_bytes=10000)
ETAG = '"v1"'
PLAIN = b"<html>plain body</html>"
VARIED = b"".join(f"<p>{i} squared is {i * i}</p>".encode() for i in range(400))  # compresses to ~2 KB, not 50 bytes
_raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
RAW_DEFLATE = _raw_deflate.compress(PLAIN) + _raw_deflate.flush()
ENCODED = {  # path -> (body, Content-Encoding) as hostile or sloppy servers send them
    "/gzip-over-plain": (PLAIN, "gzip"), "/deflate-over-plain": (PLAIN, "deflate"),
    "/raw-deflate": (RAW_DEFLATE, "deflate"), "/zlib-deflate": (zlib.compress(PLAIN), "deflate"),
    "/bogus-br": (b"\x8b\x07\x80not brotli", "br"), "/bogus-zstd": (b"\x28\xb5\x2f\xfdnot zstd", "zstd"),
    "/gzip-identity": (gzip.compress(PLAIN), "gzip, identity"), "/upper-gzip": (gzip.compress(PLAIN), "GZIP"),
    "/truncated-gzip": (gzip.compress(VARIED)[: len(gzip.compress(VARIED)) // 2], "gzip"),
    "/truncated-deflate": (zlib.compress(VARIED)[: len(zlib.compress(VARIED)) // 2], "deflate"),
    "/gzip-trailing-garbage": (gzip.compress(PLAIN) + b"\x00\x00junk", "gzip"), "/double-gzip": (gzip.compress(gzip.compress(PLAIN)), "gzip, gzip"),
}
REDIRECTS = {"/bad-location": "http://[::1", "/r1": "/r2", "/r2": "/r3", "/loop-a": "/loop-b", "/loop-b": "/loop-a", "/away": "http://other.example/x"}


class Handler(BaseHTTPRequestHandler):
    """Per-path behaviours; every request is counted on the server."""

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):  # noqa: N802 - http.server naming
        state = self.server.state
        with state["lock"]:
            state["counts"][self.path] += 1
            count = state["counts"][self.path]
        if self.path == "/robots.txt":
            return self._send(state["robots_status"], b"User-agent: *\nDisallow: /private/\n")
        if self.path == "/page":
            if self.headers.get("If-None-Match") == ETAG:
                return self._send(304, None, {"ETag": ETAG})
            return self._send(200, b"<html>page</html>", {"ETag": ETAG, "Content-Type": "text/html"})
        if self.path == "/flaky":
            if count == 1:
                return self._send(503, b"busy", {"Retry-After": "0"})
            return self._send(200, b"recovered")
        if self.path == "/down":
            return self._send(503, b"busy", {"Retry-After": "0"})
        if self.path == "/big":
            return self._send(200, b"x" * 20000)
        if self.path == "/big-undeclared":  # no Content-Length: the body ends when the connection closes
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"y" * 20000)
            return None
        if self.path == "/gzipped":
            return self._send(200, gzip.compress(b"z" * 500), {"Content-Encoding": "gzip"})
        if self.path == "/gzip-bomb":
            return self._send(200, gzip.compress(b"\0" * 200_000), {"Content-Encoding": "gzip"})
        if self.path in ENCODED:
            body, coding = ENCODED[self.path]
            return self._send(200, body, {"Content-Encoding": coding, "Content-Type": "text/html"})
        if self.path in REDIRECTS:
            return self._send(302 if count % 2 else 301, b"", {"Location": REDIRECTS[self.path]})
        if self.path == "/r3":
            return self._send(200, b"final", {"Content-Type": "text/plain"})
        return self._send(404, b"not found")

    def _send(self, status: int, body: bytes | None, headers: dict | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if body is not None:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.state = {"lock": threading.Lock(), "counts": Counter(), "robots_status": 200}
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    host = f"127.0.0.1:{httpd.server_address[1]}"
    yield host, httpd.state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def fetcher(server):
    host, _ = server
    fetcher = Fetcher(SETTINGS, {host: 0})
    yield fetcher
    fetcher.close()


def test_loopback_start_host_is_in_scope_and_fetched(server, fetcher):
    host, _ = server
    result = fetcher.get(f"http://{host}/page")
    assert (result.outcome, result.status, result.body, result.etag) == ("ok", 200, b"<html>page</html>", ETAG)
    assert result.content_type == "text/html" and len(result.attempts) == 1
    assert result.attempts[0].outcome == "ok" and result.attempts[0].byte_count == len(result.body)


def test_robots_disallowed_url_is_rejected_and_never_requested(server, fetcher):
    host, state = server
    result = fetcher.get(f"http://{host}/private/secret")
    assert (result.outcome, result.reason, result.attempts) == ("rejected", "robots.txt disallows", [])
    assert state["counts"]["/private/secret"] == 0
    assert not fetcher.allowed(f"http://{host}/private/other") and fetcher.allowed(f"http://{host}/public")


def test_robots_txt_is_fetched_once_per_host(server, fetcher):
    host, state = server
    for path in ("/page", "/r3", "/private/a", "/missing"):
        fetcher.get(f"http://{host}{path}")
    assert state["counts"]["/robots.txt"] == 1


def test_robots_5xx_disallows_everything_and_nothing_is_requested(server, fetcher):
    host, state = server
    state["robots_status"] = 500
    result = fetcher.get(f"http://{host}/page")
    # RFC 9309: an unreachable robots.txt means assume all disallowed, reported as unreachable (issue 19), not as the site's rule
    assert (result.outcome, result.reason) == ("rejected", "robots.txt unreachable (HTTP 500)")
    assert state["counts"]["/page"] == 0


def test_robots_404_allows_everything(server, fetcher):
    host, state = server
    state["robots_status"] = 404
    assert fetcher.get(f"http://{host}/private/secret").status == 404
    assert state["counts"]["/private/secret"] == 1


def test_matching_etag_gives_not_modified_without_body(server, fetcher):
    host, _ = server
    result = fetcher.get(f"http://{host}/page", etag=ETAG)
    assert (result.outcome, result.status, result.body, result.reason) == ("not_modified", 304, None, None)
    assert result.etag == ETAG and [a.outcome for a in result.attempts] == ["not_modified"]


def test_stale_etag_gives_the_full_page(server, fetcher):
    host, _ = server
    result = fetcher.get(f"http://{host}/page", etag='"old"')
    assert (result.outcome, result.status, result.body) == ("ok", 200, b"<html>page</html>")


def test_503_with_retry_after_is_retried_once_then_ok(server, fetcher):
    host, state = server
    result = fetcher.get(f"http://{host}/flaky")
    assert (result.outcome, result.status, result.body) == ("ok", 200, b"recovered")
    assert [(a.attempt, a.status, a.outcome) for a in result.attempts] == [(1, 503, "retry"), (2, 200, "ok")]
    assert state["counts"]["/flaky"] == 2


def test_persistent_503_gives_up_after_the_configured_retries(server, fetcher):
    host, state = server
    started = time.monotonic()
    result = fetcher.get(f"http://{host}/down")
    assert (result.outcome, result.status, result.reason) == ("rejected", 503, "HTTP 503")
    assert [a.attempt for a in result.attempts] == [1, 2, 3] and state["counts"]["/down"] == 3
    assert time.monotonic() - started < 2  # waits are capped by max_retry_after_s


def test_404_is_rejected_without_retry(server, fetcher):
    host, state = server
    result = fetcher.get(f"http://{host}/missing")
    assert (result.outcome, result.status, result.reason, result.body) == ("rejected", 404, "HTTP 404", None)
    assert len(result.attempts) == 1 and state["counts"]["/missing"] == 1


@pytest.mark.parametrize("path, reason", [
    ("/big", "too large (declares 20000 bytes; limit 10000)"),
    ("/big-undeclared", "too large (over 10000 bytes)"),
    ("/gzip-bomb", "too large (over 10000 bytes once decompressed)"),
])
def test_body_over_max_bytes_is_rejected_without_retry(server, fetcher, path, reason):
    host, state = server
    result = fetcher.get(f"http://{host}{path}")
    assert (result.outcome, result.reason, result.body) == ("rejected", reason, None)
    assert len(result.attempts) == 1 and state["counts"][path] == 1


def test_gzip_content_encoding_is_decoded(server, fetcher):
    host, _ = server
    assert fetcher.get(f"http://{host}/gzipped").body == b"z" * 500


def test_redirect_chain_is_followed_in_one_attempt(server, fetcher):
    host, state = server
    result = fetcher.get(f"http://{host}/r1")
    assert (result.outcome, result.body, result.final_url) == ("ok", b"final", f"http://{host}/r3")
    assert len(result.attempts) == 1
    assert [state["counts"][p] for p in ("/r1", "/r2", "/r3")] == [1, 1, 1]


def test_redirect_loop_is_rejected(server, fetcher):
    host, _ = server
    result = fetcher.get(f"http://{host}/loop-a")
    assert (result.outcome, result.reason) == ("rejected", "redirect loop")
    assert len(result.attempts) == 1


def test_redirect_off_site_is_rejected_before_it_is_requested(server, fetcher):
    host, _ = server
    result = fetcher.get(f"http://{host}/away")
    assert result.outcome == "rejected"
    assert result.reason.startswith("redirect out of scope (off-site host other.example)")


@pytest.mark.parametrize("url, reason", [
    ("http://other.example/page", "out of scope: off-site host other.example"),
    ("ftp://127.0.0.1/x", "out of scope: scheme ftp: not fetched"),
    ("http://u:p@127.0.0.1/x", "out of scope: credentials in URL refused"),
])
def test_out_of_scope_url_is_rejected_without_a_request(fetcher, url, reason):
    result = fetcher.get(url)
    assert (result.outcome, result.reason, result.attempts) == ("rejected", reason, [])


def test_other_port_on_loopback_is_out_of_scope(server, fetcher):
    host, _ = server
    port = int(host.rsplit(":", 1)[1])
    result = fetcher.get(f"http://127.0.0.1:{port + 1 if port < 65535 else port - 1}/page")
    assert result.outcome == "rejected" and result.reason.startswith("out of scope: off-site host")


@pytest.mark.parametrize("value, expected", [("0", 0.0), ("120", 120.0), (" 7 ", 7.0), (None, None), ("", None),
                                             ("soon", None), ("-5", None)])
def test_parse_retry_after_reads_seconds(value, expected):
    assert parse_retry_after(value) == expected


def test_parse_retry_after_reads_a_future_http_date():
    when = email.utils.format_datetime(datetime.now(timezone.utc) + timedelta(seconds=90), usegmt=True)
    assert 80 <= parse_retry_after(when) <= 90


@pytest.mark.parametrize("value", ["Wed, 21 Oct 2015 07:28:00 -0000", "Wed, 21 Oct 2015 07:28:00"])
def test_parse_retry_after_reads_a_date_without_a_zone_as_gmt(value):
    """Found by the property test: a zoneless date made Fetcher.get fail (naive minus aware datetime)."""
    assert parse_retry_after(value) == 0.0


def test_parse_retry_after_clamps_a_past_http_date_to_zero():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_host_throttle_spaces_consecutive_waits_by_the_interval():
    throttle = HostThrottle(0.05)
    started = time.monotonic()
    throttle.wait()
    first = time.monotonic()
    throttle.wait()
    assert first - started < 0.05  # the first request is not delayed
    assert time.monotonic() - started >= 0.05


def test_host_throttle_spaces_waits_across_threads():
    throttle = HostThrottle(0.05)
    started = time.monotonic()
    threads = [threading.Thread(target=throttle.wait) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert time.monotonic() - started >= 3 * 0.05


def test_zero_interval_throttle_never_sleeps():
    throttle = HostThrottle(0.0)
    started = time.monotonic()
    for _ in range(100):
        throttle.wait()
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize("env, url, expected", [
    ({}, "http://a.test/x", None),
    ({"HTTP_PROXY": "http://127.0.0.1:3128"}, "http://a.test/x", {"http": "http://127.0.0.1:3128"}),
    ({"HTTP_PROXY": "http://127.0.0.1:3128", "NO_PROXY": "a.test"}, "http://a.test/x", {}),
])
def test_proxies_come_from_the_environment_read_when_the_fetcher_is_made(monkeypatch, env, url, expected):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy",
                 "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    fetcher = Fetcher(SETTINGS, {"a.test": 0})
    proxies = fetcher._proxies(url)
    assert (proxies if proxies is None else {k: v for k, v in proxies.items() if k != "no"}) == expected
    fetcher.close()


def test_gzip_header_over_a_plain_body_is_a_rejected_page_not_an_exception(server, fetcher):
    """Issue 18: this made Fetcher.get raise zlib.error and `critics scrape` exit 1."""
    host, state = server
    result = fetcher.get(f"http://{host}/gzip-over-plain")
    assert (result.outcome, result.status, result.body) == ("rejected", 200, None)
    assert result.reason.startswith("broken content encoding (gzip)")
    assert len(result.attempts) == 1 and state["counts"]["/gzip-over-plain"] == 1  # not retried


@pytest.mark.parametrize("path", ["/raw-deflate", "/zlib-deflate", "/gzip-identity", "/upper-gzip", "/double-gzip"])
def test_encodings_browsers_accept_are_decoded(server, fetcher, path):
    result = fetcher.get(f"http://{server[0]}{path}")
    assert (result.outcome, result.body) == ("ok", PLAIN)


@pytest.mark.parametrize("path, reason", [
    ("/deflate-over-plain", "broken content encoding (deflate)"),
    ("/bogus-br", "unsupported content encoding br"),
    ("/bogus-zstd", "unsupported content encoding zstd"),
])
def test_broken_or_unsupported_encodings_are_rejected_with_the_reason(server, fetcher, path, reason):
    result = fetcher.get(f"http://{server[0]}{path}")
    assert (result.outcome, result.body) == ("rejected", None) and result.reason.startswith(reason)


@pytest.mark.parametrize("path, coding", [("/truncated-gzip", "gzip"), ("/truncated-deflate", "deflate")])
def test_a_compressed_stream_cut_short_is_rejected_not_loaded_partial(server, fetcher, path, coding):
    """The length matches what was sent, so only the coding's missing end says the page is incomplete."""
    result = fetcher.get(f"http://{server[0]}{path}")
    assert (result.outcome, result.body) == ("rejected", None)
    assert result.reason == f"broken content encoding ({coding}): the compressed stream is cut short"


def test_trailing_garbage_after_a_whole_gzip_member_is_accepted_as_browsers_do(server, fetcher):
    assert fetcher.get(f"http://{server[0]}/gzip-trailing-garbage").body == PLAIN


def test_only_encodings_urllib3_can_decode_are_asked_for(fetcher):
    asked = {c.strip() for c in fetcher.headers["Accept-Encoding"].split(",")}
    assert {"gzip", "deflate"} <= asked and asked <= set(urllib3.response.HTTPResponse.CONTENT_DECODERS)


def test_the_connection_is_kept_alive_across_pages():
    """Keep-alive: robots.txt, three pages and a 404 on one TCP connection (requests closed it after every page)."""
    ports = []

    class KeepAlive(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            ports.append(self.client_address[1])
            body = b"<html>page</html>" if self.path == "/page" else b"no"
            self.send_response(200 if self.path == "/page" else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), KeepAlive)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    host = f"127.0.0.1:{httpd.server_address[1]}"
    fetcher = Fetcher(SETTINGS, {host: 0})
    try:
        outcomes = [fetcher.get(f"http://{host}{path}").outcome for path in ("/page", "/page", "/missing", "/page")]
    finally:
        fetcher.close()
        httpd.shutdown()
        httpd.server_close()
    assert outcomes == ["ok", "ok", "rejected", "ok"]
    assert len(ports) == 5 and len(set(ports)) == 1


def test_an_unexpected_error_is_a_rejected_result_with_its_reason(server, fetcher, monkeypatch):
    monkeypatch.setattr(fetcher, "_attempt", lambda *args: 1 / 0)
    result = fetcher.get(f"http://{server[0]}/page")
    assert (result.outcome, result.reason) == ("rejected", "fetch failed: ZeroDivisionError: division by zero")


def test_a_redirect_to_a_malformed_url_is_rejected_with_the_reason(server, fetcher):
    """Found by the property test: urljoin raised ValueError ('Invalid IPv6 URL') out of the redirect loop."""
    result = fetcher.get(f"http://{server[0]}/bad-location")
    assert (result.outcome, result.reason) == ("rejected", "redirect to a malformed URL: http://[::1")
