"""Which of many name forms occur in a text: one Aho-Corasick pass instead of one regex per form."""
from __future__ import annotations

import re

import ahocorasick_rs

_SPACE = re.compile(r"\s+")


def loose_key(surface: str) -> str:
    """A form's key with case (casefold: no context-dependent letters), whitespace and apostrophe style removed.

    Every regex a form compiles to (flexible spaces, either apostrophe, particles in any case, 'J.J.' as
    'J. J.') matches only texts whose loose key contains the form's loose key, so the index never misses one.
    """
    return _SPACE.sub("", surface.casefold().replace("’", "'"))


class NameIndex:
    """An automaton over the loose keys of a fixed set of surfaces; present() lists those a text may hold."""

    def __init__(self, surfaces: list[str]):
        self.surfaces = list(dict.fromkeys(surfaces))
        self._order = {s: i for i, s in enumerate(self.surfaces)}
        keys = [loose_key(s) for s in self.surfaces]
        self._owners: dict[str, list[str]] = {}
        for surface, key in zip(self.surfaces, keys):
            self._owners.setdefault(key, []).append(surface)
        patterns = [k for k in self._owners if k]
        self._patterns = patterns
        self._automaton = ahocorasick_rs.AhoCorasick(patterns) if patterns else None

    def present(self, text: str) -> list[str]:
        """Surfaces whose loose key occurs in the text's loose key, in the order they were given."""
        if self._automaton is None:
            return []
        hits = {self._patterns[i] for i, _, _ in self._automaton.find_matches_as_indexes(
            loose_key(text), overlapping=True)}
        return sorted((s for key in hits for s in self._owners[key]), key=self._order.__getitem__)
