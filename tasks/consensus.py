"""The consensus sentence: what critics praise and fault, only where the reviews back the claim."""
from __future__ import annotations

from dataclasses import dataclass

ASPECT_PHRASES = {
    "acting": "the performances", "story": "the story", "direction": "the direction",
    "action": "the action", "visuals": "the visuals", "music": "the music", "pacing": "the pacing",
    "humour": "the humour", "dialogue": "the dialogue", "characters": "the characters",
    "effects": "the effects", "world-building": "the world-building",
}
MIN_REVIEWS_FOR_CLAIM = 2


@dataclass(frozen=True)
class AspectStat:
    """How the reviews of one film discuss one aspect."""

    aspect: str
    review_count: int
    positive_count: int
    negative_count: int


def consensus_sentence(title: str, tomatometer: int, review_count: int, aspects: list[AspectStat]) -> str:
    """One to three sentences: overall lean, then praised and faulted aspects with majority support."""
    lead = f"{_lean(tomatometer)} {title} ({review_count} review{'s' if review_count != 1 else ''})."
    praised = _claims(aspects, lambda a: a.positive_count * 2 > a.review_count)
    faulted = _claims(aspects, lambda a: a.negative_count * 2 > a.review_count)
    if praised and faulted:
        return f"{lead} They praise {_join(praised)} but fault {_join(faulted)}."
    if praised:
        return f"{lead} They praise {_join(praised)}."
    if faulted:
        return f"{lead} They fault {_join(faulted)}."
    return lead


def _lean(tomatometer: int) -> str:
    if tomatometer >= 75:
        return "Critics largely admire"
    if tomatometer >= 60:
        return "Critics lean positive on"
    if tomatometer >= 40:
        return "Critics are split on"
    return "Most critics are unconvinced by"


def _claims(aspects: list[AspectStat], supported) -> list[str]:
    eligible = [a for a in aspects if a.review_count >= MIN_REVIEWS_FOR_CLAIM and supported(a)]
    eligible.sort(key=lambda a: (-a.review_count, a.aspect))
    return [ASPECT_PHRASES.get(a.aspect, f"the {a.aspect}") for a in eligible[:2]]


def _join(phrases: list[str]) -> str:
    return " and ".join(phrases)
