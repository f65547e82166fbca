"""Syndicated reviews: the same text printed by several outlets (a changed headline, a trimmed paragraph) counts once.

Within one film, two reviews are copies when their critics can be one person (same name key, or one unsigned)
and the words of the shorter text are nearly all found, in order, in the longer (aligned share >= CONTAINMENT).
Pairs sharing no word 3-shingle are never compared. Thresholds were chosen on rt_flatiron with planted copies
(benchmarks/eval_syndication.py).
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

SHINGLE_WORDS = 3
CONTAINMENT = 0.8  # share of the shorter text's words found, in order, in the longer
MIN_RUN = 3  # words in a row that count as copied text
MIN_WORDS = 4  # shorter texts are too generic to call copies ("A visual treat.")
MIN_WORDS_UNSIGNED = 8  # without a byline to agree on, only a longer shared text counts
# what a stored result depends on besides the texts: a change here compares every film's candidates again
METHOD = f"shingle={SHINGLE_WORDS} containment={CONTAINMENT} run={MIN_RUN} words={MIN_WORDS}/{MIN_WORDS_UNSIGNED}"
_WORD = re.compile(r"[^\W_]+")
_EDITOR_NOTE = re.compile(r"\[[^\]]{0,40}\]")  # "[Barry] Levinson", "[Full review in Spanish]"


@dataclass(frozen=True)
class Printed:
    """One review as syndication detection sees it."""
    review_id: str
    film_key: object
    critic_key: str  # name key of the byline; "" when unsigned
    published_at: date | None
    text: str


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset:
    """Word n-grams of a text without case or punctuation ('[Barry] Levinson' and 'Levinson' share theirs)."""
    words = words_of(text)
    if len(words) < size:
        return frozenset([tuple(words)]) if words else frozenset()
    return frozenset(zip(*(words[i:] for i in range(size))))


def words_of(text: str) -> list[str]:
    """The words of a text without case, punctuation or editors' bracketed insertions."""
    return _WORD.findall(_EDITOR_NOTE.sub(" ", text).casefold())


def find_copies(reviews: Iterable[Printed]) -> dict[str, str]:
    """review_id -> review_id of the earliest copy (published first, then smallest id), for every later copy."""
    by_film: dict[object, list[Printed]] = defaultdict(list)
    for review in reviews:
        by_film[review.film_key].append(review)
    copies: dict[str, str] = {}
    for members in by_film.values():
        if len(members) > 1:
            copies.update(_film_copies(members))
    return copies


def _film_copies(members: list[Printed]) -> dict[str, str]:
    """Copies among one film's reviews: candidate pairs share a shingle; union-find groups them."""
    grams = {r.review_id: shingles(r.text) for r in members}
    by_id = {r.review_id: r for r in members}
    parent = {r.review_id: r.review_id for r in members}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    signed = {r.review_id: {r.critic_key} - {""} for r in members}  # per group root: the bylines it holds
    for a, b in sorted(_candidate_pairs(members, grams)):
        ra, rb = find(a), find(b)
        # an unsigned wire copy never bridges two different critics' reviews into one group
        # no shared shingle, no aligned run of MIN_RUN words: is_copy would say no (skipped: it is the costly part)
        if (ra != rb and len(signed[ra] | signed[rb]) <= 1 and not grams[a].isdisjoint(grams[b])
                and is_copy(by_id[a], by_id[b])):
            parent[ra] = rb
            signed[rb] |= signed[ra]
    groups: dict[str, list[Printed]] = defaultdict(list)
    for r in members:
        groups[find(r.review_id)].append(r)
    copies = {}
    for group in (g for g in groups.values() if len(g) > 1):
        first = min(group, key=lambda r: (r.published_at or date.max, r.review_id))
        copies.update({r.review_id: first.review_id for r in group if r is not first})
    return copies


def _candidate_pairs(members: list[Printed], grams: dict) -> set[tuple[str, str]]:
    """Pairs whose critics can be one person: same name key, or an unsigned review and any sharing a shingle."""
    by_critic: dict[str, list[str]] = defaultdict(list)
    for r in members:
        by_critic[r.critic_key].append(r.review_id)
    pairs = {(a, b) for key, ids in by_critic.items() for i, a in enumerate(sorted(ids)) for b in sorted(ids)[i + 1:]}
    unsigned = by_critic.get("", [])
    if unsigned:
        posting: dict[tuple, set[str]] = defaultdict(set)
        for r in members:
            for gram in grams[r.review_id]:
                posting[gram].add(r.review_id)
        for a in unsigned:
            sharing = set().union(*(posting[g] for g in grams[a])) - {a} if grams[a] else set()
            pairs.update((min(a, b), max(a, b)) for b in sharing)
    return pairs


def is_copy(a: Printed, b: Printed) -> bool:
    """The shorter text's words found in order in the longer (trims, insertions and dropped words tolerated)."""
    words_a, words_b = words_of(a.text), words_of(b.text)
    shorter, longer = sorted((words_a, words_b), key=len)
    if len(shorter) < (MIN_WORDS if a.critic_key and b.critic_key else MIN_WORDS_UNSIGNED):
        return False
    matcher = SequenceMatcher(None, shorter, longer, autojunk=False)
    # runs of MIN_RUN words: scattered single words ("is a masterpiece") align between any two reviews
    aligned = sum(block.size for block in matcher.get_matching_blocks() if block.size >= MIN_RUN)
    return aligned >= CONTAINMENT * len(shorter)
