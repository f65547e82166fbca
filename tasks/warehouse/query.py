"""`critics sql`: queries against the published file, read-only, printed as a table, CSV, JSON or Markdown."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Callable, TextIO

import duckdb

FORMATS = ("table", "csv", "json", "markdown")
PROMPT, MORE = "critics> ", "     ...> "
HELP = """.tables          list the tables
.schema TABLE    show a table's columns and grain
.help            this list
.quit            leave (also Ctrl-D)
SQL statements end with ';' and may span lines."""


class QueryError(Exception):
    """A query or command that failed: one line saying why."""


def connect(db: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published file (a night swaps a new file in by rename: no lock is shared)."""
    if db.name.endswith(".work.duckdb"):
        raise QueryError(f"{db} is the pipeline's working file; query the published file "
                         f"{db.with_name(db.name.removesuffix('.work.duckdb') + '.duckdb')}")
    if not db.is_file():
        raise QueryError(f"no published database at {db}; run `critics run` first or pass --db FILE")
    try:
        return duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        raise QueryError(f"cannot open {db}: {one_line(exc)}") from None


def run_sql(con, sql: str, out: TextIO, fmt: str = "table") -> None:
    """Run each statement of sql and print the ones that return rows."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(one_line(exc)) from None
    shown = 0
    for statement in statements:
        try:
            cursor = con.execute(statement.query)
            rows = cursor.fetchall() if cursor.description else None
        except duckdb.Error as exc:
            raise QueryError(one_line(exc)) from None
        if rows is not None:
            out.write(("\n" if shown and fmt in ("table", "markdown") else "")
                      + render([d[0] for d in cursor.description], rows, fmt))
            shown += 1


def render(columns: list[str], rows: list[tuple], fmt: str) -> str:
    """The rows in one of FORMATS, ending with a newline."""
    return _RENDERERS[fmt](columns, rows)


def one_line(exc: Exception) -> str:
    """DuckDB's message without the caret lines: what went wrong and its hint, on one line."""
    lines = [line.strip() for line in str(exc).splitlines()]
    kept = []
    for line in lines:
        if line.startswith("LINE "):
            break
        if line:
            kept.append(line)
    return " ".join(kept) or type(exc).__name__


def interactive(con, stdin: TextIO, out: TextIO, err: TextIO, fmt: str = "table",
                history: Path | None = None) -> int:
    """A prompt: SQL ending with ';' and dot commands, until .quit or end of input; 2 if anything failed."""
    is_tty = stdin.isatty()
    read = _line_reader(stdin, out, is_tty, history)
    buffer, failed = "", False
    while True:
        line = read(MORE if buffer else PROMPT)
        if line is None or (not buffer and line.strip() in (".quit", ".exit")):
            break
        if not buffer and line.strip().startswith("."):
            failed |= not _report(lambda: dot_command(con, line.strip(), out), err)
            continue
        buffer += line + "\n"
        if line.rstrip().endswith(";"):
            failed |= not _report(lambda: run_sql(con, buffer, out, fmt), err)
            buffer = ""
    if buffer.strip():
        failed |= not _report(lambda: run_sql(con, buffer, out, fmt), err)
    if is_tty:
        out.write("\n")
    return 2 if failed and not is_tty else 0


def dot_command(con, command: str, out: TextIO) -> None:
    """.tables, .schema TABLE, .help."""
    name, _, argument = command.partition(" ")
    if name == ".tables":
        tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' "
                             "UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal "
                             "AND schema_name = 'main' ORDER BY 1").fetchall()
        out.write("\n".join(t for (t,) in tables) + "\n")
    elif name == ".schema":
        if not argument.strip():
            raise QueryError(".schema needs a table name, e.g. .schema film_consensus")
        out.write(table_schema(con, argument.strip().strip(";")))
    elif name == ".help":
        out.write(HELP + "\n")
    else:
        raise QueryError(f"unknown command {command!r}; .help lists the commands")


def table_schema(con, table: str) -> str:
    """The table's CREATE statement, headed by its grain comment."""
    row = con.execute("SELECT sql, comment FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ? "
                      "UNION ALL SELECT sql, comment FROM duckdb_views() WHERE schema_name = 'main' AND view_name = ?",
                      [table, table]).fetchone()
    if row is None:
        raise QueryError(f"no table {table!r}; .tables lists them")
    sql, comment = row
    return (f"-- {comment}\n" if comment else "") + sql.rstrip() + "\n"


def _report(action: Callable[[], None], err: TextIO) -> bool:
    try:
        action()
        return True
    except QueryError as exc:
        err.write(f"Error: {exc}\n")
        err.flush()
        return False


def _line_reader(stdin: TextIO, out: TextIO, is_tty: bool, history: Path | None) -> Callable[[str], str | None]:
    if not is_tty:  # piped input: no prompts, no line editing
        return lambda _prompt: (line.rstrip("\n") if (line := stdin.readline()) else None)
    _enable_history(history)

    def read(prompt: str) -> str | None:
        try:
            return input(prompt)
        except EOFError:
            return None
        except KeyboardInterrupt:  # Ctrl-C drops the statement being typed, as shells do
            out.write("\n")
            return ""
    return read


def _enable_history(history: Path | None) -> None:
    try:
        import atexit
        import readline
    except ImportError:  # Windows without pyreadline: a plain prompt
        return
    if history is None:
        return
    try:
        readline.read_history_file(history)
    except OSError:
        pass
    readline.set_history_length(1000)
    atexit.register(_save_history, readline, history)


def _save_history(readline, history: Path) -> None:
    try:
        readline.write_history_file(history)
    except OSError:  # a read-only folder keeps no history, and says nothing
        pass


def _cell(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _table(columns: list[str], rows: list[tuple]) -> str:
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    numeric = [any(r[i] is not None for r in rows)  # numbers right-aligned, as a column of them reads best
               and all(isinstance(r[i], (int, float, Decimal)) or r[i] is None for r in rows)
               for i in range(len(columns))]
    line = lambda values: "  ".join(v.rjust(w) if n else v.ljust(w)  # noqa: E731
                                    for v, w, n in zip(values, widths, numeric)).rstrip()
    count = f"({len(rows)} row{'s' * (len(rows) != 1)})"
    return "\n".join([line(columns), line(["-" * w for w in widths])] + [line(r) for r in cells] + [count]) + "\n"


def _csv(columns: list[str], rows: list[tuple]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return buffer.getvalue()


def _json(columns: list[str], rows: list[tuple]) -> str:
    return json.dumps([dict(zip(columns, row)) for row in rows], default=_json_value, ensure_ascii=False, indent=1) + "\n"


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    return str(value)


def _markdown(columns: list[str], rows: list[tuple]) -> str:
    escape = lambda v: ("" if v is None else _cell(v)).replace("|", "\\|").replace("\n", " ")  # noqa: E731
    lines = ["| " + " | ".join(escape(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(escape(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


_RENDERERS = {"table": _table, "csv": _csv, "json": _json, "markdown": _markdown}
