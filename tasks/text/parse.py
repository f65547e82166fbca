"""Parse one fetched review page into a ParsedPage: metadata, credits, main text, rating candidates."""
from __future__ import annotations

import functools
import json
import logging
import re
from urllib.parse import urljoin

import lxml.html
import trafilatura
from extruct.w3cmicrodata import MicrodataExtractor
from lxml import etree

from critics.schemas.records import Credit, ParsedPage
from critics.tasks.extract import lexicon
from critics.tasks.extract.films import normalise_title, parse_headline
from critics.tasks.extract.ratings import extract_rating
from critics.tasks.text import bylines, evidence
from critics.tasks.text.clean import decode_html
from critics.tasks.text.dates import dateline_date, guess_page_date, stamp_date
from critics.tasks.text.dates import parse_date  # noqa: F401 (public here too)
from critics.tasks.text.years import printed_year

MIN_REVIEW_WORDS = evidence.MIN_UNMARKED_WORDS  # without review evidence; a capsule with evidence needs fewer
# huge_tree off: libxml2 caps nesting depth, so a page nested 10,000 deep cannot exhaust the stack.
_HTML_PARSER = lxml.html.HTMLParser(huge_tree=False, no_network=True, remove_comments=False)
log = logging.getLogger(__name__)
# Class/id fragments of page furniture that never holds the critic's own words.
_BOILERPLATE = re.compile(
    r"comment|sidebar|widget|(^|[-_ ])nav|share|social|cookie|consent|related|newsletter|promo|advert"
    r"|(^|[-_ ])ads?([-_ ]|$)|site-footer|global-footer|page-footer|menu|breadcrumb|popular|trending"
    r"|top-?10|recommend|more-reviews|reader",
    re.I,
)
_BOILERPLATE_TAGS = ("nav", "aside", "script", "style", "noscript", "form", "iframe", "template", "button")
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32))
_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "section",
               "article", "blockquote", "br", "tr", "dd", "dt", "figcaption", "time"}


def parse_page(body: bytes, url: str, content_type: str | None = None) -> ParsedPage:
    """Parse page bytes; a page that is not a usable review comes back with reject_reason set (never raises)."""
    refusal = _refuse_bytes(body)
    if refusal:
        return ParsedPage(url=url, canonical_url=url, reject_reason=refusal)
    try:
        return _parse_page(body, url, content_type)
    except RecursionError:
        return ParsedPage(url=url, canonical_url=url, reject_reason="page nested too deeply to parse")
    except Exception as exc:  # a stranger's page must never stop the night; the reason names the failure
        log.warning("parse failed for %s: %s: %s", url, type(exc).__name__, exc)
        return ParsedPage(url=url, canonical_url=url, reject_reason=f"unparseable page ({type(exc).__name__})")


def _refuse_bytes(body: bytes) -> str | None:
    """Why these bytes cannot be an HTML page at all (empty, binary); None when they might be."""
    if not body or not body.strip():
        return "empty body"
    if body.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return None  # UTF-16 text is full of NUL bytes
    head = body[:4096]
    controls = len(head.translate(None, _NOT_CONTROL))  # what is left once every other byte is deleted
    if b"\x00" in head or controls > len(head) // 20:
        return "binary content, not HTML"
    return None


def _parse_page(body: bytes, url: str, content_type: str | None) -> ParsedPage:
    html = decode_html(body, content_type)
    tree = _html_tree(html)
    page = ParsedPage(url=url, canonical_url=url)
    if tree is None:
        page.reject_reason = "not parseable as HTML"
        return page
    page.canonical_url = canonical_url(tree, url)
    objects = jsonld_objects(tree) + (microdata_objects(tree, url) if "itemscope" in html else [])
    review = find_review(objects)
    meta = _meta_tags(tree)
    _fill_metadata(page, tree, review, objects, meta)
    headlines = _headlines(tree, meta)
    title_tag = _first_text(tree, "//title")
    sections = _sections(tree, objects, meta)
    icons = icon_rows(tree)
    container = review_container(tree)  # strips the page in place: metadata has been read
    _images_as_text(container)
    _fill_rating(page, container, review)
    page.rating_text_blocks = icons + review_blocks(container)
    page.credits = list(dict.fromkeys(page.credits + printed_credits(page.rating_text_blocks)))
    page.body_text = main_text(_drop_bylines(tree), url)  # last: trafilatura prunes the tree it is given
    page.body_text = _with_review_body(page.body_text, review)
    page.published_at = page.published_at or dateline_date(page.body_text)  # 'MAY 15, 2017—I tilt forward'
    page.credits = list(dict.fromkeys(page.credits + credits_in_text(page.body_text)))
    discussed = None
    if not (review or any(map(_headline_shape, headlines)) or _slug_title(headlines, url)):  # the text may name it
        discussed = _headline_part_in_text(headlines, page.body_text)
        page.film_title = (discussed or _quoted_title_in_text(page.body_text) or _dated_title_in_text(page.body_text)
                           or _called_title_in_text(page.body_text) or _credits_heading(page.rating_text_blocks)
                           or page.film_title)
    elif page.film_title and ": " in page.film_title and page.film_title not in page.body_text:
        tail = page.film_title.rsplit(": ", 1)[1]  # "Great Moments in Sports Cinema: Rudy": the text says "Rudy"
        page.film_title = tail if page.body_text.count(tail) >= 2 else page.film_title
    if page.outlet_rule == "title":  # the <title> part that is not the film's ("Zee News - Om Shanti Om")
        page.outlet = bylines.title_outlet(title_tag, url, page.film_title) or page.outlet
    if page.film_title and page.film_year is None:
        page.film_year = _year_in_text(page.film_title, page.body_text)
    _decide(page, url, review, objects, meta, headlines, sections, discussed == page.film_title and discussed)
    return page


def _decide(page: ParsedPage, url: str, review: dict | None, objects: list[dict], meta: dict,
            headlines: list[str], sections: list[str], discussed: str | None = None) -> None:
    """Whether the page is a film review, from its evidence; the reject reason names what decided."""
    item = _first_dict(review.get("itemReviewed")) if review else None
    rating = extract_rating(page.structured_rating, page.structured_rating_rule, page.rating_text_blocks)
    printed = rating.raw if rating and (rating.score is not None or rating.verdict_hint) else None
    types = [t for obj in objects for t in _type_names(obj)] + ([meta["og:type"]] if meta.get("og:type") else [])
    found = evidence.gather(url, headlines, sections, types, _type_names(item)[0] if item and _type_names(item) else None,
                            review is not None, printed, page.rating_text_blocks, page.film_title, page.outlet,
                            page.body_text, discussed, _tags(objects, meta))
    page.review_evidence = found.film
    page.reject_reason = evidence.decide(found, evidence.word_count(page.body_text))
    if page.reject_reason is None and not page.film_title:
        page.reject_reason = "no film title found"


def canonical_url(tree, url: str) -> str:
    """The page's <link rel=canonical> resolved against its URL, or the URL itself."""
    for href in _xpath('//link[translate(@rel,"CANONICAL","canonical")="canonical"]/@href')(tree):
        if href.strip():
            return urljoin(url, href.strip())
    return url


def main_text(html, url: str) -> str:
    """Main review text (from HTML or a parsed tree, which it prunes) without navigation, sidebars or comments."""
    # fast: no second opinion from readability/jusText, which cost a third of trafilatura's time and changed
    # nothing on our fixtures (tests/test_parse.py keeps and drops the same text either way)
    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False,
                               include_images=False, deduplicate=False, fast=True)
    return _cut_page_end(text or "")


def _cut_page_end(text: str) -> str:
    """The text up to an 'Other Stories' or copyright line in its second half: what follows is the page's, not the critic's."""
    offset = 0
    for line in text.splitlines(keepends=True):
        key = line.strip().lower().rstrip(":> ").strip()
        if offset * 2 >= len(text) and (key in _PAGE_END_LINES or _COPYRIGHT_LINE.match(key)):
            return text[:offset].rstrip()
        offset += len(line)
    return text


_PAGE_END_LINES = frozenset(lexicon.words("page_end_lines"))
_COPYRIGHT_LINE = re.compile(r"(?:©|\(c\)\s|copyright\b)")


def jsonld_objects(tree) -> list[dict]:
    """Every JSON-LD object on the page, flattening @graph and top-level arrays; invalid blocks skipped."""
    objects: list[dict] = []
    for script in _xpath('//script[contains(translate(@type,"JSONLD","jsonld"),"ld+json")]')(tree):
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        objects.extend(_flatten_graph(data))
    return objects


def microdata_objects(tree, url: str) -> list[dict]:
    """Microdata items converted to JSON-LD-shaped dicts ('@type' plus properties)."""
    try:
        items = MicrodataExtractor().extract_items(tree, url)
    except Exception:  # extruct raises assorted errors on broken markup; microdata is optional
        return []
    return [_microdata_to_ld(item) for item in items]


def find_review(objects: list[dict]) -> dict | None:
    """The first schema.org Review (or CriticReview) among the objects, searched recursively."""
    for obj in objects:
        if _has_type(obj, "Review", "CriticReview"):
            return obj
        for value in obj.values():
            nested = value if isinstance(value, list) else [value]
            found = find_review([v for v in nested if isinstance(v, dict)])
            if found:
                return found
    return None


def review_container(tree):
    """The review's own container, after removing comments, sidebars and navigation from the page in place."""
    # in place, not on a copy: deep-copying every page cost more than trafilatura's own parse
    return _review_container(_strip_boilerplate(tree))


def review_blocks(container) -> list[str]:
    """Text lines of a review container (marks line breaks in the container it is given)."""
    for element in container.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    text = container.text_content() if hasattr(container, "text_content") else ""
    return [line for line in (" ".join(part.split()) for part in text.split("\n")) if line]


def _html_tree(html: str):
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html, parser=_HTML_PARSER)
    except (etree.ParserError, ValueError):
        return None


def _fill_metadata(page: ParsedPage, tree, review: dict | None, objects: list[dict], meta: dict) -> None:
    item = _first_dict(review.get("itemReviewed")) if review else None
    page.headline = next(iter(_headlines(tree, meta)), None)
    page.film_title, page.film_year = _film_identity(item, _headlines(tree, meta), page.url)
    page.film_year = page.film_year or printed_year(tree)  # '<dt>Year</dt><dd>2003</dd>', '1995 | 170 mins.'
    article = _article(tree)
    owner = functools.lru_cache(maxsize=1)(lambda: bylines.copyright_owner(tree))  # both finders may ask; scan once
    page.critic, page.critic_rule = bylines.find_critic(objects, review, meta, article, tree, owner)
    page.outlet, page.outlet_rule = bylines.find_outlet(objects, review, meta, _first_text(tree, "//title"), tree,
                                                        page.url, page.headline, owner, page.critic)
    if page.critic and " " not in page.critic and bylines.same_name(page.critic, page.outlet):
        # "By Indiefferential" on indiefferential.com names the site; "Charles Barnes" on his own site stays
        page.critic, page.critic_rule = None, None
    page.published_at = stamp_date((review or {}).get("datePublished") or meta.get("article:published_time")
                                   or _first_attr(tree, "//time/@datetime"), tree) or guess_page_date(tree)
    page.credits = _credits(item) if item else []


def _film_identity(item: dict | None, headlines: list[str], url: str) -> tuple[str | None, int | None]:
    """Title and year: the reviewed item's name, else the best-shaped headline (h1s, og:title, <title>)."""
    if item and _text(item.get("name")):
        year = _year(item.get("dateCreated") or item.get("datePublished") or item.get("releasedEvent"))
        return " ".join(_text(item["name"]).split()), year
    parsed = [(_headline_shape(c), -i, t, y) for i, c in enumerate(headlines) for t, y in [parse_headline(c)] if t]
    slugged = _slug_title(headlines, url)
    if slugged:
        parsed.append((3, 1, slugged, None))
    if not parsed:
        return None, None
    _, _, title, _ = max(parsed)
    key = normalise_title(title)
    year = next((y for _, _, t, y in parsed if y and normalise_title(t) == key), None)
    return title, year


def _headline_shape(headline: str) -> int:
    """How much a headline looks like it names the film: a review word 3, a quoted title 2, a year 1."""
    return (3 * bool(_REVIEW_WORD.search(headline)) + 2 * bool(_QUOTED_TITLE.search(headline))
            + bool(_YEAR_IN_PARENS.search(headline)))


_REVIEW_WORD = re.compile(r"\breview(?:ed)?\b|\b(?:movie|film) reaction\b|影评|影評", re.I)
_QUOTED_TITLE = re.compile(r"(?:^|[\s:(])[\"“‘'«][^\"“”‘’'«»]{1,80}[\"”’'»](?=$|[\s:,.!?)(–—|-])|《[^》]{1,40}》")
_YEAR_IN_PARENS = re.compile(r"\((?:18|19|20)\d\d\)")


def _slug_title(headlines: list[str], url: str) -> str | None:
    """The headline's opening words that the URL's slug names before '-review' ('kong-skull-island-review-...')."""
    slug = url.rstrip("/").rsplit("/", 1)[-1].lower()
    match = re.match(r"(.+?)[-_](?:movie-|film-)?review\b", slug)
    if not match or match.group(1) in ("movie", "film", "tv", "dvd", "cinema", "quick", "capsule"):
        return None  # 'movie-review-big-fan-...' names no title before 'review'
    wanted = normalise_title(match.group(1).replace("-", " ").replace("_", " "))
    for headline in headlines:
        words = headline.split()
        for n in range(1, min(len(words), 12) + 1):
            head = " ".join(words[:n]).strip(" " + "\"'‘’“”:,.-–—")
            if normalise_title(head) == wanted:
                return head
    return None


def _quoted_title_in_text(text: str) -> str | None:
    """A film title the opening text quotes and names again ('"A Mighty Heart," Angelina Jolie's film ...')."""
    for match in _TEXT_QUOTE.finditer(text[:_OPENING]):
        title = match.group(1).strip(" ,.")
        if title[:1].isupper() and len(title.split()) <= 8 and text.count(title) >= 2:
            return title
    return None


def _dated_title_in_text(text: str) -> str | None:
    """A title the opening text dates and names again ('So Weapons (2025) has become ...'): not the punning headline."""
    for match in _DATED_IN_TEXT.finditer(text[:_OPENING]):
        words = match.group(1).split()
        while words and words[0] in _SENTENCE_OPENERS:
            words = words[1:]
        title = " ".join(words)
        if title and text.count(title) >= 2:
            return title
    return None


def _called_title_in_text(text: str) -> str | None:
    """A title the opening text introduces and names again ('I watched a film called Hi, mom with my family')."""
    match = _CALLED.search(text[:_OPENING])
    title = match.group(1).strip(" ,") if match else None
    return title if title and text.count(title) >= 2 else None


_CALLED = re.compile(r"\b(?:film|movie|documentary|picture)\s+(?:called|titled|entitled|named)\s+[\"“‘]?"
                     r"([A-Z0-9][^.;:!?\"“”‘’\n]{0,60}?)[\"”’]?(?=\s+(?:with|and|which|that|at|on|in|by|for|from|"
                     r"about|last|yesterday|today|tonight|this|is|was)\b|[.;:!?\"”’\n]|$)")
_OPENING = 400  # how far into the text a title is looked for
_SENTENCE_OPENERS = frozenset(lexicon.words("sentence_openers"))
_DATED_IN_TEXT = re.compile(r"((?:[A-Z0-9][\w'’&:!?.-]*|(?<=\w )(?:of|the|a|an|and|in|on|to|at|for|with))"
                            r"(?: (?:[A-Z0-9][\w'’&:!?.-]*|of|the|a|an|and|in|on|to|at|for|with))*) \((?:18|19|20)\d\d\)")


def printed_credits(blocks: list[str]) -> list[Credit]:
    """People a printed credits block names: 'Director: X', 'Directed by X', 'Cast: A, B and C', 'Starring ...'."""
    credits = []
    for line in blocks:
        m = _CREDIT_LINE.match(line) if len(line.split()) <= 40 else None
        if m:
            role = _CREDIT_ROLES[m["label"].lower().split()[0]]
            credits += [Credit(name, role) for name in _credited_names(m["names"])]
    return credits


_CREDIT_ROLES = {"director": "director", "directors": "director", "directed": "director", "written": "writer",
                 "writer": "writer", "writers": "writer", "screenplay": "writer", "cast": "actor", "starring": "actor",
                 "stars": "actor", "with": "actor"}
_CREDIT_LINE = re.compile(r"\s*(?P<label>directed by|director|directors|written by|writers?|screenplay(?: by)?|cast|"
                          r"starring|stars|with)\s*[:\-–—]?\s*(?P<names>[A-ZÀ-Þ].*)$", re.I)
_CREDIT_NAME = re.compile(r"^(?:[A-ZÀ-Þ][\w'’.-]*\.?\s+){1,3}[A-ZÀ-Þ][\w'’-]+$")


def credits_in_text(text: str) -> list[Credit]:
    """Credits a review prints in its prose: 'Jane (Katherine Heigl)', 'director King Vidor', 'written by X'."""
    credits = [Credit(m["name"], "actor") for m in _ACTOR_IN_PARENS.finditer(text)]
    credits += [Credit(m["name"], _CREDIT_ROLES.get(m["role"].lower().split()[0], "director"))
                for m in _ROLE_THEN_NAME.finditer(text)]
    return [c for c in dict.fromkeys(credits) if c.name.split()[0] not in _NOT_GIVEN]


_NAME_WORDS = r"[A-ZÀ-Þ][\w'’-]+(?:\s+(?:[A-Z]\.\s*)*[A-ZÀ-Þ][\w'’-]+){1,2}"
_ACTOR_IN_PARENS = re.compile(rf"\((?P<name>{_NAME_WORDS})(?=[,;)]|\s+as\b)")
_ROLE_THEN_NAME = re.compile(rf"\b(?P<role>directed by|written by|director|screenwriter|writer-director|filmmaker)\s+"
                             rf"(?P<name>{_NAME_WORDS})\b")
_NOT_GIVEN = {"The", "A", "An", "In", "On", "At", "For", "And", "But", "This", "That", "His", "Her", "Their", "It", "See",
              "Rated", "Running", "Directed", "Starring", "From", "With", "By", "Photo", "Image", "Courtesy", "Warner"}


def _credited_names(text: str) -> list[str]:
    """'Shah Rukh Khan, Deepika Padukone and Arjun Rampal (as Mukesh)' -> the names, each 2-4 capitalised words."""
    text = re.sub(r"\([^)]*\)", " ", text)
    parts = re.split(r"\s*[,;/]\s*|\s+(?:and|&)\s+", text)
    return [" ".join(p.split()) for p in parts if _CREDIT_NAME.match(" ".join(p.split()))]


def _credits_heading(blocks: list[str]) -> str | None:
    """The short line heading a credits block ('Om Shanti Om' above 'Director: Farah Khan')."""
    for i, line in enumerate(blocks[1:40], 1):
        if _CREDIT_START.match(line):
            heading = blocks[i - 1].strip(" >|:")
            words = heading.split()
            if 1 <= len(words) <= 8 and heading[:1].isupper() and not _CREDIT_START.match(heading):
                return heading
            return None
    return None


_CREDIT_START = re.compile(r"(?:directed by|director|directors|starring|cast|written by|screenplay)\b\s*:?", re.I)


def _headline_part_in_text(headlines: list[str], text: str) -> str | None:
    """The headline part the text keeps naming ('Comfort Watches, Day Eighteen: Starship Troopers'): 3 times or more."""
    parts = {p.strip(" '\"‘’“”") for h in headlines for p in _HEADLINE_PARTS.split(h)}
    counted = [(text.count(p), p) for p in parts
               if 1 <= len(p.split()) <= 6 and (p[:1].isupper() or evidence.CJK.match(p))]
    count, part = max(counted, default=(0, None))
    return part if count >= 3 else None


_HEADLINE_PARTS = re.compile(r"\s*[:|–—]\s+|\s+-\s+|\s*[｜：]\s*")  # full-width bars and colons need no space
_TEXT_QUOTE = re.compile(r"[\"“‘]([^\"“”‘’\n]{2,80}?)[\"”’]")


def _year_in_text(title: str, text: str) -> int | None:
    """A release year printed after the title in the body, as in 'The Harvest (2024)'."""
    match = re.search(re.escape(title) + r"[’'\"]?\s*\(((?:19|20)\d\d)\)", text)
    return int(match.group(1)) if match else None


def _headlines(tree, meta: dict) -> list[str]:
    """The page's headlines, strongest first: its first h1s, og:title, twitter:title, <title>."""
    h1s = _xpath("//h1")(tree)[:3]
    if len(h1s) > 1:  # a site's name set as an h1 in its page header comes after the article's own
        h1s.sort(key=lambda h: bool(_SITE_HEADER(h)))
    found = [" ".join(" ".join(_VISIBLE_TEXT(h)).split()) for h in h1s]
    found += [meta.get("og:title"), meta.get("twitter:title"), _first_text(tree, "//title")]
    return list(dict.fromkeys(h for h in found if h))


_SITE_HEADER = etree.XPath("ancestor::header[not(ancestor::article)] | ancestor::*[@role='banner']")
_VISIBLE_TEXT = etree.XPath(".//text()[not(ancestor::style or ancestor::script or ancestor::noscript)]")


def _sections(tree, objects: list[dict], meta: dict) -> list[str]:
    """Section names the page states: meta section tags, JSON-LD articleSection, breadcrumb items."""
    found = [meta.get(k) for k in _SECTION_META]
    for obj in objects:
        found += [s for s in _as_list(obj.get("articleSection")) if isinstance(s, str)]
        if _has_type(obj, "BreadcrumbList"):
            found += [_name(i.get("item")) if isinstance(i.get("item"), dict) else _name(i)
                      for i in _as_list(obj.get("itemListElement")) if isinstance(i, dict)]
    found += [" ".join(e.text_content().split()) for e in _BREADCRUMBS(tree)[:8]]
    return [s for s in dict.fromkeys(found) if s and len(s) <= 40]


def _tags(objects: list[dict], meta: dict) -> list[str]:
    """The page's own tags and keywords (meta keywords, article:tag, JSON-LD keywords), one per item."""
    raw = [meta.get(k) or "" for k in ("keywords", "news_keywords", "article:tag", "parsely-tags")]
    raw += [k for obj in objects for k in _as_list(obj.get("keywords")) if isinstance(k, str)]
    return [t.strip() for value in raw for t in re.split(r"[,;|]", value) if t.strip()][:60]


_SECTION_META = ("article:section", "parsely-section", "section", "category", "article.section", "dc.subject",
                 "cxenseparse:recs:articlesection", "sailthru.section")
_BREADCRUMBS = etree.XPath('//*[@class[contains(.,"breadcrumb") or contains(.,"kicker") or contains(.,"eyebrow")'
                           ' or contains(.,"section-name")]]//*[self::a or self::span or self::li][not(*)][position() <= 8]')


def _article(tree):
    """The page's main article before boilerplate is stripped: the wordiest <article>, else a Review/Article item, main, body."""
    articles = [a for a in _xpath("//article")(tree) if "comment" not in f"{a.get('class', '')} {a.get('id', '')}".lower()]
    if articles:
        return max(articles, key=lambda a: len(a.text_content()))
    for xpath in ('//*[contains(@itemtype,"Review") or contains(@itemtype,"Article")]', "//main", "//body"):
        found = _xpath(xpath)(tree)
        if found:
            return found[0]
    return tree


def _with_review_body(text: str, review: dict | None) -> str:
    """The structured reviewBody when it holds more of the review than the page text does (capsule pages)."""
    body = _text(review.get("reviewBody")) if review else ""
    return " ".join(body.split()) if len(body.split()) > len(text.split()) else text


def _type_names(obj: dict | None) -> list[str]:
    declared = _as_list(obj.get("@type")) if isinstance(obj, dict) else []
    return [str(t).rsplit("/", 1)[-1] for t in declared if t]


_STAR_FILE = re.compile(r"(?:stars?|rating|rate)[_-]?(\d{1,2})(?:[_.-]?(5))?(?!\d)|(?<![\d.])(\d)(?:[_.-](5))?[_-]?stars?", re.I)
_RATING_ALT = re.compile(r"[★☆½*]|\bstars?\b|\d\s*(?:/|out of|of)\s*\d|^\s*[A-F][+-]?\s*$|\bgrade\b|\brating\b", re.I)


def _token_tail(token: str, tail: str | None) -> str:
    """A star glyph joins its row; a printed rating ('4 stars (out of 5)') stands on its own line."""
    return token + (tail or "") if token in _GLYPHS else f"\n{token}\n{tail or ''}"


def _images_as_text(container) -> None:
    """Rating images as text: their alt/title when it reads as a rating, else a star glyph from the file name.

    A lone star glyph is a logo or a bullet ('The Star'), so glyphs count only as a row of two or more images."""
    tokens = [(img, _image_token(img.get("alt") or img.get("title") or "", img.get("src") or ""))
              for img in _xpath(".//img")(container)]
    glyphs: dict = {}
    for img, token in tokens:
        if token in _GLYPHS:
            glyphs[img.getparent()] = glyphs.get(img.getparent(), 0) + 1
    for img, token in tokens:
        if token and (token not in _GLYPHS or glyphs.get(img.getparent(), 0) >= 2):
            img.tail = _token_tail(token, img.tail)


_GLYPHS = ("★", "☆", "½")
_ICON_ROW = etree.XPath('//*[@class[contains(translate(.,"RATINGSTAR","ratingstar"),"rating") or contains(translate(.,"STAR","star"),"star")]]'
                        '[count(*) >= 3]')
_ROW_CLASS = re.compile(r"(?:^|[-_\s])(?:ratings?|stars?|score)(?:[-_\s]|$)", re.I)
_MARK_WORDS = etree.XPath(".//text()[not(ancestor::svg)]")
_ICON_FULL = re.compile(r"(?<!un)(?:rated|full|filled|on|active|checked|selected|yes|star-on|icon-star)(?![a-z])", re.I)
_ICON_HALF = re.compile(r"half", re.I)


def icon_rows(tree) -> list[str]:
    """Ratings drawn as repeated icons ('rated', 'rated-half', empty marks): 'Rating: ★★½☆☆' lines.

    Read on the intact tree (rating boxes often sit in an <aside>); never in comments or related lists."""
    lines = []
    for row in _ICON_ROW(tree):
        marks = [child for child in row if isinstance(child.tag, str)]
        if (len({m.tag for m in marks}) != 1 or len(marks) > 10 or not _ROW_CLASS.search(row.get("class", ""))
                or any("".join(_MARK_WORDS(m)).strip() for m in marks) or _in_furniture(row)):
            continue  # icons are alike, wordless (an svg's title aside) and sit in a rating or stars box
        states = ["½" if _ICON_HALF.search(m.get("class", "")) else "★" if _ICON_FULL.search(m.get("class", "")) else "☆"
                  for m in marks]
        if "★" in states or "½" in states:
            if "☆" in states or "½" in states:  # a row of all-full marks may be decoration, unless it has a scale
                lines.append("Rating: " + "".join(sorted(states, key="★½☆".index)))
    return lines


def _in_furniture(element) -> bool:
    return any(re.search(r"comment|related|recommend|promo|user-rating|reader|audience|community", 
                         f"{a.get('class', '')} {a.get('id', '')}", re.I) for a in element.iterancestors())


def _image_token(alt: str, src: str) -> str | None:
    alt = " ".join(alt.split())
    if alt and len(alt.split()) <= 8 and _RATING_ALT.search(alt):
        lowered = alt.lower()
        if lowered in ("star", "full star", "filled star", "star full"):
            return "★"
        if "half" in lowered and len(lowered.split()) <= 3:
            return "½"
        if any(w in lowered for w in ("empty", "blank", "no star", "grey", "gray")) and len(lowered.split()) <= 3:
            return "☆"
        return alt
    name = src.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
    if "star" not in name and "rating" not in name:
        return None
    m = _STAR_FILE.search(name)
    if m:
        whole, half = (m[1], m[2]) if m[1] else (m[3], m[4])
        return f"{whole}{'.5' if half else ''} stars"
    if "half" in name:
        return "½"
    if any(w in name for w in ("empty", "off", "blank", "grey", "gray", "outline", "none")):
        return "☆"
    return "★" if "star" in name else None


def _fill_rating(page: ParsedPage, container, review: dict | None) -> None:
    rating = _first_dict(review.get("reviewRating")) if review else None
    if rating and rating.get("ratingValue") not in (None, ""):
        page.structured_rating = {k: rating.get(k) for k in ("ratingValue", "bestRating", "worstRating")}
        page.structured_rating_rule = review.get("_source", "jsonld")
        return
    attr = _data_rating(container)
    if attr:
        page.structured_rating, page.structured_rating_rule = attr, "data_attr"


def _data_rating(container) -> dict | None:
    for element in _xpath(".//*[@data-rating or @data-score]")(container):
        value = element.get("data-rating") or element.get("data-score")
        best = element.get("data-best") or element.get("data-max") or element.get("data-scale")
        return {"ratingValue": value, "bestRating": best, "worstRating": element.get("data-worst")}
    return None


def _credits(item: dict) -> list[Credit]:
    credits = [Credit(n, "director") for n in _names(item.get("director"))]
    credits += [Credit(n, "writer") for n in _names(item.get("author")) + _names(item.get("creator"))]
    for actor in _as_list(item.get("actor")) + _as_list(item.get("actors")):
        if isinstance(actor, dict) and _has_type(actor, "PerformanceRole"):
            character = _text(actor.get("characterName"))
            credits += [Credit(n, "actor", character or None) for n in _names(actor.get("actor"))]
        else:
            credits += [Credit(n, "actor") for n in _names(actor)]
    for character in _as_list(item.get("character")):
        name = _name(character)
        if name:
            credits.append(Credit(name, "character", name))
    return list(dict.fromkeys(credits))


@functools.lru_cache(maxsize=None)
def _xpath(expression: str) -> etree.XPath:
    """The expression compiled once: lxml compiles a string given to .xpath() on every call."""
    return etree.XPath(expression)


def _strip_boilerplate(tree):
    # Decided on the intact tree, then dropped: a drop only detaches subtrees, so no other decision changes.
    marked = [e for e in _MARKED(tree) if _is_boilerplate(e.get("class", ""), e.get("id", ""), e.get("role", ""))]
    tagged = [e for e in tree.iter(*_BOILERPLATE_TAGS, "footer")
              if e.tag != "footer" or not _xpath("ancestor::article")(e)]  # a footer inside an article is the review's
    holders = _text_holders(tree) if marked or tagged else set()
    for element in _comments_after_heading(tree):  # a blog export's comments follow the post as plain paragraphs
        element.drop_tree()
    for table in _EMPTY_TABLES(tree):  # '<p><table></table>First paragraph': the text is the table's tail
        _tail_as_paragraph(table)  # which trafilatura would drop with the table
    for element in marked + tagged:
        if element.getparent() is not None and element not in holders:  # not the root, dropped, or the text's home
            element.drop_tree()
    return tree


def _tail_as_paragraph(element) -> None:
    """Put a paragraph holding the element's tail text where the element was."""
    paragraph = etree.Element("p")
    paragraph.text, element.tail = element.tail, None
    element.getparent().replace(element, paragraph)


def _comments_after_heading(tree) -> list:
    """What follows a 'Comments' heading among its siblings ('<h2 id=comments>Comments</h2><h3>Comment by ...')."""
    for heading in _HEADINGS(tree):
        text = " ".join(heading.text_content().split()).lower()
        if _COMMENTS_HEADING.fullmatch(text) or heading.get("id", "").lower() in ("comments", "respond", "replies"):
            return list(heading.itersiblings())
    return []


_HEADINGS = etree.XPath("//h2 | //h3 | //h4")
_EMPTY_TABLES = etree.XPath("//table[not(normalize-space())][not(.//img)]")
_COMMENTS_HEADING = re.compile(r"(?:\d+\s+)?(?:comments?|responses?|replies|reader comments)(?:\s*\(\d+\))?\s*#?"
                               r"|(?:leave|post|add) a (?:reply|comment)")


def _text_holders(tree) -> set:
    """Elements holding at least half of the page's paragraph text: a wrapper classed 'l-sidebar-fixed',
    'node-not-promoted' or 'navigation-site' (or an ASP.NET page-wide <form>) holds the review, so it stays."""
    sizes: dict = {}
    total = 0
    for paragraph in tree.iter("p"):
        size = len(paragraph.text_content())
        total += size
        for ancestor in paragraph.iterancestors():
            sizes[ancestor] = sizes.get(ancestor, 0) + size
    return {e for e, size in sizes.items() if size * 2 >= total and "comment" not in f"{e.get('class', '')} {e.get('id', '')}".lower()}


_MARKED = etree.XPath("descendant-or-self::*[@class or @id or @role]")


@functools.lru_cache(maxsize=4096)
def _is_boilerplate(css_class: str, element_id: str, role: str) -> bool:
    """Class, id or role names a comment, sidebar, share bar, ad...: sites reuse a few hundred such values."""
    return bool(_BOILERPLATE.search(f"{css_class} {element_id} {role}"))


def _review_container(tree):
    for xpath in ("//article", '//*[contains(@itemtype,"Review")]', "//main", "//body"):
        found = _xpath(xpath)(tree)
        if found:
            return found[0]
    return tree


_BYLINE_XPATHS = (
    # one pass over the elements, each attribute looked up once (a union of two passes cost twice as much)
    '//*[@rel="author" or @class[contains(.,"byline") or contains(.,"author") or contains(.,"reviewer")'
    ' or contains(.,"critic-name")] or @itemprop[contains(.,"author")]]',
    '//*[contains(@class,"meta")][time]',  # "Name — <time>": only when no element names the author
)


def _drop_bylines(tree, max_words: int = 15):
    """Remove short byline elements ("Reviewed by X on <date>"): the critic is metadata, not review text."""
    for element in _xpath(_BYLINE_XPATHS[0])(tree):
        if element.getparent() is not None and len(element.text_content().split()) <= max_words:
            element.drop_tree()
    return tree


def _meta_tags(tree) -> dict[str, str]:
    meta = {}
    for element in _xpath("//meta[@content]")(tree):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        if key and key not in meta:
            meta[key] = element.get("content").strip()
    return meta


def _flatten_graph(data) -> list[dict]:
    if isinstance(data, list):
        return [obj for item in data for obj in _flatten_graph(item)]
    if not isinstance(data, dict):
        return []
    graph = data.get("@graph")
    return _flatten_graph(graph) if isinstance(graph, list) else [data]


def _microdata_to_ld(item) -> dict:
    if not isinstance(item, dict) or "properties" not in item:
        return item
    out = {"@type": str(item.get("type", "")).rsplit("/", 1)[-1], "_source": "microdata"}
    for key, value in item["properties"].items():
        out[key] = [_microdata_to_ld(v) for v in value] if isinstance(value, list) else _microdata_to_ld(value)
    return out


def _has_type(obj: dict, *types: str) -> bool:
    declared = obj.get("@type")
    declared = declared if isinstance(declared, list) else [declared]
    return any(str(t).rsplit("/", 1)[-1] in types for t in declared if t)


def _as_list(value) -> list:
    return value if isinstance(value, list) else ([] if value is None else [value])


def _first_dict(value) -> dict | None:
    return next((v for v in _as_list(value) if isinstance(v, dict)), None)


def _names(value) -> list[str]:
    return [n for n in (_name(v) for v in _as_list(value)) if n]


def _name(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    text = " ".join(_text(value).split())
    return text or None


def _text(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return value.strip() if isinstance(value, str) else ""


def _year(value) -> int | None:
    match = re.search(r"\b(18|19|20)\d\d\b", str(value or ""))
    return int(match.group()) if match else None


def _first_text(tree, xpath: str) -> str | None:
    found = _xpath(xpath)(tree)
    text = " ".join(found[0].text_content().split()) if found else ""
    return text or None


def _first_attr(tree, xpath: str) -> str | None:
    found = _xpath(xpath)(tree)
    return str(found[0]) if found else None
