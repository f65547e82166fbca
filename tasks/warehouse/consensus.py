"""The consensus sentence: what critics praise and fault, only where the reviews back the claim.

Faithful by construction: an aspect is claimed as praised only when more than half of the reviews
that discuss it lean positive on it (faulted: more than half lean negative), never when fewer than
MIN_REVIEWS_FOR_CLAIM reviews discuss it, and every claim carries the review sentences behind it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ASPECT_PHRASES = {
    "acting": "the performances", "story": "the story", "direction": "the direction",
    "action": "the action", "visuals": "the visuals", "music": "the music", "pacing": "the pacing",
    "humour": "the humour", "dialogue": "the dialogue", "characters": "the characters",
    "effects": "the effects", "world-building": "the world-building",
}
MIN_REVIEWS_FOR_CLAIM = 2
MAX_CLAIMS_PER_SIDE = 2
MAX_CITATIONS_PER_CLAIM = 5


@dataclass(frozen=True, slots=True)  # slots: a publish holds one per aspect mention, hundreds of thousands
class Evidence:
    """One review's stance on one aspect, with the sentence that shows it (offsets into reviews.text)."""

    review_id: str
    stance: str  # "positive" | "negative" | "neutral"
    strength: float  # |sentiment|, to cite the most clearly worded sentences first
    char_start: int
    char_end: int
    sentence: str


@dataclass(frozen=True)
class AspectStat:
    """How the reviews of one film discuss one aspect."""

    aspect: str
    review_count: int
    positive_count: int
    negative_count: int
    evidence: tuple[Evidence, ...] = ()


@dataclass
class Consensus:
    """The consensus text of one film and the citations of each of its claims."""

    text: str
    citations: list[tuple[str, Evidence]] = field(default_factory=list)  # (claim, cited sentence)


def build_consensus(title: str, tomatometer: int, review_count: int, aspects: list[AspectStat]) -> Consensus:
    """One to three sentences (overall lean, praise, faults) and the citations of every aspect claim."""
    lead = f"{_lean(tomatometer)} {title} ({review_count} review{'s' if review_count != 1 else ''})."
    if not aspects:
        return Consensus(lead)  # no aspect discussed: the lead alone, without searching for claims
    praised = _claims(aspects, "positive")
    faulted = _claims(aspects, "negative")
    sentences = [lead]
    if praised:
        sentences.append(f"They praise {_join([_phrase(a) for a in praised])}.")
    if faulted:
        sentences.append(f"They fault {_join([_phrase(a) for a in faulted])}.")
    citations = [(claim_label(a, "positive"), e) for a in praised for e in _cited(a, "positive")]
    citations += [(claim_label(a, "negative"), e) for a in faulted for e in _cited(a, "negative")]
    return Consensus(" ".join(sentences), citations)


def consensus_sentence(title: str, tomatometer: int, review_count: int, aspects: list[AspectStat]) -> str:
    """The consensus text alone."""
    return build_consensus(title, tomatometer, review_count, aspects).text


def claim_label(aspect: AspectStat, stance: str) -> str:
    """The claim as stored in consensus_citations, e.g. 'praise: the performances'."""
    return f"{'praise' if stance == 'positive' else 'fault'}: {_phrase(aspect)}"


def is_supported(aspect: AspectStat, stance: str) -> bool:
    """A strict majority of the reviews discussing the aspect take this stance, and enough discuss it."""
    count = aspect.positive_count if stance == "positive" else aspect.negative_count
    return aspect.review_count >= MIN_REVIEWS_FOR_CLAIM and count * 2 > aspect.review_count


def _lean(tomatometer: int) -> str:
    if tomatometer >= 75:
        return "Critics largely admire"
    if tomatometer >= 60:
        return "Critics lean positive on"
    if tomatometer >= 40:
        return "Critics are split on"
    return "Most critics are unconvinced by"


def _claims(aspects: list[AspectStat], stance: str) -> list[AspectStat]:
    # A claim needs at least one citable sentence, so a claim is never left uncited.
    eligible = [a for a in aspects if is_supported(a, stance) and _cited(a, stance)]
    eligible.sort(key=lambda a: (-a.review_count, a.aspect))
    return eligible[:MAX_CLAIMS_PER_SIDE]


def _cited(aspect: AspectStat, stance: str) -> list[Evidence]:
    backing = sorted((e for e in aspect.evidence if e.stance == stance), key=lambda e: (-e.strength, e.review_id))
    return backing[:MAX_CITATIONS_PER_CLAIM]


def _phrase(aspect: AspectStat) -> str:
    return ASPECT_PHRASES.get(aspect.aspect, f"the {aspect.aspect}")


def _join(phrases: list[str]) -> str:
    return " and ".join(phrases)
