"""Hostile strings in review text, film titles and critic names stay inert in the HTML report and Prefect artifacts."""
from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from critics.flows.cli import main

CHROMIUM = Path("/usr/bin/chromium")
PAYLOADS = ('<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=1">',
            '<a href="javascript:window.__pwned=1">click</a>')
HOSTILE = " ".join(PAYLOADS)
pytestmark = pytest.mark.timeout(300)


class LiveElements(HTMLParser):
    """Elements of a DOM that could run the payload: scripts mentioning it, on* handlers, javascript: links."""

    def __init__(self):
        super().__init__()
        self.live: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.live.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "__pwned" in data:
            self.live.append(f"<script>{data}")


def live_elements(markup: str) -> list[str]:
    parser = LiveElements()
    parser.feed(markup)
    return parser.live


@pytest.fixture(scope="module")
def hostile_db(demo_run, tmp_path_factory) -> tuple[Path, str]:
    """A copy of the published demo database with the payloads in one film's title, a critic and a review text."""
    db = tmp_path_factory.mktemp("xss") / "critics.duckdb"
    shutil.copy(demo_run.db, db)
    with duckdb.connect(str(db)) as con:
        film_id = con.execute("SELECT film_id FROM film_consensus ORDER BY tomatometer DESC, review_count DESC, title LIMIT 1").fetchone()[0]
        for table in ("films", "film_consensus"):
            con.execute(f"UPDATE {table} SET title = ? || title WHERE film_id = ?", [HOSTILE + " ", film_id])
        con.execute("""UPDATE reviews SET critic = ?, text = ? || text
                       WHERE review_id = (SELECT min(review_id) FROM reviews WHERE film_id = ?)""",
                    [HOSTILE, HOSTILE + " ", film_id])
    return db, film_id


@pytest.fixture(scope="module")
def hostile_report(hostile_db) -> tuple[Path, str]:
    db, film_id = hostile_db
    out = db.parent / "html"
    assert main(["report", "--db", str(db), "--out", str(out)]) == 0
    return out, film_id


def test_report_files_carry_the_payloads_only_escaped(hostile_report):
    out, film_id = hostile_report
    from critics.tasks.warehouse.report import page_name

    for page in (out / "index.html", out / "films" / page_name(film_id)):
        markup = page.read_text()
        assert "window.__pwned" in markup, f"{page.name}: the planted strings should be shown, as text"
        assert not any(p in markup for p in PAYLOADS), page.name
        assert not live_elements(markup), page.name


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
@pytest.mark.parametrize("page", ["index", "film"])
def test_payloads_stay_text_in_the_dom_chromium_builds(page, hostile_report, tmp_path):
    out, film_id = hostile_report
    from critics.tasks.warehouse.report import page_name

    path = out / "index.html" if page == "index" else out / "films" / page_name(film_id)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
             "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
             f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom"]
    run = subprocess.run([str(CHROMIUM), *flags, path.as_uri()], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "</html>" in run.stdout, run.stderr[-2000:]
    assert not live_elements(run.stdout)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in run.stdout
    assert "&lt;img src=x onerror=" in run.stdout


def test_prefect_artifacts_escape_the_same_strings(hostile_db):
    from critics.tasks.runtime import artifacts
    db, _ = hostile_db
    with duckdb.connect(str(db), read_only=True) as con:
        rows = artifacts.top_film_rows(con)
        markdown = artifacts.run_summary_markdown(con, {"loaded": 1, "rejected": 0, "discovered": 1})
    titles = [row["title"] for row in rows if "__pwned" in row["title"]]
    assert titles, "the hostile title should be among the top films"
    cells = [v for row in rows for v in row.values() if isinstance(v, str)]
    assert not any("<" in v or ">" in v for v in cells)
    assert not live_elements(markdown) and "<" not in markdown
    assert not live_elements(" ".join(cells))
    assert artifacts.sanitise(HOSTILE).count("&lt;") == 5


def test_the_detector_sees_every_payload_when_it_is_live():
    assert len(live_elements(HOSTILE)) == 3
