"""A film's people pooled from every page of it and from the catalogue: the credits its reviews are searched with."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from critics.schemas.records import Credit
from critics.tasks.extract.films import strip_accents

# Directors first: when a short form is shared, the matcher gives it to the only director (see mentions.py).
_ROLE_ORDER = {"director": 0, "writer": 1, "actor": 2}
# IMDb principals' categories as the roles pages use
_CATEGORY_ROLES = {"actress": "actor", "actor": "actor", "self": "actor", "director": "director",
                   "writer": "writer", "producer": "producer", "composer": "composer",
                   "cinematographer": "cinematographer", "editor": "editor", "production_designer": "designer"}


def pool_credits(page_credits: Iterable[Iterable[Credit]], catalogue: Iterable[Credit] = ()) -> list[Credit]:
    """Every distinct credit of a film, pages' first (in the order seen), directors, writers, actors, then the rest."""
    seen: dict[tuple, Credit] = {}
    for credit in (c for credits in page_credits for c in credits):
        seen.setdefault(_key(credit), credit)
    named = {(_person_key(c.name), c.role) for c in seen.values()}
    for credit in catalogue:
        # the catalogue's spelling of someone a page already credits adds nothing but a duplicate entity
        if (_person_key(credit.name), credit.role) not in named:
            seen.setdefault(_key(credit), credit)
    return sorted(seen.values(), key=lambda c: _ROLE_ORDER.get(c.role, 3))  # stable: first-seen order kept


def catalogue_credit(name: str, category: str | None, characters: str | None) -> Credit:
    """A Credit from an IMDb principal: category as a role, the JSON characters list as 'A / B'."""
    role = _CATEGORY_ROLES.get((category or "").lower(), (category or "crew").lower())
    return Credit(name, role, _characters(characters) if role == "actor" else None)


def credits_key(credits: Iterable[Credit]) -> str:
    """Fingerprint of a credit set (order-free): mentions need recomputing when it changes.

    md5 of the distinct 'name US role US character' lines, sorted, joined by RS: the SQL in
    tasks/warehouse/pooled_mentions.py computes the same key from staging.credits."""
    lines = sorted({f"{c.name}\x1f{c.role}\x1f{c.character or ''}" for c in credits})
    return hashlib.md5("\x1e".join(lines).encode("utf-8")).hexdigest()


def _characters(raw: str | None) -> str | None:
    if not raw:
        return None
    try:
        names = json.loads(raw)
    except ValueError:
        return raw.strip("[]\"") or None
    names = [str(n) for n in names if str(n).strip()] if isinstance(names, list) else [str(names)]
    return " / ".join(names) or None


def _key(credit: Credit) -> tuple:
    return " ".join(credit.name.split()), credit.role, credit.character


def _person_key(name: str) -> str:
    """Case, accents and spacing aside, one person's name as pages and the catalogue spell it."""
    return " ".join(strip_accents(name).casefold().split())
