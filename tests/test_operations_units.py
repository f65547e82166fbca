"""The plain parts of operating it: a run's verdict, the deadline window, parameter checks, the batch loop, and
the load step as one transaction."""
from __future__ import annotations

from datetime import timedelta

import duckdb
import pytest

from critics.flows.alerts import deadline_window, writer_limit_name
from critics.tasks.runtime import artifacts
from critics.tasks.runtime.verdict import is_failure, judge, tally

SUMMARY = {"discovered": 10, "loaded": 6, "unchanged": 1, "rejected": 3, "out_of_scope": 0}


def test_a_source_that_answered_nothing_fails_the_run_naming_it_and_the_cause():
    rows = [("Up Weekly", "loaded", None, 6), ("Up Weekly", "unchanged", "HTTP 304 not modified", 1),
            ("Gone Daily", "rejected", "discovery document: robots.txt unreachable (connection error: "
                                       "NewConnectionError)", 1)]
    verdict = judge("nightly", ["Up Weekly", "Gone Daily"], tally(rows), SUMMARY, 0.5)
    assert verdict.is_failed
    assert verdict.message.startswith("nightly failed: source 'Gone Daily' yielded no page (discovery document: "
                                      "robots.txt unreachable")
    assert "6 loaded" in verdict.message and "\n" not in verdict.message


def test_a_source_whose_discovery_found_nothing_fails_too():
    verdict = judge("nightly", ["Empty"], tally([]), {}, 0.5)
    assert verdict.is_failed and "'Empty' yielded no page (discovery found no review pages)" in verdict.message


@pytest.mark.parametrize("failed, expected", [(4, False), (5, False), (6, True)])
def test_failed_share_over_the_threshold_fails_and_refusals_do_not_count(failed, expected):
    rows = [("S", "loaded", None, 10 - failed), ("S", "rejected", "HTTP 503", failed),
            ("S", "rejected", "robots.txt disallows", 50), ("S", "rejected", "over max_pages (3) for this run", 50)]
    verdict = judge("nightly", ["S"], tally(rows), SUMMARY, 0.5)
    assert verdict.is_failed is expected
    if expected:
        assert f"{failed} of 10 pages failed (60% > max_rejected_share 50%; most in 'S': HTTP 503)" in verdict.message
    else:
        assert verdict.message.startswith("nightly completed: 10 URLs: 6 loaded")


@pytest.mark.parametrize("reason, failure", [
    ("HTTP 503", True), ("timeout", True), ("empty body", True), ("robots.txt unreachable (HTTP 500)", True),
    ("discovery document: connection error: NewConnectionError", True), ("robots.txt disallows", False),
    ("discovery document: robots.txt disallows", False), ("out of scope: off-site", False),
    ("redirect out of scope (off-site host x)", False), ("no review text", False),
    ("over max_pages (3) for this run", False), ("not HTML (image/png)", False)])
def test_failures_are_told_apart_from_deliberate_refusals(reason, failure):
    assert is_failure(reason) is failure


@pytest.mark.parametrize("schedule, deadline, window", [
    ("0 3 * * *", "06:00", timedelta(hours=3)), ("30 23 * * *", "06:00", timedelta(hours=6, minutes=30)),
    ("0 3 * * *", "03:00", timedelta(hours=24)), ("*/15 * * * *", "06:00", None), ("0 3 * * *", "", None)])
def test_the_deadline_alert_waits_from_the_nightly_start_to_the_local_deadline(schedule, deadline, window):
    assert deadline_window(schedule, deadline) == window


def test_each_database_has_its_own_writer_limit(tmp_path):
    assert writer_limit_name(str(tmp_path / "a.duckdb")) != writer_limit_name(str(tmp_path / "b.duckdb"))
    assert writer_limit_name(str(tmp_path / "a.duckdb")) == writer_limit_name(str(tmp_path / "." / "a.duckdb"))


@pytest.mark.parametrize("urls, message", [([], "urls is empty"), (["not a url"], "is not an absolute http(s) URL"),
                                           (["file:///etc/passwd"], "is not an absolute http(s) URL")])
def test_scrape_parameters_are_checked_like_the_cli_arguments(urls, message):
    from critics.flows.nightly import check_urls
    from critics.schemas.config import ConfigError

    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_urls(urls)


def test_table_artifact_cells_are_not_html_escaped_but_stay_inert():
    assert artifacts.table_cell("The Lighthouse Keeper's  Wife & Co") == "The Lighthouse Keeper's Wife & Co"
    assert "<" not in artifacts.table_cell("<script>x</script>")


def test_the_batch_loop_loads_every_batch_in_order_with_plain_functions():
    from critics.tasks.acquire.discovery import Target
    from critics.tasks.runtime.batch import Batch
    from critics.tasks.runtime.loop import run_batches

    loaded: list[list[str]] = []
    targets = [Target(f"http://127.0.0.1/{i}", "S") for i in range(7)]
    run_batches(targets, batch_size=3, in_flight=2, fetch=lambda chunk: Batch(chunk),
                process=lambda work: work, collect=lambda handle, batch: handle,
                load=lambda batch: loaded.append([t.url for t in batch.targets]))
    assert loaded == [[t.url for t in targets[i:i + 3]] for i in (0, 3, 6)]


def test_nested_transactions_join_the_outer_one_so_a_failure_rolls_back_everything():
    from critics.tasks.warehouse.load import transaction

    con = duckdb.connect()
    con.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(RuntimeError):
        with transaction(con):
            with transaction(con):
                con.execute("INSERT INTO t VALUES (1)")
            con.execute("INSERT INTO t VALUES (2)")
            raise RuntimeError("the load fails after its first inner step committed nothing")
    assert con.execute("SELECT count(*) FROM t").fetchone() == (0,)
    with transaction(con):
        with transaction(con):
            con.execute("INSERT INTO t VALUES (3)")
    assert con.execute("SELECT count(*) FROM t").fetchone() == (1,)


def test_the_progress_bar_moves_every_50_pages_and_ends_at_100(monkeypatch):
    import prefect.artifacts

    from critics.flows import steps
    from critics.tasks.runtime.progress import Progress

    pushed: list[float] = []
    monkeypatch.setattr(prefect.artifacts, "update_progress_artifact", lambda _id, percent, description: pushed.append(percent))
    monkeypatch.setattr(steps, "ARTIFACT_EVERY_S", 0.0)
    tracker = steps.Tracker(Progress("nightly", 200), artifact="artifact-id")
    for _ in range(200):
        tracker.page_fetched()
    steps.finish_progress(tracker)
    assert len(pushed) == 5 and pushed[:4] == [12.5, 25.0, 37.5, 50.0] and pushed[-1] == 100.0
