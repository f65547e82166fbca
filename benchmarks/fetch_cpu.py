"""CPU per GET: the urllib3 transport against the requests transport it replaced, and the WARC archive's cost per page.

    python benchmarks/fetch_cpu.py [--rounds 5] [--pages 200]

The demo site is served by a separate process (its CPU is not counted); this process fetches the same pages
sequentially with each arm, in alternating order per round (this machine's speed drifts), and reports the median
per-GET CPU (process_time: all of this process's threads) and the per-round paired ratios.

Arms: `requests` = Fetcher and ScopedAdapter as of BASELINE_COMMIT (read from git history), `urllib3` = today's
Fetcher, `urllib3+warc` = today's Fetcher writing every exchange to a WARC archive, `requests+gzip` = the old
transport plus the old content-addressed archive (one gzip per body).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BASELINE_COMMIT = "64baeb8"  # the last commit fetching through requests (tasks/acquire/fetch.py, scope.py, archive.py)
SERVER = """
import sys, time
from critics.flows.demo_site import serve_demo
with serve_demo() as url:
    print(url, flush=True)
    sys.stdin.read()
"""


def old_module(name: str, path: str, replace: dict[str, str] | None = None) -> types.ModuleType:
    """A module of the baseline commit, loaded from git history."""
    source = subprocess.run(["git", "-C", str(REPO), "show", f"{BASELINE_COMMIT}:{path}"], capture_output=True,
                            text=True, check=True).stdout
    for old, new in (replace or {}).items():
        source = source.replace(old, new)
    module = types.ModuleType(name)
    sys.modules[name] = module
    exec(compile(source, f"{BASELINE_COMMIT}:{path}", "exec"), module.__dict__)  # noqa: S102 - our own history
    return module


def arms(host: str, warc_dir: Path, gzip_dir: Path) -> dict:
    """name -> a function fetching one URL the way that arm does."""
    from critics.schemas.config import FetchSettings
    from critics.tasks.acquire.archive import WarcArchive
    from critics.tasks.acquire.fetch import Fetcher

    old_scope = old_module("old_scope", "tasks/acquire/scope.py")
    old_fetch = old_module("old_fetch", "tasks/acquire/fetch.py",
                           {"from critics.tasks.acquire.scope import": "from old_scope import"})
    old_archive = old_module("old_archive", "tasks/acquire/archive.py")
    settings = FetchSettings()
    old, new = old_fetch.Fetcher(settings, {host: 0}), Fetcher(settings, {host: 0})
    warc = Fetcher(settings, {host: 0}, archive=WarcArchive(warc_dir))
    old_gzip = old_fetch.Fetcher(settings, {host: 0})

    def old_then_store(url: str):
        result = old_gzip.get(url)
        old_archive.store(gzip_dir, result.body)
        return result

    return {"requests": old.get, "urllib3": new.get, "urllib3+warc": warc.get, "requests+gzip": old_then_store}


def cpu_per_get(fetch, urls: list[str]) -> float:
    """Milliseconds of this process's CPU per GET over the URLs."""
    started = time.process_time()
    for url in urls:
        result = fetch(url)
        assert result.outcome == "ok", (url, result.reason)
    return (time.process_time() - started) * 1000 / len(urls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        base = server.stdout.readline().strip()
        site = REPO / "data" / "demo_site" / "site"
        paths = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "private" not in p.parts)
        urls = [f"{base}/{p}" for p in (paths * (args.pages // len(paths) + 1))[: args.pages]]
        with tempfile.TemporaryDirectory() as tmp:
            report(measure(arms(base.split("//")[1], Path(tmp) / "warc", Path(tmp) / "raw"), urls, args.rounds),
                   len(urls), Path(tmp) / "warc")
    finally:
        server.stdin.close()
        server.wait(timeout=10)


def measure(fetchers: dict, urls: list[str], rounds: int) -> dict[str, list[float]]:
    """Per arm, the per-GET CPU of each round; arms alternate order round by round."""
    for fetch in fetchers.values():  # warm: robots.txt, connections, imports
        cpu_per_get(fetch, urls[:20])
    names, times = list(fetchers), {name: [] for name in fetchers}
    for round_index in range(rounds):
        for name in names if round_index % 2 == 0 else names[::-1]:
            times[name].append(cpu_per_get(fetchers[name], urls))
    return times


def report(times: dict[str, list[float]], pages: int, warc_dir: Path) -> None:
    def paired(a: str, b: str) -> list[float]:
        return [x / y for x, y in zip(times[a], times[b])]

    def diff(a: str, b: str) -> list[float]:
        return [x - y for x, y in zip(times[a], times[b])]

    print(f"CPU per GET, ms (median of {len(times['requests'])} rounds x {pages} demo pages; min-max):")
    for name, values in times.items():
        print(f"  {name:14s} {statistics.median(values):.3f}  ({min(values):.3f}-{max(values):.3f})")
    ratio = paired("urllib3", "requests")
    print(f"transport ratio urllib3/requests: {statistics.median(ratio):.2f} "
          f"(per-round {min(ratio):.2f}-{max(ratio):.2f})")
    warc, gzip = diff("urllib3+warc", "urllib3"), diff("requests+gzip", "requests")
    print(f"archive cost per page, ms: WARC {statistics.median(warc):.3f} ({min(warc):.3f}-{max(warc):.3f}); "
          f"old one-gzip-per-body {statistics.median(gzip):.3f} ({min(gzip):.3f}-{max(gzip):.3f})")
    whole = paired("urllib3+warc", "requests+gzip")
    print(f"fetch+archive ratio (urllib3+warc)/(requests+gzip): {statistics.median(whole):.2f} "
          f"(per-round {min(whole):.2f}-{max(whole):.2f})")
    size = sum(p.stat().st_size for p in warc_dir.glob("*.warc.gz"))
    print(f"WARC bytes written: {size:,} for {pages * (len(times['requests']) + 1) + 20} exchanges")


if __name__ == "__main__":
    main()
