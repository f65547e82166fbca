"""Critic and outlet as real outlets print them: structured data, byline elements, meta tags, title, copyright.

Each finder returns (value, rule), the rule naming where the value came from ("jsonld", "byline", "meta:author",
"text_byline", "og:site_name", "title", "copyright", "domain"). Names are cleaned of "By", titles such as
"Staff Writer", dates and outlet suffixes, and names set in capitals are given their usual case; a candidate
that does not read as a person's name is skipped. Junk words live in data/lexicons/byline_junk.txt.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from lxml import etree

from critics.schemas.paths import package_data

_ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenews", "opinionnewsarticle", "reviewnewsarticle",
                  "analysisnewsarticle", "backgroundnewsarticle", "report", "scholarlyarticle", "socialmediaposting",
                  "webpage", "itempage", "creativework", "review", "criticreview", "userreview"}
_SITE_TYPES = {"organization", "newsmediaorganization", "corporation", "website"}
_AUTHOR_META = ("author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator", "dc.contributor",
                "article:author", "og:article:author", "byl", "cxenseparse:author")
_OUTLET_META = ("og:site_name", "application-name", "apple-mobile-web-app-title", "al:ios:app_name",
                "twitter:app:name:iphone", "cxenseparse:site", "publisher", "dc.publisher")
_LEAD = re.compile(r"^(?:(?:review(?:ed)?|words|written|posted|story|text|article|a review)\s+by|by|critic|reviewer|"
                   r"author)\s*[:\-–—]?\s+", re.I)
_CUT = re.compile(r"\s*[|,;•·/]\s*|\s+[-–—]\s+|\s+(?:on|for|at|in|from|posted|published|updated|special to)\s+|"
                  r"\s*\(|\s+\d|\s+@|\s+-\s*$", re.I)
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][\w'’\-.]*|[A-Z]\.|(?:de|da|del|della|der|den|di|du|dos|van|von|la|le|ten|ter|"
                        r"bin|al|el|y|st\.?|mac|and|&)|[a-z]?'?[A-Z][\w'’\-]*)$")
_COPYRIGHT = re.compile(r"(?:(?:©|&copy;|\(c\)|copyright)\s*)+(?:(?:19|20)\d\d\s*(?:[-–—]\s*(?:19|20)?\d\d)?\s*,?\s*)?"
                        r"(?:by\s+)?(?P<name>[A-Z][\w.&'’ -]{1,60}?)(?=\s*(?:(?<!\b[A-Z])\.|[,|]|all rights|inc\b|llc\b|ltd\b|$))", re.I)
_BOILER = re.compile(r"comment|related|promo|recommend|more-|most-|popular|trending|sidebar|footer|newsletter|bio\b|"
                     r"author-bio|about-the-author|profile|teaser|widget|right-?rail|left-?rail|(^|[-_ ])nav", re.I)


@functools.lru_cache(maxsize=1)
def junk_words() -> frozenset[str]:
    """Words that end a byline's name or show a candidate is no name (package data)."""
    text = package_data("lexicons", "byline_junk.txt").read_text(encoding="utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def find_critic(objects: list[dict], review: dict | None, meta: dict[str, str], article, tree,
                owner: Callable[[], str | None] | None = None) -> tuple[str | None, str | None]:
    """The critic's name and the rule that found it; (None, None) when the page names nobody.

    Sources are tried in order and each is only looked for when the ones before found nobody (the page scans
    cost more than the rest of the metadata). `owner` gives the copyright line's owner (shared with find_outlet)."""
    owner = owner or (lambda: copyright_owner(tree))
    candidates = [
        (lambda: _author_names(review), "jsonld_review"),
        (lambda: _author_names(_main_article(objects)), "jsonld_article"),
        (lambda: _byline_elements(article), "byline"),
        *[(lambda k=k: [_unwrap(meta[k])], f"meta:{k}") for k in _AUTHOR_META if meta.get(k)],
        # a pen name ('Li', 'Suncle', '是羽毛ya') is taken only where the page marks it as its author
        (lambda: [_PEN_NAME + n for n in _author_names(review)], "jsonld_review"),
        (lambda: [_PEN_NAME + n for n in _author_names(_main_article(objects))], "jsonld_article"),
        *[(lambda k=k: [_PEN_NAME + _unwrap(meta[k])], f"meta:{k}") for k in _AUTHOR_META if meta.get(k)],
        (lambda: [meta.get("twitter:data1")] if "by" in meta.get("twitter:label1", "").lower() else [], "meta:twitter"),
        (lambda: _text_bylines(article), "text_byline"),
        (lambda: _meta_lines(article), "byline_meta"),
        (lambda: _signoffs(article), "signoff"),
        # a byline printed above the article, still never in promos, lists or comments
        (lambda: _byline_elements(tree) if article is not tree else [], "byline_page"),
        (lambda: [owner()], "copyright"),  # a one-person site: "© 1996-2006 by Tim Dirks"
        (lambda: _trafilatura_author(tree), "trafilatura"),  # last: it copies the whole tree
    ]
    for found, rule in candidates:
        for raw in found():
            name = clean_name(raw)
            if name:
                return name, rule
    return None, None


def find_outlet(objects: list[dict], review: dict | None, meta: dict[str, str], title: str | None, tree, url: str,
                headline: str | None, owner: Callable[[], str | None] | None = None,
                critic: str | None = None) -> tuple[str | None, str]:
    """The outlet's name and the rule that found it; the site's domain when nothing on the page names it."""
    publishers = [(_publisher(review), "jsonld_review"), (_publisher(_main_article(objects)), "jsonld_article")]
    # a blog's publisher is often its author's own name ('George S.'); the site's brand then comes from elsewhere
    candidates = [(p, rule) for p, rule in publishers
                  if not (p and clean_name(p) and (same_name(p, critic) or meta.get("og:site_name")))]
    candidates += [(meta.get(k), k) for k in _OUTLET_META]
    owner = owner or (lambda: copyright_owner(tree))
    candidates += [(_site_object(objects), "jsonld_site"), (title_outlet(title, url, headline), "title"),
                   (lambda: _site_heading(tree, headline), "site_heading"),
                   (lambda: None if clean_name(owner()) else owner(), "copyright")]  # a person's name is the critic's
    for value, rule in candidates:
        name = _clean_outlet(value() if callable(value) else value)
        if name and not name.lower().startswith(("http:", "https:")):
            return name.removeprefix("www."), rule
    return site_domain(url), "domain"


_PEN_NAME = "\x00pen:"  # marks a candidate from a page's own author tag, where one word may be a name


def clean_name(raw: str | None) -> str | None:
    """'By ROGER EBERT, Staff Writer' -> 'Roger Ebert'; None when what is left does not read as a person's name."""
    if not raw or not isinstance(raw, str) or raw.lower().startswith(("http:", "https:", "www.")):
        return None
    if raw.startswith(_PEN_NAME):
        return _pen_name(raw[len(_PEN_NAME):])
    text = " ".join(raw.replace("\xa0", " ").split())
    text = _LEAD.sub("", text)
    text = _CUT.split(text, maxsplit=1)[0].strip(" :-–—")
    text = text if re.search(r"\s[A-Z]\.$", text) else text.rstrip(".")  # 'George S.' keeps its initial's stop
    text = _LEAD.sub("", text)
    words = text.split()
    junk = junk_words()
    if not 2 <= len(words) <= 5 or any(w.lower().strip(".,") in junk for w in words):
        return None
    if text.isupper() or text.islower():
        text = _name_case(text)
        words = text.split()
    if not all(_NAME_WORD.match(w) for w in words) or words[-1].lower() in ("and", "&"):
        return None
    return text


def _unwrap(value: str) -> str:
    """A template's printed map ('map[name:Ryan Lin]', Hugo printing .Site.Author) as the name inside it."""
    match = _GO_MAP.fullmatch(value.strip())
    return match["name"] if match else value


_GO_MAP = re.compile(r"map\[(?:[^\]]*?\s)?name:(?P<name>[^\]:]+?)(?:\s+\w+:[^\]]*)?\]")


def _trafilatura_author(tree) -> list[str]:
    """trafilatura's own author finder, as a pen name or a full name ('Fudge' in 'By Fudge in Featured')."""
    from trafilatura.metadata import extract_author

    try:
        found = extract_author(tree)
    except Exception:  # a fallback must never fail a page
        return []
    names = [n.strip() for n in (found or "").split(";") if n.strip()]
    return [n if " " in n else _PEN_NAME + n for n in names]


def same_name(a: str | None, b: str | None) -> bool:
    """The same name, case, spacing, punctuation and a leading 'The' aside."""
    return bool(a and b) and _squash(a.rstrip(".")) == _squash(b.rstrip("."))


def _pen_name(raw: str) -> str | None:
    """A one-word author name as a page's author tag gives it ('Suncle', 'Li', '是羽毛ya'); never a junk word or URL."""
    text = " ".join(raw.split()).strip(" .:-–—|@")
    if " " in text or not 2 <= len(text) <= 30 or text.lower() in junk_words() or "." in text or "/" in text:
        return None
    return text if text[:1].isupper() or not text[:1].isascii() else None


def title_outlet(title: str | None, url: str, headline: str | None) -> str | None:
    """The outlet a <title> names beside the headline ('X review | The Outlet'): the part like the domain, else the last."""
    parts = [p.strip() for p in re.split(r"\s+[|–—:»·•-]+\s+|\s*\|\s*", title or "") if p.strip()]
    if len(parts) == 1 and headline and len(parts[0].split()) <= 5 and _squash(headline) not in _squash(parts[0]):
        return parts[0]  # <title> is the site's name alone ("Frank's Movie Log" over the h1 "Get Out")
    if len(parts) < 2:
        return None
    if headline and len(parts) == 2 and _squash(headline) in map(_squash, parts):  # "Zee News - Om Shanti Om"
        return next((p for p in parts if _squash(p) != _squash(headline)), None)
    squashed = _squash(site_domain(url).split(".")[0])
    for part in parts:
        if squashed and len(_squash(part)) >= 3 and (_squash(part) in squashed or squashed in _squash(part)):
            return part
    named = next((p for p in parts if _looks_like_domain(p)), None)  # "FOXNews.com - Headline - Section"
    if named:
        return named.removeprefix("www.")
    last = parts[-1]
    if re.search(r"\breview|\d", last, re.I) or _squash(last) == _squash(parts[0]):
        return None
    return last if len(last.split()) <= 6 else None


_SITE_HEADING = etree.XPath('//header[not(ancestor::article)]//*[self::h1 or self::h2 or self::p or self::div][a][1]'
                            ' | //*[@class[contains(.,"site-title") or contains(.,"site-name") or contains(.,"logo")'
                            ' or contains(.,"brand")]][not(ancestor::article)]')


def _site_heading(tree, headline: str | None) -> str | None:
    """The site's name as its page header prints it: a heading linking home, a site-title or logo (its alt text)."""
    for element in _SITE_HEADING(tree)[:4]:
        text = " ".join(element.text_content().split()) or next(
            (img.get("alt", "") for img in element.iter("img") if img.get("alt")), "")
        if text and len(text.split()) <= 6 and (not headline or _squash(text) != _squash(headline)):
            return text
    return None


def site_domain(url: str) -> str:
    """The page's host without 'www.' ('rogerebert.com')."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _main_article(objects: list[dict]) -> dict | None:
    """The first article-like structured object (NewsArticle, BlogPosting, WebPage...) that names an author."""
    for obj in objects:
        if _types(obj) & _ARTICLE_TYPES and (obj.get("author") or obj.get("publisher") or obj.get("creator")):
            return obj
    return None


def _author_names(obj: dict | None) -> list[str]:
    if not obj:
        return []
    value = obj.get("author") or obj.get("creator")
    values = value if isinstance(value, list) else [value]
    names = [_name(v) for v in values if v]
    return [n for n in names if n]


def _publisher(obj: dict | None) -> str | None:
    if not obj:
        return None
    value = obj.get("publisher") or obj.get("sourceOrganization")
    value = value[0] if isinstance(value, list) and value else value
    if isinstance(value, dict) and "person" in _types(value):  # a blog's publisher is its author, not an outlet
        return None
    return _name(value)


def _site_object(objects: list[dict]) -> str | None:
    for obj in objects:
        if _types(obj) & _SITE_TYPES and isinstance(obj.get("name"), str):
            return obj["name"]
    return None


def _name(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("alternateName")
    if isinstance(value, list):
        value = value[0] if value else None
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _types(obj: dict) -> set[str]:
    declared = obj.get("@type")
    declared = declared if isinstance(declared, list) else [declared]
    return {str(t).rsplit("/", 1)[-1].lower() for t in declared if t}


# 'yline' and 'uthor' match Byline/byline and Author/author without translate() on every class (a third of the scan)
_BYLINE = etree.XPath(
    './/*[@rel="author" or @itemprop="author" or @class[contains(.,"yline") or contains(.,"uthor") or contains(.,"eviewer")'
    ' or contains(.,"ritic") or contains(.,"ontributor") or contains(.,"riter")] or @id[contains(.,"yline") or contains(.,"uthor")]]')
_ANCESTOR_CLASSES = etree.XPath("ancestor-or-self::*[@class or @id]")


def _byline_elements(article) -> list[str]:
    """Texts of byline elements inside the article, never in related lists, promos, comments or author bios."""
    if article is None:
        return []
    texts = []
    for element in _BYLINE(article):
        if any(_BOILER.search(f"{a.get('class', '')} {a.get('id', '')}") for a in _ANCESTOR_CLASSES(element)
               if a is not element):
            continue
        text = element.get("content") or element.text_content()
        if text and len(text.split()) <= 20:
            texts.append(text)
    return texts


_META_LINE = etree.XPath('.//*[contains(@class,"meta")][time]')


def _meta_lines(article) -> list[str]:
    """'Name — <time>' in an article's meta line, the date taken out (never a comment's meta line)."""
    if article is None:
        return []
    out = []
    for element in _META_LINE(article):
        if _BOILER.search(" ".join(f"{a.get('class', '')} {a.get('id', '')}" for a in _ANCESTOR_CLASSES(element))):
            continue
        text = element.text_content()
        for stamp in element.iter("time"):
            text = text.replace(stamp.text_content(), " ")
        out.append(text)
    return out


_SHORT_LINES = etree.XPath(".//text()")


def _text_bylines(article) -> list[str]:
    """Lines like 'By X', 'Posted by <a>X</a>' or 'X | The Outlet' in the article, never in promos, lists or comments."""
    if article is None:
        return []
    out = []
    for text in _SHORT_LINES(article):
        line = " ".join(text.split())
        if not line or len(line.split()) > 12 or not (_LEAD.match(line + " ") or re.search(r"\s\|\s", line)):
            continue
        parent = text.getparent() if text.is_text else text.getparent().getparent()  # a tail's home is the grandparent
        if parent is not None and not _in_furniture(parent, article):
            whole = " ".join(parent.text_content().split())  # the name may be a link: 'Posted by <a>X</a>'
            start = whole.find(line)
            out.append(whole[start:] if start >= 0 and len(whole[start:].split()) <= 12 else line)
    return out


def _signoffs(article) -> list[str]:
    """A review signed at its end: a short paragraph '— Stephen Bracco (sbracco@...)'; the last one first."""
    if article is None:
        return []
    lines = [" ".join(p.text_content().split()) for p in _PARAGRAPHS(article)]
    signed = [line.lstrip(_DASHES + " -").strip() for line in lines
              if (line[:1] in _DASHES or line.startswith("--")) and len(line.split()) <= 10]
    return signed[-3:][::-1]


_PARAGRAPHS = etree.XPath(".//p")
_DASHES = "—–―\x97"  # \x97: cp1252's em dash written as &#151;


def _in_furniture(element, stop=None) -> bool:
    """Inside a related list, promo, comment or author bio, judged by the classes and ids of the ancestors below
    `stop` (the article) and never <body>'s: WordPress marks body and article 'profile-right-sidebar', 'tag-...'."""
    while element is not None and element is not stop and element.tag not in ("body", "html", "article"):
        if isinstance(element.tag, str) and _BOILER.search(f"{element.get('class', '')} {element.get('id', '')}"):
            return True
        element = element.getparent()
    return False


def copyright_owner(tree) -> str | None:
    """The owner a copyright line names ('© 2007 The Outlet. All rights reserved')."""
    for text in _COPYRIGHT_TEXT(tree)[-20:]:
        m = _COPYRIGHT.search(" ".join(text.split()))
        if m:
            return m["name"]
    return None


_COPYRIGHT_TEXT = etree.XPath('//body//text()[contains(.,"©") or contains(.,"opyright")]')


def _clean_outlet(value: str | None) -> str | None:
    if not value or not isinstance(value, str):
        return None
    text = " ".join(value.split()).strip(" .|-–—:")
    text = re.sub(r"\s*(?:,?\s*(?:inc|llc|ltd|plc|corp)\.?|all rights reserved\.?)$", "", text, flags=re.I).strip()
    return text if 2 <= len(text) <= 60 else None


def _looks_like_domain(name: str) -> bool:
    return bool(re.fullmatch(r"[\w-]+(\.[\w-]+)+", name))


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower().removeprefix("the "))


def _name_case(text: str) -> str:
    """'ROGER EBERT' -> 'Roger Ebert', keeping Mc/Mac, O' and hyphens."""
    def word(w: str) -> str:
        w = "-".join(p[:1].upper() + p[1:].lower() for p in w.split("-"))
        w = re.sub(r"^(Mc|O')([a-z])", lambda m: m[1] + m[2].upper(), w)
        return w
    return " ".join(word(w) for w in text.split())
