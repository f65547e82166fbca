"""Settings as validated models: every bad config is exit 2 and one stderr line naming the key and the fix."""
from __future__ import annotations

import json
import subprocess
import sys
import tomllib

import pytest

from critics.flows.cli import main
from critics.schemas.config import (AlertSettings, Config, ConfigError, FetchSettings, RunnerSettings, Source,
                                    config_from_dict, config_to_toml, load_config)

SOURCE = '[[sources]]\nname = "X"\nstart_urls = ["https://example.org/sitemap.xml"]\n'

# (config text, the key as the error line must name it, a fragment of the fix). The first 16 are issue 18's.
BAD_CONFIGS = [
    ("batch_size = 0\n" + SOURCE, "batch_size = 0", "integer >= 1"),
    ("batch_size = -2\n" + SOURCE, "batch_size = -2", "integer >= 1"),
    (SOURCE + '[critics]\ntop = "Jane Doe"\n', "[critics] top", "list of non-empty strings"),
    ('shedule = "0 3 * * *"\n' + SOURCE, "shedule", "did you mean `schedule`?"),
    (SOURCE + "max_page = 10\n", "sources[0].max_page", "did you mean `max_pages`?"),
    (SOURCE + "[fetch]\nretries = -1\n", "[fetch] retries", "integer >= 0"),
    (SOURCE + "max_pages = true\n", "sources[0].max_pages = true", "integer >= 1"),
    (SOURCE + "[runner]\nworkers = true\n", "[runner] workers = true", "integer >= 1"),
    (SOURCE + "[consensus]\nfresh_threshold = 600\n", "[consensus] fresh_threshold", "from 0 to 100"),
    ('schedule = "99 99 * * *"\n' + SOURCE, "schedule", "cron expression"),
    ('timezone = "Mars/Olympus"\n' + SOURCE, "timezone", "IANA zone"),
    ('schedule = "every night"\n' + SOURCE, "schedule", "0 3 * * *"),
    (SOURCE + "[runner]\nworkers = 0\n", "[runner] workers = 0", "integer >= 1"),
    (SOURCE + 'requests_per_second = "fast"\n', "sources[0].requests_per_second", "number >= 0"),
    (SOURCE + "[critics]\ntop = [\"A\", 3]\n", "[critics] top[1]", "string"),
    (SOURCE + '[runner]\nkind = "spark"\n', "[runner] kind", '"local", "dask"'),
    # ... and more that users get wrong
    ('[[sources]]\nstart_urls = ["https://example.org/"]\n', "sources[0].name", "add name ="),
    ('[[sources]]\nname = "X"\nstart_urls = "https://example.org/"\n', "sources[0].start_urls", "list"),
    ('[[sources]]\nname = "X"\nstart_urls = []\n', "sources[0].start_urls", "non-empty list"),
    ('[[sources]]\nname = "X"\nstart_urls = ["ftp://x"]\n', "sources[0].start_urls", "absolute http(s) URL"),
    (SOURCE + "requests_per_second = -1\n", "sources[0].requests_per_second", ">= 0"),
    (SOURCE + "rating_scale = 0\n", "sources[0].rating_scale", "> 0"),
    (SOURCE + 'include = "/reviews/*"\n', "sources[0].include", "list of non-empty strings"),
    (SOURCE + 'exclude = [""]\n', "sources[0].exclude[0]", "non-empty string"),
    (SOURCE + "[fetc]\nretries = 1\n", "fetc", "did you mean `fetch`?"),
    (SOURCE + "[fetch]\nretrys = 1\n", "[fetch] retrys", "did you mean `retries`?"),
    (SOURCE + "[fetch]\nmax_bytes = 0\n", "[fetch] max_bytes", ">= 1"),
    (SOURCE + "[fetch]\nconnect_timeout_s = 0\n", "[fetch] connect_timeout_s", "> 0"),
    (SOURCE + '[fetch]\nuser_agent = ""\n', "[fetch] user_agent", "non-empty string"),
    (SOURCE + "[consensus]\ncertified_threshold = -5\n", "[consensus] certified_threshold", "from 0 to 100"),
    (SOURCE + "[consensus]\nfresh_threshold = 60.5\n", "[consensus] fresh_threshold", "integer"),
    (SOURCE + '[alerts]\nwebhook_url = "ftp://hooks.example.org/x"\n', "[alerts] webhook_url", "http(s) URL"),
    (SOURCE + '[alerts]\ndeadline = "25:00"\n', "[alerts] deadline", "HH:MM"),
    (SOURCE + '[alerts]\ndeadline = "6am"\n', "[alerts] deadline", "HH:MM"),
    (SOURCE + "[alerts]\nmax_rejected_share = 1.5\n", "[alerts] max_rejected_share", "from 0 to 1"),
    (SOURCE + "[alerts]\nwebhook = \"https://x.org/\"\n", "[alerts] webhook", "did you mean `webhook_url`?"),
    (SOURCE + "[runner]\nnodes = 3\n", "[runner] nodes", "valid keys in [runner]"),
    (SOURCE + "[film_aliases]\n\"The Thing\" = 1982\n", "[film_aliases] The Thing", "string"),
    ("chunk_max_chars = \"big\"\n" + SOURCE, "chunk_max_chars", "integer >= 50"),
    ("export_dir = 3\n" + SOURCE, "export_dir", "string"),
    ("sources = \"https://example.org/\"\n", "sources", "list of tables"),
    ("timezone = \"Europe/London\"\n", "[[sources]]", "add at least one"),
]


@pytest.mark.parametrize("content, key, fix", BAD_CONFIGS, ids=[c[1] for c in BAD_CONFIGS])
def test_bad_config_exits_2_with_one_line_naming_the_key(tmp_path, capsys, content, key, fix):
    path = tmp_path / "critics.toml"
    path.write_text(content, encoding="utf-8")
    code = main(["run", "--config", str(path), "--db", str(tmp_path / "c.duckdb")])
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and "Traceback" not in err, err
    assert key in lines[0] and fix in lines[0], lines[0]


def test_a_typo_is_an_exit_2_line_from_the_real_command(tmp_path):
    path = tmp_path / "critics.toml"
    path.write_text('shedule = "0 3 * * *"\n' + SOURCE, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "critics.flows.cli", "run", "--config", str(path),
                             "--db", str(tmp_path / "c.duckdb")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip() == f"critics: error: {path}: shedule: unknown key `shedule`; did you mean `schedule`?"


def test_the_documented_config_is_accepted_as_written():
    text = """timezone = "Europe/London"
schedule = "0 3 * * *"

[[sources]]
name = "Example Film Review"
start_urls = ["https://example.org/sitemap.xml"]
requests_per_second = 1.0
max_pages = 500
include = ["/reviews/*"]
exclude = ["/tv/*", "*/gallery/*"]

[critics]
top = ["Critic Name", "Another Critic"]

[runner]
workers = 2

[alerts]
webhook_url = "https://hooks.example.org/critics"
deadline = "06:00"
max_rejected_share = 0.5
"""
    config = config_from_dict(tomllib.loads(text))
    assert config.sources[0].include == ["/reviews/*"] and config.sources[0].exclude == ["/tv/*", "*/gallery/*"]
    assert config.top_critics == ["Critic Name", "Another Critic"] and config.runner.workers == 2
    assert config.alerts == AlertSettings(webhook_url="https://hooks.example.org/critics", deadline="06:00")


def test_defaults_and_optional_sections():
    config = config_from_dict(tomllib.loads(SOURCE))
    assert (config.timezone, config.schedule, config.batch_size) == ("UTC", "0 3 * * *", 200)
    assert config.sources[0].include == [] and config.sources[0].max_pages == 500
    assert config.alerts.webhook_url == "" and config.alerts.deadline == "" and config.alerts.max_rejected_share == 0.5
    assert config.fetch == FetchSettings() and config.runner == RunnerSettings()


def test_integers_count_as_numbers_and_a_toml_time_as_a_deadline():
    config = config_from_dict(tomllib.loads(SOURCE + "requests_per_second = 2\n[alerts]\ndeadline = 06:30:00\n"))
    assert config.sources[0].requests_per_second == 2.0 and config.alerts.deadline == "06:30"


def test_settings_round_trip_through_toml_and_pickle(tmp_path):
    import pickle

    config = config_from_dict(tomllib.loads(SOURCE + 'include = ["/reviews/*"]\n[critics]\ntop = ["A B"]\n'))
    path = tmp_path / "c.toml"
    path.write_text(config_to_toml(config), encoding="utf-8")
    assert load_config(path) == config == pickle.loads(pickle.dumps(config))


def test_python_callers_get_the_same_checks():
    with pytest.raises(ValueError):
        RunnerSettings(workers=0)
    assert Source(name="S", start_urls=["https://example.org/"]).max_pages == 500
    with pytest.raises(ConfigError, match=r"sources\[0\]\.max_pages"):
        config_from_dict({"sources": [{"name": "S", "start_urls": ["https://e.org/"], "max_pages": True}]})


def test_config_schema_command_writes_a_schema_editors_can_use(tmp_path, capsys):
    out = tmp_path / "critics.schema.json"
    assert main(["config-schema", "--out", str(out)]) == 0
    capsys.readouterr()
    schema = json.loads(out.read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False and "sources" in schema["required"]
    source = schema["$defs"]["Source"]
    assert {"include", "exclude", "max_pages"} <= set(source["properties"]) and source["additionalProperties"] is False
    assert schema["$defs"]["AlertSettings"]["properties"]["max_rejected_share"]["maximum"] == 1
    assert main(["config-schema"]) == 0 and json.loads(capsys.readouterr().out) == schema


def test_every_key_of_the_schema_is_a_field_of_the_model():
    assert set(Config.model_json_schema()["properties"]) == set(Config.model_fields)
