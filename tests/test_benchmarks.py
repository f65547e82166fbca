"""Smoke test of the benchmark command: a small quick run writes every figure (no timing is asserted)."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
FIGURES = [
    "pages_per_s_flow", "pages_per_s_plain", "pages_per_s_parallel", "cpu_per_page_ms", "cpu_per_page_parallel_ms",
    "cpu_per_page_flow_ms", "floor_cpu_per_page_ms", "naive_cpu_per_page_ms", "naive_pages_per_s", "incremental_s",
    "incremental_plain_s", "prefect_overhead_share_rerun",
    "prefect_overhead_cpu_share", "prefect_overhead_cpu_share_per_pool", "prefect_server_cpu_s",
    "peak_rss_mb", "peak_rss_parallel_mb", "prefect_overhead_share", "prefect_startup_s",
    *(f"stage_cpu_ms.{s}" for s in ("discover", "fetch", "parse", "clean", "chunk+extract", "load", "publish")),
]


@pytest.fixture(scope="module")
def quick_result(tmp_path_factory) -> dict:
    """One `benchmarks/run.py --pages 200 --quick` run and its JSON result."""
    out = tmp_path_factory.mktemp("bench") / "result.json"
    done = subprocess.run([sys.executable, str(REPO_ROOT / "benchmarks" / "run.py"), "--pages", "200", "--quick",
                           "--json", str(out)], cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return {"json": json.loads(out.read_text()), "stdout": done.stdout}


@pytest.mark.parametrize("name", FIGURES)
def test_quick_run_reports_every_figure_with_a_value(quick_result, name):
    figure = quick_result["json"]["figures"][name]
    assert figure["value"] is not None and figure["value"] >= 0
    assert name in quick_result["stdout"]


def test_quick_run_settles_every_generated_page_alike_with_and_without_prefect_or_pool(quick_result):
    raw = quick_result["json"]["raw"]
    runs = [raw["plain"]["summary"], raw["parallel"]["summary"], raw["flow"]["first"]]
    runs[2] = runs[2]["summary"]
    assert all(run["discovered"] == 200 for run in runs)
    assert runs[0]["loaded"] == runs[1]["loaded"] == runs[2]["loaded"] > 150


def test_quick_rerun_over_the_unchanged_site_loads_nothing(quick_result):
    second = quick_result["json"]["raw"]["flow"]["second"]["summary"]
    assert second["loaded"] == 0 and second["unchanged"] >= 150


def test_quick_run_skips_publish_at_scale(quick_result):
    assert quick_result["json"]["raw"]["publish"] is None
    assert "publish_1m_s" not in quick_result["json"]["figures"]


def _site_module():
    spec = importlib.util.spec_from_file_location("big_site", REPO_ROOT / "benchmarks" / "big_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("pages", [1, 250, 5_001])
def test_generated_site_lists_exactly_the_requested_pages_in_its_sitemaps(pages):
    site = _site_module().BigSite(pages)
    listed = [site.render(f"/sitemaps/reviews-{i}.xml", "http://h")[0].count(b"<loc>") for i in range(2)]
    assert sum(listed) == pages == len(site.page_paths())
    assert site.render(site.page_paths()[-1], "http://h") is not None


def test_generated_copies_review_renamed_films_at_their_own_urls():
    site = _site_module().BigSite(1_000)
    first, copy = site.page_paths()[0], site.page_paths()[len(site.paths)]
    original, renamed = (site.render(p, "http://h")[0].decode() for p in (first, copy))
    assert copy.startswith("/c1/") and f'href="http://h{copy}"' in renamed
    assert original != renamed and site.render(copy, "http://h") == site.render(copy, "http://h")
