"""IMDb's non-commercial dataset files into the working database's `catalogue` schema, in bulk with DuckDB."""
from __future__ import annotations

from pathlib import Path

import polars as pl

from critics.tasks.extract.films import normalise_title
from critics.tasks.warehouse.load import transaction

FILES = {"titles": "title.basics.tsv.gz", "akas": "title.akas.tsv.gz",
         "principals": "title.principals.tsv.gz", "people": "name.basics.tsv.gz"}
FILM_TYPES = ("movie", "tvMovie", "short", "video")
MEMORY_LIMIT = "1GB"  # DuckDB spills past this; the import's whole process stays under 2 GB
KEY_BATCH_ROWS = 100_000  # titles normalised per Python batch: bounded memory at tens of millions of titles

_CATALOGUE_SQL = """
CREATE SCHEMA IF NOT EXISTS catalogue;
CREATE TABLE IF NOT EXISTS catalogue.titles (imdb_id VARCHAR PRIMARY KEY, title_type VARCHAR, primary_title VARCHAR,
    original_title VARCHAR, start_year INTEGER, runtime_minutes INTEGER, genres VARCHAR);
CREATE TABLE IF NOT EXISTS catalogue.akas (imdb_id VARCHAR, ordering INTEGER, title VARCHAR, region VARCHAR,
    language VARCHAR, is_original BOOLEAN);
CREATE TABLE IF NOT EXISTS catalogue.principals (imdb_id VARCHAR, ordering INTEGER, person_id VARCHAR,
    category VARCHAR, job VARCHAR, characters VARCHAR);
CREATE TABLE IF NOT EXISTS catalogue.people (person_id VARCHAR PRIMARY KEY, name VARCHAR, birth_year INTEGER,
    death_year INTEGER);
CREATE TABLE IF NOT EXISTS catalogue.title_keys (imdb_id VARCHAR, title_key VARCHAR, year INTEGER, title VARCHAR);
COMMENT ON TABLE catalogue.titles IS 'Grain: one row per IMDb film (title.basics, types movie/tvMovie/short/video).';
COMMENT ON TABLE catalogue.akas IS 'Grain: one row per film and alternate title (title.akas: imdb_id, ordering).';
COMMENT ON TABLE catalogue.principals IS 'Grain: one row per film and principal credit (imdb_id, ordering).';
COMMENT ON TABLE catalogue.people IS 'Grain: one row per person credited on a kept film (name.basics).';
COMMENT ON TABLE catalogue.title_keys IS 'Grain: one row per film and distinct normalised title (primary, original, akas).';
"""


class CatalogueError(ValueError):
    """A dataset folder that cannot be imported; the message says what is missing."""


def ensure_schema(con) -> None:
    """Create the catalogue schema and its (empty) tables, so publish can always join them."""
    con.execute(_CATALOGUE_SQL)


def dataset_paths(folder: str | Path) -> dict[str, Path]:
    """The four files in folder, or a CatalogueError naming the missing ones and where users get them."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CatalogueError(f"{folder} is not a folder; pass the folder holding IMDb's *.tsv.gz dataset files")
    paths = {table: folder / name for table, name in FILES.items()}
    missing = [p.name for p in paths.values() if not p.is_file()]
    if missing:
        raise CatalogueError(f"{folder} lacks {', '.join(missing)}; download IMDb's non-commercial datasets "
                             "from https://datasets.imdbws.com/ into it")
    return paths


def import_catalogue(con, folder: str | Path) -> dict[str, int]:
    """Replace the catalogue with the films (and their akas, principals and people) of the files in folder."""
    paths = dataset_paths(folder)
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET preserve_insertion_order = false")  # lets DuckDB stream the filtered scans
    ensure_schema(con)
    with transaction(con):
        for table in ("titles", "akas", "principals", "people", "title_keys"):
            con.execute(f"DELETE FROM catalogue.{table}")
        con.execute(_INSERT_TITLES.format(src=_reader(paths["titles"])), [list(FILM_TYPES)])
        con.execute(_INSERT_AKAS.format(src=_reader(paths["akas"])))
        con.execute(_INSERT_PRINCIPALS.format(src=_reader(paths["principals"])))
        con.execute(_INSERT_PEOPLE.format(src=_reader(paths["people"])))
        _write_title_keys(con)
    return catalogue_counts(con)


def catalogue_counts(con) -> dict[str, int]:
    """Rows per catalogue table."""
    return {t: con.execute(f"SELECT count(*) FROM catalogue.{t}").fetchone()[0]
            for t in ("titles", "akas", "principals", "people")}


def _reader(path: Path) -> str:
    """read_csv of one IMDb file: tab-separated, unquoted (a title may hold a lone '"'), \\N as null."""
    literal = str(path).replace("'", "''")
    return (f"read_csv('{literal}', delim='\\t', quote='', escape='', header=true, nullstr='\\N', "
            "all_varchar=true, compression='gzip')")


_INSERT_TITLES = """INSERT INTO catalogue.titles
SELECT tconst, titleType, primaryTitle, originalTitle, TRY_CAST(startYear AS INTEGER),
       TRY_CAST(runtimeMinutes AS INTEGER), genres
FROM {src} WHERE list_contains(?, titleType)"""
_INSERT_AKAS = """INSERT INTO catalogue.akas
SELECT titleId, TRY_CAST(ordering AS INTEGER), title, region, language, isOriginalTitle = '1'
FROM {src} AS akas SEMI JOIN catalogue.titles ON titles.imdb_id = akas.titleId"""
_INSERT_PRINCIPALS = """INSERT INTO catalogue.principals
SELECT tconst, TRY_CAST(ordering AS INTEGER), nconst, category, job, characters
FROM {src} AS principals SEMI JOIN catalogue.titles ON titles.imdb_id = principals.tconst"""
_INSERT_PEOPLE = """INSERT INTO catalogue.people
SELECT nconst, primaryName, TRY_CAST(birthYear AS INTEGER), TRY_CAST(deathYear AS INTEGER)
FROM {src} AS names SEMI JOIN (SELECT DISTINCT person_id FROM catalogue.principals) AS credited
  ON credited.person_id = names.nconst"""


def _write_title_keys(con) -> None:
    """Every film's distinct normalised titles (the same normaliser as page titles), a slice at a time."""
    # Numbered, so slices are read by range: a second result open on this connection would cut the first off.
    con.execute("""CREATE OR REPLACE TEMP TABLE distinct_titles AS
                   SELECT title, CAST(row_number() OVER () AS BIGINT) AS n FROM (
                       SELECT primary_title AS title FROM catalogue.titles
                       UNION SELECT original_title FROM catalogue.titles
                       UNION SELECT title FROM catalogue.akas) WHERE title IS NOT NULL""")
    con.execute("CREATE OR REPLACE TEMP TABLE title_key_map (title VARCHAR, title_key VARCHAR)")
    normalise = normalise_title.__wrapped__  # its cache is sized for page titles, not millions of distinct ones
    total = con.execute("SELECT count(*) FROM distinct_titles").fetchone()[0]
    for low in range(0, total, KEY_BATCH_ROWS):
        titles = [row[0] for row in con.execute("SELECT title FROM distinct_titles WHERE n > ? AND n <= ?",
                                                [low, low + KEY_BATCH_ROWS]).fetchall()]
        frame = pl.DataFrame({"title": titles, "title_key": [normalise(t) for t in titles]},
                             schema={"title": pl.String, "title_key": pl.String})
        con.register("title_key_batch", frame.to_arrow())
        con.execute("INSERT INTO title_key_map SELECT * FROM title_key_batch")
        con.unregister("title_key_batch")
    con.execute("""INSERT INTO catalogue.title_keys
                   SELECT DISTINCT named.imdb_id, map.title_key, titles.start_year, named.title
                   FROM (SELECT imdb_id, primary_title AS title FROM catalogue.titles
                         UNION ALL SELECT imdb_id, original_title FROM catalogue.titles
                         UNION ALL SELECT imdb_id, title FROM catalogue.akas) AS named
                   JOIN title_key_map AS map USING (title)
                   JOIN catalogue.titles AS titles USING (imdb_id)
                   WHERE map.title_key <> ''""")
    con.execute("DROP TABLE title_key_map")
    con.execute("DROP TABLE distinct_titles")
