"""`critics catalogue import` on generated IMDb-shaped files: rows per second and peak RSS, against reading
the same files alone (DuckDB counting their rows) as the floor.

python benchmarks/catalogue_import.py [--titles 1000000] [--dir DIR] [--keep]

The files have the real datasets' columns, gzip, tab separation, no quoting and \\N nulls, at the real
proportions (per title: ~4.6 akas, ~8 principals, ~1.3 people; a fifth of titles films), so 1,000,000
titles is one tenth of the real files. Each run is a fresh process; peak RSS is its ru_maxrss.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

AKAS_PER_TITLE, PRINCIPALS_PER_TITLE, PEOPLE_PER_TITLE = 4.6, 8.0, 1.3
# title.basics' type mix (2024 files): films (movie, tvMovie, short, video) are about a fifth of all titles
TYPE_MIX = [("tvEpisode", 0.68), ("short", 0.09), ("movie", 0.065), ("video", 0.026), ("tvSeries", 0.024),
            ("tvMovie", 0.013), ("tvMiniSeries", 0.006), ("tvSpecial", 0.004), ("videoGame", 0.004),
            ("tvShort", 0.088)]


def generate(folder: Path, titles: int) -> None:
    """Write the four .tsv.gz files with DuckDB (a Python writer would take longer than the import)."""
    folder.mkdir(parents=True, exist_ok=True)
    people = int(titles * PEOPLE_PER_TITLE)
    bounds, total = [], 0.0
    for kind, share in TYPE_MIX:
        total += share
        bounds.append(f"WHEN r < {total:.4f} THEN '{kind}'")
    kind_case = "CASE " + " ".join(bounds) + " ELSE 'tvEpisode' END"
    con = duckdb.connect()
    con.execute("SET memory_limit = '1GB'")
    copy = "(FORMAT csv, DELIMITER '\t', HEADER true, QUOTE '', ESCAPE '', NULLSTR '\\N', COMPRESSION gzip)"
    tid = "'tt' || lpad(CAST(i AS VARCHAR), 8, '0')"
    nid = "'nm' || lpad(CAST(i AS VARCHAR), 8, '0')"
    con.execute(f"""COPY (SELECT {tid} AS tconst, {kind_case} AS titleType,
                            'Title ' || i || CASE WHEN i % 97 = 0 THEN ' "Quoted' ELSE '' END AS primaryTitle,
                            'Original ' || i AS originalTitle, '0' AS isAdult,
                            CASE WHEN i % 13 = 0 THEN NULL ELSE CAST(1900 + i % 125 AS VARCHAR) END AS startYear,
                            NULL AS endYear, CAST(60 + i % 90 AS VARCHAR) AS runtimeMinutes, 'Drama,Comedy' AS genres
                     FROM (SELECT i, hash(i) % 10000 / 10000.0 AS r FROM range(1, {titles + 1}) t(i)))
                    TO '{folder / 'title.basics.tsv.gz'}' {copy}""")
    con.execute(f"""COPY (SELECT 'tt' || lpad(CAST(i % {titles} + 1 AS VARCHAR), 8, '0') AS titleId,
                            CAST(i // {titles} + 1 AS VARCHAR) AS ordering, 'Aka ' || i AS title,
                            CASE WHEN i % 3 = 0 THEN NULL ELSE 'GB' END AS region, NULL AS language,
                            'imdbDisplay' AS types, NULL AS attributes, '0' AS isOriginalTitle
                     FROM range(0, {int(titles * AKAS_PER_TITLE)}) t(i))
                    TO '{folder / 'title.akas.tsv.gz'}' {copy}""")
    con.execute(f"""COPY (SELECT 'tt' || lpad(CAST(i % {titles} + 1 AS VARCHAR), 8, '0') AS tconst,
                            CAST(i // {titles} + 1 AS VARCHAR) AS ordering,
                            'nm' || lpad(CAST(hash(i) % {people} + 1 AS VARCHAR), 8, '0') AS nconst,
                            CASE i // {titles} WHEN 0 THEN 'director' WHEN 1 THEN 'writer' ELSE 'actor' END AS category,
                            NULL AS job,
                            CASE WHEN i // {titles} >= 2 THEN '["Character ' || i || '"]' END AS characters
                     FROM range(0, {int(titles * PRINCIPALS_PER_TITLE)}) t(i))
                    TO '{folder / 'title.principals.tsv.gz'}' {copy}""")
    con.execute(f"""COPY (SELECT {nid} AS nconst, 'Person ' || i || ' Name' AS primaryName,
                            CAST(1900 + i % 100 AS VARCHAR) AS birthYear, NULL AS deathYear,
                            'actor' AS primaryProfession, 'tt00000001' AS knownForTitles
                     FROM range(1, {people + 1}) t(i))
                    TO '{folder / 'name.basics.tsv.gz'}' {copy}""")
    con.close()


def child_import(folder: str, db: str) -> dict:
    """The import as `critics catalogue import` runs it, in this (fresh) process."""
    from critics.tasks.warehouse.catalogue import import_catalogue
    from critics.tasks.warehouse.load import open_work

    started = time.perf_counter()
    with open_work(db) as con:
        counts = import_catalogue(con, folder)
    return {"seconds": time.perf_counter() - started, "counts": counts}


def child_floor(folder: str) -> dict:
    """Reading the four files alone: DuckDB counting their rows with the import's reader settings."""
    from critics.tasks.warehouse.catalogue import FILES, MEMORY_LIMIT, _reader

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    started = time.perf_counter()
    rows = sum(con.execute(f"SELECT count(*) FROM {_reader(Path(folder) / name)}").fetchone()[0]
               for name in FILES.values())
    return {"seconds": time.perf_counter() - started, "rows": rows}


def run_child(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--titles", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, help="folder for the generated files (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = child_import(*args.child[1:]) if args.child[0] == "import" else child_floor(args.child[1])
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return 0
    folder = args.dir or Path(tempfile.mkdtemp(prefix="imdb-bench-"))
    started = time.perf_counter()
    generate(folder, args.titles)
    print(f"generated {args.titles:,} titles in {time.perf_counter() - started:.1f} s "
          f"({sum(p.stat().st_size for p in folder.glob('*.gz')) / 1e6:.0f} MB gzip) in {folder}")
    floor = run_child("floor", str(folder))
    db = folder / "bench.duckdb"
    result = run_child("import", str(folder), str(db))
    rows_in = floor["rows"]
    print(f"floor (read and count): {rows_in:,} rows in {floor['seconds']:.1f} s = "
          f"{rows_in / floor['seconds']:,.0f} rows/s, peak RSS {floor['peak_rss_mb']:.0f} MB")
    print(f"import: {rows_in:,} rows read in {result['seconds']:.1f} s = {rows_in / result['seconds']:,.0f} rows/s, "
          f"peak RSS {result['peak_rss_mb']:.0f} MB (target <= 2048); kept {result['counts']}")
    print(f"ratio import / floor time: {result['seconds'] / floor['seconds']:.2f}")
    if not args.keep and not args.dir:
        shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
