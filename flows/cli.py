"""The `critics` command line: run, scrape, serve and report."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path

from critics.schemas.paths import data_dir, default_db
from critics.schemas.config import ConfigError, check_url, toml_str

EXIT_BAD_INPUT = 2


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `critics` console script."""
    args = _parser().parse_args(argv)
    if args.data_dir:
        os.environ["CRITICS_HOME"] = str(Path(args.data_dir).expanduser().resolve())
    _prefect_environment(args.command)
    try:
        return args.handler(args)
    except (ConfigError, UsageError) as exc:
        print(f"critics: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("critics: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # one clear line, never a traceback (set CRITICS_DEBUG=1 for one)
        if os.environ.get("CRITICS_DEBUG"):
            raise
        print(f"critics: error: {type(exc).__name__}: {exc} (set CRITICS_DEBUG=1 for details)", file=sys.stderr)
        return 1


class UsageError(ValueError):
    """Bad command-line input (URL, database path)."""


def cmd_run(args) -> int:
    """One full nightly run over the configured sources, or the built-in demo site."""
    db = _check_db(args.db)
    with ExitStack() as stack:
        config_path = args.config or stack.enter_context(_demo_config_file())
        _check_config(config_path)
        from critics.flows.nightly import nightly
        from critics.flows.runners import with_runner

        check_unlocked(db)
        if not args.config:
            _import_demo_catalogue(db)
        summary = _finished(lambda: with_runner(nightly, str(config_path))(config_path=str(config_path), db=str(db)))
    return _report(summary, db)


def _import_demo_catalogue(db: Path) -> None:
    """The demo's films link to IMDb ids through a tiny extract shipped with it; your own sources use your import."""
    from critics.schemas.paths import package_data
    from critics.tasks.runtime.runlock import writer_lock
    from critics.tasks.warehouse import catalogue, load

    with writer_lock(str(db)), load.open_work(str(db)) as con:
        catalogue.import_catalogue(con, package_data("demo_site", "imdb"))


def cmd_scrape(args) -> int:
    """The pipeline for the given URLs, then republish."""
    urls = [_check_url(u) for u in args.urls]
    db = _check_db(args.db)
    with ExitStack() as stack:
        config_path = args.config or stack.enter_context(_scrape_config_file(urls))
        _check_config(config_path)
        from critics.flows.nightly import scrape
        from critics.flows.runners import with_runner

        check_unlocked(db)
        summary = _finished(lambda: with_runner(scrape, str(config_path))(urls=urls, config_path=str(config_path), db=str(db)))
    return _report(summary, db)


def cmd_config_schema(args) -> int:
    """Write the config file's JSON Schema, which editors use to check and complete critics.toml."""
    import json

    from critics.schemas.config import config_json_schema

    text = json.dumps(config_json_schema(), indent=2) + "\n"
    if not args.out:
        sys.stdout.write(text)
        return 0
    try:
        Path(args.out).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write the schema to {args.out}: {exc.strerror}; choose a writable path with --out") from None
    print(f"Config schema: {args.out}")
    return 0


def cmd_report(args) -> int:
    """Write the static HTML consensus report from the published database."""
    db = Path(args.db) if args.db else default_db()
    if not db.is_file():
        raise UsageError(f"no published database at {db}; run `critics run` first or pass --db FILE")
    out = Path(args.out) if args.out else db.parent / "report"
    from critics.tasks.warehouse.report import write_report

    index = write_report(db, out)
    print(f"Report: {index}")
    return 0


def cmd_serve(args) -> int:
    """Start or reuse a local Prefect server and serve the deployments until Ctrl-C."""
    db = _check_db(args.db)
    if args.config:
        _check_config(args.config)
    from critics.flows.serve import serve

    try:
        return serve(args.config, str(db))
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM before the runner took over: still a clean stop
        print("critics: serve stopped", file=sys.stderr)
        return 0


def cmd_catalogue_import(args) -> int:
    """Import IMDb's dataset files from a folder into the working database."""
    from critics.tasks.warehouse.catalogue import CatalogueError, dataset_paths

    db = _check_db(args.db)
    folder = Path(args.folder).expanduser().resolve()
    try:
        dataset_paths(folder)
    except CatalogueError as exc:
        raise UsageError(str(exc)) from None
    from critics.flows.catalogue import import_catalogue

    check_unlocked(db)
    counts = import_catalogue(folder=str(folder), db=str(db))
    print("Catalogue: " + ", ".join(f"{n:,} {table}" for table, n in counts.items()) + "; run `critics run` "
          "(or the publish deployment) to link films to it")
    return 0


def cmd_sql(args) -> int:
    """SQL against the published file, read-only: QUERY's results, or an interactive prompt without one."""
    from critics.tasks.warehouse import query

    db = Path(args.db).expanduser() if args.db else default_db()
    try:
        with query.connect(db) as con:
            if args.query is None:
                return query.interactive(con, sys.stdin, sys.stdout, sys.stderr, args.format,
                                         history=db.parent / ".critics_sql_history")
            query.run_sql(con, args.query, sys.stdout, args.format)
            sys.stdout.flush()
    except query.QueryError as exc:
        raise UsageError(str(exc)) from None
    except BrokenPipeError:  # `critics sql ... | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def check_unlocked(db: Path) -> None:
    """A clear one-line error when another run is writing this database."""
    from critics.tasks.runtime.runlock import RunLockedError, check_unlocked as probe

    try:
        probe(db)
    except RunLockedError as exc:
        raise UsageError(str(exc)) from None


def _finished(run) -> dict[str, int]:
    """The run's counts; a run that published but ended Failed (a source gave nothing, too many pages failed)
    says why on stderr and still exits 0 like any run with failed pages (the failures are in url_outcomes)."""
    from critics.tasks.runtime.verdict import RunFailed

    try:
        return run()
    except RunFailed as exc:
        if not exc.summary:
            raise UsageError(str(exc)) from None
        print(f"critics: warning: {exc}", file=sys.stderr)
        return exc.summary


def _report(summary: dict[str, int], db: Path) -> int:
    import duckdb

    from critics.tasks.warehouse.publish import consensus_table

    print(f"URLs discovered: {summary['discovered']} = loaded {summary['loaded']} + unchanged "
          f"{summary['unchanged']} + rejected {summary['rejected']} + out of scope {summary['out_of_scope']}")
    if summary["rejected"]:
        print(f"{summary['rejected']} page(s) failed; see: SELECT * FROM url_outcomes WHERE outcome = 'rejected'")
    with duckdb.connect(str(db), read_only=True) as con:
        print(format_table(consensus_table(con).to_dicts()))
    print(f"Database: {db}")
    return 0


def format_table(rows: list[dict]) -> str:
    """Plain fixed-width text table of dict rows."""
    if not rows:
        return "(no films yet)"
    headers = list(rows[0])
    cells = [[("" if r[h] is None else str(r[h])) for h in headers] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(c) for c in cells])


@contextmanager
def _demo_config_file():
    """The built-in demo site, served while the run lasts, with its config in a temporary folder."""
    from critics.flows.demo_site import running_demo

    with tempfile.TemporaryDirectory(prefix="critics-demo-") as tmp, running_demo(Path(tmp)) as path:
        yield path


@contextmanager
def _scrape_config_file(urls: list[str]):
    """A one-source config for `critics scrape` without --config: each URL's own site, no throttle beyond 1/s."""
    with tempfile.TemporaryDirectory(prefix="critics-scrape-") as tmp:
        path = Path(tmp) / "scrape.toml"
        quoted = ", ".join(toml_str(u) for u in urls)
        path.write_text(f'[[sources]]\nname = "Ad-hoc scrape"\nstart_urls = [{quoted}]\n'
                        f"requests_per_second = {_loopback_rate(urls)}\n", encoding="utf-8")
        yield path


def _loopback_rate(urls: list[str]) -> float:
    from urllib.parse import urlsplit

    # Our own loopback servers need no politeness; real sites get one request a second.
    return 0.0 if all(urlsplit(u).hostname in ("127.0.0.1", "localhost", "::1") for u in urls) else 1.0


def _check_config(path) -> None:
    from critics.schemas.config import load_config

    load_config(path)


def _check_url(url: str) -> str:
    try:
        return check_url(url, "URL")
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def _check_db(value: str | None) -> Path:
    db = Path(value) if value else default_db()
    if db.is_dir():
        raise UsageError(f"--db {db} is a directory; give a file path such as {db / 'critics.duckdb'}")
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        probe = db.parent / f".critics-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"cannot write the database at {db}: {exc.strerror}; choose a writable path with --db") from None
    return db.resolve()


def _prefect_environment(command: str = "run") -> None:
    """Settings Prefect reads at import: embedded server state under data/, analytics off, quiet logs."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from critics.flows.serve import serve_environment, server_environment

    if command == "serve":
        serve_environment()  # its own PREFECT_HOME and API URL; the runner's logs stay at INFO
        return
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    server_environment()  # the embedded server's own settings
    # The embedded server runs its migrations on first start, which takes ~20 s on a small machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    if "PREFECT_API_URL" not in os.environ:
        # The embedded server keeps its own database, never the one a running `critics serve` uses.
        os.environ.setdefault("PREFECT_HOME", str(data_dir() / "prefect" / "embedded"))
    # Prefect's SQLite store cannot create missing parent folders itself.
    Path(os.environ.get("PREFECT_HOME", Path.home() / ".prefect")).expanduser().mkdir(parents=True, exist_ok=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="critics", description="Open critic-consensus pipeline.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS,
                        help="folder for generated files: databases, archive, Prefect state ($CRITICS_HOME, default ./data)")
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", parents=[common], help="one full nightly run (the built-in demo site without --config)")
    run.add_argument("--config", help="TOML config file")
    run.add_argument("--db", help="DuckDB file to publish (default: critics.duckdb in the data folder)")
    run.set_defaults(handler=cmd_run)
    scrape = commands.add_parser("scrape", parents=[common], help="run the pipeline for given URLs (pages, sitemaps, feeds, listings)")
    scrape.add_argument("urls", nargs="+", metavar="URL")
    scrape.add_argument("--config", help="TOML config file")
    scrape.add_argument("--db", help="DuckDB file to publish")
    scrape.set_defaults(handler=cmd_scrape)
    serve = commands.add_parser("serve", parents=[common], help="start (or reuse) the local Prefect server and UI and serve the deployments")
    serve.add_argument("--config", help="TOML config file (default: the built-in demo site, served while serving)")
    serve.add_argument("--db", help="DuckDB file to publish (default: critics.duckdb in the data folder)")
    serve.set_defaults(handler=cmd_serve)
    report = commands.add_parser("report", parents=[common], help="write the HTML consensus report (index plus one page per film)")
    report.add_argument("--db", help="published DuckDB file to read")
    report.add_argument("--out", help="folder to write the report into (default: report/ beside the database)")
    report.set_defaults(handler=cmd_report)
    schema = commands.add_parser("config-schema", parents=[common], help="print the JSON Schema of the config file (for editors)")
    schema.add_argument("--out", help="file to write the schema to (default: standard output)")
    schema.set_defaults(handler=cmd_config_schema)
    sql = commands.add_parser("sql", parents=[common], help="run SQL read-only against the published file "
                              "(without QUERY: an interactive prompt)")
    sql.add_argument("query", nargs="?", metavar="QUERY", help="SQL to run; several statements separated by ';'")
    sql.add_argument("--db", help="published DuckDB file (default: critics.duckdb in the data folder)")
    sql.add_argument("--format", choices=("table", "csv", "json", "markdown"), default="table",
                     help="how to print the rows (default: an aligned table)")
    sql.set_defaults(handler=cmd_sql)
    catalogue = commands.add_parser("catalogue", help="IMDb's non-commercial dataset files (see README)")
    catalogue_commands = catalogue.add_subparsers(dest="action", required=True)
    importing = catalogue_commands.add_parser("import", parents=[common], help="import the *.tsv.gz files in DIR")
    importing.add_argument("folder", metavar="DIR", help="folder holding title.basics.tsv.gz, title.akas.tsv.gz, "
                           "title.principals.tsv.gz and name.basics.tsv.gz")
    importing.add_argument("--db", help="DuckDB file whose working database gets the catalogue")
    importing.set_defaults(handler=cmd_catalogue_import)
    return parser


if __name__ == "__main__":
    sys.exit(main())
