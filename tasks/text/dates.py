"""Publication dates: ISO, RFC 2822 and the written forms critics' sites print, with htmldate as the last resort."""
from __future__ import annotations

import email.utils
import logging
import re
from datetime import date, datetime, time

from lxml import etree

_FORMATS = ("%Y-%m-%d", "%B %d %Y", "%d %B %Y", "%b %d %Y", "%d %b %Y", "%Y/%m/%d", "%Y.%m.%d", "%B %Y %d")
_WEEKDAY = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.I)
_ORDINAL = re.compile(r"(?<=\d)(st|nd|rd|th)\b", re.I)
_SEPT = re.compile(r"\bsept\b", re.I)  # strptime knows "Sep", not the common "Sept."
_PUNCT = re.compile(r"(?<=[A-Za-z])\.|,")
_OLDEST = date(1900, 1, 1)  # htmldate guesses outside 1900..next year are noise (copyright lines, ids)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# a full date as pages print it: 2024-03-05, 2024/3/5, 2024年3月5日, March 5th, 2024, 5 March 2024
_PRINTED = (rf"(?<![0-9A-Za-z])(?:\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}|\d{{4}}年\d{{1,2}}月\d{{1,2}}日"
            rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}})"
            r"(?![0-9])")
_PRINTED_DATE = re.compile(_PRINTED, re.I)
# a dateline opens the text: "MAY 15, 2017—I tilt forward", "WASHINGTON, Jan. 5, 2024 -- The"
_DATELINE = re.compile(rf"^(?-i:[A-Z][A-Z .'-]{{1,30}},\s*)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
                       rf"({_PRINTED})\s*(?:—|–|--|\s-)\s*\w", re.I | re.M)
_HIDDEN = {"script", "style", "noscript"}


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


def printed_date(value: str) -> date | None:
    """A date as printed on a page, the CJK form (2024年3月5日) included."""
    cjk = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", value.strip())
    return parse_date("{}-{:0>2}-{:0>2}".format(*cjk.groups()) if cjk else value)


def first_printed_date(text: str) -> date | None:
    """The first full date printed in a text; None when it prints none."""
    found = _PRINTED_DATE.search(text or "")
    return printed_date(found.group()) if found else None


def dateline_date(text: str | None) -> date | None:
    """The date of a dateline opening the article's text (its first lines), as in 'MAY 15, 2017—I tilt'."""
    found = _DATELINE.search((text or "")[:500])
    return printed_date(found.group(1)) if found else None


def stamp_date(stamp, tree) -> date | None:
    """A structured timestamp's date; a UTC one takes the page's first printed date when that is one day off.

    Sites stamp in UTC but print their own time zone's day ('December 18, 2025' posted 9:46 pm Eastern is
    2025-12-19T02:46Z); a midnight UTC stamp is a bare date, so its day stands.
    """
    day = parse_date(stamp)
    moment = _aware(stamp)
    if day is None or moment is None or moment.utcoffset() or moment.time() == time(0):
        return day
    printed = _first_page_date(tree) if tree is not None else None
    return printed if printed and abs((printed - day).days) == 1 else day


def _first_page_date(tree) -> date | None:
    """The first full date in the page's visible text, read from the top node by node (a post date is near the top)."""
    body = tree.find(".//body")
    for event, element in etree.iterwalk(body if body is not None else tree, events=("start", "end")):
        hidden = not isinstance(element.tag, str) or element.tag in _HIDDEN  # comments, scripts
        text = element.tail if event == "end" else None if hidden else element.text
        found = first_printed_date(text) if text and text.strip() else None
        if found:
            return found
    return None


def _aware(value) -> datetime | None:
    """The timestamp with its UTC offset; None when it has no offset or is not ISO."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return None
    return moment if moment.tzinfo else None


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
