"""Word lists shipped as package data (data/lexicons/*.txt): one word or phrase a line, `#` lines are comments."""
from __future__ import annotations

from functools import lru_cache

from critics.schemas.paths import package_data


@lru_cache(maxsize=None)
def words(name: str) -> tuple[str, ...]:
    """The entries of data/lexicons/NAME.txt in file order, comments and blank lines left out."""
    text = package_data("lexicons", f"{name}.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=None)
def sections(name: str) -> dict[str, tuple[str, ...]]:
    """The `[section]` groups of data/lexicons/NAME.txt, in file order."""
    found: dict[str, list[str]] = {}
    current = None
    for entry in words(name):
        if entry.startswith("[") and entry.endswith("]"):
            current = found.setdefault(entry[1:-1], [])
        elif current is None:
            raise ValueError(f"data/lexicons/{name}.txt: {entry!r} comes before any [section]")
        else:
            current.append(entry)
    return {section: tuple(entries) for section, entries in found.items()}
