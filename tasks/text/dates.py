"""Publication dates: ISO, RFC 2822 and the written forms critics' sites print, with htmldate as the last resort."""
from __future__ import annotations

import email.utils
import logging
import re
from datetime import date, datetime

_FORMATS = ("%Y-%m-%d", "%B %d %Y", "%d %B %Y", "%b %d %Y", "%d %b %Y", "%Y/%m/%d", "%Y.%m.%d", "%B %Y %d")
_WEEKDAY = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.I)
_ORDINAL = re.compile(r"(?<=\d)(st|nd|rd|th)\b", re.I)
_SEPT = re.compile(r"\bsept\b", re.I)  # strptime knows "Sep", not the common "Sept."
_PUNCT = re.compile(r"(?<=[A-Za-z])\.|,")
_OLDEST = date(1900, 1, 1)  # htmldate guesses outside 1900..next year are noise (copyright lines, ids)


def parse_date(value: str | None) -> date | None:
    """A date from ISO timestamps, RFC 2822 and written forms (`Sept. 5, 2024`, `1st March 2024`); None otherwise."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    return _written(value) or _rfc2822(value)


def _written(value: str) -> date | None:
    text = _PUNCT.sub(" ", _SEPT.sub("Sep", _ORDINAL.sub("", _WEEKDAY.sub("", value))))
    text = " ".join(text.replace(" of ", " ").split())
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _rfc2822(value: str) -> date | None:
    """`Thu, 05 Sep 2024 10:00:00 GMT` (RSS pubDate, HTTP dates)."""
    try:
        stamp = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return stamp.date() if stamp else None


def guess_page_date(tree) -> date | None:
    """htmldate's reading of a parsed page (original publication date, quick search); None when it finds none."""
    import htmldate

    logging.getLogger("htmldate").setLevel(logging.ERROR)  # it logs every miss at WARNING
    try:
        found = htmldate.find_date(tree, extensive_search=False, original_date=True, min_date="1900-01-01")
    except Exception:  # noqa: BLE001 - a fallback guess must never cost the page
        return None
    value = parse_date(found)
    return value if value and value >= _OLDEST and value.year <= date.today().year + 1 else None
