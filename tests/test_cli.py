"""The `critics` command line as users run it: exit codes, one-line errors, the demo run and scrape."""
from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

CRITICS = [sys.executable, "-m", "critics.flows.cli"]


def critics(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the CLI in a subprocess with the test session's isolated Prefect settings."""
    return subprocess.run(CRITICS + list(args), capture_output=True, text=True, timeout=timeout, env=os.environ.copy())


def _one_clear_line(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


@pytest.mark.parametrize("content, expected", [
    (None, "does not exist"),
    ("timezone = [", "not valid TOML"),
    ('timezone = "Europe/London"\n', "no [[sources]]"),
    ('[[sources]]\nname = "X"\nstart_urls = ["ftp://x"]\n', "not an absolute http(s) URL"),
    ('timezone = "Mars/Olympus"\n[[sources]]\nname = "X"\nstart_urls = ["https://example.org/"]\n', "IANA zone"),
    ('schedule = "every night"\n[[sources]]\nname = "X"\nstart_urls = ["https://example.org/"]\n', "cron"),
])
def test_bad_config_gives_one_clear_line_and_exit_2(tmp_path, content, expected):
    path = tmp_path / "critics.toml"
    if content is not None:
        path.write_text(content)
    result = critics("run", "--config", str(path), "--db", str(tmp_path / "c.duckdb"))
    assert result.returncode == 2
    assert expected in _one_clear_line(result)


def test_malformed_url_gives_one_clear_line_and_exit_2(tmp_path):
    result = critics("scrape", "not a url", "--db", str(tmp_path / "c.duckdb"))
    assert result.returncode == 2
    assert "not an absolute http(s) URL" in _one_clear_line(result)


def test_unwritable_database_path_gives_one_clear_line_and_exit_2(tmp_path):
    result = critics("run", "--db", str(tmp_path))
    assert result.returncode == 2
    assert "is a directory" in _one_clear_line(result)


@pytest.mark.timeout(600)
def test_run_twice_prints_the_consensus_and_keeps_counts(tmp_path):
    db = tmp_path / "critics.duckdb"
    counts = []
    for _ in range(2):
        result = critics("run", "--db", str(db))
        assert result.returncode == 0, result.stderr
        assert "tomatometer" in result.stdout and "From the World of Night Circuit: Ember" in result.stdout
        with duckdb.connect(str(db), read_only=True) as con:
            counts.append([con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                           for t in ("films", "reviews", "chunks", "mentions", "film_consensus")])
    assert counts[0] == counts[1] and counts[0][1] >= 160


@pytest.mark.timeout(600)
def test_scrape_of_the_demo_sitemap_loads_its_reviews(tmp_path, demo_server):
    db = tmp_path / "critics.duckdb"
    result = critics("scrape", f"{demo_server}/sitemap_index.xml", "--db", str(db))
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM reviews").fetchone()[0] >= 160
