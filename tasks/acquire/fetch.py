"""HTTP only: polite fetching with robots.txt, per-host throttle, retries, size limits and a log per attempt."""
from __future__ import annotations

import email.utils
import http.client
import os
import threading
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit
from urllib.request import getproxies

import requests
import urllib3
from protego import Protego

from critics.schemas.config import FetchSettings
from critics.tasks.acquire.scope import BlockedAddress, Scope, ScopedAdapter

RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_REDIRECTS = 5
MAX_ROBOTS_BYTES = 512_000
MAX_CRAWL_DELAY_S = 30.0  # a robots.txt Crawl-delay of hours must not stall the night
# Everything the network can throw mid-request or mid-body; all are retried.
NETWORK_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, http.client.HTTPException, OSError)


@dataclass
class Attempt:
    """One HTTP attempt, as written to the fetch log."""

    url: str
    attempt: int
    status: int | None
    byte_count: int
    elapsed_ms: float
    outcome: str
    fetched_at: datetime


@dataclass
class FetchResult:
    """The final outcome of fetching one URL (after retries)."""

    url: str
    outcome: str  # ok | not_modified | rejected
    status: int | None = None
    final_url: str | None = None
    content_type: str | None = None
    body: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    reason: str | None = None
    attempts: list[Attempt] = field(default_factory=list)


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
    """A requests.Session with robots.txt, scope checks, per-host throttles, retries and size/time limits."""

    def __init__(self, settings: FetchSettings, rate_per_host: dict[str, float] | None = None,
                 scope: Scope | None = None):
        self.settings = settings
        self.rate_per_host = rate_per_host or {}
        # Without an explicit scope, the hosts the run was configured with are the scope.
        self.scope = scope or Scope.from_urls([f"http://{host}/" for host in self.rate_per_host])
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"})
        # requests re-reads the environment (proxies, CA bundle) on every request, ~0.2 ms of CPU each: read it
        # once here; only where proxies are set is NO_PROXY still checked per URL (_proxies)
        self.session.trust_env = False
        self.session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        self._env_proxies = bool(getproxies())
        adapter = ScopedAdapter(self.scope)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._robots: dict[str, Protego | None] = {}
        self._throttles: dict[str, HostThrottle] = {}
        self._lock = threading.Lock()
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        """Release pooled connections."""
        self.session.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """Fetch one URL politely within the page time limit; never raises for network or HTTP trouble."""
        refusal = self.scope.refusal(url)
        if refusal:
            return FetchResult(url, "rejected", reason=f"out of scope: {refusal}")
        if not self.allowed(url):
            return FetchResult(url, "rejected", reason="robots.txt disallows")
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
        result, deadline = FetchResult(url, "rejected"), time.monotonic() + self.page_timeout_s
        for attempt in range(1, self.settings.retries + 2):
            self._throttle(url).wait()
            retry_after = self._attempt(url, headers, attempt, result, deadline)
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

    def _attempt(self, url: str, headers: dict, attempt: int, result: FetchResult, deadline: float) -> float | None:
        """Run one attempt, fill result; return seconds to wait before a retry, or None when done."""
        started, status, body, response = time.monotonic(), None, b"", None
        try:
            response = self._follow(url, headers, deadline)
            status = response.status_code
            outcome, reason = _classify(status)
            if outcome == "ok":
                body = _read_body(response, self.settings.max_bytes, deadline)
        except (Refused, BlockedAddress) as exc:
            outcome, reason = "rejected", str(exc)
        except requests.Timeout:
            outcome, reason = "retry", "timeout"
        except NETWORK_ERRORS as exc:
            outcome, reason = "retry", f"connection error: {type(exc).__name__}"
        finally:
            if response is not None:
                response.close()
        elapsed = (time.monotonic() - started) * 1000
        result.attempts.append(Attempt(url, attempt, status, len(body), elapsed, outcome, _now()))
        delay = self._retry_delay(attempt, response if status else None) if outcome == "retry" else None
        if delay is not None and attempt <= self.settings.retries and time.monotonic() + delay < deadline:
            return delay
        result.status, result.reason = status, reason
        result.outcome = "rejected" if outcome == "retry" else outcome
        if outcome in ("ok", "not_modified"):
            _fill_ok(result, response, body)
        return None

    def _follow(self, url: str, headers: dict, deadline: float) -> requests.Response:
        """GET with redirects followed by hand, so every hop is scope-checked before it is requested."""
        seen = [url]
        for _ in range(MAX_REDIRECTS + 1):
            response = self.session.get(url, headers=headers, stream=True, allow_redirects=False,
                                        timeout=self._timeouts(deadline), proxies=self._proxies(url))
            location = response.headers.get("Location")
            if not (response.is_redirect and location):
                return response
            response.close()
            url = urljoin(url, location.strip())
            refusal = self.scope.refusal(url)
            if refusal:
                raise Refused(f"redirect out of scope ({refusal}): {url[:200]}")
            if url in seen:
                raise Refused("redirect loop")
            seen.append(url)
        raise Refused(f"too many redirects (over {MAX_REDIRECTS})")

    def _proxies(self, url: str) -> dict | None:
        """The environment's proxies for this URL (HTTP_PROXY, NO_PROXY, ...), when any are set."""
        return requests.utils.get_environ_proxies(url) if self._env_proxies else None

    def _timeouts(self, deadline: float) -> tuple[float, float]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Refused(f"page time limit ({self.page_timeout_s:g} s) exceeded")
        return min(self.settings.connect_timeout_s, remaining), min(self.settings.read_timeout_s, remaining)

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
        response = None
        try:
            deadline = time.monotonic() + self.page_timeout_s
            response = self._follow(origin + "/robots.txt", {}, deadline)
            status = response.status_code
            body = _read_body(response, MAX_ROBOTS_BYTES, deadline, truncate=True) if status < 300 else b""
        except (Refused, BlockedAddress, requests.Timeout) + NETWORK_ERRORS:
            return Protego.parse("User-agent: *\nDisallow: /")
        finally:
            if response is not None:
                response.close()
        if status >= 500 or 300 <= status < 400:
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
    return max(0.0, (when - _now()).total_seconds())


def _classify(status: int) -> tuple[str, str | None]:
    if status == 304:
        return "not_modified", None
    if 200 <= status < 300:
        return "ok", None
    if status in RETRY_STATUSES:
        return "retry", f"HTTP {status}"
    return "rejected", f"HTTP {status}"


def _read_body(response: requests.Response, max_bytes: int, deadline: float, truncate: bool = False) -> bytes:
    """Read and decompress the body ourselves, bounded in wire bytes, inflated bytes and total time."""
    declared = response.headers.get("Content-Length", "").strip()
    if not truncate and declared.isdigit() and int(declared) > max_bytes:
        raise Refused(f"too large (declares {declared} bytes; limit {max_bytes})")
    decoder = _decoder(response.headers.get("Content-Encoding"))
    parts, wire, size = [], 0, 0
    while size <= max_bytes:
        if time.monotonic() > deadline:
            raise Refused("page time limit exceeded while reading the body")
        chunk = response.raw.read1(65536, decode_content=False)
        if not chunk:
            break
        wire += len(chunk)
        data = decoder.decompress(chunk, max_bytes - size + 1) if decoder else chunk
        parts.append(data)
        size += len(data)
        if wire > max_bytes and not truncate:
            raise Refused(f"too large (over {max_bytes} bytes)")
    if size > max_bytes and not truncate:
        raise Refused(f"too large (over {max_bytes} bytes{' once decompressed' if decoder else ''})")
    if decoder and size <= max_bytes:
        parts.append(decoder.flush())
    return b"".join(parts)[:max_bytes]


def _decoder(encoding: str | None):
    """A zlib decompressor for the Content-Encoding (None for identity); other encodings are refused."""
    encoding = (encoding or "identity").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    if encoding in ("identity", ""):
        return None
    raise Refused(f"unsupported content encoding {encoding[:40]}")


def _fill_ok(result: FetchResult, response: requests.Response, body: bytes) -> None:
    result.final_url = response.url
    result.content_type = response.headers.get("Content-Type")
    result.etag = response.headers.get("ETag")
    result.last_modified = response.headers.get("Last-Modified")
    result.body = body if result.outcome == "ok" else None


def _now() -> datetime:
    return datetime.now(timezone.utc)
