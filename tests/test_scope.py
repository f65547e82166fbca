"""Scope and address safety: schemes, credentials, hosts, restricted addresses, and the peer check."""
from __future__ import annotations

import pytest

from critics.tasks.acquire import scope
from critics.tasks.acquire.scope import BlockedAddress, Scope, is_restricted, url_refusal


@pytest.mark.parametrize("address", ["10.0.0.1", "172.16.5.4", "192.168.1.1", "127.0.0.1", "127.0.0.2", "0.0.0.0",
                                     "169.254.169.254", "169.254.1.1", "100.100.100.200", "::1", "::", "fe80::1",
                                     "fd00:ec2::254", "fc00::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "224.0.0.1",
                                     "100.64.0.1"])
def test_restricted_addresses_are_recognised(address):
    assert is_restricted(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_not_restricted(address):
    assert not is_restricted(address)


@pytest.mark.parametrize("url, fragment", [
    ("javascript:alert(1)", "scheme javascript"), ("mailto:a@b.org", "scheme mailto"), ("file:///etc/passwd", "scheme file"),
    ("data:text/html,x", "scheme data"), ("ftp://example.org/x", "scheme ftp"), ("http://u:p@example.org/", "credentials"),
    ("http://u@example.org/", "credentials"), ("http:///nohost", "no host"), ("http://[bad/x", "malformed"),
    ("http://example.org:99999/", "malformed"),
])
def test_unfetchable_urls_are_refused_with_a_reason(url, fragment):
    assert fragment in url_refusal(url)


@pytest.mark.parametrize("url", ["http://example.org/a", "https://EXAMPLE.org/b?c=d"])
def test_plain_http_urls_pass(url):
    assert url_refusal(url) is None


def test_scope_refuses_other_hosts_and_accepts_idn_spelling(monkeypatch):
    monkeypatch.setattr(scope, "resolve", lambda host: {"93.184.216.34"})
    s = Scope.from_urls(["https://bücher.example/sitemap.xml"])
    assert s.refusal("https://xn--bcher-kva.example/review") is None
    assert "off-site" in s.refusal("https://evil.example/review")
    assert "off-site" in s.refusal("https://bücher.example:8443/review")


@pytest.mark.parametrize("peer", ["127.0.0.1", "10.0.0.1", "169.254.169.254", "::ffff:10.0.0.1", "::1", "0.0.0.0"])
def test_public_start_url_never_connects_to_restricted_peers(monkeypatch, peer):
    monkeypatch.setattr(scope, "resolve", lambda host: {"93.184.216.34"})  # no real DNS
    s = Scope.from_urls(["https://reviews.example/"])
    with pytest.raises(BlockedAddress):
        s.check_peer(peer)  # DNS rebinding: the name later resolves to this address; the connected peer decides


def test_loopback_start_url_allows_its_own_address_only():
    s = Scope.from_urls(["http://127.0.0.1:8000/sitemap.xml"])
    s.check_peer("127.0.0.1")
    s.check_peer("::ffff:127.0.0.1")
    for other in ("10.0.0.1", "169.254.169.254", "127.0.0.2"):
        with pytest.raises(BlockedAddress):
            s.check_peer(other)


def test_public_peer_is_allowed(monkeypatch):
    monkeypatch.setattr(scope, "resolve", lambda host: {"93.184.216.34"})
    Scope.from_urls(["https://reviews.example/"]).check_peer("93.184.216.34")


def test_fetcher_refuses_a_loopback_peer_for_a_public_scope(monkeypatch):
    """The connection check, end to end: a scope for a public site must not talk to a loopback server."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    import threading
    from critics.schemas.config import FetchSettings
    from critics.tasks.acquire.fetch import Fetcher

    requests_seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            requests_seen.append(self.path)
            self.send_error(404)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/page"
    s = Scope(hosts={f"127.0.0.1:{server.server_address[1]}"}, allowed_restricted=set())  # host listed, address not
    try:
        fetcher = Fetcher(FetchSettings(retries=0), {}, scope=s)
        result = fetcher.get(url)
        with pytest.raises(BlockedAddress):
            fetcher.pool.request("GET", url, retries=False, timeout=2)
    finally:
        server.shutdown()
        server.server_close()
    assert result.outcome == "rejected"  # robots.txt could not be fetched either: nothing is allowed
    assert requests_seen == []
