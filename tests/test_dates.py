"""Publication dates: ISO, RFC 2822, written forms, and htmldate as the last fallback."""
from __future__ import annotations

from datetime import date

import lxml.html
import pytest

from critics.tasks.text.dates import dateline_date, first_printed_date, guess_page_date, parse_date, stamp_date
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


@pytest.mark.parametrize("text, expected", [
    ("Posted on December 18, 2025 Posted by", date(2025, 12, 18)),
    ("发表于2026-03-21|更新于2026-03-22", date(2026, 3, 21)),  # no word boundary between CJK text and the date
    ("写于2024年3月5日", date(2024, 3, 5)),
    ("added 26 feb 2020", date(2020, 2, 26)),
    ("Posted on 2019/07/06 by", date(2019, 7, 6)),
    ("© 1996-2006, call 555-2024-01", None),  # a year span or a number run is no date
    ("Archives: March 2021", None),  # a month without a day
])
def test_first_printed_date_reads_the_dates_pages_print(text, expected):
    assert first_printed_date(text) == expected


def _tree(text: str):
    return lxml.html.document_fromstring(f"<html><body><p>{text}</p><script>var d='2025-12-17';</script></body></html>")


def test_a_utc_stamp_takes_the_printed_day_one_day_off():
    # posted 9:46 pm US Eastern on the 18th: the UTC stamp falls on the 19th, the page prints the 18th
    assert stamp_date("2025-12-19T02:46:01+00:00", _tree("Posted on December 18, 2025")) == date(2025, 12, 18)
    assert stamp_date("2026-03-20T16:00:00.000Z", _tree("发表于2026-03-21")) == date(2026, 3, 21)


@pytest.mark.parametrize("stamp, printed, expected", [
    ("2025-12-19T02:46:01-05:00", "December 18, 2025", date(2025, 12, 19)),  # a local offset: its own day stands
    ("2025-12-19T00:00:00+00:00", "December 18, 2025", date(2025, 12, 19)),  # midnight UTC is a bare date
    ("2025-12-19T02:46:01Z", "December 16, 2025", date(2025, 12, 19)),  # printed date too far: not this post's
    ("2025-12-19T02:46:01Z", "no date here", date(2025, 12, 19)),
    ("2025-12-19", "December 18, 2025", date(2025, 12, 19)),
    (None, "December 18, 2025", None),
])
def test_other_stamps_keep_their_own_day(stamp, printed, expected):
    assert stamp_date(stamp, _tree(printed)) == expected


@pytest.mark.parametrize("text, expected", [
    ("5 stars (out of 5)\nMAY 15, 2017—I tilt forward in my seat.", date(2017, 5, 15)),
    ("WASHINGTON, Jan. 5, 2024 -- The senate", date(2024, 1, 5)),
    ("Latest News:\nTuesday, January 15, 2008\nHome", None),  # a date alone on a line is a site header's
    ("The film opened on May 15, 2017 - and flopped.", None),  # inside a sentence, not opening a line
    ("", None),
])
def test_dateline_date_reads_a_dateline_opening_the_text(text, expected):
    assert dateline_date(text) == expected


def test_a_dateline_dates_a_page_without_metadata():
    html = _page("<p>MAR 20, 2017—Reviewing this one without spoilers will prove difficult.</p>")
    assert parse_page(html.encode(), "http://127.0.0.1:9/r").published_at == date(2017, 3, 20)
