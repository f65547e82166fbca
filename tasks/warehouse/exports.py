"""Parquet and CSV copies of the public tables, for users who do not query DuckDB."""
from __future__ import annotations

import os
from pathlib import Path

FORMATS = {"parquet": "(FORMAT parquet)", "csv": "(FORMAT csv, HEADER true)"}


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
