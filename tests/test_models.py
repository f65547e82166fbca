"""The SQL models under schemas/: one table per file, each stating its grain, all run, in dependency order."""
from __future__ import annotations

import re

import duckdb
import pytest

from critics.tasks.warehouse.models import (LAYERS, CycleError, Model, PythonStep, declare, layer_files, load_models,
                                            parse_model, plan)
from critics.tasks.warehouse.publish import PUBLISH_LAYERS, PUBLIC_TABLES, publish_plan, python_steps

ALL = load_models(LAYERS)


def test_every_layer_has_files_and_each_file_starts_with_its_grain():
    for layer in LAYERS:
        assert layer_files(layer), layer
    for model in ALL:
        first = next(line for line in (model.declaration + model.body)[0].splitlines() if line.strip())
        assert re.match(r"-- Grain: one row per \w", first), (model.layer, model.name, first)


def test_one_table_per_file_named_after_it():
    for model in ALL:
        built = {name.rsplit(".", 1)[-1] for name in model.creates}
        assert built == {model.name}, (model.layer, model.name, built)
    names = [m.name for m in ALL if m.layer in PUBLISH_LAYERS]
    assert len(names) == len(set(names)), "publish orders its models by name: unique across its layers"


def test_every_declared_table_states_its_grain_in_a_comment():
    con = duckdb.connect()
    declare(con, ALL)  # the declarations alone run on an empty file
    tables = con.execute("""SELECT schema_name || '.' || table_name, comment FROM duckdb_tables()
                            WHERE schema_name IN ('raw', 'staging', 'intermediate', 'main')""").fetchall()
    assert len(tables) == len([m for m in ALL if m.declaration])
    assert all(comment and comment.startswith("Grain: one row per") for _, comment in tables), tables


def test_publish_runs_every_model_file_and_fills_every_declared_intermediate_table():
    models, steps = publish_plan(None)
    ran = {step.name for step in steps}
    with_body = {m.name for m in models if m.body}
    assert with_body <= ran
    declared_only = {f"{m.layer}.{m.name}" for m in models if not m.body}
    written = [table for step in python_steps(None) for table in step.creates]
    assert sorted(written) == sorted(declared_only), "each declared intermediate table: exactly one Python writer"
    assert {m.layer for m in models if not m.body} == {"intermediate"}
    assert set(PUBLIC_TABLES) <= {m.name for m in models if m.layer == "marts"}


def test_each_step_runs_after_the_steps_whose_tables_it_reads():
    _, steps = publish_plan(None)
    position = {step.name: i for i, step in enumerate(steps)}
    for step in steps:
        for other in steps:
            if other is not step and step.reads & other.creates and not other.is_incremental:
                assert position[other.name] < position[step.name], (other.name, step.name)
    # the kept history is read as earlier nights left it, then tonight's rows are written
    assert position["film_meters"] < position["consensus_history"]
    assert position["film_consensus"] < position["consensus_history"]


def test_every_table_a_model_reads_is_declared_or_built():
    models, steps = publish_plan(None)
    known = {name for m in ALL for name in m.creates} | {t for s in steps for t in s.creates}
    for step in steps:
        assert step.reads <= known, (step.name, step.reads - known)


def test_a_cycle_fails_with_the_models_in_it():
    a = parse_model("a", "marts", "CREATE OR REPLACE TEMP TABLE a AS SELECT * FROM b")
    b = parse_model("b", "marts", "CREATE OR REPLACE TEMP TABLE b AS SELECT * FROM a")
    c = parse_model("c", "intermediate", "CREATE OR REPLACE TEMP TABLE c AS SELECT 1 AS x")
    with pytest.raises(CycleError, match="a, b"):
        plan([a, b, c])


def test_order_follows_references_not_file_names():
    late = parse_model("aa", "marts", "-- Grain: x\nCREATE OR REPLACE TEMP TABLE aa AS SELECT * FROM zz JOIN y USING (k)")
    early = parse_model("zz", "marts", "CREATE OR REPLACE TEMP TABLE zz AS WITH q AS (SELECT 1 AS k) SELECT * FROM q")
    step = PythonStep("write_y", "intermediate", lambda con: None, frozenset({"zz"}), frozenset({"y"}))
    assert [n.name for n in plan([late, early, step])] == ["zz", "write_y", "aa"]
    assert early.reads == frozenset()  # a CTE is not a table


def test_parse_splits_declaration_from_body_and_ignores_comments_and_strings():
    model = parse_model("h", "marts", """-- Grain: one row per h. FROM nowhere
        CREATE TABLE IF NOT EXISTS h (k INTEGER);
        COMMENT ON TABLE h IS 'FROM fake; JOIN other';
        DELETE FROM h WHERE k = 1;
        INSERT INTO h SELECT k FROM src WHERE a IS NOT DISTINCT FROM b""")
    assert len(model.declaration) == 2 and len(model.body) == 2
    assert model.creates == {"h"} and model.reads == {"src"} and model.is_incremental
    assert isinstance(model, Model)


def test_marts_models_lists_the_sql_models_in_run_order():
    from critics.tasks.warehouse.publish import marts_models

    _, steps = publish_plan(None)
    assert list(marts_models()) == [s.name for s in steps if isinstance(s, Model)]
    assert {"film_meters", "film_consensus"} <= set(marts_models())
    assert set(PUBLISH_LAYERS) == {"intermediate", "marts"}
