"""The SQL models under schemas/: one table per file, run in the order their own table references give."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import duckdb

from critics.schemas.paths import package_sql

LAYERS = ("raw", "staging", "intermediate", "marts")
# Statements that only declare (idempotent): run for every file before any model, so readers find the table.
_DECLARATION = re.compile(r"^\s*(?:CREATE\s+SCHEMA|CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS|COMMENT\s+ON|ALTER\s+TABLE|"
                          r"DROP\s+TABLE\s+IF\s+EXISTS)\b", re.I)
_CREATED = re.compile(r"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?"
                      r"([\w.]+)", re.I)
_WRITTEN = re.compile(r"\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|DELETE\s+FROM|UPDATE)\s+([\w.]+)", re.I)
_READ = re.compile(r"\b(?:FROM|JOIN)\s+([\w.]+)(?!\s*\()", re.I)
_CTE = re.compile(r"(?:\bWITH|,)\s*(\w+)\s+AS\s*\(", re.I)
# comments, string literals and IS [NOT] DISTINCT FROM name no tables
_NOISE = re.compile(r"--[^\n]*|'(?:[^']|'')*'|\bDISTINCT\s+FROM\b", re.I)


@dataclass(frozen=True)
class Model:
    """One SQL file: the table it declares or builds, and what it reads."""

    name: str                       # the file's stem; unique across the layers
    layer: str
    declaration: tuple[str, ...]    # leading idempotent DDL (CREATE TABLE IF NOT EXISTS, COMMENT ON, ...)
    body: tuple[str, ...]           # the statements that build or change the table at publish
    creates: frozenset[str]
    reads: frozenset[str]

    @property
    def is_incremental(self) -> bool:
        """Declares a kept table and changes it each publish: models reading it read the earlier publishes."""
        return bool(self.body) and bool(_declared(self) & self.creates)

    def run(self, con) -> None:
        for statement in self.body:
            con.execute(statement)


@dataclass(frozen=True)
class PythonStep:
    """A publish step written in Python that fills declared intermediate tables."""

    name: str
    layer: str
    run: Callable = field(compare=False)
    reads: frozenset[str] = frozenset()
    creates: frozenset[str] = frozenset()
    is_incremental = False


class CycleError(ValueError):
    """Models that read each other in a ring: no order runs them."""


def layer_files(layer: str) -> list[Path]:
    """The SQL files of one layer, by name."""
    return sorted(package_sql(layer).glob("*.sql"))


def load_models(layers: tuple[str, ...] = LAYERS) -> list[Model]:
    """Every SQL file of these layers as a Model."""
    return list(_parsed(tuple(layers)))


@lru_cache(maxsize=8)
def _parsed(layers: tuple[str, ...]) -> tuple[Model, ...]:
    # package files do not change while the process runs; parsing them costs ~10 ms per publish
    return tuple(parse_model(path.stem, layer, path.read_text(encoding="utf-8"))
            for layer in layers for path in layer_files(layer))


def parse_model(name: str, layer: str, sql: str) -> Model:
    """Split a file into its declaration and body and find the tables the body builds and reads."""
    statements = [s.query.strip() for s in duckdb.extract_statements(sql)]
    cut = next((i for i, s in enumerate(statements) if not _DECLARATION.match(_strip(s))), len(statements))
    declaration, body = tuple(statements[:cut]), tuple(statements[cut:])
    text = _strip("\n".join(body))
    creates = {n.lower() for n in _CREATED.findall(text) + _WRITTEN.findall(text)}
    ctes = {n.lower() for n in _CTE.findall(text)}
    reads = {n.lower() for n in _READ.findall(text)} - ctes - creates
    if not body:
        creates = {n.lower() for n in _CREATED.findall(_strip("\n".join(declaration)))}
    return Model(name, layer, declaration, body, frozenset(creates), frozenset(reads))


def declare(con, models: list[Model]) -> None:
    """Run every model's declaration (schemas, kept tables, comments): idempotent."""
    for model in models:
        for statement in model.declaration:
            con.execute(statement)


def plan(nodes: list) -> list:
    """The nodes with a body, ordered so each runs after the models whose tables it reads (ties: layer, name)."""
    runnable = [n for n in nodes if not isinstance(n, Model) or n.body]
    after = {n.name: set() for n in runnable}
    for node in runnable:
        for other in runnable:
            if other is not node and node.reads & other.creates:
                # a kept table is read as the earlier publishes left it: its readers go first
                (after[other.name].add(node.name) if other.is_incremental else after[node.name].add(other.name))
    return _sorted(runnable, after)


def _sorted(nodes: list, after: dict[str, set[str]]) -> list:
    rank = {n.name: (LAYERS.index(n.layer), n.name) for n in nodes}
    by_name = {n.name: n for n in nodes}
    done: list = []
    pending = dict(after)
    while pending:
        ready = sorted((name for name, needs in pending.items() if not needs - {d.name for d in done}), key=rank.get)
        if not ready:
            raise CycleError(f"models read each other in a cycle: {', '.join(sorted(pending))}")
        done.append(by_name[ready[0]])
        del pending[ready[0]]
    return done


def _declared(model: Model) -> set[str]:
    return {n.lower() for n in _CREATED.findall(_strip("\n".join(model.declaration)))}


def _strip(sql: str) -> str:
    return _NOISE.sub(" ", sql)
