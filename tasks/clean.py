"""Turn fetched bytes into text and repair text: charset detection, broken unicode, whitespace."""
from __future__ import annotations

import codecs
import re

import ftfy

from schemas.records import Credit, ParsedPage

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode page bytes: BOM, then a declared charset that actually decodes, then UTF-8, then cp1252."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, errors="replace").lstrip("\ufeff")
    for encoding in (_header_charset(content_type), _meta_charset(body), "utf-8"):
        text = _try_decode(body, encoding)
        if text is not None:
            return text
    # cp1252 maps almost every byte, so it is the last resort that never loses the page.
    return body.decode("cp1252", errors="replace")


def repair_text(text: str) -> str:
    """Fix mojibake and normalise whitespace while keeping paragraph breaks."""
    # Keep curly quotes as the critic typed them; only undo encoding damage.
    text = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)
    lines = [re.sub(r"[ \t\u00a0\u200b]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _header_charset(content_type: str | None) -> str | None:
    match = re.search(r"charset=([\w.:-]+)", content_type or "", re.I)
    return match.group(1) if match else None


def _meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def _try_decode(body: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return body.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def clean_page(page: ParsedPage) -> ParsedPage:
    """Repair the text fields a parser took from the page (mojibake, stray whitespace)."""
    page.body_text = repair_text(page.body_text)
    page.rating_text_blocks = [line for line in map(repair_text, page.rating_text_blocks) if line]
    for name in ("film_title", "critic", "outlet", "headline"):
        value = getattr(page, name)
        setattr(page, name, repair_text(value).replace("\n", " ") or None if value else None)
    page.credits = [Credit(repair_text(c.name), c.role, repair_text(c.character) if c.character else None)
                    for c in page.credits]
    return page
