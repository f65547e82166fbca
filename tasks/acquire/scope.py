"""Crawl scope and address safety: which URLs may be fetched, and which peers may be connected to."""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from urllib3 import PoolManager
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from critics.schemas.outcomes import Reason

FETCHABLE_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Cloud metadata endpoints that are not covered by the private/link-local ranges.
METADATA_ADDRESSES = {ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")}


class BlockedAddress(Exception):
    """A connection reached an address the crawl may not talk to (private, loopback, metadata...)."""


def host_key(netloc_or_host: str) -> str:
    """Lower-case, IDNA-encoded host[:port], so 'Bücher.example' and 'xn--bcher-kva.example' are one key."""
    host, sep, port = netloc_or_host.lower().rpartition(":") if _has_port(netloc_or_host) else (netloc_or_host.lower(), "", "")
    try:
        host = host.encode("idna").decode("ascii") if not host.startswith("[") else host
    except UnicodeError:
        pass
    return f"{host}{sep}{port}"


def site_key(url: str) -> str:
    """host_key of a URL without its scheme's default port: https://x.org:443/a and https://x.org/b are one site."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    default = DEFAULT_PORTS.get(parts.scheme.lower())
    if default and netloc.endswith(f":{default}") and _has_port(netloc):
        netloc = netloc[: -len(str(default)) - 1]
    return host_key(netloc.rstrip(":") if netloc.endswith(":") and _has_port(netloc) else netloc)


def url_refusal(url: str) -> str | None:
    """Why a URL may never be fetched whatever its host (scheme, credentials, no host); None when fine."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return Reason.MALFORMED_URL
    if parts.scheme.lower() not in FETCHABLE_SCHEMES:
        return f"scheme {parts.scheme.lower() or '(none)'}: not fetched"
    if parts.username is not None or parts.password is not None:
        return "credentials in URL refused"
    if not parts.hostname:
        return "URL has no host"
    return None


def is_restricted(address: str) -> bool:
    """Whether an IP is private, loopback, link-local, metadata, multicast, reserved or unspecified."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
    if ip in METADATA_ADDRESSES:
        return True
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified or not ip.is_global)


def resolve(host: str) -> set[str]:
    """Every address a host name resolves to (empty when it does not resolve)."""
    try:
        return {info[4][0] for info in socket.getaddrinfo(host.strip("[]"), None)}
    except (socket.gaierror, UnicodeError, OSError):
        return set()


@dataclass
class Scope:
    """The hosts a run may fetch from, and the restricted addresses its own start URLs live on."""

    hosts: set[str] = field(default_factory=set)  # host keys (host[:port])
    allowed_restricted: set[str] = field(default_factory=set)  # restricted IPs a start URL itself is on

    @classmethod
    def from_urls(cls, urls: list[str]) -> "Scope":
        """Scope of the given start URLs: their hosts, plus their own addresses if those are restricted."""
        scope = cls()
        for url in urls:
            parts = urlsplit(url)
            if not parts.hostname:
                continue
            scope.hosts.add(site_key(url))
            scope.allowed_restricted |= {_plain(a) for a in resolve(parts.hostname) if is_restricted(a)}
        return scope

    def refusal(self, url: str) -> str | None:
        """Why this URL is out of scope for the run; None when it may be fetched."""
        reason = url_refusal(url)
        if reason:
            return reason
        if self.hosts and site_key(url) not in self.hosts:
            return f"off-site host {urlsplit(url).hostname}"
        return None

    def check_peer(self, address: str) -> None:
        """Raise BlockedAddress unless the crawl may talk to this connected peer address."""
        if is_restricted(address) and _plain(address) not in self.allowed_restricted:
            raise BlockedAddress(f"blocked address {address} (private/loopback/link-local/metadata)")


class ScopedPoolManager(PoolManager):
    """A urllib3 PoolManager whose connections check the address actually connected to (no DNS-rebinding bypass)."""

    def __init__(self, scope: Scope, **kwargs):
        super().__init__(**kwargs)
        check = staticmethod(scope.check_peer)
        http_conn = type("CheckedHTTPConnection", (_PeerChecked, HTTPConnection), {"peer_check": check})
        https_conn = type("CheckedHTTPSConnection", (_PeerChecked, HTTPSConnection), {"peer_check": check})
        self.pool_classes_by_scheme = {
            "http": type("CheckedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
            "https": type("CheckedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
        }


class _PeerChecked:
    """Mixin: right after the TCP connect (before TLS or any request byte), validate the peer IP and keep it."""

    peer_check = None
    peer_address: str | None = None  # for the archive's WARC-IP-Address

    def _new_conn(self):
        sock = super()._new_conn()
        try:
            self.peer_address = sock.getpeername()[0]
            self.peer_check(self.peer_address)
        except BlockedAddress:
            sock.close()
            raise
        return sock


def _plain(address: str) -> str:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ip)


def _has_port(netloc: str) -> bool:
    tail = netloc.rsplit("]", 1)[-1]
    return ":" in tail
