"""HTTP only: polite fetching on urllib3 with robots.txt, per-host throttle, retries, size and time limits, a log per
attempt, and every exchange handed to the raw archive."""
from __future__ import annotations

import email.utils
import hashlib
import http.client
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit
from urllib.request import getproxies, proxy_bypass

import urllib3
from protego import Protego
from urllib3.exceptions import DecodeError, LocationValueError, NewConnectionError, TimeoutError as Urllib3Timeout
from urllib3.response import GzipDecoderState, HTTPResponse

from critics.schemas.config import FetchSettings
from critics.schemas.outcomes import FetchStatus, Reason
from critics.tasks.acquire.archive import ArchiveWriteError
from critics.tasks.acquire.scope import BlockedAddress, Scope, ScopedPoolManager

log = logging.getLogger(__name__)

RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_REDIRECTS = 5
MAX_ROBOTS_BYTES = 512_000
MAX_CRAWL_DELAY_S = 30.0  # a robots.txt Crawl-delay of hours must not stall the night
READ_CHUNK = 65536
DRAIN_MAX_BYTES = 65536  # unread bodies up to this size are drained so the connection is reused; bigger ones close it
# Only what urllib3 can decode here is asked for (brotli and zstd need optional packages we do not install).
DECODABLE = frozenset(HTTPResponse.CONTENT_DECODERS)
ACCEPT_ENCODING = ", ".join(c for c in ("gzip", "deflate", "br", "zstd") if c in DECODABLE)
# Everything the network can throw mid-request or mid-body; all are retried.
NETWORK_ERRORS = (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError)


@dataclass
class Attempt:
    """One HTTP attempt, as written to the fetch log."""

    url: str
    attempt: int
    status: int | None
    byte_count: int
    elapsed_ms: float
    outcome: FetchStatus
    fetched_at: datetime


@dataclass
class Exchange:
    """One request and its response as they went over the wire: what the WARC archive keeps."""

    url: str
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    http_version: str
    headers: list[tuple[str, str]]
    peer_address: str | None
    started_at: datetime
    body: bytes = b""
    sha256: str | None = None  # of body, when the body was read whole
    truncated: str | None = None  # WARC-Truncated: why the archived body is not the whole body


@dataclass
class FetchResult:
    """The final outcome of fetching one URL (after retries)."""

    url: str
    outcome: FetchStatus  # ok | not_modified | rejected
    status: int | None = None
    final_url: str | None = None
    content_type: str | None = None
    body: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    reason: str | None = None
    attempts: list[Attempt] = field(default_factory=list)
    sha256: str | None = None  # of body (the archive's content key)


class Refused(Exception):
    """A fetch that must not be retried: too large, too slow, out of scope, redirect loop; the message is the reason."""


class HostThrottle:
    """Spaces requests to one host at least `interval` seconds apart, across threads."""

    def __init__(self, interval: float):
        self.interval = interval
        self._lock = threading.Lock()
        self._next_at = 0.0

    def wait(self) -> None:
        """Block until this host may be requested again."""
        with self._lock:
            now = time.monotonic()
            delay = self._next_at - now
            self._next_at = max(now, self._next_at) + self.interval
        if delay > 0:
            time.sleep(delay)


class Fetcher:
    """urllib3 pools with robots.txt, scope checks, per-host throttles, retries and size/time limits.

    `archive` (tasks/acquire/archive.WarcArchive or None) receives every exchange, redirects and robots.txt included.
    """

    def __init__(self, settings: FetchSettings, rate_per_host: dict[str, float] | None = None,
                 scope: Scope | None = None, archive=None):
        self.settings = settings
        self.rate_per_host = rate_per_host or {}
        # Without an explicit scope, the hosts the run was configured with are the scope.
        self.scope = scope or Scope.from_urls([f"http://{host}/" for host in self.rate_per_host])
        self.archive = archive
        self.headers = {"User-Agent": settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING}
        self.pool = ScopedPoolManager(self.scope, num_pools=32, maxsize=8, ca_certs=_ca_bundle())
        # The environment is read once here; only where proxies are set is NO_PROXY checked per URL (_proxies).
        self._env_proxies = bool(getproxies())
        self._proxy_pools: dict[str, urllib3.ProxyManager] = {}
        self._robots: dict[str, Protego | None] = {}
        self._robots_unreachable: dict[str, str] = {}  # origin -> why its robots.txt could not be read
        self._throttles: dict[str, HostThrottle] = {}
        self._lock = threading.Lock()
        self._robots_lock = threading.Lock()

    def use_archive(self, archive) -> None:
        """Write every exchange to this archive from now on, unless one is set already (a method, so that
        wrappers of the fetcher pass it through)."""
        if self.archive is None:
            self.archive = archive

    def close(self) -> None:
        """Release pooled connections."""
        self.pool.clear()
        for proxy_pool in self._proxy_pools.values():
            proxy_pool.clear()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None,
            previous_sha256: str | None = None) -> FetchResult:
        """Fetch one URL politely within the page time limit. Nothing a server sends makes it raise (trouble is a
        rejected result's reason); only an archive that cannot be written does (ArchiveWriteError).

        previous_sha256 is the stored body's hash: an identical body is archived as a revisit record."""
        try:
            return self._get(url, etag, last_modified, previous_sha256)
        except ArchiveWriteError:
            raise  # a full disk is the operator's to fix, not a page's fault: the night stops and says so
        except Exception as exc:  # noqa: BLE001 - the promise above: no page ends a night
            log.warning("fetch of %s failed unexpectedly", url[:200], exc_info=True)
            reason = f"{Reason.FETCH_FAILED}: {type(exc).__name__}: {exc}"[:300]
            return FetchResult(url, FetchStatus.REJECTED, reason=reason)

    def _get(self, url: str, etag: str | None, last_modified: str | None, previous: str | None) -> FetchResult:
        refusal = self.scope.refusal(url)
        if refusal:
            return FetchResult(url, FetchStatus.REJECTED, reason=f"{Reason.OUT_OF_SCOPE}: {refusal}")
        if not self.allowed(url):
            return FetchResult(url, FetchStatus.REJECTED, reason=self._robots_refusal(url))
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
        result, deadline = FetchResult(url, FetchStatus.REJECTED), time.monotonic() + self.page_timeout_s
        for attempt in range(1, self.settings.retries + 2):
            self._throttle(url).wait()
            retry_after = self._attempt(url, headers, attempt, result, deadline, previous)
            if retry_after is None:
                return result
            time.sleep(retry_after)
        return result

    @property
    def page_timeout_s(self) -> float:
        """Total seconds one page may take over all redirects, retries and reads."""
        return float(self.settings.page_timeout_s)

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's host lets our user agent fetch it."""
        robots = self._robots_for(url)
        return robots is None or robots.can_fetch(url, self.settings.user_agent)

    def _attempt(self, url: str, headers: dict, attempt: int, result: FetchResult, deadline: float,
                 previous: str | None) -> float | None:
        """Run one attempt, fill result; return seconds to wait before a retry, or None when done."""
        started, status, body, response, exchange, clean = time.monotonic(), None, b"", None, None, False
        try:
            response, exchange = self._follow(url, headers, deadline)
            status = response.status
            outcome, reason = _classify(status)
            if outcome == FetchStatus.OK:
                body = _read_body(response, self.settings.max_bytes, deadline)
            clean = True
        except (Refused, BlockedAddress) as exc:
            outcome, reason = FetchStatus.REJECTED, str(exc)
        except LocationValueError as exc:
            outcome, reason = FetchStatus.REJECTED, f"{Reason.MALFORMED_URL}: {exc}"[:200]
        except DecodeError as exc:
            outcome, reason = FetchStatus.REJECTED, _decode_reason(response, exc)
        except NewConnectionError as exc:
            outcome, reason = FetchStatus.RETRY, f"connection error: {type(exc).__name__}"
        except Urllib3Timeout:
            outcome, reason = FetchStatus.RETRY, "timeout"
        except NETWORK_ERRORS as exc:
            outcome, reason = FetchStatus.RETRY, f"connection error: {type(exc).__name__}"
        finally:
            _finish(response, clean)
        if exchange is not None:
            self._archive(exchange, body, reason if outcome == FetchStatus.REJECTED else None, previous)
        elapsed = (time.monotonic() - started) * 1000
        result.attempts.append(Attempt(url, attempt, status, len(body), elapsed, outcome, _now()))
        delay = self._retry_delay(attempt, response if status else None) if outcome == FetchStatus.RETRY else None
        if delay is not None and attempt <= self.settings.retries and time.monotonic() + delay < deadline:
            return delay
        result.status, result.reason = status, reason
        result.outcome = FetchStatus.REJECTED if outcome == FetchStatus.RETRY else outcome
        if outcome in (FetchStatus.OK, FetchStatus.NOT_MODIFIED):
            _fill_ok(result, response, exchange, body)
        return None

    def _follow(self, url: str, headers: dict, deadline: float) -> tuple[HTTPResponse, Exchange]:
        """GET with redirects followed by hand, so every hop is scope-checked before it is requested."""
        seen = [url]
        for _ in range(MAX_REDIRECTS + 1):
            response, exchange = self._request(url, headers, deadline)
            location = response.get_redirect_location()
            if not location:
                return response, exchange
            _finish(response, True)
            self._archive(exchange, b"", None, None)
            url = _redirect_target(url, location)
            refusal = self.scope.refusal(url)
            if refusal:
                raise Refused(f"redirect out of scope ({refusal}): {url[:200]}")
            if url in seen:
                raise Refused("redirect loop")
            seen.append(url)
        raise Refused(f"too many redirects (over {MAX_REDIRECTS})")

    def _request(self, url: str, headers: dict, deadline: float) -> tuple[HTTPResponse, Exchange]:
        """One GET on a pooled connection, body not yet read; with the exchange as sent and received."""
        sent = {**self.headers, **headers}
        started_at = _now()
        response = self._pool_for(url).urlopen(
            "GET", url, headers=sent, redirect=False, retries=False, preload_content=False, decode_content=True,
            timeout=self._timeouts(deadline))
        return response, _exchange(url, sent, response, started_at)

    def _pool_for(self, url: str):
        """The scoped pool, or a proxy's pool when the environment names a proxy for this URL."""
        proxies = self._proxies(url)
        proxy = proxies and (proxies.get(urlsplit(url).scheme.lower()) or proxies.get("all"))
        if not proxy:
            return self.pool
        with self._lock:
            if proxy not in self._proxy_pools:
                self._proxy_pools[proxy] = urllib3.ProxyManager(proxy, num_pools=32, maxsize=8, ca_certs=_ca_bundle())
            return self._proxy_pools[proxy]

    def _proxies(self, url: str) -> dict | None:
        """The environment's proxies for this URL (HTTP_PROXY, NO_PROXY, ...), when any are set."""
        if not self._env_proxies:
            return None
        return {} if proxy_bypass(urlsplit(url).hostname or "") else getproxies()

    def _timeouts(self, deadline: float) -> urllib3.Timeout:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Refused(f"page time limit ({self.page_timeout_s:g} s) exceeded")
        return urllib3.Timeout(connect=min(self.settings.connect_timeout_s, remaining),
                               read=min(self.settings.read_timeout_s, remaining))

    def _archive(self, exchange: Exchange, body: bytes, rejected: str | None, previous: str | None) -> None:
        """Hand one exchange to the archive: the body when it was read whole, else why it is missing."""
        if self.archive is None:
            return
        if body and not rejected:
            exchange.body, exchange.sha256 = body, hashlib.sha256(body).hexdigest()
        elif exchange.status not in (204, 304):
            exchange.truncated = "length" if rejected and rejected.startswith("too large") else "unspecified"
        self.archive.write(exchange, previous)

    def _retry_delay(self, attempt: int, response) -> float:
        backoff = self.settings.backoff_s * 2 ** (attempt - 1)
        header = response.headers.get("Retry-After") if response is not None else None
        return min(max(backoff, parse_retry_after(header) or 0.0), self.settings.max_retry_after_s)

    def _throttle(self, url: str) -> HostThrottle:
        host = urlsplit(url).netloc.lower()
        delay = self._crawl_delay(url)  # outside the lock: it may fetch robots.txt
        rps = self.rate_per_host.get(host, 1.0)
        interval = 1.0 / rps if rps > 0 else 0.0
        with self._lock:
            return self._throttles.setdefault(host, HostThrottle(max(interval, delay)))

    def _crawl_delay(self, url: str) -> float:
        robots = self._robots_for(url)
        delay = robots.crawl_delay(self.settings.user_agent) if robots else None
        return min(float(delay or 0.0), MAX_CRAWL_DELAY_S)

    def _robots_refusal(self, url: str) -> str:
        """Why robots.txt stops url: the site's own rule, or a robots.txt we could not read (not the site's wish)."""
        parts = urlsplit(url)
        return self._robots_unreachable.get(f"{parts.scheme}://{parts.netloc}".lower(), Reason.ROBOTS_DISALLOWS)

    def _robots_for(self, url: str) -> Protego | None:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}".lower()
        with self._robots_lock:  # one robots.txt fetch per host, even with many threads
            if key not in self._robots:
                self._robots[key] = self._load_robots(key)
            return self._robots[key]

    def _load_robots(self, origin: str) -> Protego | None:
        # 4xx means "no rules"; 5xx or no answer means "assume everything is disallowed" (RFC 9309).
        # Only the first MAX_ROBOTS_BYTES are read and parsed, as RFC 9309 allows (it asks for >= 500 KiB).
        response, exchange, body, clean = None, None, b"", False
        try:
            deadline = time.monotonic() + self.page_timeout_s
            response, exchange = self._follow(origin + "/robots.txt", {}, deadline)
            status = response.status
            body = _read_body(response, MAX_ROBOTS_BYTES, deadline, truncate=True) if status < 300 else b""
            clean = True
        except (Refused, BlockedAddress) + NETWORK_ERRORS as exc:
            why = (str(exc)[:120] if isinstance(exc, (Refused, BlockedAddress)) else "timeout"
                   if isinstance(exc, Urllib3Timeout) else f"connection error: {type(exc).__name__}")
            self._robots_unreachable[origin] = f"robots.txt unreachable ({why})"
            return Protego.parse("User-agent: *\nDisallow: /")
        finally:
            _finish(response, clean)
            if exchange is not None:
                self._archive(exchange, body, None, None)
        if status >= 500 or 300 <= status < 400:
            self._robots_unreachable[origin] = f"robots.txt unreachable (HTTP {status})"
            return Protego.parse("User-agent: *\nDisallow: /")
        if status >= 400:
            return None
        return Protego.parse(body.decode("utf-8", errors="replace"))


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header given as seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000" or no zone: HTTP dates are GMT
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - _now()).total_seconds())


def _classify(status: int) -> tuple[FetchStatus, str | None]:
    if status == 304:
        return FetchStatus.NOT_MODIFIED, None
    if 200 <= status < 300:
        return FetchStatus.OK, None
    if status in RETRY_STATUSES:
        return FetchStatus.RETRY, f"HTTP {status}"
    return FetchStatus.REJECTED, f"HTTP {status}"


def _read_body(response: HTTPResponse, max_bytes: int, deadline: float, truncate: bool = False) -> bytes:
    """Read the body through urllib3's bounded decoder, capped in wire bytes, decoded bytes and total time."""
    declared = response.headers.get("Content-Length", "").strip()
    if not truncate and declared.isdigit() and int(declared) > max_bytes:
        raise Refused(f"too large (declares {declared} bytes; limit {max_bytes})")
    encoded = _check_encoding(response)
    parts, size = [], 0
    while size <= max_bytes:
        if time.monotonic() > deadline:
            raise Refused("page time limit exceeded while reading the body")
        chunk = response.read1(min(READ_CHUNK, max_bytes - size + 1))  # read1: returns what has arrived
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
        if response.tell() > max_bytes and not truncate:
            raise Refused(f"too large (over {max_bytes} bytes)")
    if size > max_bytes and not truncate:
        raise Refused(f"too large (over {max_bytes} bytes{' once decompressed' if encoded else ''})")
    if encoded and not truncate and not _stream_complete(response):
        coding = response.headers.get("Content-Encoding", "")[:40]
        raise Refused(f"broken content encoding ({coding}): the compressed stream is cut short")
    return b"".join(parts)[:max_bytes]


def _stream_complete(response: HTTPResponse) -> bool:
    """Whether every content coding reached its end of stream (a cut one decodes to a silently partial page).

    Reads urllib3 2.8's decoder state (pinned): gzip and deflate keep a zlib object whose `eof` says so; gzip's
    SWALLOW_DATA state is trailing garbage after a whole member, which browsers accept too."""
    decoder = getattr(response, "_decoder", None)
    for part in getattr(decoder, "_decoders", [decoder]):
        stream = getattr(part, "_obj", None)
        if stream is not None and not stream.eof and getattr(part, "_state", None) != GzipDecoderState.SWALLOW_DATA:
            return False
    return True


def _check_encoding(response: HTTPResponse) -> bool:
    """Refuse content codings urllib3 cannot decode; drop `identity` from the list. Whether any decoding applies."""
    value = response.headers.get("Content-Encoding")
    if value is None:
        return False
    codings = [c.strip().lower() for c in value.split(",") if c.strip() and c.strip().lower() != "identity"]
    unknown = [c for c in codings if c not in DECODABLE]
    if unknown:
        raise Refused(f"unsupported content encoding {unknown[0][:40]}")
    if codings:
        response.headers["Content-Encoding"] = ", ".join(codings)  # before the first read builds the decoder
    else:
        del response.headers["Content-Encoding"]
    return bool(codings)


def _decode_reason(response: HTTPResponse | None, exc: DecodeError) -> str:
    coding = response.headers.get("Content-Encoding", "?") if response is not None else "?"
    cause = exc.__cause__ or (exc.args[-1] if exc.args else exc)
    return f"broken content encoding ({coding[:40]}): {cause}"[:200]


def _finish(response: HTTPResponse | None, clean: bool) -> None:
    """Give the connection back: reused when the exchange ended cleanly with nothing or little left unread."""
    if response is None:
        return
    declared = response.headers.get("Content-Length", "").strip()
    small = response.status in (204, 304) or (declared.isdigit() and int(declared) <= DRAIN_MAX_BYTES)
    if clean and (small or response.isclosed()):
        response.drain_conn()  # raw bytes, not decoded; swallows network errors (the connection is then closed)
    else:
        response.close()
    response.release_conn()


def _exchange(url: str, sent: dict, response: HTTPResponse, started_at: datetime) -> Exchange:
    version = response.version or 11
    return Exchange(
        url=url, request_headers=[("Host", urlsplit(url).netloc), *sent.items()], status=response.status,
        reason=response.reason or "", http_version=f"HTTP/{version // 10}.{version % 10}",
        headers=list(response.headers.items()), peer_address=getattr(response.connection, "peer_address", None),
        started_at=started_at)


def _redirect_target(url: str, location: str) -> str:
    """The absolute URL a Location header points to; Refused when it cannot be one (`http://[::1`)."""
    try:
        return urljoin(url, _location(location))
    except ValueError:
        raise Refused(f"redirect to a malformed URL: {location[:200]}") from None


def _location(value: str) -> str:
    """A Location header as the server meant it: http.client reads header bytes as Latin-1, servers send UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8").strip()
    except UnicodeError:
        return value.strip()


def _fill_ok(result: FetchResult, response: HTTPResponse, exchange: Exchange, body: bytes) -> None:
    result.final_url = exchange.url
    result.content_type = response.headers.get("Content-Type")
    result.etag = response.headers.get("ETag")
    result.last_modified = response.headers.get("Last-Modified")
    result.body = body if result.outcome == FetchStatus.OK else None
    if result.body is not None:
        result.sha256 = exchange.sha256 or hashlib.sha256(body).hexdigest()


def _ca_bundle() -> str | None:
    """A CA bundle named by the environment (as requests and curl read it); else the system's store."""
    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or None


def _now() -> datetime:
    return datetime.now(timezone.utc)
