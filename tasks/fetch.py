"""HTTP only: polite fetching with robots.txt, per-host throttle, retries, size limits and a log per attempt."""
from __future__ import annotations

import email.utils
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlsplit

import requests
from protego import Protego

from schemas.config import FetchSettings

RETRY_STATUSES = {429, 500, 502, 503, 504}


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


class TooLarge(Exception):
    """The body passed the configured byte limit."""


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
    """A requests.Session with robots.txt, per-host throttles, retries and byte limits."""

    def __init__(self, settings: FetchSettings, rate_per_host: dict[str, float] | None = None):
        self.settings = settings
        self.session = requests.Session()
        self.session.headers["User-Agent"] = settings.user_agent
        self.rate_per_host = rate_per_host or {}
        self._robots: dict[str, Protego | None] = {}
        self._throttles: dict[str, HostThrottle] = {}
        self._lock = threading.Lock()
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        """Release pooled connections."""
        self.session.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """Fetch one URL politely; never raises for network or HTTP trouble."""
        if not self.allowed(url):
            return FetchResult(url, "rejected", reason="robots.txt disallows")
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
        result = FetchResult(url, "rejected")
        for attempt in range(1, self.settings.retries + 2):
            self._throttle(url).wait()
            retry_after = self._attempt(url, headers, attempt, result)
            if retry_after is None:
                return result
            time.sleep(retry_after)
        return result

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's host lets our user agent fetch it."""
        robots = self._robots_for(url)
        return robots is None or robots.can_fetch(url, self.settings.user_agent)

    def _attempt(self, url: str, headers: dict, attempt: int, result: FetchResult) -> float | None:
        """Run one attempt, fill result; return seconds to wait before a retry, or None when done."""
        started, status, body = time.monotonic(), None, b""
        try:
            response = self.session.get(url, headers=headers, stream=True, allow_redirects=True,
                                        timeout=(self.settings.connect_timeout_s, self.settings.read_timeout_s))
            status = response.status_code
            body = _read_limited(response, self.settings.max_bytes)
            outcome, reason = _classify(status)
        except TooLarge:
            outcome, reason = "rejected", f"too large (over {self.settings.max_bytes} bytes)"
        except requests.Timeout:
            outcome, reason = "retry", "timeout"
        except requests.TooManyRedirects:
            outcome, reason = "rejected", "redirect loop"
        except requests.RequestException as exc:
            outcome, reason = "retry", f"connection error: {type(exc).__name__}"
        elapsed = (time.monotonic() - started) * 1000
        result.attempts.append(Attempt(url, attempt, status, len(body), elapsed, outcome, _now()))
        is_last = attempt > self.settings.retries
        if outcome == "retry" and not is_last:
            return self._retry_delay(attempt, response if status else None)
        result.status, result.reason = status, reason
        result.outcome = "rejected" if outcome == "retry" else outcome
        if outcome in ("ok", "not_modified"):
            _fill_ok(result, response, body)
        return None

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
        return float(delay or 0.0)

    def _robots_for(self, url: str) -> Protego | None:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}".lower()
        with self._robots_lock:  # one robots.txt fetch per host, even with many threads
            if key not in self._robots:
                self._robots[key] = self._load_robots(key)
            return self._robots[key]

    def _load_robots(self, origin: str) -> Protego | None:
        # 4xx means "no rules"; 5xx or no answer means "assume everything is disallowed" (RFC 9309).
        try:
            response = self.session.get(origin + "/robots.txt", stream=True,
                                        timeout=(self.settings.connect_timeout_s, self.settings.read_timeout_s))
            body = _read_limited(response, 500_000)
        except (requests.RequestException, TooLarge):
            return Protego.parse("User-agent: *\nDisallow: /")
        if response.status_code >= 500:
            return Protego.parse("User-agent: *\nDisallow: /")
        if response.status_code >= 400:
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


def _read_limited(response: requests.Response, max_bytes: int) -> bytes:
    """Read the (decompressed) body, stopping once it passes max_bytes."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        response.close()
        raise TooLarge()
    parts, total = [], 0
    for part in response.iter_content(chunk_size=65536):
        total += len(part)
        if total > max_bytes:
            response.close()
            raise TooLarge()
        parts.append(part)
    return b"".join(parts)


def _fill_ok(result: FetchResult, response: requests.Response, body: bytes) -> None:
    result.final_url = response.url
    result.content_type = response.headers.get("Content-Type")
    result.etag = response.headers.get("ETag")
    result.last_modified = response.headers.get("Last-Modified")
    result.body = body if result.outcome == "ok" else None


def _now() -> datetime:
    return datetime.now(timezone.utc)
