"""Is this page a film review? Evidence from markup, headline, URL, sections, rating and credits, and the verdict.

Each finding is a short phrase naming what was seen ("schema.org Review of a Movie", "review headline",
"URL /reviews/"); a page loads on film-review evidence, and is rejected naming the evidence that decided
(`review of a TV series (section 'TV')`, `not a film review (an interview: headline 'interview')`).
Word lists live in data/lexicons/review_evidence.json.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from critics.schemas.paths import package_data

MIN_CAPSULE_WORDS = 10  # a capsule with evidence loads from here (real capsules run 15-40 words)
MIN_UNMARKED_WORDS = 50  # below this, a page without evidence reads as having no review text at all
_REVIEW_HEADLINE = re.compile(r"\breview(?:ed)?\b|\b(?:movie|film) reaction\b|影评|影評|观后感|觀後感|观影|觀影|\bcapsule\b|\bcritic'?s'? pick\b|\bverdict\b", re.I)
_QUOTED = re.compile(r"[\"“‘'«][^\"“”‘’'«»]{1,80}[\"”’'»]")
_CREDIT_LINE = re.compile(r"^\s*(?P<label>[a-z][a-z .'&]{1,24}?)\s*(?::|\s+by\b|\s(?=[A-Z0-9]))", re.I)
_RUNTIME = re.compile(r"\b\d{2,3}\s*(?:min(?:ute)?s?|mins)\b|\b\d\s*(?:hrs?|hours?)\.?\s*\d{1,2}\s*(?:min(?:ute)?s?|m)\b", re.I)
_MPAA_LINE = re.compile(r"\b(?:rated|mpaa(?: rating)?:?)\s+(?:G|PG|PG-13|R|NC-17)\b|\(\s*(?:G|PG|PG-13|R|NC-17)\s*\)")
_TITLE_YEAR = re.compile(r"\((?:19|20)\d\d\)\s*[.,]?\s*(?:directed|dir\.)", re.I)
_SEGMENT_WORDS = re.compile(r"[a-z0-9&']+")
# A headline that is a film's title and year and nothing else: "'The Harvest' (2024)", "The Harvest (2024)".
_FILM_HEADLINE = re.compile(r"[\"“‘']?[^\"“”‘’|:]{1,80}?[\"”’']?\s*\((?:18|19|20)\d\d\)")
_OPENING_CHARS = 600
_DATED_TITLE = re.compile(r"\w\s*\((?:18|19|20)\d\d\)")
_WORDS = re.compile(r"[a-z][a-z-]*")
_REVIEW_SAID = re.compile(r"\b(?:my|this|our|the full)\s+(?:film\s+|movie\s+)?review\b|\breview(?:ing)?\s+of\s+[\"“‘']"
                          r"|\bI\s+(?:write|wrote|post|am\s+writing)\s+(?:a\s+)?(?:movie|film)\s+reviews?\b", re.I)


@dataclass
class Evidence:
    """What a page shows: film-review evidence, and any sign that it is another kind of page."""

    film: list[str] = field(default_factory=list)  # evidence that this is a film review
    other_kind: tuple[str, str] | None = None  # ("a TV series", "section 'TV'"): a review of something else
    not_review: tuple[str, str, int] | None = None  # ("an interview", "headline 'interview'", weight 3 | 1)
    strength: int = 0  # how much the film evidence weighs (markup 3, rating/headline/credits 2, URL/section 1)


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The review-evidence word lists (package data)."""
    return json.loads(package_data("lexicons", "review_evidence.json").read_text(encoding="utf-8"))


def gather(url: str, headlines: list[str], sections: list[str], types: list[str], item_type: str | None,
           has_review_markup: bool, rating: str | None, blocks: list[str], film_title: str | None,
           outlet: str | None = None, text: str = "", discussed: str | None = None, tags: list[str] = ()) -> Evidence:
    """Weigh the page's evidence; headlines are h1/og:title/<title>, sections its section names and breadcrumbs."""
    lex, evidence = lexicon(), Evidence()
    if outlet:  # "The Celluloid Review" names the outlet, not the page
        headlines = [re.sub(re.escape(outlet), " ", h, flags=re.I) for h in headlines]
    segments = _path_segments(url)
    places = [("section", s) for s in sections] + [("URL", s) for s in segments]
    _film_evidence(evidence, lex, url, headlines, places, types, item_type, has_review_markup, rating, blocks)
    tag = next((t for t in tags if _norm(t) in lex["review_sections"]), None)
    if tag:  # the page's own tags say 'Movie Review' / '影评'
        evidence.film.append(f"tagged {tag!r}")
        evidence.strength += 2
    said = _REVIEW_SAID.search(text[:_OPENING_CHARS])
    if said:  # "my review of 'Skyfall'" opening the text
        evidence.film.append(f"the text says {_clip(said.group())!r}")
        evidence.strength += 2
    if discussed and not evidence.film and _film_talk(lex, text):  # weak: needs a full text and no contrary sign
        evidence.film.append(f"the text discusses the film the headline names ({discussed!r})")
        evidence.strength = 1
    evidence.other_kind = _other_kind(lex, headlines, places, types, item_type, film_title) or _text_kind(lex, text)
    evidence.not_review = _not_review(lex, headlines, places, film_title)
    return evidence


def word_count(text: str) -> int:
    """Words of a text: whitespace-separated tokens, with Chinese, Japanese and Korean counted two characters a word."""
    return len(text.split()) + len(CJK.findall(text)) // 2


# Chinese, Japanese (kana) and Korean letters: counted as words here, and a Chinese headline part's first letter
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def decide(evidence: Evidence, word_count: int) -> str | None:
    """The reject reason for a page with this evidence and this many words of text, or None when it loads."""
    # a capsule loads on strong evidence (markup, rating, headline, credits); a URL or section alone needs a full text
    if word_count < MIN_CAPSULE_WORDS or (evidence.strength < 2 and word_count < MIN_UNMARKED_WORDS):
        return "no review text"
    if evidence.other_kind:
        kind, why = evidence.other_kind
        return f"review of {kind} ({why})"
    if evidence.not_review and evidence.not_review[2] > evidence.strength:
        kind, why, _ = evidence.not_review
        return f"not a film review ({kind}: {why})"
    if not evidence.film:
        if evidence.not_review:
            return f"not a film review ({evidence.not_review[0]}: {evidence.not_review[1]})"
        return "not a film review (no evidence: no review markup, printed rating, review headline, URL or section, or credits)"
    return None


def _film_evidence(evidence: Evidence, lex: dict, url: str, headlines: list[str], places: list[tuple[str, str]],
                   types: list[str], item_type: str | None, has_review_markup: bool, rating: str | None,
                   blocks: list[str]) -> None:
    found: list[tuple[int, str]] = []
    if has_review_markup:
        about = "a Movie" if (item_type or "").lower() in lex["film_types"] else (item_type or "an untyped item")
        found.append((3, f"schema.org Review of {about}"))
    if rating:
        found.append((2, f"printed rating {rating!r}"))
    headline = next((h for h in headlines if _REVIEW_HEADLINE.search(h)), None)
    if headline:
        found.append((2, f"review headline {_clip(headline)!r}"))
    elif headlines and _FILM_HEADLINE.fullmatch(headlines[0].strip()):
        found.append((2, f"headline names a film {_clip(headlines[0])!r}"))
    elif headlines and _DATED_TITLE.search(headlines[0]):  # "Great Moments in Sports Cinema: Rudy (1993)": weak
        found.append((1, f"headline dates a film {_clip(headlines[0])!r}"))
    credits = credits_labels(blocks)
    if len(credits) >= 2:
        found.append((2, f"credits block ({', '.join(credits[:3])})"))
    place = next(((w, s) for w, s in places if _norm(s) in lex["review_sections"]), None)
    slug = _slug(url)
    if not place and _REVIEW_HEADLINE.search(slug):
        place = ("URL", slug)
    if place:
        found.append((1, f"{place[0]} {place[1]!r}"))
    evidence.film = [why for _, why in found]
    evidence.strength = sum(weight for weight, _ in found)


def credits_labels(blocks: list[str]) -> list[str]:
    """Distinct credit labels on short lines ('Directed by', 'Running time:', 'Rated R'), in page order."""
    labels = set(lexicon()["credits_labels"])
    seen: list[str] = []
    for line in blocks:
        if len(line.split()) > 30:
            continue
        m = _CREDIT_LINE.match(line)
        label = " ".join(m["label"].lower().split()) if m else ""
        kinds = [label if label in labels else None, "running time" if _RUNTIME.search(line) else None,
                 "mpaa rating" if _MPAA_LINE.search(line) else None, "title (year)" if _TITLE_YEAR.search(line) else None]
        seen += [k for k in kinds if k and k not in seen]
    return seen


def _other_kind(lex: dict, headlines: list[str], places: list[tuple[str, str]], types: list[str],
                item_type: str | None, film_title: str | None) -> tuple[str, str] | None:
    """A review of something other than a film: a typed item, a kind-naming headline, section or URL."""
    if (item_type or "").lower() in lex["film_types"]:
        return None
    film_place = any(_norm(s) in lex["film_sections"] for _, s in places) or any(
        t.lower() in lex["film_types"] for t in types)
    for kind, words in lex["non_film_kinds"].items():
        if item_type and item_type.lower() in words["types"]:
            return kind, f"schema.org item {item_type}"
        typed = next((t for t in types if t.lower() in words["types"]), None)
        if typed:
            return kind, f"page type {typed}"
        said = _headline_words(headlines, words["headlines"], film_title)
        if said:
            return kind, f"headline {said!r}"
        place = next(((w, s) for w, s in places if _norm(s) in words["sections"]), None)
        if place and not film_place:
            return kind, f"{place[0]} {place[1]!r}"
    return None


def _not_review(lex: dict, headlines: list[str], places: list[tuple[str, str]], film_title: str | None
                ) -> tuple[str, str, int] | None:
    """Not a review at all (an interview, news, a list...): from the headline (weighs 3) or a section or URL (1)."""
    first = " ".join(_SEGMENT_WORDS.findall(headlines[0].lower())) if headlines else ""
    page = next((p for p in lex["site_page_headlines"] if first == p or first.startswith(p + " ")), None)
    if page:
        return "a site page", f"headline {headlines[0]!r}", 3
    for kind, words in lex["not_review_kinds"].items():
        said = _headline_words(headlines[:1], words["headlines"], film_title)
        if said:
            return kind, f"headline {said!r}", 3
    for kind, words in lex["not_review_kinds"].items():
        place = next(((w, s) for w, s in places if _norm(s) in words["sections"]), None)
        if place:
            return kind, f"{place[0]} {place[1]!r}", 1
    return None


def _headline_words(headlines: list[str], phrases: list[str], film_title: str | None) -> str | None:
    """The first phrase said as whole words in a headline, outside its quoted film title and the title itself."""
    for headline in headlines:
        text = _QUOTED.sub(" ", headline)
        if film_title and len(film_title) * 5 < len(headline) * 3:  # a title parsed out of it, not the headline itself
            text = re.sub(re.escape(film_title), " ", text, flags=re.I)
        words = f" {' '.join(_SEGMENT_WORDS.findall(text.lower()))} "
        said = next((p for p in phrases if f" {' '.join(_SEGMENT_WORDS.findall(p))} " in words), None)
        if said:
            return said
    return None


def _film_talk(lex: dict, text: str) -> bool:
    """Film words lead the text's nouns (five or more, more than any other kind's)."""
    words = Counter(_WORDS.findall(text.lower()))
    counts = {kind: sum(words[n] for n in nouns) for kind, nouns in lex["kind_nouns"].items()}
    film = counts.pop("a film")
    return film >= 5 and film > max(counts.values())


def _text_kind(lex: dict, text: str) -> tuple[str, str] | None:
    """The text speaks of another kind of work: its nouns ('the game', 'the album') outnumber film words two to one."""
    words = Counter(_WORDS.findall(text.lower()))
    counts = {kind: sum(words[n] for n in nouns) for kind, nouns in lex["kind_nouns"].items()}
    film = counts.pop("a film")
    kind, count = max(counts.items(), key=lambda kv: kv[1])
    if count >= 5 and count >= 2 * film + 2:
        return kind, f"the text names {kind.split()[-1]} words {count} times, film words {film}"
    return None


def _path_segments(url: str) -> list[str]:
    """The URL's path segments, as names ('film-reviews', 'tv'); the last (the page's own slug) is left out."""
    parts = [unquote(p) for p in urlsplit(url).path.split("/") if p]
    return parts[:-1] if parts else []


def _slug(url: str) -> str:
    """The page's own slug as words ('the-harvest-review.html' -> 'the harvest review html')."""
    parts = [p for p in urlsplit(url).path.split("/") if p]
    return " ".join(_SEGMENT_WORDS.findall(unquote(parts[-1]).lower().replace("_", " "))) if parts else ""


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").split()).strip(" :|>/")


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
