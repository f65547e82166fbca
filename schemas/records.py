"""Record types passed between pipeline steps (plain dataclasses, no behaviour)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Rating:
    """A rating as printed on the page and what it means on 0-100."""

    raw: str | None  # the printed text, e.g. "3.5/4", "B+", "★★★½", "Recommended"
    score: float | None  # 0-100; None when the print carries no score (or is junk)
    scale: str | None  # scale kind: "x/4", "x/5", "x/10", "letter", "stars/5", "percent", "verdict_word", ...
    rule: str  # which rule matched: "jsonld", "microdata", "data_attr", "labelled", "star_row", ...
    verdict_hint: str | None = None  # "fresh"/"rotten" for verdict words that carry no score
    reason: str | None = None  # why there is no score although something was printed


@dataclass(frozen=True)
class Credit:
    """A credited person of the reviewed film, from the page or an import."""

    name: str
    role: str  # "director" | "actor" | "writer" | "author" | "producer" | ...
    character: str | None = None


@dataclass(frozen=True)
class Mention:
    """One mention in a review text; offsets index reviews.text."""

    name: str  # canonical name
    kind: str  # "person" | "character" | "film" | "aspect"
    role: str | None
    surface: str  # text as written, == text[char_start:char_end]
    char_start: int
    char_end: int
    sentiment: float = 0.0  # -1..1, of the sentence the mention stands in
    # Aspects: the sentence around the mention, which publish quotes (found here, where the text is split anyway).
    sentence_start: int | None = None
    sentence_end: int | None = None


@dataclass(frozen=True)
class Chunk:
    """A sentence-aligned slice of reviews.text."""

    chunk_index: int
    text: str
    char_start: int
    char_end: int


@dataclass
class ParsedPage:
    """What the parser found on one review page, before extraction."""

    url: str
    canonical_url: str
    film_title: str | None = None
    film_year: int | None = None
    critic: str | None = None
    outlet: str | None = None
    published_at: date | None = None
    headline: str | None = None
    body_text: str = ""  # main review text, boilerplate and comments removed, unicode repaired
    structured_rating: dict | None = None  # {"ratingValue", "bestRating", "worstRating"} as found
    structured_rating_rule: str | None = None  # "jsonld" | "microdata" | "data_attr"
    rating_text_blocks: list[str] = field(default_factory=list)  # header/body/footer lines of the review only
    credits: list[Credit] = field(default_factory=list)
    language: str | None = None
    reject_reason: str | None = None  # set when the page is not a usable review
    # Why the page counts as a film review ("schema.org Review of a Movie", "review headline '...'"); empty if not.
    review_evidence: list[str] = field(default_factory=list)
    critic_rule: str | None = None  # where the critic came from: "jsonld_review", "byline", "meta:author", ...
    outlet_rule: str | None = None  # where the outlet came from: "og:site_name", "title", "copyright", "domain", ...


@dataclass
class ExtractedReview:
    """One review ready to load: the page plus rating, verdict, chunks and mentions."""

    page: ParsedPage
    text: str
    rating: Rating | None
    score: float | None
    verdict: str  # "fresh" | "rotten"
    verdict_source: str  # "rating" | "model"
    verdict_confidence: float | None
    chunks: list[Chunk]
    mentions: list[tuple[int, Mention]]  # (chunk_index, mention)
