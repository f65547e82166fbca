"""The data checks of schemas/tests.toml (unique, not null, accepted values and ranges, relationships) as SQL."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from critics.schemas.paths import package_sql


@dataclass(frozen=True)
class Check:
    """One declared check: a query counting the rows that break it."""

    table: str
    description: str
    sql: str


def load_checks(path: Path | None = None) -> list[Check]:
    """Every check declared in schemas/tests.toml, table by table."""
    spec = tomllib.loads((path or package_sql("tests.toml")).read_text(encoding="utf-8"))
    return [check for table, tests in spec.items() for check in table_checks(table, tests)]


def table_checks(table: str, tests: dict) -> list[Check]:
    """The checks of one table's section."""
    found = []
    for key in tests.get("unique", ()):
        columns = [key] if isinstance(key, str) else list(key)
        cols = ", ".join(_q(c) for c in columns)
        # one column: NULLs are "unknown", never duplicates (as dbt's unique); a composite key: NULL is a value
        where = f" WHERE {cols} IS NOT NULL" if len(columns) == 1 else ""
        found.append(Check(table, f"unique ({', '.join(columns)})",
                           f"SELECT count(*) FROM (SELECT {cols} FROM {table}{where} GROUP BY ALL HAVING count(*) > 1)"))
    for column in tests.get("not_null", ()):
        found.append(Check(table, f"not_null {column}", f"SELECT count(*) FROM {table} WHERE {_q(column)} IS NULL"))
    for column, values in tests.get("accepted_values", {}).items():
        listed = ", ".join(_literal(v) for v in values)
        found.append(Check(table, f"accepted_values {column} in ({listed})",
                           f"SELECT count(*) FROM {table} WHERE {_q(column)} NOT IN ({listed})"))
    for column, (low, high) in tests.get("accepted_range", {}).items():
        found.append(Check(table, f"accepted_range {column} in [{low}, {high}]",
                           f"SELECT count(*) FROM {table} WHERE {_q(column)} NOT BETWEEN {low} AND {high}"))
    for column, target in tests.get("relationships", {}).items():
        parent, key = target.rsplit(".", 1)
        found.append(Check(table, f"relationships {column} -> {target}",
                           f"SELECT count(*) FROM {table} AS child WHERE child.{_q(column)} IS NOT NULL AND NOT EXISTS "
                           f"(SELECT 1 FROM {parent} AS parent WHERE parent.{_q(key)} = child.{_q(column)})"))
    return found


def failures(con, checks: list[Check]) -> list[str]:
    """'table: check (n rows)' for each check some rows break."""
    broken = []
    for check in checks:
        count = con.execute(check.sql).fetchone()[0]
        if count:
            broken.append(f"{check.table}: {check.description} ({count} rows)")
    return broken


def _q(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _literal(value) -> str:
    return "'" + str(value).replace("'", "''") + "'" if isinstance(value, str) else str(value)
