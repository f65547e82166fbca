"""The film's year where a page prints it outside its headline: a labelled 'Year' field, or 'YYYY | NNN mins.'."""
from __future__ import annotations

import re

from lxml import etree

_YEAR = r"(?:18[89]\d|19\d\d|20\d\d)"
_YEAR_LABEL = re.compile(r"(?:release|production)?\s*year\s*:?", re.I)  # 'Year', 'Release year:'
_YEAR_VALUE = re.compile(rf"\s*({_YEAR})\s*")
# a credits line gives the year beside the running time: '1995 | 170 mins.', '2017 · 104 min'
_YEAR_RUNTIME = re.compile(rf"(?<!\d)({_YEAR})\s*[|·•,/]\s*\d{{2,3}}\s*(?:min|mins|minutes)\b", re.I)
# text nodes filtered inside libxml2: a scan of every element costs a tenth of a page's parse
_CANDIDATES = etree.XPath("//body//text()[contains(., 'ear') or contains(., 'min')]")
_VISIBLE = etree.XPath(".//text()[not(ancestor::style or ancestor::script)]")  # CSS-in-JS puts <style> in lines
_SHORT = 120  # a credits line, not a paragraph or a script


def printed_year(tree) -> int | None:
    """The one year a page prints as the film's in a labelled field or beside its running time; None if none or several."""
    texts = _CANDIDATES(tree)
    years = {year for text in texts if "ear" in text for year in [_labelled_year(text)] if year}
    if not years:
        lines = {_holder(text) for text in texts if "min" in text and len(text) <= _SHORT}
        years = {int(m.group(1)) for line in lines if line is not None and line.tag not in ("script", "style")
                 for text in ["".join(_VISIBLE(line))] if len(text) <= _SHORT for m in _YEAR_RUNTIME.finditer(text)}
    return years.pop() if len(years) == 1 else None


def _holder(text):
    """The element whose own text this text node is (a tail belongs to its element's parent)."""
    parent = text.getparent()
    return parent.getparent() if text.is_tail and parent is not None else parent


def _labelled_year(text) -> int | None:
    """The year in the element after a 'Year' label (<dt>Year</dt><dd>2003</dd>)."""
    label = text.getparent()
    if text.is_tail or len(label) or not _YEAR_LABEL.fullmatch(text.strip()):
        return None
    value = label.getnext()
    found = _YEAR_VALUE.fullmatch(value.text_content()) if value is not None else None
    return int(found.group(1)) if found else None
