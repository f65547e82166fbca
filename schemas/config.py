"""Typed settings with defaults, and the TOML config loader (the one place settings live)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from critics.schemas.paths import data_dir, default_db

DEFAULT_DB = default_db()  # as resolved at import; the CLI resolves it again after --data-dir


class ConfigError(ValueError):
    """A config file that cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Source:
    name: str
    start_urls: list[str]
    requests_per_second: float = 1.0
    max_pages: int = 500
    rating_scale: float | None = None  # best value for bare numbers ("3.5") printed by this outlet


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str = "critics/0.1 (+https://github.com/critics-pipeline/critics)"
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 15.0
    max_bytes: int = 5_000_000
    retries: int = 3
    backoff_s: float = 0.5
    max_retry_after_s: float = 30.0
    page_timeout_s: float = 60.0  # total per page across redirects, retries and reading
    # A page whose sitemap <lastmod> is older than our last fetch of it is not requested again until that
    # fetch is this many days old (then a conditional GET checks it); 0 = ask the server every night.
    trust_lastmod_days: float = 7.0


@dataclass(frozen=True)
class ConsensusSettings:
    fresh_threshold: int = 60
    certified_threshold: int = 75
    certified_keep_threshold: int = 70
    certified_min_reviews: int = 40
    certified_min_top_critics: int = 5
    min_reviews_for_status: int = 5


@dataclass(frozen=True)
class RunnerSettings:
    kind: str = "local"  # "local": parse/clean/extract on a process pool here; "dask": on Dask workers
    address: str = ""  # scheduler of an existing cluster, e.g. "tcp://10.0.0.5:8786"; empty = temporary LocalCluster
    workers: int = 2  # worker processes (local pool or temporary LocalCluster); 1 = no pool, all in one process
    staging_dir: str = ""  # reserved: folder or fsspec URL for workers' Parquet results (empty = return in memory)


@dataclass(frozen=True)
class Config:
    sources: list[Source]
    timezone: str = "UTC"
    schedule: str = "0 3 * * *"
    top_critics: list[str] = field(default_factory=list)
    chunk_max_chars: int = 600
    # Pages per task run. Each task run costs Prefect ~20 ms of CPU in this process and its server (3 per batch):
    # at 100 that was 11% of a run's CPU, at 200 it is 7%; the pool holds workers + 1 batches in flight.
    batch_size: int = 200
    fetch: FetchSettings = field(default_factory=FetchSettings)
    consensus: ConsensusSettings = field(default_factory=ConsensusSettings)
    film_aliases: dict[str, str] = field(default_factory=dict)  # surface title -> canonical title
    export_dir: str | None = None  # folder for Parquet/CSV copies of the public tables; unset = no export
    runner: RunnerSettings = field(default_factory=RunnerSettings)


def load_config(path: str | Path) -> Config:
    """Read and validate a TOML config file, raising ConfigError with a fix-it message."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file {path} does not exist; pass --config with the path of a TOML file")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    return config_from_dict(raw, origin=str(path))


def config_from_dict(raw: dict, origin: str = "config") -> Config:
    """Build a Config from parsed TOML, checking every key users are likely to get wrong."""
    sources = [_source(s, origin, i) for i, s in enumerate(_list(raw, "sources", origin))]
    if not sources:
        raise ConfigError(f"{origin}: no [[sources]] given; add at least one with name and start_urls")
    timezone = _str(raw, "timezone", "UTC", origin)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{origin}: timezone {timezone!r} is not an IANA zone name such as 'Europe/London'") from None
    schedule = _str(raw, "schedule", "0 3 * * *", origin)
    if len(schedule.split()) != 5:
        raise ConfigError(f"{origin}: schedule {schedule!r} is not a 5-field cron expression such as '0 3 * * *'")
    critics = raw.get("critics", {})
    return Config(
        sources=sources,
        timezone=timezone,
        schedule=schedule,
        top_critics=[str(c) for c in critics.get("top", [])],
        chunk_max_chars=int(raw.get("chunk_max_chars", 600)),
        batch_size=int(raw.get("batch_size", Config.batch_size)),
        fetch=_section(FetchSettings, raw.get("fetch", {}), origin, "fetch"),
        consensus=_section(ConsensusSettings, raw.get("consensus", {}), origin, "consensus"),
        film_aliases={str(k): str(v) for k, v in raw.get("film_aliases", {}).items()},
        export_dir=str(raw["export_dir"]) if raw.get("export_dir") else None,
        runner=_runner(raw.get("runner", {}), origin),
    )


def _runner(raw: dict, origin: str) -> RunnerSettings:
    runner = _section(RunnerSettings, raw, origin, "runner")
    if runner.kind not in ("local", "dask"):
        raise ConfigError(f"{origin}: [runner] kind must be \"local\" or \"dask\", not {runner.kind!r}")
    if runner.workers < 1:
        raise ConfigError(f"{origin}: [runner] workers must be a positive integer")
    return runner


def _source(raw: dict, origin: str, index: int) -> Source:
    where = f"{origin}: sources[{index}]"
    if not isinstance(raw, dict) or not raw.get("name"):
        raise ConfigError(f"{where} needs a name = \"Outlet Name\"")
    urls = raw.get("start_urls")
    if not isinstance(urls, list) or not urls:
        raise ConfigError(f"{where} ({raw['name']}) needs start_urls = [\"https://...\"]")
    for url in urls:
        check_url(url, where)
    rps = raw.get("requests_per_second", 1.0)
    if not isinstance(rps, (int, float)) or rps < 0:
        raise ConfigError(f"{where}: requests_per_second must be a number >= 0 (0 means no throttle)")
    max_pages = raw.get("max_pages", 500)
    if not isinstance(max_pages, int) or max_pages < 1:
        raise ConfigError(f"{where}: max_pages must be a positive integer")
    scale = raw.get("rating_scale")
    return Source(str(raw["name"]), [str(u) for u in urls], float(rps), max_pages,
                  float(scale) if scale is not None else None)


def check_url(url: object, where: str = "url") -> str:
    """Return url if it is an absolute http(s) URL, else raise ConfigError saying so."""
    parts = urlsplit(str(url))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where}: {url!r} is not an absolute http(s) URL such as 'https://example.org/sitemap.xml'")
    return str(url)


def _section(cls, raw: dict, origin: str, name: str):
    known = {f.name: f for f in fields(cls)}
    unknown = set(raw) - set(known)
    if unknown:
        raise ConfigError(f"{origin}: unknown key(s) in [{name}]: {', '.join(sorted(unknown))}")
    values = {}
    for key, value in raw.items():
        expected = type(getattr(cls(), key))
        if expected is float and isinstance(value, int):
            value = float(value)
        if not isinstance(value, expected):
            raise ConfigError(f"{origin}: [{name}] {key} must be a {expected.__name__}")
        values[key] = value
    return cls(**values)


def _list(raw: dict, key: str, origin: str) -> list:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise ConfigError(f"{origin}: {key} must be an array of tables ([[{key}]])")
    return value


def _str(raw: dict, key: str, default: str, origin: str) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str):
        raise ConfigError(f"{origin}: {key} must be a string")
    return value


def config_to_toml(config) -> str:
    """Serialise the parts of a Config that the demo and scrape configs use."""
    lines = [f"timezone = {toml_str(config.timezone)}", f"schedule = {toml_str(config.schedule)}", ""]
    for source in config.sources:
        lines += ["[[sources]]", f"name = {toml_str(source.name)}",
                  f"start_urls = [{', '.join(toml_str(u) for u in source.start_urls)}]",
                  f"requests_per_second = {source.requests_per_second}", f"max_pages = {source.max_pages}", ""]
    lines += ["[critics]", f"top = [{', '.join(toml_str(c) for c in config.top_critics)}]", ""]
    return "\n".join(lines)


def toml_str(value: str) -> str:
    """A TOML basic string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
