"""HTML of the bad site's review pages, and the URLs its main sitemap lists."""
from __future__ import annotations

import html as htmllib

_TEXT = ("{title} is a patient, carefully built film that rewards attention. The director lets scenes breathe, "
         "the performances are restrained and precise, and the photography finds beauty in ordinary rooms. "
         "The second act sags a little, and a subplot about a missing letter never quite pays off, but the "
         "final twenty minutes are as moving as anything this year. The score is sparing and the editing is "
         "confident. It is a film about grief that never wallows, and about love that never turns sentimental.")

SITEMAP_PATHS = [
    "/good", "/empty", "/binary", "/huge-streamed", "/huge-declared", "/gzip-bomb", "/gzip-ok", "/brotli-claimed",
    "/cp1252-as-utf8", "/utf16-bom", "/no-charset-latin1", "/mojibake", "/deep-nesting", "/deep-nesting-only",
    "/unclosed-tags", "/jsonld-invalid", "/jsonld-huge", "/jsonld-graph", "/jsonld-array", "/jsonld-deep",
    "/jsonld-deep-objects", "/two-reviews", "/no-text", "/non-english", "/redirect-loop-a", "/redirect-ok",
    "/redirect-other-host", "/redirect-private", "/redirect-metadata", "/redirect-file", "/redirect-credentials",
    "/status-404", "/status-410", "/status-500", "/status-503", "/status-429-then-ok", "/status-429",
    "/slow-loris", "/slow-headers", "/reset-mid-body", "/not-html", "/sql-injection", "/private/hidden",
    "/missing-page",
    # issue 18's edges (tests/badsite/edges.py)
    "/gzip-over-plain", "/deflate-raw", "/deflate-zlib", "/gzip-double", "/encoding-identity", "/gzip-upper-case",
    "/encoding-compress", "/deflate-garbage", "/gzip-truncated", "/charset-gb2312", "/charset-x-sjis",
    "/charset-cp1251-undeclared", "/charset-latin1-label", "/charset-meta-gb2312", "/charset-unknown-label",
    "/charset-bom-beats-meta", "/date-sept", "/date-ordinal", "/date-rfc2822", "/date-text-only", "/date-garbage",
    "/no-content-type", "/xhtml", "/text-plain-html", "/json-body", "/status-204", "/status-418", "/status-599",
    "/redirect-no-location", "/redirect-chain", "/redirect-too-many", "/retry-after-a-day", "/retry-after-date",
    "/header-flood", "/header-huge", "/chunked-bad", "/short-body", "/status-line-garbage", "/script-only",
    "/unclosed-comment", "/meta-refresh", "/entity-bomb-html", "/nul-bytes", "/header-vs-meta",
]
# The same pages as sites write them: dot segments, upper-case scheme, fragments, queries, escapes ({base} filled in).
ODD_LOCS = [
    "{base}/a/./b/../../dot-target", "HTTP://{hostport}/case-target", "{base}/frag-target#section",
    "{base}/query-target?utm_source=feed&b=1", "{base}/caf%C3%A9-review", "{base}/../../escape-root",
]
# Links a hostile sitemap may carry: none of these may ever be requested.
FOREIGN_LOCS = [
    "javascript:alert(document.cookie)", "mailto:editor@example.org", "file:///etc/passwd",
    "data:text/html,<script>alert(1)</script>", "http://user:secret@127.0.0.1:9/good",
    "http://b\u00fccher.example/review", "http://xn--bcher-kva.example/other", "http://10.0.0.1/review",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]:9/review", "http://[bad-ipv6/review",
]


def review_html(title: str, critic: str = "Dana Reviewer", extra: str = "", jsonld: str | None = None,
                body_text: str | None = None, lang: str = "en") -> str:
    """A plain, well-formed review page for the film `title`."""
    text = htmllib.escape(body_text or _TEXT.format(title=title))
    script = f'<script type="application/ld+json">{jsonld}</script>' if jsonld is not None else ""
    t, c = htmllib.escape(title), htmllib.escape(critic)
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{t} review | Bad Site Weekly</title>'
            f'<meta property="og:site_name" content="Bad Site Weekly">{script}</head><body><article>'
            f'<h1>{t} review</h1><p class="byline">By {c}</p><time datetime="2024-03-01">1 March 2024</time>'
            f'<p>{text}</p><p>{htmllib.escape(extra)}</p><p>Rating: 3/5</p></article></body></html>')
