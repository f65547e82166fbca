"""Sentence splitting and chunking keep whole sentences and exact offsets."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from critics.tasks.text.chunk import chunk_index_at, chunk_text, split_sentences


@pytest.mark.parametrize("text, sentences", [
    ("A triumph. A mess!", ["A triumph.", "A mess!"]),
    ("Dr. Okafor directs. It works.", ["Dr. Okafor directs.", "It works."]),
    ("J. R. Kim wrote it. Fine.", ["J. R. Kim wrote it.", "Fine."]),
    ("\u201cWow.\u201d She left. Then?", ["\u201cWow.\u201d", "She left.", "Then?"]),
    ("First paragraph without stop\n\nSecond one.", ["First paragraph without stop", "Second one."]),
    # An ellipsis before a lowercase word is an elision inside the sentence (issue 18); before a capital it ends one.
    ("Ends with ellipsis\u2026 then more.", ["Ends with ellipsis\u2026 then more."]),
    ("Ends with ellipsis\u2026 Then more.", ["Ends with ellipsis\u2026", "Then more."]),
    ("It is . . . fine. Really.", ["It is . . . fine.", "Really."]),
    ("A bore... but a pretty one. Go.", ["A bore... but a pretty one.", "Go."]),
    ("...and then it ends. Yes.", ["...and then it ends.", "Yes."]),
    ("... A sequel. Sadly.", ["... A sequel.", "Sadly."]),
    ("Films by auteurs, e.g. Varda, i.e. the best. Fine.", ["Films by auteurs, e.g. Varda, i.e. the best.", "Fine."]),
    ("It opens at 8 p.m. on Friday. Go.", ["It opens at 8 p.m. on Friday.", "Go."]),
    ("It opens at 8 p.m. The end.", ["It opens at 8 p.m.", "The end."]),
    ("Acme Corp. made it. Mr. Lee and Dr. Roe star.", ["Acme Corp. made it.", "Mr. Lee and Dr. Roe star."]),
    ("Set on St. Mark's Place, etc. and more. Kramer vs. Kramer it is not.",
     ["Set on St. Mark's Place, etc. and more.", "Kramer vs. Kramer it is not."]),
    ("Shot in L.A. with care. It shows.", ["Shot in L.A. with care.", "It shows."]),
    ("Shot in the U.S. It shows.", ["Shot in the U.S.", "It shows."]),
    ("A 'What if?' premise. Fine!", ["A 'What if?' premise.", "Fine!"]),
    ("Really? Yes.", ["Really?", "Yes."]),
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


def test_offsets_stay_exact_around_elisions_and_abbreviations():
    text = "  ...so it begins. Dr. No, e.g. the first; 8 p.m. . . . then? \u201cWhat if?\u201d he asks.\n\nNext. "
    spans = split_sentences(text)
    assert all(text[s:e] == text[s:e].strip() and text[s:e] for s, e in spans)
    assert [b for _, b in spans] == sorted(b for _, b in spans) and spans[-1][1] == len(text.rstrip())
    chunks = chunk_text(text, 25)
    assert all(text[c.char_start:c.char_end] == c.text for c in chunks)


def test_abbreviation_list_is_package_data():
    from critics.schemas.paths import package_data

    words = package_data("lexicons", "abbreviations.txt").read_text(encoding="utf-8").split()
    assert {"e.g", "i.e", "p.m", "corp", "mr", "dr", "st", "vs", "etc"} <= set(words)


@pytest.mark.skipif(not (Path(__file__).resolve().parents[2] / "shared" / "realdata" / "rt_flatiron"
                         / "rt.reviews.tsv.gz").is_file(), reason="../shared realdata absent")
def test_under_one_percent_of_breaks_on_real_rt_snippets_precede_a_lowercase_word():
    result = subprocess.run([sys.executable, str(Path(__file__).resolve().parents[1] / "benchmarks" / "eval_sentences.py"),
                             "--before-ref", "none"], capture_output=True, text=True, timeout=300, check=True)
    share = float(re.search(r"after: .* = ([\d.]+)%", result.stdout).group(1))
    assert share < 1.0, result.stdout
