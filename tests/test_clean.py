"""Decoding and repair: the right charset wins, mojibake is fixed, paragraphs survive."""
from __future__ import annotations

import pytest

from critics.schemas.records import Credit, ParsedPage
from critics.tasks.text.clean import clean_page, decode_html, repair_text


@pytest.mark.parametrize("body, content_type, expected", [
    ("caf\u00e9 \u2013 \u2605\u2605\u2605".encode("utf-8"), "text/html; charset=utf-8", "caf\u00e9 \u2013 \u2605\u2605\u2605"),
    ("caf\u00e9 \u2013".encode("cp1252"), "text/html; charset=utf-8", "caf\u00e9 \u2013"),  # mislabelled cp1252
    ("\ufeffcaf\u00e9".encode("utf-16"), None, "caf\u00e9"),  # UTF-16 with BOM
    (b'<meta charset="iso-8859-1">caf\xe9', None, '<meta charset="iso-8859-1">caf\u00e9'),
    ("\ufeffplain".encode("utf-8"), "text/html", "plain"),
    (b"", None, ""),
])
def test_decode_html_picks_a_charset_that_really_decodes(body, content_type, expected):
    assert decode_html(body, content_type) == expected


@pytest.mark.parametrize("raw, fixed", [
    ("The filmâ€™s score", "The film\u2019s score"),
    ("  too   many\tspaces  ", "too many spaces"),
    ("para one\n\n\npara two", "para one\npara two"),
    ("non\u00a0breaking", "non breaking"),
])
def test_repair_text_fixes_mojibake_and_whitespace(raw, fixed):
    assert repair_text(raw) == fixed


def test_clean_page_repairs_every_text_field():
    page = ParsedPage(url="u", canonical_url="u", film_title="Caf\u00c3\u00a9 Society", critic=" Ana  Lee ",
                      body_text="It\u00e2\u20ac\u2122s good.", rating_text_blocks=["", "Rating:  3/4 "],
                      credits=[Credit("Zo\u00c3\u00ab Kim", "actor", None)])
    cleaned = clean_page(page)
    assert (cleaned.film_title, cleaned.critic, cleaned.body_text) == ("Caf\u00e9 Society", "Ana Lee", "It\u2019s good.")
    assert cleaned.rating_text_blocks == ["Rating: 3/4"]
    assert cleaned.credits[0].name == "Zo\u00eb Kim"
