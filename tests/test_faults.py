"""Faults: SIGKILL in fetch, load and publish; the site going down mid-crawl; the disk filling while loading."""
from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from critics.schemas.config import config_to_toml
from critics.flows.demo_site import _handler, demo_config
from critics.tasks.warehouse.load import work_path
from critics.tasks.runtime.runlock import check_unlocked, lock_path

REPO_ROOT = Path(__file__).resolve().parents[1]
FAST_FETCH = "\n[fetch]\nretries = 2\nbackoff_s = 0.05\n"  # failing pages settle in a fraction of a second
pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def prefect_api() -> str:
    """The session's embedded Prefect server, shared with every subprocess run (saves its start-up per run)."""
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the same instance the in-process flows use
    server.start()
    return server.api_url


def write_config(base_url: str, path: Path) -> Path:
    """The demo config for base_url, with quick retries."""
    path.write_text(config_to_toml(demo_config(base_url)) + FAST_FETCH, encoding="utf-8")
    return path


def run_env(prefect_api: str, pause: str | None = None) -> dict[str, str]:
    env = {**os.environ, "PREFECT_API_URL": prefect_api, "PYTHONUNBUFFERED": "1"}
    env.pop("CRITICS_FAULT_PAUSE", None)
    if pause:
        env["CRITICS_FAULT_PAUSE"] = pause
    return env


def critics(args: list[str], env: dict[str, str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "critics.flows.cli", *args], cwd=REPO_ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def kill_when_paused(proc: subprocess.Popen, step: str, timeout: float = 120) -> None:
    """Wait for the run's 'paused in <step>' marker on stderr, then SIGKILL it."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True).start()
    marker, seen = f"critics: paused in {step}", []
    try:
        while marker not in (line := lines.get(timeout=timeout)):
            seen.append(line)
    except queue.Empty:
        proc.kill()
        pytest.fail(f"never paused in {step}; stderr: {''.join(seen)[-2000:]}")
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL


def run_to_end(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "critics.flows.cli", *args], cwd=REPO_ROOT, env=env, text=True,
                          capture_output=True, timeout=240)


def published_counts(db: Path) -> dict[str, int]:
    """Row counts of the published file, and the consensus total, checked to be one whole night."""
    with duckdb.connect(str(db), read_only=True) as con:
        reviews, urls = con.execute("SELECT count(*), count(DISTINCT url) FROM reviews").fetchone()
        # A syndicated copy (the same text printed by another outlet) counts once in film_consensus.
        counted = con.execute("SELECT count(*) FROM reviews WHERE syndicated_of IS NULL").fetchone()[0]
        consensus_total = con.execute("SELECT sum(review_count) FROM film_consensus").fetchone()[0]
        films = con.execute("SELECT count(*) FROM films").fetchone()[0]
    assert reviews == urls, "a review is duplicated"
    assert consensus_total == counted, "film_consensus and reviews come from different nights"
    return {"reviews": reviews, "films": films}


def staging_counts(db: Path) -> tuple[int, int, int]:
    """(staging reviews, distinct urls, 'loaded' outcomes recorded) of the working database, replaying its WAL."""
    with duckdb.connect(str(work_path(db))) as con:
        return con.execute("""SELECT (SELECT count(*) FROM staging.reviews), (SELECT count(DISTINCT url) FROM staging.reviews),
                                     (SELECT count(*) FROM raw.url_outcomes WHERE outcome = 'loaded')""").fetchone()


def test_sigkill_in_fetch_then_load_then_publish_and_the_next_run_completes_without_loss_or_duplicates(
        demo_run, prefect_api, tmp_path):
    db, config = tmp_path / "critics.duckdb", write_config(demo_run.base_url, tmp_path / "demo.toml")
    args = ["run", "--config", str(config), "--db", str(db)]
    for step in ("fetch", "load", "publish"):  # each run resumes from the state the previous kill left
        kill_when_paused(critics(args, run_env(prefect_api, pause=step)), step)
        assert not db.exists(), f"killed in {step} before its swap, yet a published file appeared"
        reviews, urls, loaded = staging_counts(db)
        assert reviews == urls == loaded, f"killed in {step}: a batch was half committed (no rollback)"
        assert lock_path(db).exists()
        check_unlocked(db)  # the OS dropped the killed run's flock

    done = run_to_end(args, run_env(prefect_api))
    assert done.returncode == 0, done.stderr[-3000:]
    assert published_counts(db)["reviews"] == len(demo_run.truth["reviews"])
    assert staging_counts(db)[:2] == (len(demo_run.truth["reviews"]),) * 2
    assert not db.with_name(db.name + ".tmp").exists()


@contextmanager
def flaky_site(site_dir: Path, review_paths: set[str], healthy_pages: int):
    """The demo site that answers 503 to every review page after the first healthy_pages (while .down is set)."""
    state = {"served": 0, "down": True, "refused": set()}
    lock = threading.Lock()

    class Flaky(_handler(site_dir)):
        def do_GET(self):  # noqa: N802
            path = self.path.split("?")[0]
            if path in review_paths and state["down"]:
                with lock:
                    state["served"] += 1
                    refuse = state["served"] > healthy_pages
                if refuse:
                    state["refused"].add(path)
                    return self._send(503, b"down for maintenance", "text/plain")
            return super().do_GET()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Flaky)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
        server.server_close()


def test_site_down_mid_crawl_rejects_with_reasons_after_retries_and_next_night_loads_them(
        demo_run, prefect_api, tmp_path, capsys):
    from critics.flows.cli import main

    paths = {"/" + r["path"].lstrip("/") for r in demo_run.truth["reviews"]}
    db = tmp_path / "critics.duckdb"
    with flaky_site(demo_run.site_dir, paths, healthy_pages=60) as (base_url, state):
        config = write_config(base_url, tmp_path / "demo.toml")
        assert main(["run", "--config", str(config), "--db", str(db)]) == 0
        failed = len(state["refused"])
        assert failed >= len(paths) - 60 - 4  # in-flight pages of the last good batch may still get through
        out = capsys.readouterr().out
        assert f"{demo_run.summary['rejected'] + failed} page(s) failed" in out
        with duckdb.connect(str(work_path(db)), read_only=True) as con:
            reasons = con.execute("""SELECT reason, count(*) FROM raw.url_outcomes WHERE outcome = 'rejected' GROUP BY reason""").fetchall()
            attempts = con.execute("""SELECT max(attempt), min(attempt) FROM (SELECT url, max(attempt) AS attempt
                                      FROM raw.fetch_log WHERE http_status = 503 GROUP BY url)""").fetchone()
        assert ("HTTP 503", failed) in reasons
        assert attempts == (3, 3), "every refused page was retried twice before it was rejected"
        assert published_counts(db)["reviews"] == len(paths) - failed

        state["down"] = False  # the next night the site is back
        assert main(["run", "--config", str(config), "--db", str(db)]) == 0
    assert published_counts(db)["reviews"] == len(paths)
    with duckdb.connect(str(db), read_only=True) as con:
        latest = dict(con.execute("SELECT url, outcome FROM url_outcomes").fetchall())
    assert all(latest[base_url + p] == "loaded" for p in state["refused"])


@pytest.fixture
def small_disk(tmp_path):
    """An 8 MB tmpfs (room for the published file and the raw archive, not the working database)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({made.stderr.strip()}); the disk-full case needs one")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def leave_free(mount: Path, free_bytes: int) -> None:
    """Fill the disk with a ballast file until only free_bytes are left."""
    stat = os.statvfs(mount)
    with open(mount / "ballast", "wb") as handle:
        handle.write(b"\0" * max(0, stat.f_bavail * stat.f_frsize - free_bytes))


def test_disk_full_while_loading_fails_clearly_and_keeps_the_published_database(
        demo_run, prefect_api, small_disk, tmp_path):
    db = small_disk / "critics.duckdb"
    shutil.copy(demo_run.db, db)  # last night's published file; the working state is gone
    (tmp_path / "warc").mkdir()
    (small_disk / "warc").symlink_to(tmp_path / "warc")  # the WARC archive fits: the disk fills in the load step
    # 1 MB left: the run's loads (about 2 MB of WAL for the demo's 191 pages) cannot fit
    leave_free(small_disk, 1024 * 1024)
    before = published_counts(db)
    config = write_config(demo_run.base_url, tmp_path / "demo.toml")

    done = run_to_end(["run", "--config", str(config), "--db", str(db)], run_env(prefect_api))

    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if line.startswith("critics: error:")]
    assert len(errors) == 1 and "no space left" in errors[0].lower(), done.stderr[-3000:]
    assert done.stderr.splitlines()[-1] == errors[0]  # Prefect logs the failed task above it; ours is the last word
    assert "load" in done.stderr.split("No space left")[0].rsplit("Task run", 1)[-1], done.stderr[-3000:]
    assert published_counts(db) == before
