"""The film's year where a page prints it outside the headline: a labelled field, or beside the running time."""
from __future__ import annotations

import lxml.html
import pytest

from critics.tasks.text.parse import parse_page
from critics.tasks.text.years import printed_year


def _tree(body: str):
    return lxml.html.document_fromstring(f"<html><body>{body}<script>var y = '1999 | 120 mins';</script></body></html>")


@pytest.mark.parametrize("body, expected", [
    ("<dl><dt>Year</dt><dd>2003</dd><dt>Rated</dt><dd>PG</dd></dl>", 2003),
    ("<table><tr><th>Release year:</th><td> 1955 </td></tr></table>", 1955),
    ('<span>D: Michael Mann</span><span>1995 <span>|</span> 170\u2009mins.</span>', 1995),
    ("<p>2017 · 104 min</p>", 2017),
    ("<dl><dt>Year</dt><dd>2003</dd></dl><dl><dt>Year</dt><dd>2004</dd></dl>", None),  # a listing: several films
    ("<p>1995 | 170 mins.</p><p>2001 | 95 mins.</p>", None),
    ("<dl><dt>Year</dt><dd>Released in 2003 on DVD</dd></dl>", None),  # the field holds more than a year
    ("<p>Year</p><p>The year 2003 was a good one.</p>", None),
    ("<p>© 2003 | 1,200 visitors</p>", None),
    ("", None),
])
def test_printed_year_reads_one_labelled_or_runtime_year(body, expected):
    assert printed_year(_tree(body)) == expected


def test_a_headline_year_wins_over_a_printed_field():
    html = ("<html><head><title>Holes (2003) review</title></head><body><article><h1>Holes (2003) review</h1>"
            "<dl><dt>Year</dt><dd>2004</dd></dl>"
            f"<p>{'Holes is a patient and moving film about a boy who digs. ' * 8}</p></article></body></html>")
    assert parse_page(html.encode(), "http://127.0.0.1:9/r").film_year == 2003


def test_a_page_printing_only_its_field_gets_that_year():
    html = ("<html><head><title>Holes review</title></head><body><article><h1>Holes review</h1>"
            "<dl><dt>Year</dt><dd>2003</dd></dl>"
            f"<p>{'Holes is a patient and moving film about a boy who digs. ' * 8}</p></article></body></html>")
    assert parse_page(html.encode(), "http://127.0.0.1:9/r").film_year == 2003
