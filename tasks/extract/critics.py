"""One critic, one identity: bylines that differ by case, accents or a middle initial at one outlet are one critic;
names the config pins together are one critic at every outlet."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from critics.tasks.extract.films import strip_accents

UNSIGNED = "(unsigned)"
_INITIAL = re.compile(r"^[^\W\d_]\.?$")
_SLUG = re.compile(r"[^a-z0-9]+")


def name_key(name: str | None) -> tuple[str, str]:
    """(the name without case, accents, punctuation or middle initials, the middle initials) of a byline."""
    words = _plain(name or "").replace(".", ". ").split()
    words = [w.strip(",;") for w in words if w.strip(",;")]
    if len(words) <= 2:
        return " ".join(w.strip(".") for w in words), ""
    middle = [w for w in words[1:-1] if _INITIAL.match(w)]
    kept = [words[0], *(w for w in words[1:-1] if not _INITIAL.match(w)), words[-1]]
    return " ".join(w.strip(".") for w in kept), "".join(w.strip(".") for w in middle)


def resolve_critics(bylines: Mapping[tuple[str | None, str], int] | Iterable[tuple[str | None, str]],
                    same: Iterable[Iterable[str]] = ()) -> dict[tuple[str | None, str], tuple[str, str]]:
    """(byline, outlet) -> (critic_id, display name); `same` lists groups of names that are one person everywhere."""
    counts = Counter(bylines) if not isinstance(bylines, Mapping) else Counter(dict(bylines))
    pinned = {name_key(n)[0]: min(name_key(m)[0] for m in group) for group in same for n in group}
    keys = {member: name_key(member[0]) for member in counts}
    initials: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (_, outlet), (key, middle) in keys.items():
        if middle:
            initials[key, outlet].add(middle)
    groups: dict[tuple, list[tuple[str | None, str]]] = defaultdict(list)
    for member, (key, middle) in keys.items():
        groups[_identity(key, middle, member[1], pinned, initials)].append(member)
    resolved = {}
    for identity, members in groups.items():
        critic_id = "--".join(_slug(part) for part in identity if part) or "unsigned"
        display = min((UNSIGNED if not (b or "").strip() else " ".join(b.split()) for b, _ in members),
                      key=lambda b: (-sum(counts[m] for m in members if (m[0] or UNSIGNED) == b), -len(b), b))
        for member in members:
            resolved[member] = (critic_id, display)
    return resolved


def _identity(key: str, middle: str, outlet: str, pinned: dict[str, str], initials: dict) -> tuple:
    """The grouping key: pinned name alone; otherwise name (with its initials when they tell people apart) and outlet."""
    if not key:
        return UNSIGNED, outlet
    if key in pinned:
        return (pinned[key],)
    # 'Jane Q. Doe' and 'Jane R. Doe' at one outlet are two people, and a bare 'Jane Doe' could be either
    return (key + (f" {middle}" if middle else ""), outlet) if len(initials[key, outlet]) > 1 else (key, outlet)


def _plain(text: str) -> str:
    return strip_accents(text).casefold()


def _slug(text: str) -> str:
    return _SLUG.sub("-", _plain(text)).strip("-")
