"""Typed settings validated as pydantic models, and the TOML config loader (the one place settings live).

Every model forbids unknown keys and checks types strictly (a TOML `true` is not an integer, a string is not a
list), so a typo or a wrong value is a ConfigError of one line naming the key and the fix, never a silent default.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from critics.schemas.config_errors import ConfigError, describe_error
from critics.schemas.paths import default_db

DEFAULT_DB = default_db()  # as resolved at import; the CLI resolves it again after --data-dir
DEFAULT_SCHEDULE = "0 3 * * *"

__all__ = ["Config", "Source", "FetchSettings", "ConsensusSettings", "RunnerSettings", "CriticSettings",
           "AlertSettings", "ConfigError", "DEFAULT_DB", "load_config", "config_from_dict", "config_to_toml",
           "check_url", "toml_str", "config_json_schema"]

NonEmpty = Annotated[str, Field(min_length=1)]
Share = Annotated[float, Field(ge=0, le=1)]
Percent = Annotated[int, Field(ge=0, le=100)]


class _Settings(BaseModel):
    """Base of every settings table: unknown keys rejected, types strict, values immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, validate_default=False)


class Source(_Settings):
    """One outlet to crawl: `[[sources]]`."""

    name: NonEmpty = Field(description="outlet name used when a page does not state one")
    start_urls: list[str] = Field(min_length=1, description="sitemaps, feeds, listings or review pages")
    requests_per_second: float = Field(1.0, ge=0, description="politeness per host; 0 means no throttle")
    max_pages: int = Field(500, ge=1, description="review pages fetched per run")
    rating_scale: float | None = Field(None, gt=0, description="best value for bare numbers ('3.5') this outlet prints")
    include: list[NonEmpty] = Field(default_factory=list, description="URL glob patterns: only these are fetched")
    exclude: list[NonEmpty] = Field(default_factory=list, description="URL glob patterns: never fetched (out_of_scope)")

    @field_validator("start_urls")
    @classmethod
    def _absolute_urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            _require_url(url)
        return urls


class FetchSettings(_Settings):
    """HTTP politeness and limits: `[fetch]`."""

    user_agent: NonEmpty = "critics/0.1 (+https://github.com/critics-pipeline/critics)"
    connect_timeout_s: float = Field(5.0, gt=0)
    read_timeout_s: float = Field(15.0, gt=0)
    max_bytes: int = Field(5_000_000, ge=1)
    retries: int = Field(3, ge=0)
    backoff_s: float = Field(0.5, ge=0)
    max_retry_after_s: float = Field(30.0, ge=0)
    page_timeout_s: float = Field(60.0, gt=0, description="total per page across redirects, retries and reading")
    # A page whose sitemap <lastmod> is older than our last fetch of it is not requested again until that
    # fetch is this many days old (then a conditional GET checks it); 0 = ask the server every night.
    trust_lastmod_days: float = Field(7.0, ge=0)


class ConsensusSettings(_Settings):
    """Tomatometer thresholds: `[consensus]`."""

    fresh_threshold: Percent = Field(60, description="score (0-100) at or above which a rating is fresh")
    certified_threshold: Percent = 75
    certified_keep_threshold: Percent = 70
    certified_min_reviews: int = Field(40, ge=0)
    certified_min_top_critics: int = Field(5, ge=0)
    min_reviews_for_status: int = Field(5, ge=0)


class RunnerSettings(_Settings):
    """Where parse/clean/extract run: `[runner]`."""

    kind: Literal["local", "dask"] = Field("local", description="local process pool, or Dask workers")
    address: str = Field("", description="scheduler of an existing Dask cluster; empty = temporary LocalCluster")
    workers: int = Field(2, ge=1, description="worker processes; 1 = no pool, all in one process")


class CriticSettings(_Settings):
    """`[critics]`."""

    top: list[NonEmpty] = Field(default_factory=list, description="critics whose reviews count as top critics")
    same: list[list[NonEmpty]] = Field(default_factory=list, description="groups of bylines that are one critic at "
                                       "every outlet, e.g. [[\"Jane Doe\", \"Jane Q. Doe\"]]; without a group, "
                                       "namesakes at two outlets stay two critics")


class AlertSettings(_Settings):
    """`[alerts]`: used by `critics serve`."""

    webhook_url: str = Field("", description="POSTed to when a night fails or misses its deadline; empty = none")
    deadline: str = Field("", description="local time HH:MM (config timezone) by which the nightly must complete")
    max_rejected_share: Share = Field(0.5, description="a run in which more than this share of pages failed ends Failed")

    @field_validator("webhook_url")
    @classmethod
    def _webhook(cls, url: str) -> str:
        return _require_url(url) if url else url

    @field_validator("deadline", mode="before")
    @classmethod
    def _deadline(cls, value: object) -> object:
        if isinstance(value, dt.time):  # a TOML local time such as `deadline = 06:00:00`
            return value.strftime("%H:%M")
        if isinstance(value, str) and value and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise ValueError(f"{value!r} is not a local time HH:MM such as \"06:00\"")
        return value


class Config(_Settings):
    """The whole config file."""

    sources: list[Source] = Field(min_length=1)
    timezone: str = Field("UTC", description="IANA zone for the nightly schedule, e.g. Europe/London")
    schedule: str = Field(DEFAULT_SCHEDULE, description="cron expression for the nightly run")
    critics: CriticSettings = Field(default_factory=CriticSettings)
    chunk_max_chars: int = Field(600, ge=50, description="longest chunk of review text")
    # Pages per task run. Each task run costs Prefect ~20 ms of CPU in this process and its server (3 per batch):
    # at 100 that was 11% of a run's CPU, at 200 it is 7%; the pool holds workers + 1 batches in flight.
    batch_size: int = Field(200, ge=1)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    consensus: ConsensusSettings = Field(default_factory=ConsensusSettings)
    film_aliases: dict[str, str] = Field(default_factory=dict, description="surface title -> canonical title")
    export_dir: str | None = Field(None, description="folder for Parquet/CSV copies of the public tables")
    runner: RunnerSettings = Field(default_factory=RunnerSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)

    @property
    def top_critics(self) -> list[str]:
        """The `[critics] top` names (the attribute other modules read)."""
        return self.critics.top

    @field_validator("timezone")
    @classmethod
    def _zone(cls, zone: str) -> str:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{zone!r} is not an IANA zone name such as \"Europe/London\"") from None
        return zone

    @field_validator("export_dir")
    @classmethod
    def _export_dir(cls, folder: str | None) -> str | None:
        return folder or None  # an empty string means no export, as before

    @model_validator(mode="after")
    def _schedule(self) -> Config:
        from prefect.client.schemas.schedules import CronSchedule

        try:  # the very check `critics serve` meets when it deploys the schedule
            CronSchedule(cron=self.schedule, timezone=self.timezone)
        except ValidationError:
            raise ValueError(f"schedule {self.schedule!r} is not a cron expression Prefect accepts, "
                             f"such as \"{DEFAULT_SCHEDULE}\" (minute hour day month weekday)") from None
        return self


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
    """Build a Config from parsed TOML; the first problem found becomes a one-line ConfigError."""
    if not raw.get("sources"):
        raise ConfigError(f"{origin}: no [[sources]] given; add at least one with name and start_urls")
    try:
        return Config.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{origin}: {describe_error(Config, exc.errors()[0])}") from None


def config_json_schema() -> dict:
    """JSON Schema of the config file, for editors (Taplo, Even Better TOML, VS Code)."""
    schema = Config.model_json_schema()
    schema["title"] = "critics config"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def check_url(url: object, where: str = "url") -> str:
    """Return url if it is an absolute http(s) URL, else raise ConfigError saying so."""
    try:
        return _require_url(url)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _require_url(url: object) -> str:
    parts = urlsplit(str(url))
    try:
        host = parts.hostname
    except ValueError:
        host = None
    if parts.scheme not in ("http", "https") or not host:
        raise ValueError(f"{url!r} is not an absolute http(s) URL such as 'https://example.org/sitemap.xml'")
    return str(url)


def config_to_toml(config) -> str:
    """Serialise the parts of a Config that the demo and scrape configs use."""
    lines = [f"timezone = {toml_str(config.timezone)}", f"schedule = {toml_str(config.schedule)}", ""]
    for source in config.sources:
        lines += ["[[sources]]", f"name = {toml_str(source.name)}",
                  f"start_urls = [{', '.join(toml_str(u) for u in source.start_urls)}]",
                  f"requests_per_second = {source.requests_per_second}", f"max_pages = {source.max_pages}"]
        lines += [f"{key} = [{', '.join(toml_str(p) for p in getattr(source, key))}]"
                  for key in ("include", "exclude") if getattr(source, key, None)]
        lines.append("")
    lines += ["[critics]", f"top = [{', '.join(toml_str(c) for c in config.top_critics)}]", ""]
    return "\n".join(lines)


def toml_str(value: str) -> str:
    """A TOML basic string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
