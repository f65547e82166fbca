"""`critics serve`: a local Prefect server with its UI on 127.0.0.1, and the pipeline's deployments served from it."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from critics.schemas.paths import data_dir
from critics.schemas.config import DEFAULT_DB, Config, ConfigError, load_config

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 4200
LOOPBACK = ("127.0.0.1", "localhost", "::1")
STARTUP_TIMEOUT_S = 180  # first start runs the server's database migrations
# For every Prefect server we start (the embedded one of `critics run` and the one of `critics serve`): the task
# run recorder writes one event per insert by default, ~40 ms of server CPU per task run; in batches of 50 it costs
# a third of that. Task runs still reach the UI within the recorder's flush interval (5 s).
SERVER_SETTINGS = {"PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "50",
                   "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE": "50"}


def server_environment() -> None:
    """SERVER_SETTINGS as defaults of this process's environment (call before importing prefect)."""
    for name, value in SERVER_SETTINGS.items():
        os.environ.setdefault(name, value)


def serve_environment() -> str:
    """Settings for the server and everything it starts; returns the API URL (call before importing prefect)."""
    os.environ.setdefault("PREFECT_HOME", str(data_dir() / "prefect" / "serve"))  # never the embedded home
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    server_environment()
    host = os.environ.get("PREFECT_SERVER_API_HOST", DEFAULT_HOST)
    port = os.environ.get("PREFECT_SERVER_API_PORT", str(DEFAULT_PORT))
    os.environ.setdefault("PREFECT_API_URL", f"http://{host}:{port}/api")
    Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)
    return os.environ["PREFECT_API_URL"]


def serve(config_path: str | None, db: str = str(DEFAULT_DB)) -> int:
    """Start or reuse the server, serve the deployments until Ctrl-C or SIGTERM, then stop what was started."""
    api_url = serve_environment()
    signal.signal(signal.SIGTERM, _interrupt)  # until Prefect's runner installs its own handler
    with ExitStack() as stack:
        stack.enter_context(prefect_server(api_url))
        config_path = config_path or stack.enter_context(demo_config_file())
        config = load_config(config_path)
        print(f"Prefect UI: {api_url.removesuffix('/api')}  (state in {os.environ['PREFECT_HOME']})", flush=True)
        run_deployments(config, str(Path(config_path).resolve()), str(Path(db).resolve()))
    return 0


def run_deployments(config: Config, config_path: str, db: str) -> None:
    """Serve nightly (on the config's cron, in its timezone), scrape, reprocess and publish; blocks."""
    from prefect import serve as prefect_serve

    from critics.flows.alerts import create_alerts, ensure_writer_limit

    served = deployments(config, config_path, db)
    ensure_writer_limit(db)
    nightly_id = served[0].apply()  # registered now so the alerts can name it; serve() updates it in place
    for line in create_alerts(config, nightly_id):
        print(line, flush=True)
    prefect_serve(*served, pause_on_shutdown=False)


def deployments(config: Config, config_path: str, db: str) -> list:
    """The five deployments, each with its config and database filled in as default parameters (catalogue: the
    database; its folder is given per run).

    A second run of a deployment waits in AwaitingConcurrencySlot until the first ends (a second nightly, such
    as a caught-up missed night, is cancelled instead); runs of different deployments on one database take
    turns through the database's global concurrency limit (flows/alerts.py)."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy as Strategy
    from prefect.schedules import Cron

    from critics.flows.catalogue import import_catalogue
    from critics.flows.nightly import nightly, publish_tables, reprocess, scrape

    defaults = {"config_path": config_path, "db": db}
    queue = ConcurrencyLimitConfig(limit=1, collision_strategy=Strategy.ENQUEUE)
    when = f"Schedule: cron `{config.schedule}` in {config.timezone} (times shown in the UI are the viewer's)."
    return [
        nightly.to_deployment("nightly", schedules=[Cron(config.schedule, timezone=config.timezone)],
                              parameters=defaults, description=f"One full night over the configured sources. {when}",
                              concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=Strategy.CANCEL_NEW)),
        scrape.to_deployment("scrape", parameters=defaults, description="Crawl the given URLs, then republish.",
                             concurrency_limit=queue),
        reprocess.to_deployment("reprocess", parameters=defaults, concurrency_limit=queue,
                                description="Re-extract archived pages (changed since a date, or all) without fetching."),
        publish_tables.to_deployment("publish", parameters=defaults, concurrency_limit=queue,
                                     description="Rebuild and republish the public tables."),
        import_catalogue.to_deployment("catalogue", parameters={"db": db}, concurrency_limit=queue,
                                       description="Import IMDb's dataset files from the folder given as parameter; "
                                                   "the next publish links films and credits to them."),
    ]


@contextmanager
def prefect_server(api_url: str):
    """Reuse a server that answers at api_url, else start one on its loopback host and port and stop it after."""
    if is_up(api_url):
        print(f"Reusing the Prefect server at {api_url}", flush=True)
        yield None
        return
    process = start_server(api_url)
    try:
        wait_until_up(api_url, process)
        yield process
    finally:
        stop(process)


def start_server(api_url: str) -> subprocess.Popen:
    """`prefect server start` on api_url's host and port, its log in PREFECT_HOME/server.log."""
    parts = urlsplit(api_url)
    if parts.hostname not in LOOPBACK:
        raise ConfigError(f"PREFECT_API_URL {api_url} is not on loopback and no server answers there; "
                          "unset it to start a local server on 127.0.0.1")
    home = Path(os.environ["PREFECT_HOME"]).expanduser()
    log = open(home / "server.log", "ab")
    command = [_prefect_executable(), "server", "start", "--host", parts.hostname, "--port", str(parts.port or 80)]
    print(f"Starting the Prefect server at {api_url} (log: {home / 'server.log'})", flush=True)
    # Own session: Ctrl-C reaches only us, and we stop the server after the runner has shut down.
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ), start_new_session=True)


def wait_until_up(api_url: str, process: subprocess.Popen, timeout_s: float = STARTUP_TIMEOUT_S) -> None:
    """Poll the health endpoint until the server answers; fail clearly if it exits or times out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Prefect server exited with code {process.returncode}; "
                               f"see {Path(os.environ['PREFECT_HOME']) / 'server.log'}")
        if is_up(api_url):
            return
        time.sleep(0.5)
    raise RuntimeError(f"the Prefect server did not answer at {api_url} within {timeout_s:.0f} s")


def is_up(api_url: str) -> bool:
    """Whether a Prefect API answers its health check at api_url."""
    try:
        with urllib.request.urlopen(api_url.rstrip("/") + "/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def stop(process: subprocess.Popen) -> None:
    """Terminate the server we started, killing it if it does not exit in time."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def demo_config_file():
    """Serve the built-in demo site while serving, with its config written into the state folder."""
    from critics.flows.demo_site import running_demo

    return running_demo(Path(os.environ["PREFECT_HOME"]).expanduser())


def _prefect_executable() -> str:
    beside = Path(sys.executable).with_name("prefect")
    return str(beside) if beside.exists() else (shutil.which("prefect") or "prefect")


def _interrupt(signum, frame):
    raise KeyboardInterrupt
