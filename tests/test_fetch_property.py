"""Whatever a server sends, Fetcher.get returns an outcome with a reason and never raises; the archive stays valid.

A raw loopback socket server answers with Hypothesis-drawn status lines, headers, content codings and bodies,
truncated anywhere, then hangs up."""
from __future__ import annotations

import gzip
import socket
import socketserver
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from critics.schemas.config import FetchSettings
from critics.tasks.acquire.archive import WarcArchive, warc_files
from critics.tasks.acquire.fetch import Fetcher, FetchResult

SETTINGS = FetchSettings(retries=1, backoff_s=0.0, max_retry_after_s=0.01, connect_timeout_s=1, read_timeout_s=0.5,
                         page_timeout_s=2, max_bytes=20_000)
PLAIN = b"<html><body><p>A review of a film.</p></body></html>" * 20


def _deflate_raw(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


BODIES = {  # name -> (bytes, the Content-Encoding that matches them)
    "plain": (PLAIN, None), "gzip": (gzip.compress(PLAIN), "gzip"), "zlib": (zlib.compress(PLAIN), "deflate"),
    "raw-deflate": (_deflate_raw(PLAIN), "deflate"), "bomb": (gzip.compress(b"\0" * 2_000_000), "gzip"),
    "double-gzip": (gzip.compress(gzip.compress(PLAIN)), "gzip, gzip"),
}
CODES = [200] * 8 + [204, 301, 302, 304, 307, 404, 410, 429, 500, 503, 999, 100]
STATUS_LINES = st.sampled_from(
    [f"HTTP/1.1 {code} Whatever" for code in CODES] + [f"HTTP/1.0 {code}" for code in CODES]
    + ["HTTP/1.1 200 \xff\x01", "", "HTTP/1.1", "HTTP/1.1 abc OK", "ICY 200 OK", "HTTP/9.9 200 OK", "garbage",
       "HTTP/1.1 -1 X", "HTTP/1.1 2000000000000 Big"])
HEADER_VALUES = st.text(st.characters(min_codepoint=1, max_codepoint=255, exclude_characters="\r\n"), max_size=40)
HEADERS = st.lists(st.one_of(
    st.tuples(st.just("Content-Encoding"), st.sampled_from(["gzip", "deflate", "br", "zstd", "identity", "GZIP",
                                                             "gzip, deflate", "x-gzip", "compress", "", "gzip,,"])),
    st.tuples(st.just("Content-Length"), st.sampled_from(["0", "5", "99999999", "-1", "abc", "10, 20", ""])),
    st.tuples(st.just("Transfer-Encoding"), st.sampled_from(["chunked", "gzip, chunked", "bogus"])),
    st.tuples(st.just("Location"), st.sampled_from(["/p", "http://other.example/x", "javascript:x", "//", "",
                                                     "http://[::1", "/p\x00", "/%zz", "/caf\xc3\xa9"])),
    st.tuples(st.just("Retry-After"), st.sampled_from(["0", "1", "soon", "Wed, 21 Oct 2015 07:28:00 GMT", "-3"])),
    st.tuples(st.just("Content-Type"), st.sampled_from(["text/html", "text/html; charset=x-sjis", "image/png", ""])),
    st.tuples(st.text(st.characters(min_codepoint=33, max_codepoint=126, exclude_characters=":"), min_size=1,
                      max_size=12), HEADER_VALUES),
), max_size=6)
RESPONSES = st.fixed_dictionaries({
    "status": STATUS_LINES, "headers": HEADERS, "body": st.sampled_from(sorted(BODIES)),
    # the Content-Encoding sent: the one that matches the body, none, or a wrong one (gzip over plain...)
    "coding": st.sampled_from(["match", "match", None, "gzip", "deflate", "br"]),
    "cut": st.one_of(st.none(), st.none(), st.integers(0, 3000)),  # hang up after this many bytes of the whole response
    "chunked": st.booleans(),
})


def render(spec: dict) -> bytes:
    """The response bytes a spec describes, cut where it says."""
    body, coding = BODIES[spec["body"]]
    lines = [spec["status"]] + [f"{name}: {value}" for name, value in spec["headers"]]
    label = coding if spec["coding"] == "match" else spec["coding"]
    if label:
        lines.append(f"Content-Encoding: {label}")
    if spec["chunked"]:
        lines.append("Transfer-Encoding: chunked")
        body = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 700]), body[i:i + 700]) for i in range(0, len(body), 700))
        body += b"0\r\n\r\n"
    wire = "\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + body
    return wire if spec["cut"] is None else wire[: spec["cut"]]


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    response = b""


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.settimeout(2)
        request = b""
        try:
            while b"\r\n\r\n" not in request:
                chunk = self.request.recv(4096)
                if not chunk:
                    return
                request += chunk
            path = request.split(b" ", 2)[1]
            no_robots = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
            answer = no_robots if path == b"/robots.txt" else self.server.response
            self.request.sendall(answer)
            self.request.shutdown(socket.SHUT_WR)
        except OSError:
            pass


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    host = f"127.0.0.1:{server.server_address[1]}"
    root = tmp_path_factory.mktemp("warc")
    archive = WarcArchive(root, max_file_bytes=2_000_000)
    fetcher = Fetcher(SETTINGS, {host: 0}, archive=archive)
    yield server, fetcher, host, root
    fetcher.close()
    archive.close()
    server.shutdown()
    server.server_close()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(spec=RESPONSES, etag=st.sampled_from([None, '"v1"']))
def test_no_response_makes_the_fetcher_raise_and_every_outcome_has_a_reason(hostile, spec, etag):
    server, fetcher, host, _ = hostile
    server.response = render(spec)
    result = fetcher.get(f"http://{host}/page", etag=etag)
    assert isinstance(result, FetchResult) and result.outcome in ("ok", "not_modified", "rejected")
    if result.outcome == "rejected":
        assert isinstance(result.reason, str) and result.reason.strip()
        assert not result.reason.startswith("fetch failed")  # handled on purpose, not by get()'s last-resort catch
    if result.outcome == "ok":
        assert isinstance(result.body, bytes) and len(result.body) <= SETTINGS.max_bytes
    assert result.attempts or result.reason  # every request is logged, or the refusal says why none was made


def test_the_archive_of_all_those_responses_passes_warcio_check(hostile):
    *_, root = hostile
    files = warc_files(root)
    assert files
    checked = subprocess.run([str(Path(sys.executable).with_name("warcio")), "check", *map(str, files)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout[-2000:]
