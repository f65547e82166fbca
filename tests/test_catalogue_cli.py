"""`critics catalogue import DIR`: the fixture extract lands in the working database; a bad folder is one clear line."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from critics.flows.cli import main
from critics.tasks.warehouse.load import work_path

CRITICS = [sys.executable, "-m", "critics.flows.cli"]
FIXTURES = Path(__file__).parent / "fixtures" / "imdb"


def critics(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(CRITICS + list(args), capture_output=True, text=True, timeout=300, env=os.environ.copy())


def test_import_fills_the_catalogue_schema_of_the_working_database(tmp_path, capsys):
    db = tmp_path / "critics.duckdb"
    # in this process: a subprocess would start its own Prefect server (minutes on a busy 2-core machine)
    assert main(["catalogue", "import", str(FIXTURES), "--db", str(db)]) == 0
    assert "7 titles" in capsys.readouterr().out
    with duckdb.connect(str(work_path(db)), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM catalogue.titles").fetchone()[0] == 7
        assert con.execute("SELECT count(*) FROM catalogue.title_keys WHERE title_key = 'papierlaternen'").fetchone()[0] == 1


def test_a_folder_without_the_files_is_one_clear_line_and_exit_2(tmp_path):
    partial = tmp_path / "imdb"
    partial.mkdir()
    shutil.copy(FIXTURES / "title.basics.tsv.gz", partial)
    for folder, expected in ((tmp_path / "missing", "is not a folder"), (partial, "title.akas.tsv.gz")):
        result = critics("catalogue", "import", str(folder), "--db", str(tmp_path / "critics.duckdb"))
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 2 and len(lines) == 1 and expected in lines[0], result.stderr
        assert "datasets.imdbws.com" in lines[0] or "folder" in lines[0]
