"""The performance benchmark: every figure of issue 8 with its ratio to a baseline measured in the same run.

    python benchmarks/run.py [--pages N] [--sample N] [--quick] [--json OUT]

Serves a large generated site (benchmarks/big_site.py) on loopback from its own process, then runs, each
in a fresh child process with a fresh database:
  plain     the nightly steps without Prefect, through the flow's own batch loop (tasks/runtime/loop.py), timed
            stage by stage;
  parallel  the same with parse+clean+extract on the process pool (tasks/runtime/pool.py);
  flow      the real Prefect flow (critics.flows.nightly.nightly), then again over the unchanged site;
and in this process the baselines: trafilatura.extract alone (floor), requests + BeautifulSoup +
row-by-row inserts (naive), and publish over 1M synthetic reviews against Polars (benchmarks/polars_baseline.py,
skipped by --quick).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from datetime import datetime, timezone
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))  # the sibling modules, also when imported from elsewhere

from big_site import BigSite  # noqa: E402
from polars_baseline import publish_at_scale  # noqa: E402

REPO_ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
STAGES = ("discover", "fetch", "parse", "clean", "chunk+extract", "load", "publish")


# ---------------------------------------------------------------- child processes


def prefect_env(home: Path) -> dict[str, str]:
    """Environment for a child: its own Prefect home and embedded server, no analytics."""
    from critics.flows.serve import SERVER_SETTINGS

    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_LOGGING_LEVEL="WARNING",
               PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180", **SERVER_SETTINGS)  # as `critics run` sets
    return env


class StageClock:
    """CPU (process_time, all threads) and wall seconds accumulated per stage.

    exclusive: stages wait for each other (the fetch-ahead thread's fetch included), so each stage's process CPU is
    its own; the serial run is timed so, stage by stage. The pool run is not: there the overlap is what it measures."""

    def __init__(self, exclusive: bool = False):
        self.cpu: dict[str, float] = {}
        self.wall: dict[str, float] = {}
        self.turn = threading.Lock() if exclusive else None

    @contextmanager
    def __call__(self, stage: str):
        with self.turn or nullcontext():
            cpu, wall = time.process_time(), time.perf_counter()
            yield
            self.cpu[stage] = self.cpu.get(stage, 0.0) + time.process_time() - cpu
            self.wall[stage] = self.wall.get(stage, 0.0) + time.perf_counter() - wall


def plain_crawl(config, db: str, workers: int = 0) -> tuple[dict, StageClock]:
    """plain_steps with the work file held open for the run, as the flows hold it."""
    from critics.tasks.warehouse import load
    with load.held_open(db):
        return plain_steps(config, db, workers)


def plain_steps(config, db: str, workers: int = 0) -> tuple[dict, StageClock]:
    """critics.flows.nightly.crawl without Prefect: each task's plain function (Task.fn), and the flow's own batch
    loop (critics.tasks.runtime.loop.run_batches) given plain functions instead of tasks.

    workers 0: parse, clean and extract in this process, timed stage by stage; else on the process pool, with
    `workers + 1` batches in flight as the flow keeps them (flows.runners.in_flight)."""
    from critics.flows import steps
    from critics.flows.nightly import make_fetcher, new_run_id
    from critics.tasks.runtime.batch import Batch
    from critics.tasks.runtime.loop import run_batches

    clock = StageClock(exclusive=not workers)
    with clock("discover"):
        run_id = steps.begin_run.fn(db, new_run_id("nightly"), "nightly")
        if workers:
            steps.start_workers(config)
        fetcher = make_fetcher(config)
        frontier = steps.discover_targets.fn(config, fetcher, None)
        steps.record_discovery.fn(db, run_id, frontier)
        frontier = steps.skip_unchanged.fn(db, run_id, frontier, config)

    def fetch(targets: list) -> Batch:
        with clock("fetch"):
            return steps.fetch_pages.fn(db, Batch(targets), fetcher, 4)

    def load(batch: Batch) -> None:
        with clock("load"):
            steps.load_batch.fn(db, run_id, batch)

    process, collect, in_flight = cpu_steps(config, workers, clock)
    run_batches(frontier.targets, batch_size=config.batch_size, in_flight=in_flight, fetch=fetch,
                process=process, collect=collect, load=load)
    fetcher.close()
    with clock("publish"):
        summary = plain_publish(db, config, run_id)
    return summary, clock


def cpu_steps(config, workers: int, clock: StageClock):
    """run_batches' process and collect, and batches in flight: the pool's (as the flow's process task uses it),
    or with no workers the steps of batch.parse_clean_extract one by one in this process, each timed."""
    from critics.flows.runners import in_flight
    from critics.tasks.runtime import pool
    from critics.tasks.runtime.batch import clean_batch, extract_batch, parse_batch

    if workers:
        def collect(futures, batch):
            with clock("wait for pool"):
                return pool.collect_work(futures, batch)
        runner = type(config.runner)(workers=workers)
        return (lambda work: pool.submit_work(work, config, workers)), collect, in_flight(runner)

    def process(work):
        with clock("parse"):
            work = parse_batch(work)
        with clock("clean"):
            work = clean_batch(work)
        with clock("chunk+extract"):
            return extract_batch(work, config)
    return process, (lambda done, batch: done), 0


def plain_publish(db: str, config, run_id: str) -> dict:
    """The publish task's work without its Prefect UI artifacts (those count as Prefect machinery)."""
    from critics.tasks.warehouse import load, publish
    with load.open_work(db) as con:
        summary = load.finish_run(con, run_id)
        publish.build_marts(con, config)
        publish.snapshot(con, Path(db), run_id)
    return summary


def child_plain(config_path: str, db: str, workers: int) -> dict:
    """One run of the plain steps; stage CPU and wall, peak RSS."""
    import critics.flows.nightly  # noqa: F401 (imports Prefect before the clock starts, as a long-lived process would)
    from critics.schemas.config import load_config
    from critics.tasks.runtime import pool as parallel
    config = load_config(config_path)
    before, workers_before = _cpu(), _children_cpu()
    start = time.perf_counter()
    summary, clock = plain_crawl(config, db, workers)
    wall = time.perf_counter() - start
    self_cpu = _cpu() - before
    worker_cpu, worker_rss = _children_cpu() - workers_before, _children_rss_mb()  # before the pool stops
    parallel.shutdown()
    result = {"summary": summary, "wall_s": wall, "cpu_s": self_cpu, "worker_cpu_s": worker_cpu,
              "stage_cpu_s": clock.cpu, "stage_wall_s": clock.wall, "peak_rss_mb": _peak_rss_mb(),
              "worker_peak_rss_mb": worker_rss}
    if not workers:  # the unchanged re-run without Prefect, to split its cost between the steps and Prefect
        start = time.perf_counter()
        summary, clock = plain_crawl(config, db)
        result["second"] = {"summary": summary, "wall_s": time.perf_counter() - start, "stage_wall_s": clock.wall,
                            "stage_cpu_s": clock.cpu}
    return result


def child_flow(config_path: str, db: str) -> dict:
    """The real nightly flow on one database: first run, the unchanged re-run, and a re-run asking the server."""
    start = time.perf_counter()
    from prefect import flow

    @flow(name="warm-up")
    def warm_up() -> int:
        return 1

    warm_up()  # starts the embedded Prefect server, which a scheduled deployment already has running
    startup = time.perf_counter() - start
    from critics.flows.nightly import nightly

    runs = []
    # third: sitemap lastmod trust off, so every page costs a conditional GET (a site without honest lastmods)
    for config in (config_path, config_path, ask_every_night(Path(config_path))):
        before, children_before, start = _cpu(), _children_cpu(), time.perf_counter()
        server_before = _children_cpu("server")
        summary = nightly(config_path=str(config), db=db)
        wall = time.perf_counter() - start
        cpu = _cpu() - before
        children = _settled_children_cpu() - children_before
        server = _children_cpu("server") - server_before
        runs.append({"summary": summary, "wall_s": wall, "cpu_s": cpu, "children_cpu_s": children,
                     "server_cpu_s": server, "pool_cpu_s": children - server, "peak_rss_mb": _peak_rss_mb(),
                     "children_rss_mb": _children_rss_mb()})
    return {"prefect_startup_s": startup, "first": runs[0], "second": runs[1], "conditional": runs[2]}


def ask_every_night(config: Path) -> Path:
    """The config with [fetch] trust_lastmod_days = 0."""
    path = config.with_name(config.stem + "-ask.toml")
    path.write_text(config.read_text(encoding="utf-8") + "\n[fetch]\ntrust_lastmod_days = 0\n", encoding="utf-8")
    return path


def _children() -> list[Path]:
    """/proc entries of this process's live descendants (the fork server, its pool workers, the Prefect server)."""
    parent_of = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent_of[stat.parent] = stat.read_text().rsplit(")", 1)[1].split()[1]
        except (OSError, IndexError):
            continue
    found, frontier = [], {str(os.getpid())}
    while frontier:
        level = [proc for proc, parent in parent_of.items() if parent in frontier]
        found += level
        frontier = {proc.name for proc in level}
    return found


def _children_cpu(role: str | None = None) -> float:
    """CPU seconds used so far by descendants: live ones with the children they reaped, and those reaped here.

    `role` "server" counts only the embedded Prefect server, "pool" everything else (fork server, workers)."""
    total = 0
    for proc in _children():
        try:
            if role and (_role(proc) != role):
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        except (OSError, IndexError, ValueError):
            continue
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    return total / os.sysconf("SC_CLK_TCK") + (0.0 if role == "server" else reaped.ru_utime + reaped.ru_stime)


def _role(proc: Path) -> str:
    """"server" for the embedded Prefect server (uvicorn serving prefect.server), else "pool"."""
    return "server" if b"prefect.server" in (proc / "cmdline").read_bytes() else "pool"


def _settled_children_cpu(quiet_s: float = 0.05, longest_s: float = 30.0) -> float:
    """Descendants' CPU once they have gone quiet: the Prefect server records task runs after the flow returns."""
    deadline, last = time.monotonic() + longest_s, _children_cpu()
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = _children_cpu()
        if now - last < quiet_s:
            return now
        last = now
    return last


def _children_rss_mb() -> float:
    """Peak RSS (VmHWM) summed over live descendants, in MB."""
    total = 0
    for proc in _children():
        try:
            total += next(int(line.split()[1]) for line in (proc / "status").read_text().splitlines()
                          if line.startswith("VmHWM"))
        except (OSError, StopIteration, ValueError):
            continue
    return total / 1024


def child_dask(config_path: str, db: str) -> dict:
    """The nightly flow once with the config's Dask runner (a temporary LocalCluster), after the same warm-up."""
    from prefect import flow

    @flow(name="warm-up")
    def warm_up() -> int:
        return 1

    warm_up()
    from critics.flows.nightly import nightly
    from critics.flows.runners import with_runner

    before, start = _cpu(), time.perf_counter()
    summary = with_runner(nightly, config_path)(config_path=config_path, db=db)
    return {"first": {"summary": summary, "wall_s": time.perf_counter() - start, "cpu_s": _cpu() - before}}


def run_child(mode: str, config_path: Path, db: Path, prefect_home: Path, workers: int = 0) -> dict:
    """Run this file in a fresh process in the given mode and return its JSON result."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--config", str(config_path),
           "--db", str(db), "--workers", str(workers)]
    done = subprocess.run(cmd, env=prefect_env(prefect_home), capture_output=True, text=True, cwd=REPO_ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child {mode} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# ---------------------------------------------------------------- baselines in this process


def floor_baseline(bodies: list[bytes]) -> dict:
    """trafilatura.extract alone over the pages: CPU seconds per page."""
    import trafilatura

    trafilatura.extract(bodies[0])  # imports and caches outside the clock
    start = time.process_time()
    for body in bodies:
        trafilatura.extract(body)
    return {"pages": len(bodies), "cpu_per_page_ms": 1000 * (time.process_time() - start) / len(bodies)}


def naive_baseline(urls: list[str], db: Path) -> dict:
    """requests + BeautifulSoup get_text() + one INSERT per row: pages/s and CPU per page."""
    import duckdb
    import requests
    from bs4 import BeautifulSoup

    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE pages (url VARCHAR, text VARCHAR)")
    session = requests.Session()
    cpu, start = time.process_time(), time.perf_counter()
    for url in urls:
        text = BeautifulSoup(session.get(url, timeout=30).content, "html.parser").get_text()
        con.execute("INSERT INTO pages VALUES (?, ?)", [url, text])
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    con.close()
    return {"pages": len(urls), "pages_per_s": len(urls) / wall, "cpu_per_page_ms": 1000 * cpu / len(urls)}


# ---------------------------------------------------------------- figures and the table


def figures(pages: int, plain: dict, parallel: dict, flow: dict, floor: dict, naive: dict, publish: dict | None,
            dask: dict | None = None, repeats: dict | None = None) -> dict:
    """Every figure with its baseline, ratio and target."""
    first, second, conditional = flow["first"], flow["second"], flow["conditional"]
    n = max(1, first["summary"].get("discovered", pages))
    plain_cpu_ms = 1000 * plain["cpu_s"] / n
    par_cpu = parallel["cpu_s"] + parallel["worker_cpu_s"]
    flow_cpu = first["cpu_s"] + first["children_cpu_s"]  # with the pool workers and the embedded Prefect server
    out = {
        "pages_per_s_flow": _fig(n / first["wall_s"], "pages/s", naive["pages_per_s"], "naive", ">= 100"),
        "pages_per_s_plain": _fig(n / plain["wall_s"], "pages/s", naive["pages_per_s"], "naive", ">= 100"),
        "pages_per_s_parallel": _fig(n / parallel["wall_s"], "pages/s", n / plain["wall_s"], "plain serial", ">= 100"),
        "cpu_per_page_ms": _fig(plain_cpu_ms, "ms", floor["cpu_per_page_ms"], "floor", "<= 2x floor"),
        "cpu_per_page_parallel_ms": _fig(1000 * par_cpu / n, "ms", floor["cpu_per_page_ms"], "floor", "<= 2x floor"),
        "cpu_per_page_flow_ms": _fig(1000 * flow_cpu / n, "ms", floor["cpu_per_page_ms"], "floor", "<= 2x floor"),
        "floor_cpu_per_page_ms": _fig(floor["cpu_per_page_ms"], "ms", None, "", ""),
        "naive_cpu_per_page_ms": _fig(naive["cpu_per_page_ms"], "ms", floor["cpu_per_page_ms"], "floor", ""),
        "naive_pages_per_s": _fig(naive["pages_per_s"], "pages/s", None, "", ""),
        "incremental_s": _fig(second["wall_s"], "s", first["wall_s"], "first run", "<= 0.10x"),
        "incremental_conditional_get_s": _fig(conditional["wall_s"], "s", first["wall_s"], "first run", ""),
        "incremental_plain_s": _fig(plain["second"]["wall_s"], "s", plain["wall_s"], "plain first run", "<= 0.10x"),
        "peak_rss_mb": _fig(first["peak_rss_mb"], "MB", 1024, "1 GB", "< 1 GB at 50k"),
        "peak_rss_with_workers_mb": _fig(first["peak_rss_mb"] + first["children_rss_mb"], "MB", 1024, "1 GB", ""),
        "peak_rss_parallel_mb": _fig(parallel["peak_rss_mb"] + parallel["worker_peak_rss_mb"], "MB", 1024, "1 GB", "< 1 GB"),
        # Prefect's share: the flow against the same steps on the same process pool without Prefect, paired runs
        "prefect_overhead_share": _fig(max(0.0, statistics.median(repeats["overhead_wall"]) if repeats else
                                           (first["wall_s"] - parallel["wall_s"]) / first["wall_s"]),
                                       "share", None, "", "< 0.10"),
        "prefect_overhead_cpu_share": _fig(max(0.0, statistics.median(repeats["overhead_cpu"]) if repeats else
                                               (flow_cpu - par_cpu) / flow_cpu), "share", None, "", "< 0.10"),
        "prefect_overhead_cpu_share_per_pool": _fig(max(0.0, statistics.median(repeats["overhead_cpu_per_pool"])
                                                        if repeats else _per_pool_share(parallel, first)),
                                                    "share", None, "", "< 0.10"),
        "prefect_server_cpu_s": _fig(first["server_cpu_s"], "s", flow_cpu, "flow CPU", ""),
        "prefect_overhead_share_rerun": _fig(max(0.0, second["wall_s"] - plain["second"]["wall_s"]) / second["wall_s"],
                                             "share", None, "", ""),
        "prefect_startup_s": _fig(flow["prefect_startup_s"], "s", first["wall_s"], "flow run", ""),
    }
    if dask:  # same site, same flow; only the task runner differs (cluster start and stop included)
        out["pages_per_s_dask"] = _fig(n / dask["first"]["wall_s"], "pages/s", n / first["wall_s"], "default runner", "")
    for stage, cpu in plain["stage_cpu_s"].items():
        out[f"stage_cpu_ms.{stage}"] = _fig(1000 * cpu / n, "ms", floor["cpu_per_page_ms"], "floor", "")
    if publish:
        out["publish_1m_s"] = _fig(publish["build_marts_s"], "s", publish["polars_s"], "polars consensus", "< 2")
        out["snapshot_1m_s"] = _fig(publish["snapshot_s"], "s", publish["build_marts_s"], "build_marts", "")
        out["consensus_sql_1m_s"] = _fig(publish["consensus_sql_s"], "s", publish["polars_s"], "polars consensus",
                                         "< polars")
        out["consensus_polars_1m_s"] = _fig(publish["polars_s"], "s", None, "", "")
        if "polars_e2e_s" in publish:  # read from DuckDB + compute + write back, as a Polars publish step would
            out["consensus_sql_vs_polars_e2e_1m_s"] = _fig(publish["consensus_sql_s"], "s", publish["polars_e2e_s"],
                                                           "polars read+compute+write", "")
    return out


def _per_pool_share(parallel: dict, first: dict) -> float:
    """Prefect's CPU share of one pair, each side's CPU counted per CPU second of its pool (see paired_runs)."""
    plain = (parallel["cpu_s"] + parallel["worker_cpu_s"]) / parallel["worker_cpu_s"]
    flow = (first["cpu_s"] + first["children_cpu_s"]) / first["pool_cpu_s"]
    return (flow - plain) / flow


def _fig(value: float, unit: str, baseline: float | None, against: str, target: str) -> dict:
    ratio = value / baseline if baseline else None
    return {"value": value, "unit": unit, "baseline": baseline, "against": against, "ratio": ratio, "target": target,
            "met": _met(value, ratio, target)}


def _met(value: float, ratio: float | None, target: str) -> bool | None:
    checks = {">= 100": lambda: value >= 100, "<= 2x floor": lambda: ratio <= 2, "<= 0.10x": lambda: ratio <= 0.10,
              "< 0.10": lambda: value < 0.10, "< 2": lambda: value < 2, "< polars": lambda: ratio < 1,
              "< 1 GB": lambda: value < 1024, "< 1 GB at 50k": lambda: value < 1024}
    return checks[target]() if target in checks else None


def table(figs: dict) -> str:
    """The figures as a fixed-width text table."""
    lines = [f"{'figure':32} {'value':>10} {'unit':8} {'ratio':>8}  {'against':18} {'target':16} ok"]
    for name, f in figs.items():
        ratio = f"{f['ratio']:.2f}x" if f["ratio"] is not None else ""
        ok = {True: "yes", False: "NO", None: ""}[f["met"]]
        lines.append(f"{name:32} {f['value']:>10.3f} {f['unit']:8} {ratio:>8}  {f['against']:18} {f['target']:16} {ok}")
    return "\n".join(lines)


def machine() -> dict:
    """What the figures were measured on."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return {"cpu": model, "cores": os.cpu_count(), "memory_gb": round(memory / 2**20, 1),
            "python": platform.python_version(), "load_1m": os.getloadavg()[0]}


# ---------------------------------------------------------------- main


@contextmanager
def serve_site(pages: int):
    """benchmarks/big_site.py in its own process (so it neither shares the GIL nor counts in the RSS)."""
    server = subprocess.Popen([sys.executable, str(BENCH_DIR / "big_site.py"), "--pages", str(pages)],
                              stdout=subprocess.PIPE, text=True)
    try:
        yield server.stdout.readline().strip()
    finally:
        server.terminate()
        server.wait(timeout=10)


def write_config(base_url: str, pages: int, path: Path) -> Path:
    """A one-source, unthrottled config over the big site."""
    truth = json.loads((REPO_ROOT / "data" / "demo_site" / "truth.json").read_text(encoding="utf-8"))
    top = ", ".join(json.dumps(c) for c in truth.get("top_critics", []))
    path.write_text(f"""[[sources]]
name = "Benchmark Site"
start_urls = ["{base_url}/sitemap_index.xml"]
requests_per_second = 0
max_pages = {pages + 10}

[critics]
top = [{top}]
""", encoding="utf-8")
    return path


def dask_config(config: Path, workers: int) -> Path:
    """The same config with a temporary two-process LocalCluster as the task runner."""
    path = config.with_name("bench-dask.toml")
    path.write_text(config.read_text(encoding="utf-8") + f'\n[runner]\nkind = "dask"\nworkers = {max(1, workers)}\n',
                    encoding="utf-8")
    return path


def paired_runs(config: Path, work: Path, home: Path, workers: int, repeat: int, sample_floor) -> tuple[dict, dict, dict]:
    """The plain pool run and the flow, alternating `repeat` times (the floor sampled before each pair).

    This machine's speed drifts by +-20% over minutes (the floor alone: 3.5-4.5 ms/page back to back), so each
    side reports its run of median wall time and Prefect's share is the median of the per-pair shares."""
    parallels, flows = [], []
    for i in range(repeat):
        sample_floor()
        parallels.append(run_child("plain", config, work / f"parallel{i}" / "critics.duckdb", home, workers))
        flows.append(run_child("flow", config, work / f"flow{i}" / "critics.duckdb", home, 0))
    walls = [(p["wall_s"], f["first"]["wall_s"]) for p, f in zip(parallels, flows)]
    cpus = [(p["cpu_s"] + p["worker_cpu_s"], f["first"]["cpu_s"] + f["first"]["children_cpu_s"])
            for p, f in zip(parallels, flows)]
    # Machine drift scales every process's CPU alike; the pool does the same work in both runs of a pair, so total
    # CPU per pool CPU second compares the pair at one machine speed (Prefect runs in the main process and server).
    spread = {"parallel_wall_s": [p for p, _ in walls], "flow_wall_s": [f for _, f in walls],
              "parallel_cpu_s": [p for p, _ in cpus], "flow_cpu_s": [f for _, f in cpus],
              "flow_server_cpu_s": [f["first"]["server_cpu_s"] for f in flows],
              "overhead_wall": [(f - p) / f for p, f in walls], "overhead_cpu": [(f - p) / f for p, f in cpus],
              "overhead_cpu_per_pool": [_per_pool_share(p, f["first"]) for p, f in zip(parallels, flows)]}
    parallel = sorted(parallels, key=lambda r: r["wall_s"])[len(parallels) // 2]
    flow = sorted(flows, key=lambda r: r["first"]["wall_s"])[len(flows) // 2]
    return parallel, flow, spread


def benchmark(pages: int, sample: int, quick: bool, workers: int, with_dask: bool = False, repeat: int = 1) -> dict:
    """Run every measurement and return the result document."""
    with tempfile.TemporaryDirectory(prefix="critics-bench-") as tmp, serve_site(pages) as base_url:
        work = Path(tmp)
        config = write_config(base_url, pages, work / "bench.toml")
        home = work / "prefect"
        timings = {"started_at": datetime.now(timezone.utc).isoformat()}
        site = BigSite(pages)
        paths = site.page_paths()[::max(1, pages // sample)][:sample]
        bodies = [site.render(p, base_url)[0] for p in paths]
        floors = [floor_baseline(bodies)]
        if quick:  # a smoke run: the figures need not be clean, only present, so the three runs overlap
            runs = [("plain", work / "plain", 0), ("plain", work / "parallel", workers), ("flow", work / "flow", 0)]
            with ThreadPoolExecutor(3) as pool:
                plain, parallel, flow = pool.map(lambda r: run_child(r[0], config, r[1] / "critics.duckdb", home, r[2]),
                                                 runs)
            repeats = {}
        else:
            plain = run_child("plain", config, work / "plain" / "critics.duckdb", home, 0)
            parallel, flow, repeats = paired_runs(config, work, home, workers, repeat,
                                                  lambda: floors.append(floor_baseline(bodies)))
        floor = {"pages": len(bodies), "samples_ms": [f["cpu_per_page_ms"] for f in floors],
                 "cpu_per_page_ms": statistics.median(f["cpu_per_page_ms"] for f in floors)}
        naive = naive_baseline([base_url + p for p in paths], work / "naive.duckdb")
        publish = None if quick else publish_at_scale(work)
        dask = run_child("dask", dask_config(config, workers), work / "dask" / "critics.duckdb", home) if with_dask else None
    figs = figures(pages, plain, parallel, flow, floor, naive, publish, dask, repeats)
    return {"pages": pages, "sample": len(paths), "quick": quick, "workers": workers, "machine": machine(),
            **timings, "figures": figs, "raw": {"plain": plain, "parallel": parallel, "flow": flow, "floor": floor,
                                                 "naive": naive, "publish": publish, "dask": dask, "repeats": repeats}}


def main(argv: list[str] | None = None) -> int:
    """Parse arguments; run the benchmark (or, with --child, one measured run) and print the table."""
    args = argparse.ArgumentParser(description="critics performance benchmark")
    args.add_argument("--pages", type=int, default=5_000, help="pages in the generated site (max 50,000)")
    args.add_argument("--sample", type=int, default=1_000, help="pages for the floor and naive baselines")
    args.add_argument("--workers", type=int, default=2, help="process-pool size for the parallel run")
    args.add_argument("--quick", action="store_true", help="skip publish over 1M synthetic reviews")
    args.add_argument("--json", type=Path, help="result file (default benchmarks/results/bench-<time>.json)")
    args.add_argument("--dask", action="store_true", help="also run the flow on a LocalCluster (needs .[dask])")
    args.add_argument("--repeat", type=int, default=1, help="alternate the pool run and the flow this many times")
    args.add_argument("--child", choices=["plain", "flow", "dask"], help=argparse.SUPPRESS)
    args.add_argument("--config", help=argparse.SUPPRESS)
    args.add_argument("--db", help=argparse.SUPPRESS)
    opts = args.parse_args(argv)
    if opts.child:
        Path(opts.db).parent.mkdir(parents=True, exist_ok=True)
        children = {"flow": lambda: child_flow(opts.config, opts.db), "dask": lambda: child_dask(opts.config, opts.db),
                    "plain": lambda: child_plain(opts.config, opts.db, opts.workers)}
        result = children[opts.child]()
        print(json.dumps(result, default=str))
        return 0
    pages = max(1, min(opts.pages, 50_000))
    result = benchmark(pages, min(opts.sample, pages), opts.quick, opts.workers, opts.dask, max(1, opts.repeat))
    out = opts.json or RESULTS_DIR / f"bench-{pages}-{datetime.now():%Y%m%dT%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    m = result["machine"]
    print(f"critics benchmark: {pages} pages (baselines on {result['sample']}), {m['cores']} cores {m['cpu']}, "
          f"{m['memory_gb']} GB")
    print(table(result["figures"]))
    spread = result["raw"].get("repeats") or {}
    if len(spread.get("flow_wall_s", [])) > 1:  # the table shows each side's median run
        print("paired runs, wall s: pool " + ", ".join(f"{w:.1f}" for w in spread["parallel_wall_s"])
              + "; flow " + ", ".join(f"{w:.1f}" for w in spread["flow_wall_s"]))
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
