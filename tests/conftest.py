"""Shared fixtures: an isolated Prefect home, and one real crawl of the demo site over loopback."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

# Prefect reads its settings at import: give the test session its own home and embedded server.
_PREFECT_HOME = Path(tempfile.mkdtemp(prefix="critics-test-prefect-"))
atexit.register(shutil.rmtree, _PREFECT_HOME, ignore_errors=True)  # one per pytest process; none left behind
os.environ["PREFECT_HOME"] = str(_PREFECT_HOME)
os.environ.pop("PREFECT_API_URL", None)
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
from critics.flows.serve import server_environment  # noqa: E402 (after the settings above; imports no Prefect)

server_environment()  # the embedded servers run as `critics run` runs them

REPO_ROOT = Path(__file__).resolve().parents[1]
# Under pytest-xdist (README: `-n 2 --dist loadfile --no-loadscope-reorder`), the longest modules go first so the two
# workers finish together (measured with --durations on 2 cores); a module stays on one worker, its fixtures run once.
SLOWEST_FIRST = ("test_cli", "test_dask", "test_operations", "test_faults", "test_benchmarks", "test_eval_verdicts",
                 "test_install", "test_serve", "test_bad_inputs", "test_real_pages", "test_incremental",
                 "test_e2e_demo", "test_parallel")
# These run `critics run` on the built-in demo, whose site wants the fixed port 8599 (run-twice needs it both times).
DEMO_PORT_MODULES = {"test_cli", "test_install"}
SHARED = REPO_ROOT.parent / "shared"
REALDATA = SHARED / "realdata"


def pytest_collection_modifyitems(config, items):
    """On an xdist worker: the slowest modules first (a stable sort: each module keeps its own order)."""
    if "PYTEST_XDIST_WORKER" in os.environ:
        rank = {name: i for i, name in enumerate(SLOWEST_FIRST)}
        items.sort(key=lambda item: rank.get(item.path.stem, len(rank)))


@pytest.fixture(autouse=True)
def _demo_port_turn(request, tmp_path_factory):
    """Under xdist, tests that serve the demo on its fixed port take turns across workers (a file lock)."""
    if "PYTEST_XDIST_WORKER" not in os.environ or request.path.stem not in DEMO_PORT_MODULES:
        yield
        return
    import fcntl

    with open(tmp_path_factory.getbasetemp().parent / "demo-port.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


@dataclass
class DemoRun:
    """A finished crawl of a private copy of the demo site."""

    db: Path
    base_url: str
    site_dir: Path
    truth: dict
    summary: dict
    config_path: Path


def write_demo_config(base_url: str, path: Path) -> Path:
    """The built-in demo config for base_url, as a TOML file."""
    from critics.schemas.config import config_to_toml
    from critics.flows.demo_site import demo_config

    path.write_text(config_to_toml(demo_config(base_url)), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def demo_site_copy(tmp_path_factory) -> Path:
    """A private copy of the demo site that tests may serve (never edit the committed one)."""
    target = tmp_path_factory.mktemp("demo") / "site"
    shutil.copytree(REPO_ROOT / "data" / "demo_site" / "site", target)
    return target


@pytest.fixture(scope="session")
def demo_server(demo_site_copy):
    """The private demo site served on loopback for the whole session (stable URLs across runs)."""
    from critics.flows.demo_site import serve_demo

    with serve_demo(demo_site_copy) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory, demo_site_copy, demo_server) -> DemoRun:
    """Crawl the demo site once over loopback into a fresh DuckDB file through the nightly flow."""
    from critics.flows.demo_site import load_truth
    from critics.flows.nightly import nightly

    work = tmp_path_factory.mktemp("demo-run")
    config_path = write_demo_config(demo_server, work / "demo.toml")
    summary = nightly(config_path=str(config_path), db=str(work / "critics.duckdb"))
    return DemoRun(work / "critics.duckdb", demo_server, demo_site_copy, load_truth(), summary, config_path)
