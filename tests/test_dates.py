"""Publication dates: ISO, RFC 2822, written forms, and htmldate as the last fallback."""
from __future__ import annotations

from datetime import date

import lxml.html
import pytest

from critics.tasks.text.dates import guess_page_date, parse_date
from critics.tasks.text.parse import parse_page


@pytest.mark.parametrize("value, expected", [
    ("Sept. 5, 2024", date(2024, 9, 5)),
    ("Sept 5, 2024", date(2024, 9, 5)),
    ("5 Sept. 2024", date(2024, 9, 5)),
    ("1st March 2024", date(2024, 3, 1)),
    ("March 1st, 2024", date(2024, 3, 1)),
    ("22nd of June, 2023", date(2023, 6, 22)),
    ("Mar. 3rd, 2024", date(2024, 3, 3)),
    ("Dec. 25, 2023", date(2023, 12, 25)),
    ("Tuesday, March 5, 2024", date(2024, 3, 5)),
    ("Thu, 05 Sep 2024 10:00:00 GMT", date(2024, 9, 5)),  # RFC 2822 (RSS pubDate)
    ("Tue, 5 Mar 2024 23:30:00 +0100", date(2024, 3, 5)),  # the date as written, not moved to UTC
    ("2024/03/05", date(2024, 3, 5)),
    ("2024-03-08T09:00:00Z", date(2024, 3, 8)),
    ("31 February 2024", None),
    ("Sept. 2024", None),
    ("yesterday", None),
    ("", None),
])
def test_parse_date_reads_the_forms_sites_print(value, expected):
    assert parse_date(value) == expected


def _page(body: str) -> str:
    return (f"<html><head><title>The Quiet Year review</title></head><body><article><h1>The Quiet Year review</h1>"
            f"{body}<p>{'The Quiet Year is a patient and moving film about a family that rebuilds itself. ' * 8}</p>"
            "</article></body></html>")


def test_htmldate_is_the_last_fallback_when_no_metadata_dates_the_page():
    html = _page('<p class="date">Published: 2023-11-14</p>')
    assert parse_page(html.encode(), "http://127.0.0.1:9/r").published_at == date(2023, 11, 14)


def test_metadata_wins_over_the_fallback():
    html = _page('<time datetime="2024-03-01">1 March 2024</time><p class="date">Published: 2023-11-14</p>')
    assert parse_page(html.encode(), "http://127.0.0.1:9/r").published_at == date(2024, 3, 1)


def test_a_page_with_no_date_anywhere_has_none_and_the_tree_is_not_changed():
    tree = lxml.html.document_fromstring(_page(""))
    before = lxml.html.tostring(tree)
    assert guess_page_date(tree) is None and lxml.html.tostring(tree) == before
