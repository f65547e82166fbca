"""The film's year where a page prints it outside its headline: a labelled 'Year' field, or 'YYYY | NNN mins.'."""
from __future__ import annotations

import re

from lxml import etree

_YEAR = r"(?:18[89]\d|19\d\d|20\d\d)"
_YEAR_LABEL = re.compile(r"(?:release|production)?\s*year\s*:?", re.I)  # 'Year', 'Release year:'
_YEAR_VALUE = re.compile(rf"\s*({_YEAR})\s*")
# a credits line gives the year beside the running time: '1995 | 170 mins.', '2017 · 104 min'
_YEAR_RUNTIME = re.compile(rf"(?<!\d)({_YEAR})\s*[|·•,/]\s*\d{{2,3}}\s*(?:min|mins|minutes)\b", re.I)
_LABELS = etree.XPath("//body//*[self::dt or self::th or self::td or self::span or self::strong or self::b "
                      "or self::label or self::div][not(*)]")
_VISIBLE = etree.XPath("//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]")


def printed_year(tree) -> int | None:
    """The one year a page prints as the film's in a labelled field or beside its running time; None if none or several."""
    years = {year for label in _LABELS(tree) for year in [_labelled_year(label)] if year}
    if not years:
        text = " ".join(_VISIBLE(tree))
        years = {int(m.group(1)) for m in _YEAR_RUNTIME.finditer(text)}
    return years.pop() if len(years) == 1 else None


def _labelled_year(label) -> int | None:
    """The year in the element after a 'Year' label (<dt>Year</dt><dd>2003</dd>)."""
    if not _YEAR_LABEL.fullmatch((label.text or "").strip()):
        return None
    value = label.getnext()
    found = _YEAR_VALUE.fullmatch(value.text_content()) if value is not None else None
    return int(found.group(1)) if found else None
