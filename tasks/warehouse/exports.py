"""Parquet and CSV copies of the public tables, for users who do not query DuckDB."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

FORMATS = {"parquet": "(FORMAT parquet)", "csv": "(FORMAT csv, HEADER true)"}


def exports_dir(db_path: str | Path) -> Path:
    """The folder of Parquet files written at every publish: exports/ beside the published database."""
    return Path(db_path).parent / "exports"


def stage_parquet(con, folder: Path, tables: tuple[str, ...]) -> Path:
    """Write <table>.parquet for each table into a hidden folder beside `folder`, to be swapped in whole."""
    staged = folder.with_name(f".{folder.name}.tmp")
    shutil.rmtree(staged, ignore_errors=True)  # a night that died half-way left it
    staged.mkdir(parents=True)
    for table in tables:
        con.execute(f"COPY (SELECT * FROM {table}) TO '{_sql_path(staged / f'{table}.parquet')}' {FORMATS['parquet']}")
    return staged


def swap_in(staged: Path, folder: Path) -> Path:
    """Replace `folder` by the staged one: two renames, so a reader finds the last night's files or this one's."""
    old = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        os.replace(folder, old)
    os.replace(staged, folder)
    shutil.rmtree(old, ignore_errors=True)
    return folder


def export_tables(con, export_dir: str | Path, tables: tuple[str, ...]) -> list[Path]:
    """Write <table>.parquet and <table>.csv for each table; each file is swapped in whole (never half-written)."""
    folder = Path(export_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables:
        for suffix, options in FORMATS.items():
            target = folder / f"{table}.{suffix}"
            tmp = target.with_name(f".{target.name}.tmp")
            con.execute(f"COPY (SELECT * FROM {table}) TO '{_sql_path(tmp)}' {options}")
            os.replace(tmp, target)
            written.append(target)
    return written


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
