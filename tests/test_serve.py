"""End to end: `critics serve` against a real Prefect server; the UI's Run call starts a scrape; SIGTERM keeps the schedule."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import httpx
import pytest

from conftest import REPO_ROOT, write_demo_config

pytestmark = pytest.mark.timeout(300)

STARTUP_S = 150
TERMINAL_STATES = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(what: str, probe, timeout_s: float = STARTUP_S, *processes: subprocess.Popen):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for process in processes:
            assert process.poll() is None, f"{what}: process exited with {process.returncode}"
        value = probe()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _get(client: httpx.Client, path: str):
    try:
        response = client.get(path)
    except httpx.TransportError:
        return None
    return response.json() if response.status_code == 200 else None


@contextmanager
def prefect_server(tmp_path: Path):
    """A real Prefect server on a free loopback port with its own PREFECT_HOME; yields (client, env)."""
    home = tmp_path / "prefect-home"
    home.mkdir()
    port = _free_port()
    env = dict(os.environ, PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_API_URL=f"http://127.0.0.1:{port}/api", PREFECT_LOGGING_LEVEL="INFO")
    log = open(tmp_path / "server.log", "wb")
    server = subprocess.Popen([str(Path(sys.executable).with_name("prefect")), "server", "start",
                               "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    client = httpx.Client(base_url=env["PREFECT_API_URL"], timeout=10)
    try:
        _wait_for("the Prefect server", lambda: _get(client, "/health") is not None, STARTUP_S, server)
        yield client, env
    finally:
        client.close()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.fixture
def prefect_api(tmp_path):
    """A real Prefect server for one test."""
    with prefect_server(tmp_path) as api:
        yield api


def test_serve_runs_a_scrape_from_the_api_and_keeps_the_schedule_after_sigterm(prefect_api, demo_server, tmp_path):
    client, env = prefect_api
    config = write_demo_config(demo_server, tmp_path / "demo.toml")
    db = tmp_path / "critics.duckdb"
    log = open(tmp_path / "serve.log", "wb")
    serve = subprocess.Popen([sys.executable, "-m", "critics.flows.cli", "serve", "--config", str(config), "--db", str(db)],
                             cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        scrape = _wait_for("the scrape deployment", lambda: _get(client, "/deployments/name/scrape/scrape"),
                           STARTUP_S, serve)
        page = f"{demo_server}/celluloid-review/2024/03/the-lighthouse-keepers-wife-review.html"
        # The same call the UI's Run button makes.
        created = _create_flow_run(client, scrape["id"], {"urls": [page]})
        assert created.status_code == 201, created.text
        run_id = created.json()["id"]
        final = _wait_for("the scrape run to finish", lambda: _finished(client, run_id), STARTUP_S, serve)
        assert final == "COMPLETED", (tmp_path / "serve.log").read_text()[-3000:]
        with duckdb.connect(str(db), read_only=True) as con:
            assert con.execute("SELECT url FROM reviews").fetchall() == [(page,)]
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=60) == 0
    finally:
        if serve.poll() is None:
            serve.kill()
    nightly = _get(client, "/deployments/name/nightly/nightly")
    assert not nightly["paused"]
    assert [(s["active"], s["schedule"]["cron"], s["schedule"]["timezone"]) for s in nightly["schedules"]] == \
        [(True, "0 3 * * *", "Europe/London")]


def _finished(client: httpx.Client, run_id: str) -> str | None:
    run = _get(client, f"/flow_runs/{run_id}")
    state = (run or {}).get("state") or {}
    return state.get("type") if state.get("type") in TERMINAL_STATES else None


def _create_flow_run(client, deployment_id: str, parameters: dict, attempts: int = 10):
    """POST the UI's Run call; a busy SQLite-backed server answers 503, which a user would retry."""
    for _ in range(attempts):
        created = client.post(f"/deployments/{deployment_id}/create_flow_run", json={"parameters": parameters})
        if created.status_code != 503:
            return created
        time.sleep(2)
    return created


@pytest.mark.parametrize("preset, expected", [(None, "50"), ("1", "1")])
def test_server_settings_batch_the_task_run_recorder_unless_the_user_set_it(monkeypatch, preset, expected):
    from critics.flows.serve import server_environment

    name = "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE"
    monkeypatch.delenv(name, raising=False)
    if preset is not None:
        monkeypatch.setenv(name, preset)
    server_environment()
    assert os.environ[name] == expected
