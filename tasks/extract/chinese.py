"""Reviews written in Chinese: the router, a character n-gram verdict model scored in pure Python, and person names.

The verdict artefact (data/models/verdict_text_zh.json.gz) is written by tasks/training/chinese_text_model.py from
Douban short comments labelled by their stars (see the artefact's "meta.provenance"). Text is folded from
Traditional to Simplified characters first (data/lexicons/zh_traditional_to_simplified.txt), so one model serves
both scripts. Like textmodel.py, a review is scored sentence by sentence and its log-odds is the sentences' mean,
which keeps a 5,000-character blog post on the same scale as the one-line comments the model learned from.
"""
from __future__ import annotations

import bisect
import math
import re
from functools import lru_cache
from pathlib import Path

from critics.schemas.paths import package_data
from critics.schemas.records import Mention
from critics.tasks.extract.textmodel import read_artefact, sigmoid

MODEL_PATH = package_data("models", "verdict_text_zh.json.gz")
CJK_SHARE = 0.5  # a text is routed to the Chinese model when at least this share of its letters are CJK

# CJK Unified Ideographs with extension A and the compatibility block: what Chinese text is written in.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Features: runs of CJK characters (split into characters and bigrams later), Latin words and digits, '!' and '?'.
_TOKEN_RE = re.compile(f"[{_CJK}]+|[a-z0-9]+|[!?！？]")
# Sentence ends in Chinese and Western punctuation; a line break ends one too (blog paragraphs, lists).
_SENTENCE_RE = re.compile(r"[^。！？!?；;…\n]*(?:[。！？!?；;…\n]+|$)")


def cjk_share(text: str) -> float:
    """Share of the text's letters (CJK ideographs plus Latin letters) that are CJK ideographs."""
    if text.isascii() or not _CJK_RE.search(text):  # English pages: a C-speed check, no counting
        return 0.0
    cjk = len(_CJK_RE.findall(text))
    return cjk / (cjk + len(_LATIN_RE.findall(text)))


def is_chinese(text: str, threshold: float = CJK_SHARE) -> bool:
    """True when most of the text's letters are CJK ideographs (the Chinese model and name rules apply)."""
    return bool(text) and cjk_share(text) >= threshold


@lru_cache(maxsize=1)
def _simplify_table() -> dict[int, str]:
    """Traditional -> Simplified character table for str.translate."""
    text = package_data("lexicons", "zh_traditional_to_simplified.txt").read_text(encoding="utf-8")
    pairs = (line.split(" ") for line in text.splitlines() if line and not line.startswith("#"))
    return {ord(t): s for t, s in pairs}


def to_simplified(text: str) -> str:
    """The text with Traditional characters replaced by their Simplified forms, same length and offsets."""
    return text.translate(_simplify_table())


def features(sentence: str) -> set[str]:
    """Distinct features of one sentence: CJK characters and character bigrams, Latin words, '!' and '?'."""
    out: set[str] = set()
    for run in _TOKEN_RE.findall(sentence.lower()):
        if _CJK_RE.match(run):
            out.update(run)
            out.update(map("".join, zip(run, run[1:])))
        else:
            out.add({"！": "!", "？": "?"}.get(run, run))
    return out


def split_sentences(text: str) -> list[str]:
    """Cut text after Chinese or Western sentence punctuation and line breaks; empty pieces dropped."""
    return [s for s in _SENTENCE_RE.findall(text) if s.strip()]


class ChineseModel:
    """Linear sentence scorer over binary character uni+bigram features, averaged over a review's sentences."""

    def __init__(self, weights: dict[str, float], bias: float, review_bias: float = 0.0, meta: dict | None = None):
        self.weights = weights
        self._get = weights.get
        self.bias = bias
        self.review_bias = review_bias
        self.meta = meta or {}

    @classmethod
    def load(cls, path: str | Path | None = None) -> "ChineseModel":
        """Read an artefact written by tasks/training/chinese_text_model.py (gzip JSON, no network)."""
        weights, blob = read_artefact(path or MODEL_PATH)
        return cls(weights, blob["bias"], blob.get("aggregation", {}).get("bias", 0.0), blob.get("meta"))

    def sentence_score(self, sentence: str) -> float:
        """Log-odds that one sentence is positive (Simplified or Traditional text)."""
        # fsum: set iteration order varies with the hash seed; the sum must not
        return self.bias + math.fsum(filter(None, map(self._get, features(to_simplified(sentence)))))

    def sentence_sentiment(self, sentence: str) -> float:
        """Sentiment in -1..1 (2p - 1) of a passage: the mean over its sentences, since the pipeline's sentence
        splitter cuts Chinese text at line breaks only and hands over whole paragraphs."""
        return 2.0 * sigmoid(self.review_score(sentence)) - 1.0 if sentence.strip() else 0.0

    def review_score(self, text: str) -> float:
        """Mean sentence log-odds over the sentences that have any feature; 0.0 for empty text."""
        get = self._get
        sums = [math.fsum(filter(None, map(get, f))) for f in map(features, split_sentences(to_simplified(text))) if f]
        return self.bias + sum(sums) / len(sums) if sums else 0.0

    def prob_fresh(self, text: str) -> float:
        """Probability that a whole review is 'fresh'."""
        if not text or not text.strip():
            return 0.5
        return sigmoid(self.review_score(text) + self.review_bias)

    def verdict(self, text: str) -> tuple[str, float]:
        """('fresh' | 'rotten', probability of fresh) for a review's text."""
        p = self.prob_fresh(text)
        return ("fresh" if p >= 0.5 else "rotten"), p


@lru_cache(maxsize=1)
def default_model() -> ChineseModel:
    """The shipped Chinese model, loaded once per process."""
    return ChineseModel.load()


# --- person names in Chinese text ---------------------------------------------------------------------------------

_DOTS = "·•‧・"
_PERSON_TAGS = ("nr", "nrfg")  # jieba's person tags; "nrt" (transliterated) is mostly places and characters


@lru_cache(maxsize=1)
def _name_rules() -> dict:
    """Compiled name rules from the data files (loaded on the first Chinese text only)."""
    from critics.tasks.extract import lexicon

    trans = "".join(lexicon.words("zh_transliteration_chars"))
    cues, stops = lexicon.sections("zh_person_cues"), lexicon.sections("zh_name_stops")
    cjk_run = f"[{_CJK}]"
    return {
        "trans": frozenset(trans), "surnames": frozenset(lexicon.words("zh_surnames")),
        "stops": frozenset(stops["particles"] + stops["pronouns"]), "pronouns": frozenset(stops["pronouns"]),
        "titles": frozenset(cues["after"]),
        # 小/老 before a transliterated name are Jr./Sr. (小罗伯特·唐尼)
        "dotted": re.compile(f"[小老]?[{trans}]{{1,8}}(?:[{_DOTS}][{trans}]{{1,8}})+"),
        "before": re.compile(f"(?:{'|'.join(cues['before'])})[:：\\s]?({cjk_run}{{2,4}})"),
        "after": re.compile(f"({cjk_run}{{2,4}})(?:{'|'.join(cues['after'])})"),
        # a name followed by its years: 津端修一 (1925.1 - 2015.6)
        "lifespan": re.compile(f"(?:^|(?<=[\\s，。、；：,.;:（(]))({cjk_run}{{2,4}})\\s*[（(]\\s*(?:1[6-9]|20)\\d\\d"),
        "listed": re.compile(f"、({cjk_run}{{2,4}}?)(?=[、等和与及，,。])"),
    }


def _trim_name(candidate: str, rules: dict, from_end: bool = False) -> str:
    """The name part of a run of CJK characters next to a cue: cut at the first stop character."""
    chars = candidate[::-1] if from_end else candidate
    cut = next((i for i, c in enumerate(chars) if c in rules["stops"]), len(chars))
    name = chars[:cut]
    return name[::-1] if from_end else name


def _looks_like_name(name: str, rules: dict) -> bool:
    """A Chinese name (a surname and one or two characters) or a transliterated one (transliteration characters)."""
    if len(name) < 2:
        return False
    if all(c in rules["trans"] for c in name):
        return True
    if name[:2] in rules["surnames"]:  # compound surname: 欧阳娜娜, 司马迁
        return len(name) <= 4
    return len(name) <= 3 and name[0] in rules["surnames"]


@lru_cache(maxsize=1)
def _jieba_posseg():
    """jieba's part-of-speech segmenter, imported on the first Chinese text only (its dictionary loads in ~1-2 s)."""
    import logging
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # jieba 0.42 imports the deprecated pkg_resources
        import jieba
        import jieba.posseg
    jieba.setLogLevel(logging.WARNING)  # not its "Building prefix dict" lines on every worker
    jieba.initialize()
    return jieba.posseg


def _segment(simple: str) -> list[tuple[int, int, str]]:
    """(start, end, part-of-speech tag) of each word jieba's dictionary cuts the text into."""
    spans, at = [], 0
    for word, tag in _jieba_posseg().cut(simple, HMM=False):  # no HMM: its guesses tag common words as names
        spans.append((at, at + len(word), tag))
        at += len(word)
    return spans


def _segmented_names(simple: str, words: list[tuple[int, int, str]], rules: dict) -> list[tuple[int, int]]:
    """Three-character words the segmenter's dictionary tags as people, opening with a common surname."""
    spans = []
    for a, b, tag in words:
        word = simple[a:b]
        if (tag in _PERSON_TAGS and len(word) == 3 and word[0] in rules["surnames"] and word[1] != word[2]
                and not all(c in rules["trans"] for c in word) and word[1:] not in rules["titles"]
                and not any(c in rules["pronouns"] for c in word)):  # 张老师, 谢谢您: no names
            spans.append((a, b))
    return spans


def _cue_names(simple: str, rules: dict) -> list[tuple[int, int]]:
    """Candidate names next to a role word (导演X, X导演)."""
    spans = []
    for m in rules["before"].finditer(simple):
        name = _trim_name(m.group(1), rules)
        spans.append((m.start(1), m.start(1) + len(name)))
    for m in rules["after"].finditer(simple):
        name = _trim_name(m.group(1), rules, from_end=True)
        spans.append((m.end(1) - len(name), m.end(1)))
    return spans


def _snapped(simple: str, spans: list[tuple[int, int]], words: list[tuple[int, int, str]],
             rules: dict) -> list[tuple[int, int]]:
    """Candidate spans shrunk to word boundaries (感谢|莫扎特, 赵文瑄|先生), kept if what is left looks like a name."""
    bounds = sorted({0, len(simple), *(b for _, b, _ in words)})
    out = []
    for a, b in spans:
        a = bounds[bisect.bisect_left(bounds, a)]
        b = bounds[bisect.bisect_right(bounds, b) - 1]
        if b > a and _looks_like_name(simple[a:b], rules):
            out.append((a, b))
    return out


def _listed_names(simple: str, found: list[tuple[int, int]], rules: dict) -> list[tuple[int, int]]:
    """Names listed with 、 right after a name already found (建筑师安托宁·雷蒙德、坂仓准三等)."""
    out, ends = [], {b for _, b in found}
    for m in rules["listed"].finditer(simple):
        if m.start() in ends and not any(c in rules["stops"] for c in m.group(1)):
            out.append(m.span(1))
            ends.add(m.end(1))
    return out


def _non_overlapping(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest spans first, then left to right, none overlapping another kept one."""
    kept: list[tuple[int, int]] = []
    for a, b in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0])):
        if all(b <= s or a >= e for s, e in kept):
            kept.append((a, b))
    return sorted(kept)


def find_people(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of person names in Chinese text, every occurrence of each name found."""
    rules, simple = _name_rules(), to_simplified(text)
    words = _segment(simple)
    spans = [m.span() for m in rules["dotted"].finditer(simple)]
    spans += _snapped(simple, _cue_names(simple, rules), words, rules) + _segmented_names(simple, words, rules)
    spans += [m.span(1) for m in rules["lifespan"].finditer(simple)]  # its years make it a name, whatever its shape
    spans += _listed_names(simple, spans, rules)
    names = {simple[a:b] for a, b in _non_overlapping(spans)}
    # a name found once is the same name where it stands again without a cue (诺兰 ... 诺兰的这部影片)
    again = [(m.start(), m.end()) for name in names for m in re.finditer(re.escape(name), simple)]
    return _non_overlapping(spans + again)


def person_mentions(text: str, sentences: list[tuple[int, int]], taken: list[tuple[int, int]],
                    sentiment=None) -> list[Mention]:
    """Person mentions (canonical name = the name as written) for the names find_people sees outside `taken`."""
    from critics.tasks.extract.aspects import mention_sentiment

    return [Mention(text[a:b], "person", None, text[a:b], a, b, mention_sentiment(text, sentences, a, sentiment))
            for a, b in find_people(text) if not any(s < b and a < e for s, e in taken)]
