"""Query it directly: the published file in DuckDB 1.4's format, `critics sql`, the README's queries, Parquet exports."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from critics.schemas.config import load_config
from critics.tasks.warehouse import exports, load, query
from critics.tasks.warehouse.load import work_path
from critics.tasks.warehouse.publish import PUBLIC_TABLES, SNAPSHOT_STORAGE_VERSION, build_marts, publish_files

REPO = Path(__file__).resolve().parents[1]
CRITICS = [sys.executable, "-m", "critics.flows.cli"]
CONSENSUS = "SELECT title, tomatometer, status FROM film_consensus ORDER BY tomatometer DESC, title"


def duckdb_cli() -> str:
    """The `duckdb` binary of the duckdb-cli package (a test dependency: pip install -e '.[test]')."""
    found = shutil.which("duckdb", path=str(Path(sys.executable).parent)) or shutil.which("duckdb")
    assert found, "the duckdb-cli test dependency is missing: pip install -e '.[test]'"
    return found


def critics_sql(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(CRITICS + ["sql", *args], input=stdin, capture_output=True, text=True, timeout=120,
                          env=os.environ.copy())


def readme_statements() -> list[str]:
    """Every statement of every ```sql block in README.md and docs/queries.md."""
    text = "".join((REPO / name).read_text(encoding="utf-8") for name in ("README.md", "docs/queries.md"))
    blocks = re.findall(r"```sql\n(.*?)```", text, re.S)
    return [s.query.strip() for block in blocks for s in duckdb.extract_statements(block) if s.query.strip()]


def test_published_file_is_in_the_v1_4_storage_format_and_opens_in_the_duckdb_1x_cli(demo_run):
    with duckdb.connect(str(demo_run.db), read_only=True) as con:
        tags = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    assert tags["storage_version"] == SNAPSHOT_STORAGE_VERSION + "+"
    header = demo_run.db.read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    assert int.from_bytes(header[12:20], "little") == 67  # DuckDB 1.4's storage number; 1.5.6 reads 64 to 68
    cli = subprocess.run([duckdb_cli(), "-readonly", "-csv", str(demo_run.db), "-c", "SELECT count(*) FROM films"],
                         capture_output=True, text=True, timeout=60)
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout.splitlines()[1] == str(len({r["film_key"] for r in demo_run.truth["reviews"]}))
    version = subprocess.run([duckdb_cli(), "--version"], capture_output=True, text=True, timeout=60).stdout
    assert version.startswith("v1.")


def test_critics_sql_prints_an_aligned_table_and_scripts_get_csv_json_markdown(demo_run):
    with duckdb.connect(str(demo_run.db), read_only=True) as con:
        expected = con.execute(CONSENSUS).fetchall()
    table = critics_sql(CONSENSUS, "--db", str(demo_run.db))
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["title", "tomatometer", "status"] and set(lines[1]) <= {"-", " "}
    assert len({line.index(" " + str(t) + " ") + len(str(t)) for line, (_, t, _) in zip(lines[2:], expected)}) == 1
    assert lines[-1] == f"({len(expected)} rows)"
    as_csv = list(csv.reader(io.StringIO(critics_sql(CONSENSUS, "--db", str(demo_run.db), "--format", "csv").stdout)))
    assert as_csv[0] == ["title", "tomatometer", "status"]
    assert [(t, int(m), s or None) for t, m, s in as_csv[1:]] == expected
    as_json = json.loads(critics_sql(CONSENSUS, "--db", str(demo_run.db), "--format", "json").stdout)
    assert [(r["title"], r["tomatometer"], r["status"]) for r in as_json] == expected
    markdown = critics_sql(CONSENSUS, "--db", str(demo_run.db), "--format", "markdown").stdout.splitlines()
    assert markdown[:2] == ["| title | tomatometer | status |", "|---|---|---|"] and len(markdown) == 2 + len(expected)


@pytest.mark.parametrize("query, says", [
    ("SELEC 1", "syntax error"),
    ("SELECT * FROM no_such_table", "no_such_table"),
    ("DELETE FROM films", "read-only"),
    ("CREATE TABLE mine (x INTEGER)", "read-only"),
])
def test_a_bad_query_is_one_line_on_stderr_with_exit_2(demo_run, query, says):
    result = critics_sql(query, "--db", str(demo_run.db))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and says in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_critics_sql_refuses_a_missing_file_and_the_working_file_in_one_line(demo_run, tmp_path):
    for db, says in [(tmp_path / "none.duckdb", "no published database"),
                     (demo_run.db.with_name("critics.work.duckdb"), "working file")]:
        result = critics_sql("SELECT 1", "--db", str(db))
        assert result.returncode == 2 and says in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_interactive_prompt_runs_statements_across_lines_and_dot_commands(demo_run):
    session = ".tables\n.schema film_consensus\nSELECT count(*) AS n\n  FROM films;\nSELECT nope;\n.quit\nSELECT 2;\n"
    result = critics_sql("--db", str(demo_run.db), stdin=session)
    out = result.stdout
    assert set(PUBLIC_TABLES) <= set(out.split())
    assert "-- Grain: one row per film (film_id)" in out and "CREATE TABLE film_consensus(" in out
    films = len({r["film_key"] for r in demo_run.truth["reviews"]})
    assert re.search(rf"^\s*{films}$", out, re.M)
    assert result.stderr.count("\n") == 1 and '"nope"' in result.stderr  # the bad line, and the session went on
    assert "(1 row)" in out and out.count("(1 row)") == 1  # .quit stopped before SELECT 2
    assert result.returncode == 2  # piped input: a failed statement fails the script


def test_readme_queries_run_in_critics_sql_and_in_the_duckdb_1x_cli(demo_run):
    statements = readme_statements()
    assert statements, "README.md has no ```sql block"
    failed = []
    for sql in statements:
        ours = critics_sql(sql, "--db", str(demo_run.db))
        theirs = subprocess.run([duckdb_cli(), "-readonly", str(demo_run.db), "-c", sql],
                                capture_output=True, text=True, timeout=60)
        if ours.returncode or theirs.returncode or theirs.stderr.strip():
            failed.append(f"{sql.splitlines()[0]} ... -> critics sql: {ours.stderr.strip()} | duckdb: {theirs.stderr.strip()}")
    assert failed == []


def test_reading_never_blocks_a_night_and_a_night_never_blocks_reading(demo_run, tmp_path):
    db = tmp_path / "critics.duckdb"
    shutil.copy(work_path(demo_run.db), work_path(db))
    config = load_config(demo_run.config_path)
    first, second = datetime(2026, 11, 1, 3, 0), datetime(2026, 11, 2, 3, 0)
    with load.open_work(db) as con:
        build_marts(con, config, first)
        publish_files(con, db)
    newest = "SELECT DISTINCT published_at FROM film_consensus"
    reader = query.connect(db)  # an open prompt
    try:
        with load.open_work(db) as con:  # a night holds the working file...
            during = critics_sql(newest, "--db", str(db), "--format", "csv")
            assert during.returncode == 0 and during.stdout.splitlines()[1] == str(first)  # ...and a reader gets in
            build_marts(con, config, second)
            publish_files(con, db)  # the new night is swapped in under the open reader
        assert reader.execute(newest).fetchall() == [(first,)]  # which still sees its night whole
    finally:
        reader.close()
    assert critics_sql(newest, "--db", str(db), "--format", "csv").stdout.splitlines()[1] == str(second)


def test_publish_writes_parquet_of_every_public_table_beside_the_published_file(demo_run):
    folder = exports.exports_dir(demo_run.db)
    assert folder == demo_run.db.parent / "exports"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t}.parquet" for t in PUBLIC_TABLES)
    with duckdb.connect(str(demo_run.db), read_only=True) as con:
        for table in PUBLIC_TABLES:
            frame = pl.read_parquet(folder / f"{table}.parquet")
            assert frame.height == con.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table
            assert frame.columns == [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()], table
    assert not any(p.name.startswith(".exports") for p in folder.parent.iterdir())
    assert not list(folder.glob("*.csv"))  # CSV stays opt-in (export_dir)


def test_a_new_night_of_exports_replaces_the_folder_whole_and_a_failed_one_leaves_the_last(tmp_path):
    con = duckdb.connect()
    folder = tmp_path / "exports"
    for night in (1, 2):
        con.execute(f"CREATE OR REPLACE TABLE films AS SELECT {night} AS night FROM range({night})")
        exports.swap_in(exports.stage_parquet(con, folder, ("films",)), folder)
        assert pl.read_parquet(folder / "films.parquet")["night"].to_list() == [night] * night
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exports"]  # no staged or old folder left
    with pytest.raises(duckdb.Error):
        exports.stage_parquet(con, folder, ("films", "no_such_table"))
    assert pl.read_parquet(folder / "films.parquet")["night"].to_list() == [2, 2]


def test_rendered_values_keep_nulls_decimals_and_dates_readable():
    from datetime import date
    from decimal import Decimal

    rows = [("a|b", None, Decimal("1.5"), date(2026, 1, 2))]
    columns = ["text", "missing", "score", "day"]
    assert query.render(columns, rows, "json") == ('[\n {\n  "text": "a|b",\n  "missing": null,\n  "score": 1.5,\n'
                                                   '  "day": "2026-01-02"\n }\n]\n')
    assert query.render(columns, rows, "csv") == "text,missing,score,day\na|b,,1.5,2026-01-02\n"
    assert query.render(columns, rows, "markdown").splitlines()[2] == "| a\\|b |  | 1.5 | 2026-01-02 |"
    table = query.render(columns, rows, "table").splitlines()
    assert table[0] == "text  missing  score  day" and table[2] == "a|b   NULL       1.5  2026-01-02"
