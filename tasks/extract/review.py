"""Extraction: rating, verdict, chunks and mentions of one parsed, cleaned review page."""
from __future__ import annotations

from functools import lru_cache

from critics.schemas.records import ExtractedReview, Mention, ParsedPage
from critics.tasks.extract import chinese
from critics.tasks.extract.aspects import find_aspects
from critics.tasks.text.chunk import chunk_index_at, chunk_text, split_sentences
from critics.tasks.extract.mentions import find_mentions
from critics.tasks.extract.ratings import extract_rating
from critics.tasks.extract.scales import usual_scale
from critics.tasks.extract.textmodel import TextModel, default_model
from critics.tasks.extract.verdicts import verdict_from_rating


def extract_review(page: ParsedPage, chunk_max_chars: int = 600, default_best: float | None = None,
                   model: TextModel | None = None) -> ExtractedReview:
    """Rating and verdict (printed rating first, trained text model otherwise), chunks and mentions."""
    model = model or default_model()
    text = page.body_text
    zh = chinese.is_chinese(text)  # decided once: the verdict and the mentions both follow it
    default_best = default_best or usual_scale(page.outlet)  # '2 stars' at an outlet that rates out of 4
    rating = extract_rating(page.structured_rating, page.structured_rating_rule, page.rating_text_blocks, default_best)
    verdict = verdict_from_rating(rating, page.outlet) if rating else None
    confidence = None
    if verdict is None:
        verdict, confidence = _scorer(model, zh).verdict(text)
    sentences = split_sentences(text)  # once: chunking and mention sentiment both need them
    chunks = chunk_text(text, chunk_max_chars, sentences)
    mentions = find_all_mentions(text, page, model, sentences, zh)
    return ExtractedReview(
        page=page, text=text, rating=rating, score=rating.score if rating else None,
        verdict=verdict, verdict_source="rating" if confidence is None else "model",
        verdict_confidence=confidence, chunks=chunks,
        mentions=[(chunk_index_at(chunks, m.char_start), m) for m in mentions],
    )


def find_all_mentions(text: str, page: ParsedPage, model: TextModel,
                      sentences: list[tuple[int, int]] | None = None, zh: bool | None = None) -> list[Mention]:
    """People, characters, films and aspects, one mention per start offset (named entities win)."""
    sentences = split_sentences(text) if sentences is None else sentences
    zh = chinese.is_chinese(text) if zh is None else zh
    # Memo for this review only: each clause is scored once per mention in it, negated words again and again.
    sentiment = lru_cache(maxsize=None)(_scorer(model, zh).sentence_sentiment)
    named = find_mentions(text, sentences, page.credits, page.film_title, sentiment=sentiment)
    if zh:  # names written in Chinese: rules and a segmenter (tasks/extract/chinese.py)
        taken = [(m.char_start, m.char_end) for m in named]
        named = sorted(named + chinese.person_mentions(text, sentences, taken, sentiment), key=lambda m: m.char_start)
    aspects = find_aspects(text, sentences, sentiment)
    taken = [(m.char_start, m.char_end) for m in named]
    free = [a for a in aspects if not any(s < a.char_end and a.char_start < e for s, e in taken)]
    return sorted(named + free, key=lambda m: m.char_start)


def _scorer(model: TextModel, zh: bool):
    """The text model for this review: the Chinese one for mostly-CJK text (the English one is a coin toss there)."""
    return chinese.default_model() if zh else model
