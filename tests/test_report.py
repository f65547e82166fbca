"""Report pages, exports and run artifacts over a hand-built database: figures shown, scraped text escaped."""
from __future__ import annotations

import duckdb
import polars as pl
import pytest

from critics.tasks.runtime import artifacts

from critics.tasks.warehouse import exports
from critics.tasks.warehouse.publish import PUBLIC_TABLES, snapshot
from critics.tasks.warehouse.report import page_name, write_report
from test_publish import _aspect_film, publish, review_row, verdicts, work  # noqa: F401  (work is a fixture)

EVIL = "<script>alert(1)</script>"


@pytest.fixture
def published(work, tmp_path):
    rows, mentions = _aspect_film()
    rows += verdicts(f"Evil {EVIL}", 3, 5, start=10, text=f"Bold {EVIL} & more.")
    publish(work, rows, mentions=mentions)
    work.execute("INSERT INTO raw.runs (run_id, kind, started_at) VALUES ('r1', 'nightly', now())")
    snapshot(work, tmp_path / "critics.duckdb", "r1")
    return work, tmp_path / "critics.duckdb"


def test_report_pages_show_the_figures_and_escape_scraped_text(published, tmp_path):
    _, db = published
    index = write_report(db, tmp_path / "html")
    pages = {p.name: p.read_text() for p in (tmp_path / "html" / "films").glob("*.html")}
    assert len(pages) == 2 and "<script" not in index.read_text() and all("<script" not in p for p in pages.values())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index.read_text()
    with duckdb.connect(str(db), read_only=True) as con:
        film_id = con.execute("SELECT film_id FROM films WHERE title = 'F'").fetchone()[0]
    page = pages[page_name(film_id)]
    assert "100%" in page and "They praise the performances." in page and "praise: the performances" in page
    assert "The performances sparkle throughout." in page and page.count("<svg") == 1  # no scores: meter only


@pytest.mark.parametrize("film_id, name", [("the-harvest-1987", "the-harvest-1987.html"), ("../x y", "x-y.html")])
def test_page_names_stay_inside_the_report_folder(film_id, name):
    assert page_name(film_id) == name


def test_exports_write_parquet_and_csv_of_every_public_table(published, tmp_path):
    con, _ = published
    written = exports.export_tables(con, tmp_path / "export", PUBLIC_TABLES)
    assert len(written) == 2 * len(PUBLIC_TABLES)
    films = pl.read_parquet(tmp_path / "export" / "film_consensus.parquet")
    assert films.height == 2 and pl.read_csv(tmp_path / "export" / "film_consensus.csv").height == 2


def test_artifacts_sanitise_titles_and_count_the_run(published):
    con, _ = published
    rows = artifacts.top_film_rows(con)
    assert all("<" not in str(v) for row in rows for v in row.values())
    summary = artifacts.run_summary_markdown(con, {"loaded": 4, "rejected": 1, "discovered": 9})
    assert "| films | 2 |" in summary and "| new or changed reviews tonight | 4 |" in summary
    assert "| failed pages | 1 |" in summary
