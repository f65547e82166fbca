"""`critics report` on the demo crawl, opened in headless Chromium: renders, no console errors, scraped <script> inert."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from critics.flows.cli import main

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PLANTED = "<script>document.title='pwned'</script>"
pytestmark = [pytest.mark.timeout(600), pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")]


def chromium(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    """Headless Chromium with everything that could reach the network switched off."""
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
             "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
             "--enable-logging=stderr", "--v=0"]
    return subprocess.run([str(CHROMIUM), *flags, *extra, url], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def planted_report(demo_run, tmp_path_factory):
    """The report of a copy of the demo database whose first review text carries a <script> tag."""
    work = tmp_path_factory.mktemp("report")
    db = work / "critics.duckdb"
    shutil.copy(demo_run.db, db)
    with duckdb.connect(str(db)) as con:
        film_id = con.execute("SELECT film_id FROM film_consensus ORDER BY tomatometer DESC, review_count DESC, title LIMIT 1").fetchone()[0]
        con.execute("UPDATE reviews SET text = ? || text WHERE review_id = (SELECT min(review_id) FROM reviews WHERE film_id = ?)",
                    [PLANTED + " ", film_id])
    assert main(["report", "--db", str(db), "--out", str(work / "html")]) == 0
    return work / "html", film_id


def test_report_writes_an_index_and_a_page_per_film(demo_run, planted_report):
    out, _ = planted_report
    with duckdb.connect(str(demo_run.db), read_only=True) as con:
        films = con.execute("SELECT count(*) FROM film_consensus").fetchone()[0]
    assert len(list((out / "films").glob("*.html"))) == films
    assert "<svg" in next((out / "films").glob("*.html")).read_text()


def test_index_renders_in_chromium_without_console_errors(planted_report, tmp_path):
    out, _ = planted_report
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report_index.png"
    shot.unlink(missing_ok=True)
    run = chromium((out / "index.html").as_uri(), tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,900")
    assert shot.is_file() and shot.stat().st_size > 5000, run.stderr[-2000:]
    console = [line for line in run.stderr.splitlines() if "CONSOLE" in line and "ERROR" in line.upper()]
    assert not console, console


def test_planted_script_in_a_review_shows_as_text(planted_report, tmp_path):
    out, film_id = planted_report
    from critics.tasks.warehouse.report import page_name

    page = out / "films" / page_name(film_id)
    assert "&lt;script&gt;" in page.read_text() and PLANTED not in page.read_text()
    run = chromium(page.as_uri(), tmp_path / "profile", "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in run.stdout.replace("&#39;", "'")
    assert "<title>pwned</title>" not in run.stdout
    console = [line for line in run.stderr.splitlines() if "CONSOLE" in line and "ERROR" in line.upper()]
    assert not console, console
