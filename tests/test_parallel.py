"""The process pool: results come back in order and a worker's log records reach the parent's loggers."""
from __future__ import annotations

import logging

import pytest

from critics.tasks.runtime import pool as parallel
def warn_in_worker(text: str) -> int:
    logging.getLogger("critics.tasks.text.parse").warning("from a worker: %s", text)
    return 1


def test_a_workers_warning_reaches_the_parents_logger(caplog):
    with caplog.at_level(logging.WARNING, logger="critics.tasks.text.parse"):
        assert parallel.pool(2).submit(warn_in_worker, "page x").result() == 1
        parallel.shutdown()  # stops the relay after it has handed on every queued record
    assert "from a worker: page x" in caplog.text


def test_pages_come_back_in_input_order_with_rejections_named():
    from critics.schemas.config import config_from_dict
    from critics.tasks.runtime.batch import Batch
    from critics.tasks.acquire.discovery import Target
    from critics.tasks.acquire.fetch import FetchResult

    targets = [Target(f"http://x.test/{i}", "X") for i in range(5)]
    body = b"<html><body><p>too short</p></body></html>"
    work = Batch(targets, [(t, FetchResult(t.url, "ok", 200, content_type="text/html", body=body)) for t in targets])
    config = config_from_dict({"sources": [{"name": "X", "start_urls": ["http://x.test/"]}]})
    done = parallel.parse_clean_extract_pooled(work, config, workers=2)
    assert [url for url, _, _, _ in done.outcomes] == [t.url for t in targets]
    assert {(outcome, reason) for _, _, outcome, reason in done.outcomes} == {("rejected", "no review text")}
    parallel.shutdown()


def test_a_batch_shared_among_workers_comes_back_as_one_process_would_make_it():
    from conftest import REPO_ROOT
    from critics.schemas.config import config_from_dict
    from critics.tasks.runtime.batch import Batch, parse_clean_extract
    from critics.tasks.acquire.discovery import Target
    from critics.tasks.acquire.fetch import FetchResult

    files = sorted((REPO_ROOT / "data" / "demo_site" / "site").rglob("*.html"))[:9]
    targets = [Target(f"http://x.test/{i}", "Demo") for i in range(len(files))]
    fetched = [(t, FetchResult(t.url, "ok", 200, content_type="text/html", body=f.read_bytes()))
               for t, f in zip(targets, files)]
    config = config_from_dict({"sources": [{"name": "Demo", "start_urls": ["http://x.test/"]}]})
    alone = parse_clean_extract(Batch(targets, list(fetched)), config)
    shared = parallel.parse_clean_extract_pooled(Batch(targets, list(fetched)), config, workers=2)
    parallel.shutdown()
    assert [r.page.url for r in shared.reviews] == [r.page.url for r in alone.reviews]
    assert [r.text for r in shared.reviews] == [r.text for r in alone.reviews]
    assert shared.outcomes == alone.outcomes and alone.outcomes  # index/about pages are rejected, in order


@pytest.mark.parametrize("reaped", [True, False])  # an unreaped (zombie) parent still answers kill(pid, 0)
def test_workers_and_fork_server_exit_when_their_parent_is_killed(reaped):
    import os
    import signal
    import subprocess
    import sys
    import time

    from conftest import REPO_ROOT

    script = ("from critics.tasks.runtime import pool; p = pool.pool(2); pool.warm_up(2); import os, time; "
              "[p.submit(os.getpid).result() for _ in range(4)]; "
              "from multiprocessing import forkserver; "
              "print(*p._processes, forkserver._forkserver._forkserver_pid, flush=True); time.sleep(60)")
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    assert len(workers) == 3  # two workers and the fork server they come from
    parent.send_signal(signal.SIGKILL)
    if reaped:
        parent.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{pid}") for pid in workers):
        time.sleep(0.2)
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}")]
    parent.wait()
