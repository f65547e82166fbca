"""Where files live: package data shipped inside the install, and the user's data folder for generated files."""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path


def package_data(*parts: str) -> Path:
    """A file or folder shipped in the critics.data package (models, lexicons, the demo site)."""
    return Path(str(resources.files("critics.data").joinpath(*parts)))


def package_sql(*parts: str) -> Path:
    """A SQL model or layer shipped in the critics.schemas package."""
    return Path(str(resources.files("critics.schemas").joinpath(*parts)))


def data_dir() -> Path:
    """The folder generated files go to: $CRITICS_HOME (set by --data-dir), else ./data."""
    return Path(os.environ.get("CRITICS_HOME") or "data").expanduser().resolve()


def default_db() -> Path:
    """The published database in the data folder."""
    return data_dir() / "critics.duckdb"
