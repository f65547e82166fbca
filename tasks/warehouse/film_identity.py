"""Films linked to the imported IMDb catalogue: imdb_id by title, year and credits; films sharing one are one film."""
from __future__ import annotations

from collections import Counter, defaultdict

import polars as pl

from critics.tasks.extract.films import film_id as make_film_id, normalise_title
from critics.tasks.extract.people import _person_key
from critics.tasks.warehouse import catalogue

Surface = tuple[str, int | None]
Film = tuple[str, str, int | None]  # film_id, title, year


def link_catalogue(con, resolved: dict[Surface, Film], counts: dict[Surface, int]
                   ) -> tuple[dict[Surface, Film], dict[str, str], dict[Surface, str]]:
    """(surface -> film after merging films matched to one imdb_id, film_id -> imdb_id, surface -> matched title)."""
    catalogue.ensure_schema(con)
    films: dict[str, dict] = {}
    for surface, (fid, title, year) in resolved.items():
        film = films.setdefault(fid, {"title": title, "year": year, "surfaces": []})
        film["surfaces"].append(surface)
    candidates = _candidates(con, films)
    if not candidates:
        return resolved, {}, {}
    people = _page_people(con, films, resolved)
    principals = _principal_people(con, {c for found in candidates.values() for c in found})
    imdb_of = {fid: imdb for fid in films
               if (imdb := _decide(films[fid]["year"], candidates.get(fid, {}), people.get(fid, set()), principals))}
    merged = _merge(resolved, imdb_of, counts)
    # the catalogue title each surface matched by its own key (a surface may ride on its film's other titles)
    matched = {s: title for fid, imdb in imdb_of.items() for s in films[fid]["surfaces"]
               if (title := candidates[fid][imdb].get(normalise_title(s[0])))}
    return merged, _imdb_by_film(merged, resolved, imdb_of), matched


def _candidates(con, films: dict[str, dict]) -> dict[str, dict[str, dict[str, str]]]:
    """film_id -> imdb_id -> {title key: catalogue title} for catalogue films with a matching title, year within one."""
    rows = [(fid, normalise_title(t), f["year"]) for fid, f in films.items() for t, _ in f["surfaces"]]
    rows += [(fid, normalise_title(f["title"]), f["year"]) for fid, f in films.items()]
    frame = pl.DataFrame(rows, schema={"film_id": pl.String, "title_key": pl.String, "year": pl.Int32}, orient="row")
    con.register("film_title_keys", frame.unique().to_arrow())
    found = con.execute("""SELECT wanted.film_id, keys.imdb_id, keys.title_key, any_value(keys.title)
                           FROM film_title_keys AS wanted
                           JOIN catalogue.title_keys AS keys USING (title_key)
                           WHERE wanted.year IS NULL OR abs(keys.year - wanted.year) <= 1
                           GROUP BY ALL""").fetchall()
    con.unregister("film_title_keys")
    candidates: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for fid, imdb, key, title in found:
        candidates[fid][imdb][key] = title
    return candidates


def _page_people(con, films: dict[str, dict], resolved: dict[Surface, Film]) -> dict[str, set[str]]:
    """film_id -> person keys credited on its pages."""
    rows = con.execute("""SELECT reviews.film_title, reviews.film_year, credits.name
                          FROM staging.credits AS credits JOIN staging.reviews AS reviews USING (review_id)""").fetchall()
    people: dict[str, set[str]] = defaultdict(set)
    for title, year, name in rows:
        film = resolved.get((title, year))
        if film:
            people[film[0]].add(_person_key(name))
    return people


def _principal_people(con, imdb_ids: set[str]) -> dict[str, set[str]]:
    """imdb_id -> person keys of its principals."""
    frame = pl.DataFrame({"imdb_id": sorted(imdb_ids)}, schema={"imdb_id": pl.String})
    con.register("candidate_ids", frame.to_arrow())
    rows = con.execute("""SELECT principals.imdb_id, people.name FROM catalogue.principals AS principals
                          JOIN candidate_ids USING (imdb_id)
                          JOIN catalogue.people AS people USING (person_id)""").fetchall()
    con.unregister("candidate_ids")
    found: dict[str, set[str]] = defaultdict(set)
    for imdb, name in rows:
        found[imdb].add(_person_key(name))
    return found


def _decide(year: int | None, candidates: dict, people: set[str], principals: dict[str, set[str]]) -> str | None:
    """The one candidate the evidence points to, or None: never a guess between two."""
    if not candidates:
        return None
    overlap = {imdb: len(people & principals.get(imdb, set())) for imdb in candidates}
    best = max(overlap.values())
    if best > 0:  # credits shared with the page break ties, and confirm a single candidate
        top = [imdb for imdb, n in overlap.items() if n == best]
        return top[0] if len(top) == 1 else None
    if len(candidates) > 1 or year is None:
        return None  # same title, no credits to tell them apart; or no year to anchor a title alone
    only = next(iter(candidates))
    # a page naming people the catalogue film does not have is another film of that title
    return only if not people or not principals.get(only) else None


def _merge(resolved: dict[Surface, Film], imdb_of: dict[str, str], counts: dict[Surface, int]) -> dict[Surface, Film]:
    """Films matched to one imdb_id become the one with most pages (its title; the earliest year if they differ)."""
    pages = Counter()
    for surface, (fid, _, _) in resolved.items():
        pages[fid] += counts.get(surface, 1)
    by_imdb: dict[str, list[Film]] = defaultdict(list)
    for film in dict.fromkeys(resolved.values()):
        if film[0] in imdb_of:
            by_imdb[imdb_of[film[0]]].append(film)
    target: dict[str, Film] = {}
    for films in (f for f in by_imdb.values() if len(f) > 1):
        keep = min(films, key=lambda f: (-pages[f[0]], f[0]))
        years = [f[2] for f in films if f[2] is not None]
        merged = (make_film_id(keep[1], keep[2] if keep[2] is not None else min(years, default=None)), keep[1],
                  keep[2] if keep[2] is not None else min(years, default=None))
        target.update({f[0]: merged for f in films})
    return {s: target.get(f[0], f) for s, f in resolved.items()}


def _imdb_by_film(merged: dict[Surface, Film], resolved: dict[Surface, Film], imdb_of: dict[str, str]) -> dict[str, str]:
    """film_id after merging -> imdb_id."""
    return {merged[s][0]: imdb_of[film[0]] for s, film in resolved.items() if film[0] in imdb_of}
