"""Operating it, end to end on one real Prefect server: honest states, an alert at a loopback webhook, collisions
that wait, and the morning artifact of a normal night."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import REPO_ROOT, write_demo_config
from test_serve import STARTUP_S, _create_flow_run, _finished, _get, _wait_for, prefect_server

pytestmark = pytest.mark.timeout(600)
RUN_S = 240


class Webhook:
    """A loopback receiver that keeps every JSON body POSTed to it."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.append(json.loads(body or b"{}"))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/alerts"


@pytest.fixture(scope="module")
def served(tmp_path_factory, demo_server):
    """`critics serve` with alerts to a loopback webhook, on its own Prefect server (shared by this module)."""
    tmp = tmp_path_factory.mktemp("ops")
    hook = Webhook()
    config = write_demo_config(demo_server, tmp / "demo.toml")
    # A schedule that cannot fire while the tests run (a real 03:00 night once did), one process for the CPU steps.
    text = config.read_text().replace('schedule = "0 3 * * *"', 'schedule = "0 3 29 2 *"')
    config.write_text(text + f'\n[alerts]\nwebhook_url = "{hook.url}"\ndeadline = "06:00"\n\n[runner]\nworkers = 1\n')
    down = tmp / "down.toml"  # a source whose host refuses connections
    down.write_text('timezone = "Europe/London"\n[[sources]]\nname = "Gone Weekly"\n'
                    'start_urls = ["http://127.0.0.1:9/sitemap.xml"]\nrequests_per_second = 0\n'
                    "[fetch]\nretries = 0\nconnect_timeout_s = 1.0\n", encoding="utf-8")
    with prefect_server(tmp) as (client, env):
        log = open(tmp / "serve.log", "wb")
        serve = subprocess.Popen([sys.executable, "-m", "critics.flows.cli", "serve", "--config", str(config),
                                  "--db", str(tmp / "critics.duckdb")],
                                 cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            ids = {name: _wait_for(f"the {name} deployment", lambda n=name: _get(client, f"/deployments/name/{n}/{n}"),
                                   STARTUP_S, serve)["id"] for name in ("nightly", "scrape")}
            yield dict(client=client, ids=ids, hook=hook, down=down, tmp=tmp, serve=serve, env=env)
        finally:
            serve.terminate()
            serve.wait(timeout=60)
            hook.server.shutdown()


def _run(client, deployment_id: str, parameters: dict) -> str:
    created = _create_flow_run(client, deployment_id, parameters)
    assert created.status_code == 201, created.text
    return created.json()["id"]


def _final(served, run_id: str) -> dict:
    _wait_for("the run to finish", lambda: _finished(served["client"], run_id), RUN_S, served["serve"])
    return _get(served["client"], f"/flow_runs/{run_id}")


def _logs(client, run_id: str) -> list[str]:
    response = client.post("/logs/filter", json={"logs": {"flow_run_id": {"any_": [run_id]}}, "limit": 200})
    return [row["message"] for row in response.json()]


def test_a_normal_night_completes_with_counts_logs_and_the_morning_artifact(served):
    client = served["client"]
    run_id = _run(client, served["ids"]["nightly"], {})
    run = _final(served, run_id)
    assert run["state"]["type"] == "COMPLETED", run["state"]
    assert run["state"]["message"].startswith("nightly completed: ") and " loaded, " in run["state"]["message"]
    assert run["name"].startswith("nightly-20")
    logs = _wait_for("the batch log lines", lambda: [m for m in _logs(client, run_id) if m.startswith("batch of ")], 30)
    assert "loaded" in logs[0]
    artifact = _wait_for("the morning artifact", lambda: (client.post("/artifacts/latest/filter", json={
        "artifacts": {"key": {"any_": ["nightly-morning"]}}}).json() or None), 30)
    text = artifact[0]["data"]
    assert "## Pages by outcome" in text and "Europe/London" in text and run_id in text
    served["morning_run"] = run_id


def test_a_night_whose_site_is_down_fails_naming_the_cause_and_alerts_the_webhook(served):
    run_id = _run(served["client"], served["ids"]["nightly"], {"config_path": str(served["down"])})
    run = _final(served, run_id)
    assert run["state"]["type"] == "FAILED", run["state"]
    message = run["state"]["message"]
    assert "source 'Gone Weekly' yielded no page" in message and "unreachable" in message, message
    assert "robots.txt disallows" not in message
    posts = _wait_for("the alert at the webhook", lambda: [p for p in served["hook"].received
                                                          if run["name"] in json.dumps(p)], 90)
    assert "Gone Weekly" in posts[0]["body"] and posts[0]["subject"] == "critics: nightly Failed"


def test_two_runs_started_together_take_turns_and_none_fails(served, demo_server):
    client = served["client"]
    page = f"{demo_server}/celluloid-review/2024/03/the-lighthouse-keepers-wife-review.html"
    first = _run(client, served["ids"]["scrape"], {"urls": [page]})
    second = _run(client, served["ids"]["scrape"], {"urls": [page]})
    states = [_final(served, r)["state"] for r in (first, second)]
    assert [s["type"] for s in states] == ["COMPLETED", "COMPLETED"], states
    history = {s["name"] for r in (first, second)
               for s in client.get("/flow_run_states/", params={"flow_run_id": r}).json()}
    assert "AwaitingConcurrencySlot" in history, history


def test_serve_creates_the_failed_and_deadline_automations_from_the_config(served):
    automations = {a["name"]: a for a in served["client"].post("/automations/filter", json={}).json()}
    failed, late = automations["critics: nightly failed"], automations["critics: nightly not completed by the deadline"]
    nightly = f"prefect.deployment.{served['ids']['nightly']}"
    assert failed["trigger"]["posture"] == "Reactive" and failed["trigger"]["match_related"]["prefect.resource.id"] == nightly
    assert {"prefect.flow-run.Failed", "prefect.flow-run.Crashed"} <= set(failed["trigger"]["expect"])
    # 03:00 start, 06:00 deadline (both Europe/London): a night not Completed within 3 h of starting alerts
    assert late["trigger"]["posture"] == "Proactive" and late["trigger"]["within"] == 3 * 3600
    assert late["trigger"]["expect"] == ["prefect.flow-run.Completed"]
    assert [a["type"] for a in failed["actions"] + late["actions"]] == ["send-notification"] * 2
