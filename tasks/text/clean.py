"""Turn fetched bytes into text and repair text: charset detection, broken unicode, whitespace."""
from __future__ import annotations

import codecs
import re

import charset_normalizer
import ftfy
import webencodings

from critics.schemas.records import Credit, ParsedPage

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_HEADER_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)
# WHATWG's gbk decoder is the gb18030 decoder; webencodings names the narrower Python codec.
_DECODER_SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030"}
# Undeclared non-UTF-8 pages: too few high bytes say nothing reliable (a latin-1 'café' can pass for Cyrillic).
_DETECT_MIN_HIGH_BYTES = 16
# Legacy encodings an undeclared page is weighed against. cp949 (Korean) is left out on purpose: charset-normalizer
# ranks it above cp932 for Shift_JIS text, and Japanese pages are the likelier of the two here.
_DETECT_CANDIDATES = ["cp1252", "cp1251", "gb18030", "cp932"]
# Runs of [ \t\u00a0\u200b] become one space. A lone plain space is left out of the pattern: replacing it
# with itself is a no-op that cost a match per word.
_SPACES = re.compile(r"[ \t\u00a0\u200b]{2,}|[\t\u00a0\u200b]")
# Keep curly quotes as the critic typed them; only undo encoding damage. Built once, not per call.
_FTFY_CONFIG = ftfy.TextFixerConfig(explain=False, normalization="NFC", uncurl_quotes=False)
_FTFY_NO_UNESCAPE = _FTFY_CONFIG._replace(unescape_html=False)
# ftfy leaves a line unchanged unless it holds one of these: non-ASCII, control characters or '&' (entities).
_FTFY_TOUCHES = re.compile(r"[^\t\n\x20-\x25\x27-\x7e]")


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode page bytes as browsers do: BOM, declared charset (WHATWG labels), UTF-8, then a detected legacy one."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, errors="replace").lstrip("\ufeff")
    meta = _meta_charset(body)
    if meta and meta.lower().startswith(("utf-16", "utf16")):
        meta = "utf-8"  # WHATWG: an ASCII-readable <meta> cannot truly mean UTF-16
    for label in (_header_charset(content_type), meta, "utf-8"):
        text = _try_decode(body, label)
        if text is not None:
            return text
    return _decode_undeclared(body)


def _decode_undeclared(body: bytes) -> str:
    """A page in no declared or UTF-8 encoding: the likeliest legacy encoding, windows-1252 when unsure."""
    if sum(1 for b in body[:65536] if b >= 0x80) >= _DETECT_MIN_HIGH_BYTES:
        best = charset_normalizer.from_bytes(body, cp_isolation=_DETECT_CANDIDATES).best()
        if best is not None:
            return body.decode(best.encoding, errors="replace")
    # windows-1252 maps almost every byte, so it is the last resort that never loses the page.
    return body.decode("cp1252", errors="replace")


def repair_text(text: str) -> str:
    """Fix mojibake and normalise whitespace while keeping paragraph breaks."""
    text = _fix_text(text)
    # The space run pattern holds no line break, so one pass over the whole text equals one per line.
    lines = [line.strip() for line in _SPACES.sub(" ", text).splitlines()]
    return "\n".join(line for line in lines if line)


def _fix_text(text: str) -> str:
    """ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False), skipping lines ftfy would not change."""
    if not _FTFY_TOUCHES.search(text):
        return text
    if len(text) > _FTFY_CONFIG.max_decode_length:
        return ftfy.fix_text(text, _FTFY_CONFIG)
    # Same segments as ftfy.fix_text: one per line, and no entity unescaping after a line holding '<'.
    config, out = _FTFY_CONFIG, []
    for segment in _segments(text):
        if config.unescape_html == "auto" and "<" in segment:
            config = _FTFY_NO_UNESCAPE
        out.append(ftfy.fix_and_explain(segment, config).text if _FTFY_TOUCHES.search(segment) else segment)
    return "".join(out)


def _segments(text: str) -> list[str]:
    """text cut after every newline (and nowhere else), as ftfy.fix_text cuts it."""
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def _header_charset(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def _meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def python_codec(label: str | None) -> str | None:
    """The Python codec for a charset label as browsers read it (WHATWG): gb2312 -> gb18030, latin1 -> cp1252."""
    encoding = webencodings.lookup(label.strip()) if label else None
    if encoding is None:
        return None
    name = encoding.codec_info.name
    return _DECODER_SUPERSETS.get(name, name)


def _try_decode(body: bytes, label: str | None) -> str | None:
    codec = python_codec(label)
    if codec is None:
        return None
    try:
        return webencodings.lookup(label.strip()).codec_info.decode(body)[0] if codec == "x-user-defined" \
            else body.decode(codec)
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
