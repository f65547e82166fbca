"""Sentence splitting and chunking keep whole sentences and exact offsets."""
from __future__ import annotations

import pytest

from critics.tasks.text.chunk import chunk_index_at, chunk_text, split_sentences


@pytest.mark.parametrize("text, sentences", [
    ("A triumph. A mess!", ["A triumph.", "A mess!"]),
    ("Dr. Okafor directs. It works.", ["Dr. Okafor directs.", "It works."]),
    ("J. R. Kim wrote it. Fine.", ["J. R. Kim wrote it.", "Fine."]),
    ("\u201cWow.\u201d She left. Then?", ["\u201cWow.\u201d", "She left.", "Then?"]),
    ("First paragraph without stop\n\nSecond one.", ["First paragraph without stop", "Second one."]),
    ("Ends with ellipsis\u2026 then more.", ["Ends with ellipsis\u2026", "then more."]),
    ("", []),
])
def test_sentences_split_at_real_ends_only(text, sentences):
    assert [text[s:e] for s, e in split_sentences(text)] == sentences


@pytest.mark.parametrize("max_chars", [20, 60, 200, 10_000])
def test_chunks_never_split_a_sentence_and_offsets_are_exact(max_chars):
    text = " ".join(f"Sentence number {i} says something about the film." for i in range(30))
    chunks = chunk_text(text, max_chars)
    sentence_ends = {e for _, e in split_sentences(text)}
    for chunk in chunks:
        assert text[chunk.char_start:chunk.char_end] == chunk.text
        assert chunk.char_end in sentence_ends
        assert len(chunk.text) <= max_chars or "." not in chunk.text[:-1]
    assert [c.chunk_index for c in chunks] == list(range(len(chunks)))
    assert "".join(c.text for c in chunks).replace(" ", "") == text.replace(" ", "")


def test_sentence_longer_than_the_limit_is_its_own_chunk():
    text = "Short. " + "word " * 50 + "end. Short again."
    chunks = chunk_text(text, 30)
    assert any(len(c.text) > 30 for c in chunks)
    assert all(text[c.char_start:c.char_end] == c.text for c in chunks)


def test_chunk_index_at_finds_the_chunk_holding_an_offset():
    text = "One sentence here. Another one there. And a third."
    chunks = chunk_text(text, 20)
    for chunk in chunks:
        assert chunk_index_at(chunks, chunk.char_start) == chunk.chunk_index
