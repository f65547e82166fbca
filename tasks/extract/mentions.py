"""People, character and film mentions in review text: credited names, their short forms, and uncredited names."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from critics.schemas.records import Credit, Mention
from critics.tasks.extract import lexicon
from critics.tasks.extract.aspects import mention_sentiment, sentence_at
from critics.tasks.extract.name_index import NameIndex

Sentiment = Callable[[str], float]

_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞİŁŃŇŐŒŘŚŞŠŢŤŮŰŹŻŽ"
_LOW = "a-zß-öø-ÿāăąćčďđēęěğıłńňőœřśşšţťůűźżž"
# Word lists live in data/lexicons/ (one entry a line; each file says what it holds).
_PARTICLES = set(lexicon.words("name_particles"))
_SUFFIXES = set(lexicon.words("name_suffixes"))
_HONORIFICS = set(lexicon.words("honorifics"))
_NOT_CHARACTERS = set(lexicon.words("not_characters"))
_WORD_NAMES = set(lexicon.words("word_names"))  # English words that are also given names: never a first name alone
_COMMON = _WORD_NAMES | set(lexicon.words("common_words"))  # a one-word title or name among these needs quotes
_STOP = set(lexicon.words("capitalised_non_names"))
_FIRST_NAMES = set(lexicon.words("first_names"))
_GIVEN_NAMES = _FIRST_NAMES | set(lexicon.words("census_given_names"))  # uncredited names only
_SURNAMES = set(lexicon.words("surnames"))
_OPENERS = set(lexicon.words("name_openers"))  # split uncredited runs here: "Writers Mark Burton", "Citizen Kane"
_SURNAME_STOPS = set(lexicon.words("surname_stop_words"))  # "Alan King": a stop word ends a known first name

# Context that makes a name that is also a film title the film: "the John Wick films", "in John Wick (2014)".
_FILM_AFTER = re.compile(r"^['\"’”]?(?:\s*\((?:18|19|20)\d\d\)|\s+(?:films?|movies?|franchise|series|saga|"
                         r"sequels?|prequels?|trilogy|universe|installments?|instalments?|entries|entry|"
                         r"chapters?|pictures?|remake|reboot|cycle|canon|world|spinoffs?|spin-offs?)\b)", re.I)
_ROLE_BEFORE = re.compile(r"\b(?:director|actor|actress|star|co-star|costar|filmmaker|writer|screenwriter|"
                          r"novelist|author|producer|composer|comedian|comic|singer|rapper|playwright|helmer|"
                          r"auteur|cinematographer|editor|newcomer|veteran|legend|icon|stars?|starring|"
                          r"leading\s+(?:lady|man)|(?:directed|written|produced|narrated|voiced|played|portrayed|performed|"
                          r"book|novel|memoir|play|script|screenplay|score|music|documentary)(?:\s+\w+ly)?\s+by)[^\S\n]+$",
                          re.I)


@dataclass(frozen=True)
class _Entity:
    name: str
    kind: str  # person | character | film
    role: str | None


@dataclass(frozen=True)
class _Variant:
    surface: str  # the form as it would be written, e.g. "de Armas"
    entity: _Entity
    rank: int  # 0 full name, 1 surname, 2 first name
    needs_quotes: bool = False


def find_mentions(text: str, sentences: list[tuple[int, int]], credits: list[Credit],
                  film_title: str | None = None, known_films: Iterable[str] = (),
                  sentiment: Sentiment | None = None) -> list[Mention]:
    """Person, character and film mentions in text, non-overlapping and sorted by char_start."""
    # plain tuples as the cache key: a frozen dataclass rebuilds a tuple on every hash
    plan = _plan(tuple((c.name, c.role, c.character) for c in credits),
                 tuple(t for t in [film_title, *known_films] if t))
    spans = _pick_non_overlapping(_match_variants(text, sentences, plan))
    spans += _uncredited_names(text, sentences, spans, plan.known)
    spans.sort(key=lambda s: s[0])
    return [Mention(e.name, e.kind, e.role, text[a:b], a, b, mention_sentiment(text, sentences, a, sentiment))
            for a, b, e in spans]


def _credit_variants(credits: list[Credit]) -> list[_Variant]:
    """Full names, surnames and first names of credited people and of their characters."""
    variants: list[_Variant] = []
    people: dict[str, _Entity] = {}
    for credit in credits:
        name = " ".join(credit.name.split())
        if name and name not in people:
            same = next((e for e in people.values() if _same_person(e.name, name)), None)
            people[name] = same or _Entity(name, "person", credit.role)
            variants += _name_variants(name, people[name], is_character=False)
        for character in _character_names(credit.character):
            variants += _name_variants(character, _Entity(character, "character", None), is_character=True)
    return variants + _family_variants(list(dict.fromkeys(people.values())))


def _same_person(a: str, b: str) -> bool:
    """Two credited spellings of one person: same surname, first names sharing a prefix ('Dan'/'Danny')."""
    wa, wb = a.split(), b.split()
    if len(wa) < 2 or len(wb) < 2 or wa[-1] != wb[-1]:
        return False
    fa, fb = wa[0].lower(), wb[0].lower()
    return fa.startswith(fb[:3]) and fb.startswith(fa[:3])


def _family_variants(people: list[_Entity]) -> list[_Variant]:
    """'the Coen brothers', 'the Coens' for credited people sharing a surname: one mention naming them all."""
    by_surname: dict[str, list[_Entity]] = {}
    for person in people:
        if len(person.name.split()) > 1:
            by_surname.setdefault(person.name.split()[-1], []).append(person)
    variants = []
    for surname, members in by_surname.items():
        if len(members) > 1:
            variants += [_Variant(f"{surname}{word}", _family(members), 0)
                         for word in (" brothers", " Brothers", " Bros.", " Bros", " sisters", " Sisters",
                                      " siblings", "s")]
    return variants


def _character_names(raw: str | None) -> list[str]:
    """Usable character names from a credit's character field ('Young Carl (voice)' -> 'Young Carl')."""
    if not raw:
        return []
    names = []
    for part in re.split(r"\s*(?:/|;|\|)\s*", re.sub(r"\([^)]*\)", "", raw)):
        part = " ".join(part.split()).strip(" ,'\"")
        if part and part.lower() not in _NOT_CHARACTERS and part[0].isupper():
            names.append(part)
    return names


def _name_variants(name: str, entity: _Entity, is_character: bool) -> list[_Variant]:
    """The forms a name is written in: full, surname (with and without particles), first name."""
    tokens = name.split()
    core = [t for t in tokens if t.lower() not in _SUFFIXES] or tokens
    found = [_Variant(name, entity, 0)]
    if core != tokens:
        found.append(_Variant(" ".join(core), entity, 0))
    if len(core) < 2:
        if is_character and name.lower() in _COMMON:
            found = [_Variant(name, entity, 0, needs_quotes=False)]
        return found
    body = core[1:] if core[0].lower() in _HONORIFICS else core
    surname_at = len(core) - 1
    while surname_at > 1 and core[surname_at - 1].lower() in _PARTICLES:
        surname_at -= 1
    surnames = {" ".join(core[surname_at:]), core[-1]}
    for surname in surnames:
        if _usable_short(surname, is_character):
            found.append(_Variant(surname, entity, 1))
    first = body[0]
    if len(body) > 1 and _usable_short(first, is_character) and not re.fullmatch(r"(?:[A-Z]\.)+", first) \
            and first.lower() not in _WORD_NAMES:
        found.append(_Variant(first, entity, 2))
    return found


def _usable_short(word: str, is_character: bool) -> bool:
    """A surname or first name that can stand alone: capitalised, long enough, not a filler word."""
    if len(word) < 2 or len(word) == 2 and (is_character or word.lower() in _COMMON | _PARTICLES):
        return False
    if not word[0].isupper() and not word.split()[0].lower() in _PARTICLES:
        return False
    if word.lower() in _PARTICLES or is_character and word.lower() in _HONORIFICS:
        return False
    return not (is_character and word.lower() in _COMMON)


def _film_variants(titles: list[str]) -> list[_Variant]:
    """Film titles as written, plus the title without a franchise prefix ('Night Circuit: Ember' -> 'Ember')."""
    variants = []
    for title in dict.fromkeys(" ".join(t.split()) for t in titles):
        entity = _Entity(title, "film", None)
        forms = {title}
        if ":" in title:
            tail = title.split(":", 1)[1].strip()
            if len(tail) > 3 and not re.match(r"(?:Chapter|Part|Vol|Volume|Episode|\d)", tail):
                forms.add(tail)
        for form in forms:
            variants.append(_Variant(form, entity, 0, needs_quotes=form.lower() in _COMMON or len(form) < 3))
    return variants


def _disambiguate(variants: list[_Variant]) -> list[_Variant]:
    """Resolve short forms shared by several names: the only director among them, else the family as one."""
    owners: dict[str, set[_Entity]] = {}
    for v in variants:
        if v.rank > 0:
            owners.setdefault(v.surface, set()).add(v.entity)
    full = {v.surface for v in variants if v.rank == 0}
    kept = [v for v in variants if v.rank == 0 or (len(owners[v.surface]) == 1 and v.surface not in full)]
    for surface, entities in owners.items():
        if len(entities) < 2 or surface in full or any(e.kind != "person" for e in entities):
            continue
        directors = [e for e in entities if e.role == "director"]
        if len(directors) == 1:
            kept.append(_Variant(surface, directors[0], 1))  # critics mean the director ("Wells's film")
        elif all(e.name.split()[-1] == surface for e in entities):
            kept.append(_Variant(surface, _family(entities), 1))  # "pure Coen", "Russo and Russo"
    return kept


def _family(entities) -> _Entity:
    """One entity standing for credited people who share a surname."""
    members = sorted(entities, key=lambda e: e.name)
    return _Entity(" and ".join(m.name for m in members), "person", members[0].role)


def _variant_regex(surface: str) -> str:
    """Regex for a name as written: flexible spaces and apostrophes, particles in any case."""
    parts = []
    for token in surface.split():
        escaped = re.escape(token).replace("'", "['’]").replace("’", "['’]")
        escaped = re.sub(r"\\\.(?=[A-Z])", r"\\.\\s?", escaped)  # "J.J." also as "J. J."
        if token.lower() in _PARTICLES:
            escaped = f"[{token[0].upper()}{token[0].lower()}]{re.escape(token[1:])}"
        parts.append(escaped)
    body, tail = r"\s+".join(parts), r"(?!\w|['’]\w\w)"  # "Capra-corn", "Gondry-Rogen" count
    if body[0].isalpha():
        # Same test as a leading (?<!\w), made after the literal first letter: the engine then jumps from one
        # such letter to the next instead of trying a match at every position of the text (~10x faster).
        return body[0] + r"(?<!\w.)" + body[1:] + tail
    return r"(?<!\w)" + body + tail


@lru_cache(maxsize=1024)
def _variant_pattern(surface: str) -> re.Pattern:
    """Compiled _variant_regex; the same cast is credited on every review of a film."""
    return re.compile(_variant_regex(surface))


@dataclass(frozen=True)
class _Plan:
    """A credit list's name forms, grouped by surface, and the automaton that finds which occur in a text."""
    by_surface: dict[str, list[_Variant]]
    index: NameIndex
    known: set[str]


@lru_cache(maxsize=256)
def _plan(credits: tuple[tuple[str, str, str | None], ...], titles: tuple[str, ...]) -> _Plan:
    """Built once per credit list: every review of a film is searched with the same pooled credits."""
    variants = _credit_variants([Credit(*c) for c in credits]) + _film_variants(list(titles))
    by_surface: dict[str, list[_Variant]] = {}
    for v in _disambiguate(variants):
        by_surface.setdefault(v.surface, []).append(v)
    return _Plan(by_surface, NameIndex(list(by_surface)), {v.surface for v in variants})


def _match_variants(text: str, sentences, plan: _Plan) -> list[tuple[int, int, _Entity, int]]:
    """Every occurrence of every variant, with film-or-character decided by context."""
    spans = []
    # One automaton pass picks the few forms present; only those run their exact pattern (boundaries, spacing).
    for surface in plan.index.present(text):
        group = plan.by_surface[surface]
        for match in _variant_pattern(surface).finditer(text):
            chosen = _choose(text, match.start(), match.end(), group)
            if chosen and _short_form_fits(text, sentences, match.start(), match.end(), chosen):
                spans.append((match.start(), match.end(), chosen.entity, chosen.rank))
    return spans


def _choose(text: str, start: int, end: int, group: list[_Variant]) -> _Variant | None:
    """Pick the film reading or the person/character reading of one matched surface."""
    quoted = _is_quoted(text, start, end)
    films = [v for v in group if v.entity.kind == "film" and (quoted or not v.needs_quotes)]
    others = sorted((v for v in group if v.entity.kind != "film"), key=lambda v: (v.rank, v.entity.kind))
    if films and (not others or quoted or _FILM_AFTER.match(text[end:end + 20])):
        return films[0]
    return others[0] if others else None


def _is_quoted(text: str, start: int, end: int) -> bool:
    """True when the span is wrapped in quotes or underscores/asterisks (italics markup)."""
    before, after = text[start - 1:start], text[end:end + 1]
    return bool(before and after and before in "\"'‘“*_«" and after in "\"'’”*_»")


def _short_form_fits(text: str, sentences, start: int, end: int, variant: _Variant) -> bool:
    """Reject a surname or first name that is part of someone else's full name ('Luke Evans' for Chris Evans)."""
    if variant.rank == 0:
        return True
    before, after = text[max(0, start - 30):start], text[end:end + 30]
    prev = _PREV_WORD.search(before)
    if variant.rank == 1 and prev and prev.group(1) in _FIRST_NAMES and \
            prev.group(1)[0] not in {w[0] for w in variant.entity.name.split()}:
        return False  # "Luke Evans" is not Chris Evans; "Tom Ropelewski" may be Thomas
    nxt = _NEXT_WORD.match(after)
    if variant.rank == 2 and nxt and nxt.group(1) not in _STOP and nxt.group(1) not in variant.entity.name:
        return False
    span = sentence_at(sentences, start)
    at_sentence_start = span is not None and not text[span[0]:start].strip(" \"'“‘(")
    # a credited surname opening a sentence is the person ("Story can't infuse..."); a character's is riskier
    return not (at_sentence_start and variant.entity.kind == "character" and variant.surface.lower() in _COMMON)


def _pick_non_overlapping(spans: list[tuple[int, int, _Entity, int]]) -> list[tuple[int, int, _Entity]]:
    """Longest spans first (then full names before short forms); drop any that overlap a kept one."""
    kept: list[tuple[int, int, _Entity]] = []
    for start, end, entity, _ in sorted(spans, key=lambda s: (s[0] - s[1], s[3], s[0])):
        if all(end <= a or start >= b for a, b, _ in kept):
            kept.append((start, end, entity))
    return kept


_NAME_TOKEN = (rf"(?:(?:Mc|Mac|O['’]|D['’])?[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+|-[{_LOW}]{{1,3}}(?![{_LOW}]))*|[{_UP}]\.(?:\s?[{_UP}]\.)*)")
# Context showing a name-shaped phrase is a title: "in John Carter,", "Paul Blart: Mall Cop", "X is a fun movie".
_TITLE_BEFORE = re.compile(rf"(?:\bin\s+|[{_UP}][{_LOW}]+\s+of\s+|[\"“‘'*_])$")
_TITLE_AFTER = re.compile(r"^(?:['’]?\s*:|['\"”’*_](?!s\b)|\s+(?:is|was|isn't|wasn't|is\s+not)\s+(?:a|an|one|the|just|"
                          r"another)\b[^.,;:!?]{0,40}?\b(?:film|movie|picture|comedy|drama|thriller|sequel|"
                          r"documentary|adventure|romp|entertainment|fantasy|musical|cartoon|flick|mess|"
                          r"disaster|western|biopic|remake)s?\b)")
_PREV_WORD = re.compile(rf"([{_UP}][{_LOW}]+)(?:\s+|-)$")
_NEXT_WORD = re.compile(rf"\s+([{_UP}][{_LOW}]+)")
_TOKEN = re.compile(r"\S+")
_RUN_START = re.compile(r"(?:^|[.!?:;\n]|[\"“‘(]|[.!?:]\s*[\"“‘(]?)\s*$")
_MAYBE_GIVEN = re.compile(rf"[{_UP}][{_LOW}]+(?<!ing)(?<!ed)(?<!ly)(?<!er)")  # "Crouching Tiger", "Commander James"
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s*)")
_MAKER_FILM = re.compile(r"^\s+(?:film|movie|picture)\b")  # singular: a maker's film, not a franchise
_ARTICLE_BEFORE = re.compile(r"\b(?:[Aa]n?|[Tt]he|[Tt]his|[Tt]hat|[Aa]nother|latest|new|first|last)\s+$")
_POSSESSIVE = re.compile(r"['’]s?\b")
_CAPITALISED_BEFORE = re.compile(rf"[{_UP}][{_LOW}]*\s+$")
_SENTENCE_START_BEFORE = re.compile(r"(?:^|[.!?:]\s+)\S+\s+$")
_INITIAL = re.compile(rf"[{_UP}]\.")
_COMMON_NOT_NAMES = _COMMON - _WORD_NAMES
_CANDIDATE = re.compile(rf"(?<![\w'’.-]){_NAME_TOKEN}(?:[^\S\n]+(?:(?:{'|'.join(sorted(p for p in _PARTICLES if len(p) > 1 and p != 'st.'))})[^\S\n]+)?"
                        rf"{_NAME_TOKEN}){{1,3}}(?![\w-])")


def _uncredited_names(text: str, sentences, taken: list[tuple[int, int, _Entity]],
                      known: set[str]) -> list[tuple[int, int, _Entity]]:
    """Capitalised 2-4 word names not in the credits: a known given name, a role noun, or listed with a person."""
    runs = [(start, end) for match in _CANDIDATE.finditer(text)
            for start, end in _name_runs(text, match.start(), match.end())
            if all(end <= a or start >= b for a, b, _ in taken)]
    verdicts = {run: _person_verdict(text, *run) for run in runs}
    people = [run for run, verdict in verdicts.items() if verdict]
    anchors = people + [(a, b) for a, b, e in taken if e.kind == "person"]
    unsure = [run for run, verdict in verdicts.items() if verdict is None]
    while unsure:  # "Corey Hawkins and Toby Kebbell and Jing Tian": a list of names spreads the evidence
        listed = [run for run in unsure if any(_listed_together(text, run, other) for other in anchors)]
        if not listed:
            break
        people += listed
        anchors += listed
        unsure = [run for run in unsure if run not in listed]
    people = [(a, _with_suffix(text, b)) for a, b in people]  # "Robert Downey Jr." keeps its "Jr."
    return [(a, b, _Entity(" ".join(text[a:b].split()), "person", None)) for a, b in sorted(people)]


def _with_suffix(text: str, end: int) -> int:
    """The end of a name run moved past a following generational suffix (' Jr.', ', Sr.', ' III')."""
    match = _SUFFIX_AFTER.match(text, end)
    return match.end() if match and match.group(1).lower() in _SUFFIXES else end


_SUFFIX_AFTER = re.compile(r",?[^\S\n]+((?:Jr|Sr|JR|SR)\.?|I{2,3}|IV)(?![\w])")


def _listed_together(text: str, run: tuple[int, int], other: tuple[int, int]) -> bool:
    """Two spans next to each other in a list: 'X, Y', 'X and Y', 'X & Y', 'X, and Y'."""
    gap = text[run[1]:other[0]] if run[1] <= other[0] else text[other[1]:run[0]]
    return bool(_LIST_GAP.fullmatch(gap))


def _name_runs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a capitalised run at stop words into runs of 2-3 name tokens."""
    runs, current = [], []
    for token in _TOKEN.finditer(text[start:end]):
        word = token.group(0)
        a, b = start + token.start(), start + token.end()
        ends_name = word in _SURNAME_STOPS and len(current) == 1 and current[0][2] in _FIRST_NAMES
        if (word.rstrip(".") in _STOP or word in _STOP or word in _OPENERS) and not ends_name:
            runs.append(current)
            current = []
        else:
            current.append((a, b, word))
    runs.append(current)
    spans = []
    for run in runs:
        while run and run[-1][2].lower() in _PARTICLES:
            run = run[:-1]
        if 2 <= len(run) <= 4:
            spans.append((run[0][0], run[-1][1]))
    return spans


def _person_verdict(text: str, start: int, end: int) -> bool | None:
    """True for a person (given name first, or after a role noun), False for a title, None when only name-shaped."""
    words = text[start:end].split()
    before, after = text[max(0, start - 40):start], text[end:end + 80]
    if _TITLE_BEFORE.search(before) and not _POSSESSIVE.match(after) or _TITLE_AFTER.match(after) \
            or _FILM_AFTER.match(after) and not (_MAKER_FILM.match(after) and _ARTICLE_BEFORE.search(before)):
        return False  # "the Michael Winterbottom film" is his film; "the John Wick films" the franchise
    if words[0].lower() in _WORD_NAMES and _CAPITALISED_BEFORE.search(before) and \
            not _SENTENCE_START_BEFORE.search(before):
        return False  # "You Will Meet a Tall Dark Stranger": a word-name inside a capitalised title
    first = words[0].split("-")[0] if words[0] not in _GIVEN_NAMES else words[0]
    if sum(1 for w in words if w.lower() not in _PARTICLES) > 3:
        return False
    if any(w.lower() in _COMMON_NOT_NAMES and w not in _GIVEN_NAMES for w in words[1:]):
        return False
    if first in _GIVEN_NAMES:
        return True
    if _ROLE_BEFORE.search(text[max(0, start - 30):start]) and not _INITIAL.match(words[0]):
        return True
    # "Patton Oswalt", "Amrita Singh": a given name we don't know before a common surname, inside a sentence
    if len(words) == 2 and words[-1] in _SURNAMES and _MAYBE_GIVEN.fullmatch(words[0]) \
            and words[0].lower() not in _COMMON | _HONORIFICS \
            and not _RUN_START.search(before) and not _CAPITALISED_BEFORE.search(before):
        return True
    return None
