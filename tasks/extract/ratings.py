"""Parse printed ratings ('3/4', 'B+', '★★★½', '7 out of 10', 'Recommended') into Rating records on 0-100.

Normalisation (the demo site's truth uses exactly this): N/D -> 100*N/D; structured values
-> 100*(v-worst)/(best-worst), where worstRating 1 counts as 0 (it is schema.org's default and the
usual '1-10' print of an x/10 scale, so 9 of 1..10 is 90, not 88.9); star rows -> stars/slots*100; letter grades on an 11-step straight
line A=100 ... F=0 (A+ is capped at 100, E and F+/F- are 0); scores rounded to 1 decimal.

Choices where the print leaves the scale open:
- stars with no stated denominator ('four stars', '★★★', '***1/2') are out of `default_best`, else 5
  (schema.org's default bestRating); a row with empty stars ('★★★☆') counts its own slots.
- a bare number ('3.5', '3 1/2') is out of `default_best` (the source's config, else a bestRating the page's
  structured data states without a usable value); without one it has no score (reason 'no_scale').
- plain asterisk rows without a half ('***') are section breaks, so extract_rating only takes them
  after a label; glyph rows ('★★★') may stand alone.
"""
from __future__ import annotations

import re

from critics.schemas.records import Rating

_NUMBER_WORDS = {
    "zero": 0, "no": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}
_WORD = "|".join(_NUMBER_WORDS)
_HALF = r"(?P<half>\s*½|\s+1/2|\s*(?:-|\s)and(?:-|\s)(?:a|one)(?:-|\s)half)?"
_QTY = rf"(?P<num>\d+(?:[.,]\d+)?|{_WORD}){_HALF}"
_DEN = rf"(?P<den>\d+(?:[.,]\d+)?|{_WORD})"
_STARS_WORD = r"(?:\s*-?\s*stars?)"

_FRACTION = re.compile(rf"(?P<num>\d+(?:[.,]\d+)?)(?P<half>\s*½|\s+1/2)?\s*/\s*(?P<den>\d+(?:[.,]\d+)?){_STARS_WORD}?")
_OUT_OF = re.compile(rf"{_QTY}{_STARS_WORD}?\s+(?P<of>out\s+of|of)\s+{_DEN}(?P<stars>{_STARS_WORD})?", re.I)
_STAR_WORDS = re.compile(rf"(?:{_QTY}|(?P<halfonly>half\s+a|½|1/2)){_STARS_WORD}", re.I)
_GLYPH_ROW = re.compile(r"(?P<full>[★⭐✭✮]*)(?P<half>½|1/2|⯪|⯨)?(?P<empty>[☆✩]*)(?:(?:/|outof)(?P<den>\d+))?")
_ASTERISK_ROW = re.compile(r"(?P<full>\*+)(?P<half>½|1/2)?")
_PERCENT = re.compile(r"(?P<num>\d+(?:[.,]\d+)?)\s*%")
_LETTER = re.compile(r"(?P<letter>[A-F])\s*(?P<sign>[+\-−–]|\s+plus|\s+minus)?")
_BARE = re.compile(rf"(?P<num>\d+(?:[.,]\d+)?){_HALF}")
_NOT_WORD_CHAR = re.compile(r"[^a-z' ]")
_QUARTER = re.compile(r"(?<=\d)\s*¼")
_THREE_QUARTERS = re.compile(r"(?<=\d)\s*¾")
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?|-?\.\d+")

# Scales a printed fraction plausibly uses; anything else ('9/11', '24/7') is not a rating scale.
_PLAUSIBLE_DEN = {2, 3, 4, 5, 6, 7, 8, 10, 20, 100}
_LETTER_STEPS = {"A": 11, "B": 8, "C": 5, "D": 2, "E": 0, "F": 0}

_FRESH_WORDS = {
    "recommended", "highly recommended", "strongly recommended", "must see", "a must see",
    "see it", "go see it", "thumbs up", "two thumbs up", "worth seeing", "worth watching",
    "worth it", "fresh",
}
_ROTTEN_WORDS = {
    "not recommended", "skip it", "skip", "avoid", "avoid it", "thumbs down", "two thumbs down",
    "don't bother", "dont bother", "do not see", "not worth it", "miss it", "rotten",
}


def parse_rating_text(printed: str, default_best: float | None = None) -> Rating | None:
    """Parse one printed rating string ('3/4', 'B+', '★★★½', '7 out of 10', 'Recommended') into a Rating."""
    if not isinstance(printed, str) or not printed.strip():
        return None
    raw = " ".join(printed.split())
    text = _normalise(raw)
    for parser in (_parse_fraction, _parse_out_of, _parse_star_words, _parse_glyph_row,
                   _parse_asterisk_row, _parse_percent, _parse_letter, _parse_verdict_word):
        rating = parser(raw, text, default_best)
        if rating is not None:
            return rating
    return _parse_bare(raw, text, default_best) or Rating(raw, None, None, "junk", reason="junk")


def rating_from_structured(value: dict, rule: str, default_best: float | None = None) -> Rating | None:
    """{'ratingValue','bestRating','worstRating'} (strings or numbers) -> Rating; rule is 'jsonld'|'microdata'|'data_attr'."""
    if not isinstance(value, dict):
        return None
    printed = value.get("ratingValue")
    v = _to_float(printed)
    if v is None:
        text_rating = parse_rating_text(str(printed), default_best) if printed is not None else None
        return _with_rule(text_rating, rule) if text_rating else None
    best, worst = _to_float(value.get("bestRating")), _to_float(value.get("worstRating")) or 0.0
    if worst == 1:  # schema.org's default worstRating: a '1-10' scale still reads 9 as 9/10 = 90
        worst = 0.0
    assumed = best is None
    if assumed:
        best = default_best or (5.0 if v <= 5 else 10.0 if v <= 10 else 100.0)
    raw, scale = f"{_fmt(v)}/{_fmt(best)}", f"x/{_fmt(best)}" + (" assumed" if assumed else "")
    if best <= worst:
        return Rating(raw, None, scale, rule, reason="junk")
    if not worst <= v <= best:
        return Rating(raw, None, scale, rule, reason="out_of_range")
    return Rating(raw, _score(v - worst, best - worst), scale, rule)


def extract_rating(structured: dict | None, structured_rule: str | None, text_blocks: list[str],
                   default_best: float | None = None) -> Rating | None:
    """Structured data first, then labelled lines ('Rating:', 'Grade:', 'Verdict:', 'Score:', 'Our rating') in text_blocks,
    then a standalone star row, then a closing 'N out of D' sentence, then a short line that is a rating or holds a star run."""
    fallback = None
    if structured:
        found = rating_from_structured(structured, structured_rule or "jsonld", default_best)
        if _usable(found):
            return found
        fallback = found
        stated_best = _to_float(structured.get("bestRating"))
        if not default_best and stated_best and stated_best > 0:  # the page states its scale: '3.5' in the text is 3.5 of it
            default_best = stated_best
    blocks = [b for b in (text_blocks or []) if isinstance(b, str) and b.strip()]
    labelled, junk = _from_labels(blocks, default_best)
    if labelled:
        return labelled
    return (_from_star_rows(blocks, default_best) or _from_closing(blocks, default_best)
            or _from_short_lines(blocks, default_best) or _from_given_number(blocks, default_best) or fallback or junk)


# --- printed-string parsers: each returns a Rating or None when its shape does not match ---

def _parse_fraction(raw: str, text: str, default_best: float | None) -> Rating | None:
    m = _FRACTION.fullmatch(text)
    if not m:
        return None
    return _ratio(raw, _qty(m), _to_float(m["den"]), "fraction", "x")


def _parse_out_of(raw: str, text: str, default_best: float | None) -> Rating | None:
    m = _OUT_OF.fullmatch(text)
    if not m or (m["of"].lower() == "of" and not m["stars"]):  # '2 of 3' alone is a count, '2 of 3 stars' a rating
        return None
    return _ratio(raw, _qty(m), _to_float(m["den"]), "out_of", "x")


def _parse_star_words(raw: str, text: str, default_best: float | None) -> Rating | None:
    m = _STAR_WORDS.fullmatch(text)
    if not m:
        return None
    stars = 0.5 if m["halfonly"] else _qty(m)
    return _ratio(raw, stars, default_best or 5.0, "words", "stars", check_den=False)


def _parse_glyph_row(raw: str, text: str, default_best: float | None) -> Rating | None:
    m = _GLYPH_ROW.fullmatch(text.replace(" ", "").lower())
    if not m or not (m["full"] or m["half"] or m["empty"]):
        return None
    stars = len(m["full"]) + (0.5 if m["half"] else 0.0)
    slots = len(m["full"]) + (1 if m["half"] else 0) + len(m["empty"]) if m["empty"] else default_best or 5.0
    slots = float(m["den"]) if m["den"] else slots
    return _ratio(raw, stars, slots, "star_row", "stars", check_den=False)


def _parse_asterisk_row(raw: str, text: str, default_best: float | None) -> Rating | None:
    m = _ASTERISK_ROW.fullmatch(text.replace(" ", ""))
    if not m:
        return None
    stars = len(m["full"]) + (0.5 if m["half"] else 0.0)
    return _ratio(raw, stars, default_best or 5.0, "star_row", "stars", check_den=False)


def _parse_percent(raw: str, text: str, default_best: float | None) -> Rating | None:
    m = _PERCENT.fullmatch(text)
    if not m:
        return None
    return _ratio(raw, _to_float(m["num"]), 100.0, "percent", "percent", check_den=False)


def _parse_letter(raw: str, text: str, default_best: float | None) -> Rating | None:
    m = _LETTER.fullmatch(text)
    if not m:
        return None
    sign = (m["sign"] or "").strip().lower()
    step = _LETTER_STEPS[m["letter"]]
    if step:  # A+ caps at A; F+/F-/E± stay at the bottom
        step = min(11, step + (1 if sign in ("+", "plus") else -1 if sign in ("-", "−", "–", "minus") else 0))
    return Rating(raw, _score(step, 11), "letter", "letter")


def _parse_verdict_word(raw: str, text: str, default_best: float | None) -> Rating | None:
    key = _NOT_WORD_CHAR.sub(" ", text.lower().replace("-", " "))
    key = " ".join(key.split())
    hint = "fresh" if key in _FRESH_WORDS else "rotten" if key in _ROTTEN_WORDS else None
    if hint is None:
        return None
    return Rating(raw, None, "verdict_word", "verdict_word", verdict_hint=hint, reason="verdict_only")


def _parse_bare(raw: str, text: str, default_best: float | None) -> Rating | None:
    m = _BARE.fullmatch(text)
    if not m:
        return None
    if not default_best:
        return Rating(raw, None, None, "bare_number", reason="no_scale")
    return _ratio(raw, _qty(m), float(default_best), "bare_number", "x", check_den=False)


# --- finding the rating among the review's own text blocks ---

_LABEL = re.compile(
    r"(?:^|(?<=[.!?|•·])[ \t]+)[ \t*•·\-–—>]*"
    r"(?P<prefix>(?:(?:our|my|the|final|overall|critic'?s|star|reviewer'?s)\s+){0,2})"
    r"(?P<label>rating|grade|verdict|score)\b[ \t]*(?P<sep>[:：=]|\s[-–—])?[ \t*]*(?P<value>[^\n]*)",
    re.I | re.M,
)
_STAR_ROW_LINE = re.compile(r"[★⭐✭✮☆✩½⯪⯨\s]+(?:(?:/|out of)\s*\d+)?|\*+\s*(?:½|1/2)", re.I)
_BARE_LABEL = re.compile(r"\s*(?:(?:our|my|the|final|overall|critic'?s)\s+)?(?:rating|grade|score|verdict)\s*:?\s*", re.I)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
_SEGMENT_END = re.compile(r"\s+[-–—|]\s|[(\[;|]|,\s|\.\s|:\s|\s+\*\*")
_MPAA = re.compile(r"(?:rated\s+)?(?:G|PG|PG-13|R|NC-17|NR|X|U|12A?|15|18|Unrated|Not Rated)(?:\s+for\s.*)?", re.I)
_CLOSING = re.compile(
    rf"(?P<lead>.*\b(?:i|we)(?:'d|’d|\s+would|\s+will)?\s+(?:give|rate|award|score)\s+(?:.{{0,60}}?\s)??(?:an?\s+)?|^)"
    rf"(?P<rating>{_QTY}{_STARS_WORD}?\s+out\s+of\s+{_DEN}{_STARS_WORD}?)\s*(?:overall\s*)?[.!]?",
    re.I,
)


def _from_labels(blocks: list[str], default_best: float | None) -> tuple[Rating | None, Rating | None]:
    """First labelled rating with meaning, and the first junk-but-rating-like labelled value."""
    junk = None
    for i, block in enumerate(blocks):
        if _BARE_LABEL.fullmatch(block) and i + 1 < len(blocks):  # 'Rating' on one line, '3/5' on the next
            block = f"{block.strip().rstrip(':')}: {blocks[i + 1]}"
        for m in _LABEL.finditer(block):
            rating = _labelled_value(m, default_best)
            if rating is None:
                continue
            if _usable(rating):
                return rating, None
            junk = junk or rating
    return None, junk


def _labelled_value(m: re.Match, default_best: float | None) -> Rating | None:
    """The rating printed after one label, or None when the value is prose or an MPAA certificate."""
    value = m["value"].strip()
    segment = _SEGMENT_END.split(value, maxsplit=1)[0].strip().rstrip(".!")
    if not segment or _MPAA.fullmatch(segment):
        return None
    rating = parse_rating_text(segment, default_best)
    if not _usable(rating):
        token = parse_rating_text(segment.split()[0], default_best)
        if _usable(token) and token.rule in ("fraction", "star_row", "percent"):
            rating = token
    if rating is None or (not _usable(rating) and not _junk_worth_keeping(m, segment)):
        return None
    return _with_rule(rating, "labelled_" + rating.rule)


def _junk_worth_keeping(m: re.Match, segment: str) -> bool:
    """A labelled value we cannot score is still kept as raw when it is short and numeric."""
    return bool(m["sep"]) and len(segment) <= 15 and any(c.isdigit() for c in segment)


def _from_star_rows(blocks: list[str], default_best: float | None) -> Rating | None:
    for block in blocks:
        text = block.strip()
        if not _STAR_ROW_LINE.fullmatch(text):
            continue
        rating = parse_rating_text(text, default_best)
        if _usable(rating) and rating.rule == "star_row":
            return rating
    return None


_GLYPH_RUN = re.compile(r"(?:[★⭐✭✮]+(?:\s*(?:½|1/2))?[☆✩]*|[★⭐✭✮]*(?:½|⯪|⯨)[☆✩]*)(?:\s*(?:/|out of)\s*\d+)?", re.I)
_SHORT_LINE_WORDS = 12
_SCALE_PARENS = re.compile(r"\s*\((out of [^)]{1,12})\)", re.I)
_RATING_HINT = re.compile(rf"[\d★⭐✭✮☆✩½*]|\bstars?\b|\b(?:{_WORD})\b", re.I)
_ASTERISK_OUT_OF = re.compile(r"^(\*{1,5})\s*(½|1/2)?\s*\(?\s*out\s+of(?=\s)", re.I)
_LINE_LEAD = re.compile(r"^[\s•·\-–—>:(]*|[\s.!):]*$")
_OUT_OF_WORD = re.compile(rf"(?<=out of )({_WORD})\b", re.I)


def _from_short_lines(blocks: list[str], default_best: float | None) -> Rating | None:
    """A short line that is a rating ('3 1/2 out of 4 stars', 'Three stars') or carries a star run ('Juno ★★★½')."""
    for block in blocks:
        if len(block.split()) > _SHORT_LINE_WORDS or not _RATING_HINT.search(block):  # most short lines are menus
            continue
        text = _LINE_LEAD.sub("", _SCALE_PARENS.sub(r" \1", block))  # '4 stars (out of 5)'
        text = _ASTERISK_OUT_OF.sub(lambda m: "★" * len(m[1]) + ("½" if m[2] else "") + " out of", text)
        if text.startswith("★"):  # '★★★½ out of four stars': the glyph parser reads digits and no 'stars'
            text = re.sub(r"\s*stars?$", "", _OUT_OF_WORD.sub(lambda m: str(_NUMBER_WORDS[m[1].lower()]), text), flags=re.I)
        rating = parse_rating_text(text, default_best) if text and text.strip("* ") else None  # '***' is a break
        if _usable(rating) and (rating.rule in ("out_of", "words", "star_row") or (rating.rule == "fraction" and "star" in text.lower())):
            printed = " ".join(block.split()).strip(" .:")  # as printed, not as rewritten here
            printed = printed[1:-1] if printed.startswith("(") and printed.endswith(")") else printed
            return Rating(printed, rating.score, rating.scale, "standalone_" + rating.rule)
        for run in _GLYPH_RUN.finditer(block):
            glyphs = run.group().strip()
            stars = sum(c in "★⭐✭✮☆✩" for c in glyphs)  # '8½' is a title, '★' alone a bullet
            if stars >= 2 or (stars and ("½" in glyphs or re.search(r"\d", glyphs))):
                rating = parse_rating_text(glyphs, default_best)
                if _usable(rating):
                    return _with_rule(rating, "star_line")
    return None


_GIVEN_NUMBER = re.compile(r"\b(?:i|we)(?:'m|’m| am)?(?:\s+going\s+to|'d|’d|\s+would|\s+will)?\s+(?:give|rate|score)\s+"
                           r"[^.!?]{1,60}?\s+an?\s+(?P<num>\d{1,2}(?:\.\d)?)(?!\s*(?:/|out of|of|%|stars?|\.\d))", re.I)


def _from_given_number(blocks: list[str], default_best: float | None) -> Rating | None:
    """'I'm going to give 12 Strong a 5.5 at best': a number above 5 (or with a decimal over 5) given out of 10."""
    for block in reversed(blocks):
        m = _GIVEN_NUMBER.search(block)
        value = _to_float(m["num"]) if m else None
        scale = default_best or (10.0 if value is not None and 5 < value <= 10 else None)
        if value is not None and scale:
            return Rating(m["num"], _score(value, scale), f"x/{_fmt(scale)}" + ("" if default_best else " assumed"), "given_number")
    return None


def _from_closing(blocks: list[str], default_best: float | None) -> Rating | None:
    """'I give it 7 out of 10.' anywhere, or '7 out of 10.' closing one of the last 3 blocks; the last wins."""
    for i, block in enumerate(reversed(blocks)):
        sentences = [s.strip() for s in _SENTENCE_BREAK.split(block.strip())]
        for j, sentence in enumerate(reversed(sentences)):
            m = _CLOSING.fullmatch(sentence)
            # a bare 'Two out of ten.' mid-review is prose, not a verdict
            if not m or (not m["lead"] and (i >= 3 or j > 0)):
                continue
            rating = parse_rating_text(m["rating"], default_best)
            if _usable(rating):
                return _with_rule(rating, "out_of")
    return None


# --- small helpers ---

def _normalise(text: str) -> str:
    text = text.replace("⁄", "/").replace("／", "/")
    text = _QUARTER.sub(".25", _THREE_QUARTERS.sub(".75", text))
    return text.strip().rstrip(".!")


def _ratio(raw: str, num: float | None, den: float | None, rule: str, kind: str,
           check_den: bool = True) -> Rating:
    scale = f"{kind}/{_fmt(den)}" if den else None
    if num is None or not den or (check_den and den not in _PLAUSIBLE_DEN):
        return Rating(raw, None, None, rule, reason="junk")
    if kind == "percent":
        scale = "percent"
    if not 0 <= num <= den:
        return Rating(raw, None, scale, rule, reason="out_of_range")
    return Rating(raw, _score(num, den), scale, rule)


def _qty(m: re.Match) -> float | None:
    num = m["num"]
    value = float(_NUMBER_WORDS[num.lower()]) if num.lower() in _NUMBER_WORDS else _to_float(num)
    if value is not None and m["half"]:
        if value != int(value):  # '3.5 1/2' is not a number
            return None
        value += 0.5
    return value


def _to_float(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        try:
            value = float(value)
        except OverflowError:
            return None
        return value if value == value and abs(value) != float("inf") else None
    text = str(value).strip()
    if text.lower() in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[text.lower()])
    if not _NUMBER.fullmatch(text):
        return None
    return float(text.replace(",", "."))


def _score(num: float, den: float) -> float:
    return round(100.0 * (num / den), 1)  # divide first: 100 * 1.8e306 overflows to inf


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _usable(rating: Rating | None) -> bool:
    return rating is not None and (rating.score is not None or rating.verdict_hint is not None)


def _with_rule(rating: Rating, rule: str) -> Rating:
    return Rating(rating.raw, rating.score, rating.scale, rule, rating.verdict_hint, rating.reason)
