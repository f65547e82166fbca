"""Sentence splitting and sentence-aligned chunking with exact offsets into the review text."""
from __future__ import annotations

import re

from critics.schemas.records import Chunk

# Abbreviations whose trailing period does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "etc", "no", "vol", "ch", "fig",
    "approx", "dept", "est", "inc", "ltd", "co", "mt", "ft", "prof", "gen", "col", "lt", "sgt",
}
# A sentence ends at . ! ? or … (plus closing quotes/brackets) followed by whitespace.
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n\s*\n")
_LAST_WORD = re.compile(r"(\w+)$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences in text, whitespace trimmed."""
    spans, start = [], 0
    for match in _END.finditer(text):
        if text[match.start()] == "." and _is_abbreviation(text, match.start()):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return [s for s in (_trim(text, a, b) for a, b in spans) if s]


def chunk_text(text: str, max_chars: int = 600, sentences: list[tuple[int, int]] | None = None) -> list[Chunk]:
    """Group whole sentences into chunks of at most max_chars (a longer sentence is its own chunk).

    sentences: split_sentences(text), when the caller has it already.
    """
    chunks: list[Chunk] = []
    start = end = None
    for s, e in split_sentences(text) if sentences is None else sentences:
        if start is not None and e - start > max_chars:
            chunks.append(Chunk(len(chunks), text[start:end], start, end))
            start = None
        if start is None:
            start = s
        end = e
    if start is not None:
        chunks.append(Chunk(len(chunks), text[start:end], start, end))
    return chunks


def chunk_index_at(chunks: list[Chunk], offset: int) -> int:
    """Index of the chunk containing a character offset (the last chunk when past the end)."""
    for chunk in chunks:
        if offset < chunk.char_end:
            return chunk.chunk_index
    return chunks[-1].chunk_index if chunks else 0


def _is_abbreviation(text: str, dot: int) -> bool:
    word = _LAST_WORD.search(text, max(0, dot - 12), dot)  # endpos: '$' sees the same end as a slice would
    if not word:
        return False
    token = word.group(1)
    # Initials such as "J." in "J. R. Kim" and known abbreviations do not end sentences.
    return token.lower() in _ABBREVIATIONS or (len(token) == 1 and token.isupper())


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    # str.strip drops exactly the characters str.isspace accepts, without a Python loop per character.
    piece = text[start:end]
    body = piece.lstrip()
    start += len(piece) - len(body)
    end = start + len(body.rstrip())
    return (start, end) if end > start else None
