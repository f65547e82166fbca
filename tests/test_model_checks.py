"""The checks dbt would declare (schemas/tests.toml) hold on the published demo and its working file."""
from __future__ import annotations

import duckdb
import pytest

from critics.tasks.warehouse.checks import failures, load_checks, table_checks
from critics.tasks.warehouse.load import work_path

CHECKS = load_checks()


def test_every_public_and_intermediate_table_has_declared_checks():
    from critics.tasks.warehouse.publish import PUBLIC_TABLES

    checked = {check.table for check in CHECKS}
    assert set(PUBLIC_TABLES) <= checked
    assert {"intermediate.film_map", "intermediate.film_keys", "intermediate.mention_sentences",
            "intermediate.consensus_text", "intermediate.claim_citations", "intermediate.top_critics"} <= checked
    kinds = {check.description.split()[0] for check in CHECKS}
    assert kinds == {"unique", "not_null", "accepted_values", "accepted_range", "relationships"}


def test_published_demo_passes_every_check(demo_run):
    with duckdb.connect(str(demo_run.db), read_only=True) as con:
        assert failures(con, [c for c in CHECKS if not c.table.startswith("intermediate.")]) == []


def test_working_file_intermediate_tables_pass_every_check(demo_run):
    with duckdb.connect(str(work_path(demo_run.db)), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM intermediate.film_keys").fetchone()[0] > 0
        assert failures(con, [c for c in CHECKS if c.table.startswith("intermediate.")]) == []


@pytest.mark.parametrize("spec, broken", [
    ({"unique": ["k"]}, "unique (k) (1 rows)"),
    ({"unique": [["k", "v"]]}, None),
    ({"unique": ["v"]}, None),  # one NULL and distinct values
    ({"unique": [["k", "n"]]}, None),
    ({"not_null": ["v"]}, "not_null v (1 rows)"),
    ({"accepted_values": {"v": ["a", "b"]}}, "accepted_values v in ('a', 'b') (1 rows)"),
    ({"accepted_range": {"n": [0, 100]}}, "accepted_range n in [0, 100] (1 rows)"),
    ({"relationships": {"k": "parent.k"}}, "relationships k -> parent.k (1 rows)"),
])
def test_each_kind_of_check_catches_a_broken_row(spec, broken):
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS FROM (VALUES (1, 'a', 5), (1, 'c', 101), (2, NULL, 50)) AS v(k, v, n)")
    con.execute("CREATE TABLE parent AS FROM (VALUES (1)) AS p(k)")
    found = failures(con, table_checks("t", spec))
    assert found == ([f"t: {broken}"] if broken else [])
