"""Walk a source's discovery documents (sitemaps, feeds, listings) into the night's review-page targets."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from urllib.parse import urlsplit

from critics.schemas.config import Source
from critics.schemas.outcomes import FetchStatus, Outcome, Reason
from critics.tasks.acquire.documents import (classify, is_site_root, normalise_url, parse_feed, parse_listing,
                                             parse_sitemap, parse_text_sitemap, robots_sitemaps, same_site)
from critics.tasks.acquire.fetch import Fetcher
from critics.tasks.acquire.patterns import pattern_refusal
from critics.tasks.text.parse import parse_page
from critics.tasks.acquire.scope import url_refusal

MAX_DISCOVERY_DOCUMENTS = 500
LISTING_MIN_LINKS = 5


@dataclass(frozen=True)
class Target:
    """A review page to fetch, with the source it belongs to."""

    url: str
    source: str
    rating_scale: float | None = None
    lastmod: str | None = None  # the sitemap's <lastmod> for this page, as written


class Frontier:
    """The outcome of discovery: pages to fetch, plus URLs already settled (off-site, failed, over limit).

    Deliberately not a dataclass: Prefect walks dataclass task arguments item by item looking for futures,
    which takes tens of seconds for a 100,000-URL sitemap; a plain object is passed through untouched.
    """

    def __init__(self, targets: list[Target] | None = None, outcomes: list[tuple[str, str, str, str | None]] | None = None):
        self.targets: list[Target] = targets or []
        self.outcomes: list[tuple[str, str, str, str | None]] = outcomes or []  # url, source, outcome, reason

    def __repr__(self) -> str:
        return f"Frontier({len(self.targets)} targets, {len(self.outcomes)} settled)"


def discover_source(fetcher: Fetcher, source: Source, start_urls: list[str] | None = None) -> Frontier:
    """Breadth-first over discovery documents from the start URLs, staying on their own sites."""
    frontier, seen_pages, seen_docs = Frontier(), set(), set()
    starts = [normalise_url(u) for u in (start_urls or source.start_urls)]
    queue = deque((u, u) for u in starts)
    queue.extend(_robots_documents(fetcher, [u for u in starts if is_site_root(u)], source, frontier))
    while queue and len(seen_docs) < MAX_DISCOVERY_DOCUMENTS:
        url, site = queue.popleft()
        if url in seen_docs:
            continue
        seen_docs.add(url)
        pages, follow, lastmod = _read_document(fetcher, url, source, frontier)
        for page in pages:
            _add_page(frontier, seen_pages, page, site, source, lastmod.get(page))
        queue.extend((u, site) for u in follow if same_site(u, site) and u not in seen_docs)
        frontier.outcomes += [(u, source.name, Outcome.OUT_OF_SCOPE, Reason.OFF_SITE_DISCOVERY_LINK)
                              for u in follow if not same_site(u, site)]
    return frontier


def assign_urls(sources: list[Source], urls: list[str]) -> list[tuple[Source, list[str]]]:
    """Give each ad-hoc URL to the source on the same site (else the first source), keeping order."""
    assigned: dict[str, list[str]] = {}
    for url in urls:
        owner = next((s for s in sources if any(same_site(url, start) for start in s.start_urls)), sources[0])
        assigned.setdefault(owner.name, []).append(url)
    return [(s, assigned[s.name]) for s in sources if s.name in assigned]


def _robots_documents(fetcher: Fetcher, roots: list[str], source: Source, frontier: Frontier
                      ) -> list[tuple[str, str]]:
    """(sitemap, site) for each on-site sitemap that a root start URL's robots.txt declares; off-site ones settled."""
    queued = []
    for root in roots:
        for sitemap in _declared_sitemaps(fetcher, root):
            if same_site(sitemap, root):
                queued.append((sitemap, root))
            else:
                frontier.outcomes.append((sitemap, source.name, Outcome.OUT_OF_SCOPE, Reason.OFF_SITE_ROBOTS_SITEMAP))
    return queued


def _declared_sitemaps(fetcher: Fetcher, root: str) -> list[str]:
    """The sitemaps a site's robots.txt declares with `Sitemap:` lines (none when it cannot be read)."""
    result = fetcher.get(root.rstrip("/") + "/robots.txt")
    if result.outcome != FetchStatus.OK or not result.body:
        return []
    return [normalise_url(u) for u in robots_sitemaps(result.body, result.final_url or root)]


def _read_document(fetcher: Fetcher, url: str, source: Source, frontier: Frontier
                   ) -> tuple[list[str], list[str], dict[str, str]]:
    """Fetch one discovery document and return (page URLs, further documents, sitemap lastmod per page)."""
    result = fetcher.get(url)
    if result.outcome != FetchStatus.OK or result.body is None:
        frontier.outcomes.append((url, source.name, Outcome.REJECTED, f"{Reason.DISCOVERY_DOCUMENT}: {result.reason}"))
        return [], [], {}
    base = result.final_url or url
    try:
        kind = classify(result.body, result.content_type)
        if kind in ("sitemap_index", "sitemap"):
            found = parse_sitemap(result.body, base)
        elif kind == "feed":
            found = parse_feed(result.body, base)
        elif kind == "text_sitemap":
            found = parse_text_sitemap(result.body, base)
        else:
            found = parse_listing(result.body, base, result.content_type)
            # A page that paginates or lists many articles is a listing; otherwise it may be a review itself.
            is_listing = bool(found.follow) or len(found.pages) >= LISTING_MIN_LINKS
            if not is_listing and parse_page(result.body, base, result.content_type).reject_reason is None:
                return [url], [], {}
    except ValueError as exc:
        frontier.outcomes.append((url, source.name, Outcome.REJECTED, f"{Reason.DISCOVERY_DOCUMENT} unreadable: {exc}"))
        return [], [], {}
    return found.pages, found.follow, found.lastmod


def _add_page(frontier: Frontier, seen: set[str], page: str, site: str, source: Source,
              lastmod: str | None = None) -> None:
    patterned = getattr(source, "include", None) or getattr(source, "exclude", None)
    if len(frontier.targets) >= source.max_pages and not patterned and _plainly_on_site(page, site):
        if page not in seen:  # fast path for huge sitemaps past max_pages: no URL parsing
            seen.add(page)
            _over_limit(frontier, page, source)
        return
    url = normalise_url(page)
    if url in seen:
        return
    seen.add(url)
    refusal = url_refusal(url)
    if refusal:
        frontier.outcomes.append((url, source.name, Outcome.OUT_OF_SCOPE, refusal))
    elif not same_site(url, site):
        off_site = f"{Reason.OFF_SITE_LINK} (host {urlsplit(url).hostname})"
        frontier.outcomes.append((url, source.name, Outcome.OUT_OF_SCOPE, off_site))
    elif patterned and (excluded := pattern_refusal(url, source.include, source.exclude)):
        frontier.outcomes.append((url, source.name, Outcome.OUT_OF_SCOPE, excluded))  # never fetched
    elif len(frontier.targets) >= source.max_pages:
        _over_limit(frontier, url, source)
    else:
        frontier.targets.append(Target(url, source.name, source.rating_scale, lastmod))


def _plainly_on_site(url: str, site: str) -> bool:
    """Whether url is already normalised and on site's own origin, judged by prefix alone (no parsing)."""
    origin = site.split("/", 3)
    prefix = "/".join(origin[:3]) + "/"
    return url.startswith(prefix) and "#" not in url and "@" not in url and "/." not in url


def _over_limit(frontier: Frontier, url: str, source: Source) -> None:
    frontier.outcomes.append((url, source.name, Outcome.REJECTED,
                              f"{Reason.OVER_MAX_PAGES} ({source.max_pages}) for this run"))
