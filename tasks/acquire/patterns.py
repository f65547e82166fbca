"""A source's include/exclude URL patterns: which discovered pages may be fetched at all."""
from __future__ import annotations

from fnmatch import fnmatchcase
from urllib.parse import urlsplit


def pattern_refusal(url: str, include: list[str] | tuple[str, ...] = (), exclude: list[str] | tuple[str, ...] = ()
                    ) -> str | None:
    """Why a URL is out of scope under the patterns ('excluded by pattern ...'), or None when it may be fetched.

    A pattern with '://' is matched against the whole URL, any other against its path (and query):
    '/reviews/*' and '*/gallery/*' are path patterns; '*' matches across '/'.
    """
    hit = next((p for p in exclude if _matches(url, p)), None)
    if hit:
        return f"excluded by pattern {hit!r}"
    if include and not any(_matches(url, p) for p in include):
        return f"matches no include pattern ({', '.join(repr(p) for p in include)})"
    return None


def _matches(url: str, pattern: str) -> bool:
    if "://" in pattern:
        return fnmatchcase(url, pattern)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return fnmatchcase(path, pattern) or fnmatchcase(parts.path or "/", pattern)
