"""Film identity: title and year from headlines, title normalisation, and merging surface titles into films."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache

_QUOTES = "\"'‘’“”«»„‚`´"
_OUTLET_SEP = re.compile(r"\s*\|\s*|\s+[•·»]\s+")
_DASH_SEP = re.compile(r"\s+[–—]\s+|\s+-{1,2}\s+")
_REVIEW_PREFIX = re.compile(r"^(?:(?:film|movie|tv|cinema|new|capsule|quick|mini|short|dvd|blu-ray|"
                            r"streaming|festival|review)\s+)*(?:review(?:ed)?s?|reaction|影评|影評)\s*(?:[:：\-–—|]\s*|of\s+)", re.I)
_REVIEW_SUFFIX = re.compile(r"\s*[:：\-–—|,]?\s*(?:\((?:film|movie)?\s*review\)|\b(?:film|movie|dvd|blu-ray)?\s*"
                            r"(?:review(?:ed)?s?|reaction)|影评|影評)\s*$", re.I)
_CJK_TITLE = re.compile(r"《([^》]{1,40})》")
_REVIEW_OF = re.compile(r"\breview\s+of\s+(.+)$", re.I)
_PRINTED_DATE = re.compile(r"\s*[,|–—-]\s*\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\s*$|\s*[|–—]\s.*$")
_YEAR = re.compile(r"\s*[\(\[]((?:18|19|20)\d\d)[\)\]]\s*")
_ROMAN = {"ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9", "xi": "11",
          "xii": "12", "xiii": "13", "xiv": "14", "xv": "15", "xvi": "16", "xvii": "17", "xviii": "18",
          "xix": "19", "xx": "20"}
_LATE_ROMAN = {"v": "5", "x": "10", "i": "1"}  # single letters count as numerals only after a word: "Rocky V"
_APOSTROPHES = re.compile(r"['’`´]")
_WORD = re.compile(r"[^\W_]+")  # runs of letters and digits; underscores split words
_WORD_ALIASES = {"vol": "volume", "pt": "part", "&": "and", "+": "and", "episode": "episode"}
_FIRST_WORD = {**_WORD_ALIASES, **_ROMAN}  # one lookup per word: alias or numeral ("V for Vendetta" keeps its V)
_LATER_WORD = {**_FIRST_WORD, **_LATE_ROMAN}


def parse_headline(headline: str | None) -> tuple[str | None, int | None]:
    """Film title and year from a headline, <title> or og:title, dropping outlet suffixes and 'review' words."""
    if not headline or not headline.strip():
        return None, None
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", headline)).strip()
    quoted = _quoted_title(text) or next(iter(_CJK_TITLE.findall(text)), None)  # 《流浪地球》影评
    review_of = _REVIEW_OF.search(text)  # "Flak Magazine: Review of Sunshine State, 8-9-02"
    part = quoted or (_PRINTED_DATE.sub("", review_of.group(1)) if review_of else _title_part(text))
    year_match = _YEAR.search(quoted and text or part) or _YEAR.search(text)
    year = int(year_match.group(1)) if year_match else None
    title = _strip_review_words(_YEAR.sub(" ", part)).strip(" " + _QUOTES + ":-–—|,.")
    return (title or None), year


def _quoted_title(text: str) -> str | None:
    """The quoted title in 'Review: ‘Harvest’ is a slog' or "'Harvest' (2024)"."""
    # An apostrophe followed by a letter (Keeper's) is part of the title, not its closing quote.
    match = re.search(r"(?:^|[\s:(])[\"“‘'«]((?:[^\"“”‘’'«»]|['’](?=[a-z]))+?)[\"”’'»](?=$|[\s:,.!?)(–—-])", text)
    return match.group(1).strip() if match else None


def _title_part(text: str) -> str:
    """The piece of a headline that names the film: outlets split off at '|', subtitles at dashes."""
    parts = [p for p in _OUTLET_SEP.split(_REVIEW_PREFIX.sub("", text)) if p.strip()] or [text]
    part = next((p for p in parts if _REVIEW_SUFFIX.search(p) and _strip_review_words(p).strip()), parts[0])
    tagged = re.match(r"^(.+?)\s+(?:(?:film|movie)\s+)?review\s*:\s+\S", part, re.I)
    if tagged:
        return tagged.group(1)  # "X review: a slow burn"
    pieces = _DASH_SEP.split(_REVIEW_PREFIX.sub("", part))
    for i, piece in enumerate(pieces):
        if _REVIEW_SUFFIX.search(piece):
            return " – ".join(pieces[:i + 1])  # "X review – tagline" and "X – Subtitle review"
    return pieces[0]


def _strip_review_words(title: str) -> str:
    """Remove a leading 'Review:' and trailing 'review' from a title candidate."""
    return _REVIEW_SUFFIX.sub("", _REVIEW_PREFIX.sub("", title.strip()))


@lru_cache(maxsize=1 << 16)  # publish resolves every surface title each night; most repeat
def normalise_title(title: str) -> str:
    """Matching key: no case, accents, punctuation or leading article; '&' = 'and'; roman numerals as digits."""
    text = (title if title.isascii() else strip_accents(title)).lower()
    text = _APOSTROPHES.sub("", text).replace("&", " and ").replace("+", " and ")
    words = _WORD.findall(text)
    if not words:
        return ""
    first = _FIRST_WORD.get(words[0], words[0])
    rest = [_LATER_WORD.get(w, w) for w in words[1:]]
    if rest and first in ("the", "a", "an"):
        return " ".join(rest)
    return " ".join([first, *rest])


def strip_accents(text: str) -> str:
    """Base letters without their combining marks ("Amélie" -> "Amelie")."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def film_id(title: str, year: int | None) -> str:
    """Readable stable id: slug of the normalised title plus the year, or '-nd' when there is none."""
    slug = normalise_title(title).replace(" ", "-")
    if not slug:
        slug = "film-" + hashlib.sha1(title.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{year if year is not None else 'nd'}"


def resolve_films(seen: Iterable[tuple[str, int | None]] | Mapping[tuple[str, int | None], int],
                  pinned: dict[str, str] | None = None) -> dict[tuple[str, int | None], tuple[str, str, int | None]]:
    """Map every surface (title, year) to (film_id, canonical title, year), merging names of the same film.

    `seen` is every page's (title, year), or a mapping of each distinct one to its page count.
    """
    pins = {normalise_title(k): v for k, v in (pinned or {}).items()}
    counts = Counter({surface: n for surface, n in Counter(seen).items() if surface[0]})
    keys = {surface: _key(surface[0], surface[1], pins) for surface in counts}
    forms: dict[tuple[str, int | None], set[str]] = {}
    for (title, _), key in keys.items():
        forms.setdefault(key, set()).update(_short_forms(key[0], title))
    groups = _group_keys(sorted(forms, key=lambda k: (k[1] is None, k[1] or 0, k[0])), forms)
    surfaces_of: dict[tuple[str, int | None], list] = {}  # an index, so grouping stays linear at 20k films
    for surface, key in keys.items():
        surfaces_of.setdefault(key, []).append(surface)
    resolved = {}
    for members in groups.values():
        if len(members) == 1:  # most films: one key, so no merging to do
            key = next(iter(members))
            surfaces, year = surfaces_of.get(key, []), key[1]
        else:
            surfaces = [s for key in members for s in surfaces_of.get(key, [])]
            year = next((y for _, y in members if y is not None), None)  # a group holds at most one year
        title = _canonical(surfaces, counts, pins)
        film = (film_id(title, year), title, year)
        for surface in surfaces:
            resolved[surface] = film
    return resolved


def _key(title: str, year: int | None, pins: dict[str, str]) -> tuple[str, int | None]:
    """(normalised title, year) after applying hand-pinned aliases."""
    norm = normalise_title(title)
    return normalise_title(pins[norm]) if norm in pins else norm, year


def _short_forms(title_key: str, raw: str) -> set[str]:
    """Keys a long title also goes by: the part after a franchise prefix, the part before a subtitle."""
    forms = set()
    for sep in (":", " – ", " — ", " - "):
        if sep in raw:
            head, tail = raw.split(sep, 1)
            forms.update(normalise_title(p) for p in (head, tail) if len(normalise_title(p)) > 2)
    forms.discard(title_key)
    return forms


def _group_keys(keys: list[tuple[str, int | None]], forms: dict) -> dict:
    """Union keys: same year and one title a short form of the other; no-year keys join a single candidate."""
    parent = {k: k for k in keys}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    dated = [k for k in keys if k[1] is not None]
    dated_set = set(dated)
    for b in dated:  # look short forms up rather than compare every pair: quadratic pairs took minutes at 20k films
        for form in forms[b]:
            if (form, b[1]) in dated_set:
                parent[find(b)] = find((form, b[1]))
    by_title: dict[str, list] = {}
    by_form: dict[str, list] = {}
    for d in dated:
        by_title.setdefault(d[0], []).append(d)
        for form in forms[d]:
            by_form.setdefault(form, []).append(d)
    for k in (k for k in keys if k[1] is None):
        candidates = {find(d) for d in by_title.get(k[0], [])} or {find(d) for d in by_form.get(k[0], [])}
        if len(candidates) == 1:
            parent[find(k)] = candidates.pop()
    groups: dict = {}
    for k in keys:
        groups.setdefault(find(k), set()).add(k)
    return groups


def _canonical(surfaces: list[tuple[str, int | None]], counts: Counter, pins: dict[str, str]) -> str:
    """Most common surface title (ties: longest, then alphabetical); a hand-pinned title wins."""
    if len(surfaces) == 1 and not pins:
        return surfaces[0][0]  # most films go by one surface title
    pinned = sorted({pins[normalise_title(t)] for t, _ in surfaces if normalise_title(t) in pins}) if pins else []
    if pinned:
        return pinned[0]
    by_title = Counter()
    for (title, _), n in ((s, counts[s]) for s in surfaces):
        by_title[title] += n
    return min(by_title, key=lambda t: (-by_title[t], -len(t), t))
