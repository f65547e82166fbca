"""What becomes of every URL (Outcome), what a fetch returned (FetchStatus), and the fixed reasons (Reason).

StrEnum members are their stored strings: `Outcome.LOADED == "loaded"`, and they are written to DuckDB as
such. A reason with a variable part is a formatted string that starts with its member: f"{Reason.NOT_HTML} (...)".
"""
from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """The end of one URL in one run (raw.url_outcomes.outcome, public url_outcomes)."""

    LOADED = "loaded"  # extracted and loaded into staging
    UNCHANGED = "unchanged"  # same as the stored copy (304, same hash, sitemap lastmod, duplicate canonical)
    REJECTED = "rejected"  # failed or not a review, with a reason
    OUT_OF_SCOPE = "out_of_scope"  # never fetched: excluded, off-site


class FetchStatus(StrEnum):
    """What one fetch of a URL came to (FetchResult.outcome, raw.fetch_log)."""

    OK = "ok"
    NOT_MODIFIED = "not_modified"  # HTTP 304 to a conditional GET
    REJECTED = "rejected"
    RETRY = "retry"  # a transient failure worth another attempt (never a final status)


class Reason(StrEnum):
    """Fixed reasons, and the fixed prefixes of reasons that go on with details."""

    NOT_MODIFIED = "HTTP 304 not modified"
    SAME_CONTENT = "same content hash"
    FETCH_FAILED = "fetch failed"  # alone, or "fetch failed: <exception>"
    NOT_HTML = "not HTML"  # "not HTML (<content type>)"
    DUPLICATE_CANONICAL = "duplicate of canonical"  # "duplicate of canonical <url>"
    LASTMOD_BEFORE_FETCH = "sitemap lastmod"  # "sitemap lastmod <date> before last fetch"
    ARCHIVE_MISSING = "archived bytes"  # "archived bytes <sha256 prefix> missing"
    OUT_OF_SCOPE = "out of scope"  # "out of scope: <refusal>"
    ROBOTS_DISALLOWS = "robots.txt disallows"
    MALFORMED_URL = "malformed URL"  # alone, or "malformed URL: <error>"
    OFF_SITE_LINK = "off-site link"  # "off-site link (host <host>)"
    OFF_SITE_DISCOVERY_LINK = "off-site discovery link"
    OFF_SITE_ROBOTS_SITEMAP = "off-site sitemap in robots.txt"
    DISCOVERY_DOCUMENT = "discovery document"  # "discovery document: <reason>", "discovery document unreadable: ..."
    OVER_MAX_PAGES = "over max_pages"  # "over max_pages (<n>) for this run"
    REMOVED = "removed"  # "removed (<reason>)": the page answered 404 or 410
    REDIRECT_OUT_OF_SCOPE = "redirect out of scope"  # "redirect out of scope (<refusal>): <url>"
    OFF_SITE_HOST = "off-site host"  # "off-site host <host>"
    # the parser's (tasks/text): a page that is no usable review
    NESTED_TOO_DEEPLY = "page nested too deeply"  # "... to parse"
    NOT_PARSEABLE = "not parseable as HTML"
    NO_FILM_TITLE = "no film title found"
    NO_REVIEW_TEXT = "no review text"
    NOT_A_FILM_REVIEW = "not a film review"  # "not a film review (<evidence>)"


# Rejections the pipeline chose (robots.txt, scope, limits, not a review page), not failures of a source.
REFUSALS = (Reason.ROBOTS_DISALLOWS, Reason.OUT_OF_SCOPE, Reason.REDIRECT_OUT_OF_SCOPE, "off-site",
            Reason.OVER_MAX_PAGES, Reason.NO_REVIEW_TEXT, Reason.NO_FILM_TITLE, Reason.NOT_A_FILM_REVIEW,
            Reason.NESTED_TOO_DEEPLY, Reason.NOT_HTML)
