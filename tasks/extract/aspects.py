"""Aspect mentions (acting, story, music, ...) from a lexicon, with clause-level sentiment."""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from operator import itemgetter
from typing import Callable

from critics.schemas.records import Mention
from critics.tasks.extract import lexicon

Sentiment = Callable[[str], float]

ASPECTS: dict[str, tuple[str, ...]] = lexicon.sections("aspects")  # aspect -> the words naming it

_TERM_ASPECT = {term.lower(): aspect for aspect, terms in ASPECTS.items() for term in terms}
_TERMS = sorted(_TERM_ASPECT, key=len, reverse=True)  # longest first so "fight scenes" beats "action"
# Non-ASCII characters that re.IGNORECASE matches to an ASCII letter (checked in tests/test_aspects.py).
_FOLDS_TO = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def _any_word(alternatives: list[str]) -> str:
    """Regex for a case-insensitive alternation (tried in order) of regexes that each start with a lowercase letter.

    The regex engine skips an alternative on its first character only when that is a plain class, and re.I
    spoils that; so alternatives are grouped by an explicit case class of their first letter and only the rest
    is (?i:...). The same matches, several times faster.
    """
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        if not ("a" <= alternative[0] <= "z"):
            raise ValueError(f"alternative must start with a lowercase ASCII letter: {alternative!r}")
        groups.setdefault(alternative[0], []).append(alternative[1:])
    return "(?:" + "|".join(f"[{first}{first.upper()}{_FOLDS_TO.get(first, '')}](?i:{'|'.join(rests)})"
                            for first, rests in groups.items()) + ")"


_TERM_RE = re.compile(r"(?<![\w-])" + _any_word([re.escape(t).replace(r"\ ", r"\s+") for t in _TERMS])
                      + r"(?![\w-])")
_CASE_SENSITIVE = {"cgi": "CGI", "vfx": "VFX"}

# Contexts in which a lexicon word is not about the film's craft (score = rating, shot = gunfire, ...).
_REJECT_BEFORE = {
    "score": re.compile(r"(?:\b(?:to|will|can|could|would|may|might|my|our|final|overall|review|critic|"
                        r"critics|audience|rotten|tomatoes|imdb|a|that|every|this|on|settle|settles|"
                        r"settling|settled)\s+)$", re.I),
    "cast": re.compile(r"\b(?:was|were|been|being|is|are|be|to|who|will|would|and|mis)\s+$", re.I),
    "turn": re.compile(r"\b(?:to|will|would|can|could|may|might|in|the|a|each|every|plot|first|next|"
                       r"u-|wrong|left|right|sharp|tonal|dark|strange|odd|sudden|unexpected|final)\s+$", re.I),
    "action": re.compile(r"(?:live-|\bto\s+|\binto\s+|\bcall\s+to\s+|\btake\s+|\btook\s+|\btaking\s+)$", re.I),
    "length": re.compile(r"(?:\bat\s+|feature-|full-|\bfocal\s+|\bwave)$", re.I),
    "direction": re.compile(r"\b(?:in|into|opposite|new|different|right|wrong|same|other|one|any|every|"
                            r"whichever|this|that|stage)\s+(?:the\s+)?$", re.I),
    "effects": re.compile(r"\b(?:side|its|the|long-term|lasting|devastating|ripple|the\s+full)\s+$", re.I),
    "chase": re.compile(r"\b(?:to|will|and|paper|wild[- ]goose|cut\s+to\s+the)\s+$", re.I),
    "writing": re.compile(r"\b(?:is|was|were|are|been|and|the|on\s+the|hand)\s+$", re.I),
    "acting": re.compile(r"\b(?:is|was|were|are|been|and|be)\s+$", re.I),
    "wit": re.compile(r"\b(?:to)\s+$", re.I),
}
_REJECT_AFTER = {
    "score": re.compile(r"^(?:\s*[:=]?\s*\d|\s+(?:of\s+\d|points|a\b|an\b|big|well|high|low|with|out\s+of|"
                        r"\d)|s?\s+(?:of|at)\s)", re.I),
    "cast": re.compile(r"^\s+(?:as|a|an|aside|out|off|doubt|light|shadow|shadows|spell|his|her|their|its|"
                       r"in\s+the\s+role|themselves|himself|herself|him|them)\b", re.I),
    "turn": re.compile(r"^(?!\s+as\b)", re.I),  # the noun "turn" only in "her turn as ..."
    "turns": re.compile(r"^(?!\s+as\b)", re.I),
    "action": re.compile(r"^\s+(?:of|on|against)\b", re.I),
    "length": re.compile(r"^\s+of\s+(?:a|an|the|his|her|their|time)\b", re.I),
    "direction": re.compile(r"^\s+(?:of|toward|towards|from)\s+(?!(?:\w+\s+)?\w+\b\s*(?:is|was))", re.I),
    "effects": re.compile(r"^\s+(?:of|on)\b", re.I),
    "drags": re.compile(r"^\s+(?:him|her|them|us|me|his|her|their|himself|herself|themselves|the\s+\w+\s+"
                        r"(?:into|through|to|from|out))\b", re.I),
    "chase": re.compile(r"^\s+(?:after|down|him|her|them|away|off)\b", re.I),
    "pace": re.compile(r"^\s+(?:around|back|up|down|the\s+(?:room|floor))\b", re.I),
    "acting": re.compile(r"^\s+(?:as|on|like|out|up|alone|together|strangely|weird)\b", re.I),
    "writing": re.compile(r"^\s+(?:a|an|his|her|their|the|letters?|down|about)\b", re.I),
    "images": re.compile(r"^\s+of\s+(?:himself|herself|themselves)\b", re.I),
}
_SHOT_NOUN_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|every|each|one|this|that|these|those|opening|final|closing|last|first|tracking|"
    r"establishing|overhead|aerial|wide|single|its|his|her|their|whose|of|long|static|handheld|many|some|"
    r"several|beautiful|gorgeous|stunning|striking|lovely|great|key|crane|drone|split-screen)|\w+ly)\s+$",
    re.I)
_SHOT_REJECT_AFTER = re.compile(r"^\s+(?:at|down|dead|him|her|them|me|us|it|to\s+death|through|up|in\s+the\s+"
                                r"(?:arm|dark|head|back|foot))\b", re.I)
_SHOT_REJECT_BEFORE = re.compile(r"\b(?:only|nearly|early|really|fairly|likely|big|mug|gun|cheap|parting|"
                                 r"long|best|hot|money|booster)\s+$", re.I)

_CONTRAST = re.compile(r"\b" + _any_word(["but", "although", "though", "however", "yet", "while", "whereas",
                                          "nevertheless", "nonetheless", r"even\s+so"]) + r"\b")
_SUBORDINATE = {"although", "though", "while", "whereas"}
_SEMICOLON = re.compile(";")
_SENTENCE_END_AFTER = re.compile(r"\s*[.!?,;]?\s*$")
_SPACE_RUN = re.compile(r"\s+")
_NOT_CONTRAST_BEFORE = re.compile(
    r"(?:\b(?:as|a|worth\s+your|worth\s+the|for\s+a|not|nor|all\s+but|anything\s+but|nothing\s+but|"
    r"everything\s+but|last\s+but|but|is|are|was|were|best|better|worst|stand|sit|stands|sits|stood|"
    r"once\s+in\s+a|little|long|short|quite\s+a|and|has|have|had|still)\s+)$", re.I)
_NOT_CONTRAST_AFTER = re.compile(r"^\s*(?:another|again|more|to\s+be|,?\s*not\s+least)\b", re.I)
_NEGATION = re.compile(r"\b" + _any_word(list(lexicon.words("clause_negators")))
                       + r"(?i:\s+(?:(?:very|too|so|all|that|quite|especially|particularly|entirely|remotely|"
                         r"exactly|really|a|an|the|at\s+all)\s+)?([a-z][\w-]*))")


def find_aspects(text: str, sentences: list[tuple[int, int]], sentiment: Sentiment | None = None) -> list[Mention]:
    """Aspect mentions found by the lexicon, each with the sentiment of its clause."""
    found = []
    for match in _TERM_RE.finditer(text):
        surface = match.group(0)
        term = _SPACE_RUN.sub(" ", surface.lower())
        if not _is_aspect_use(text, match.start(), match.end(), term, surface):
            continue
        score = mention_sentiment(text, sentences, match.start(), sentiment)
        around = sentence_at(sentences, match.start()) or (match.start(), match.start())
        found.append(Mention(_TERM_ASPECT[term], "aspect", None, surface, match.start(), match.end(), score, *around))
    return found


def _is_aspect_use(text: str, start: int, end: int, term: str, surface: str) -> bool:
    """False when the context shows the word is not about the film's craft."""
    if term in _CASE_SENSITIVE and surface != _CASE_SENSITIVE[term]:
        return False
    before, after = text[max(0, start - 40):start], text[end:end + 40]
    if term in ("shot", "shots"):
        return _is_shot_noun(before, after, term)
    reject_before, reject_after = _REJECT_BEFORE.get(term), _REJECT_AFTER.get(term)
    if reject_before and reject_before.search(before):
        return False
    return not (reject_after and reject_after.search(after))


def _is_shot_noun(before: str, after: str, term: str) -> bool:
    """'shot' as a camera shot (or 'beautifully shot'), not gunfire, a try or a past tense."""
    if _SHOT_REJECT_AFTER.search(after) or _SHOT_REJECT_BEFORE.search(before):
        return False
    if re.search(r"\b(?:a|one|another)\s+$", before) and re.match(r"^\s+(?:at|of\s+(?:whisk|vodka|tequila|"
                                                                   r"adrenaline|espresso))", after, re.I):
        return False
    return term == "shots" and not re.search(r"\b(?:fires?|fired|firing|take|takes|took|trade|cheap|"
                                             r"parting|pot|warning|gun|two)\s+$", before, re.I) \
        or bool(_SHOT_NOUN_BEFORE.search(before))


def sentence_at(sentences: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The (start, end) sentence span that contains offset, if any."""
    index = bisect_right(sentences, offset, key=itemgetter(0)) - 1
    if index >= 0 and sentences[index][0] <= offset < sentences[index][1]:
        return sentences[index]
    return None


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split one sentence into clauses at contrast markers (but, although, however, ...) and semicolons."""
    cuts = {start, end}
    for match in _CONTRAST.finditer(text, start, end):
        word = match.group(0).lower()
        if _NOT_CONTRAST_BEFORE.search(text[max(start, match.start() - 30):match.start()]):
            continue
        if _NOT_CONTRAST_AFTER.search(text[match.end():end]):
            continue
        if word == "though" and _SENTENCE_END_AFTER.match(text[match.end():end]):
            continue  # sentence-final "though" softens the whole sentence; no second clause
        cuts.add(match.start())
        if word in _SUBORDINATE:
            comma = text.find(",", match.end(), end)
            if comma != -1:
                cuts.add(comma + 1)
    # A semicolon joins independent clauses, each with its own judgement ("It never drags; the pacing is tight").
    cuts.update(m.end() for m in _SEMICOLON.finditer(text, start, end))
    bounds = sorted(cuts)
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


def clause_sentiment(clause: str, sentiment: Sentiment) -> float:
    """sentiment(clause), flipped (and halved) when a negator reverses its only polar word ('not bad')."""
    score = sentiment(clause)
    negated = [m.group(1) for m in _NEGATION.finditer(clause)]
    polar = [sentiment(word) for word in negated]
    polar = [p for p in polar if p]
    if len(polar) == 1 and score and (score > 0) == (polar[0] > 0):
        return max(-1.0, min(1.0, -score / 2))
    return max(-1.0, min(1.0, score))


def mention_sentiment(text: str, sentences: list[tuple[int, int]], offset: int,
                      sentiment: Sentiment | None) -> float:
    """Sentiment of the clause (or sentence, when it has no contrast) holding offset; 0.0 without a scorer."""
    if sentiment is None:
        return 0.0
    span = sentence_at(sentences, offset) or (0, len(text))
    for a, b in _clauses(text, *span):
        if a <= offset < b:
            return _clause_score(text, a, b, sentiment)
    return clause_sentiment(text[span[0]:span[1]], sentiment)


# A review's mentions share sentences and clauses: split and score each once. Keys hold the whole text, so an
# entry only ever serves that same text.
@lru_cache(maxsize=256)
def _clauses(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    return tuple(clause_spans(text, start, end))


@lru_cache(maxsize=256)
def _clause_score(text: str, start: int, end: int, sentiment: Sentiment) -> float:
    return clause_sentiment(text[start:end].strip(), sentiment)
