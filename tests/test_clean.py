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


RUSSIAN = "Этот фильм — настоящий шедевр. Режиссёр сумел передать атмосферу эпохи, а актёры играют великолепно."
CHINESE = "这部电影非常精彩，导演的叙事节奏把握得很好。"
JAPANESE = "この映画は素晴らしい。監督の演出が見事で、俳優の演技も素晴らしかった。"


@pytest.mark.parametrize("text, codec, content_type", [
    (CHINESE, "gbk", "text/html; charset=gb2312"),  # WHATWG: gb2312 is read with the gbk (gb18030) decoder
    (CHINESE + "\U00020000", "gb18030", "text/html; charset=GB2312"),  # characters only gb18030 has
    (JAPANESE + "\u2460", "cp932", "text/html; charset=x-sjis"),  # Shift_JIS as Windows writes it (NEC circled 1)
    (JAPANESE, "cp932", "text/html; charset=\"shift_jis\""),
    ("caf\u00e9 \u20ac \u201cquoted\u201d", "cp1252", "text/html; charset=latin1"),  # latin1 means windows-1252
    ("caf\u00e9 \u20ac", "cp1252", "text/html; charset=iso-8859-1"),
    ("caf\u00e9 \u20ac", "cp1252", "text/html; charset=us-ascii"),
    (RUSSIAN, "cp1251", "text/html; charset=cp1251"),
    (RUSSIAN.replace("\u2014", "-"), "koi8-r", "text/html; charset=koi8-r"),
    (RUSSIAN, "cp1251", None),  # undeclared cp1251: detected, not read as windows-1252 mojibake
    (RUSSIAN, "cp1251", "text/html"),
    (JAPANESE, "cp932", None),  # undeclared Shift_JIS
    (CHINESE * 2, "gb18030", None),  # undeclared GBK
    ("The film is a na\u00efve caf\u00e9 tale, and a fine one.", "latin-1", None),  # a few high bytes: windows-1252
])
def test_charset_labels_are_read_as_browsers_read_them(text, codec, content_type):
    body = f"<p>{text}</p>".encode(codec)
    assert decode_html(body, content_type) == f"<p>{text}</p>"


def test_a_meta_label_is_mapped_too():
    body = b'<meta charset="x-sjis"><p>' + JAPANESE.encode("cp932")
    assert decode_html(body).endswith(JAPANESE)
    assert decode_html(b'<meta charset="utf-16"><p>caf\xc3\xa9') == '<meta charset="utf-16"><p>caf\u00e9'
