"""Pages/s of the nightly flow on the demo site: a two-process Dask LocalCluster against the default runner.

Run: python benchmarks/dask_bench.py [--workers 2] [--batch-size 50]
The Dask time includes starting and stopping the temporary cluster, as a user of `kind = "dask"` would see it.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path


# No telemetry off the machine, and room for a slow embedded-server start on a busy 2-core box.
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


def timed_run(base_url: str, work: Path, runner: str, batch_size: int) -> dict:
    """One nightly run into a fresh database; pages settled per second of wall time."""
    from critics.schemas.config import config_to_toml
    from critics.flows.demo_site import demo_config
    from critics.flows.nightly import nightly
    from critics.flows.runners import with_runner

    config = work / ("dask.toml" if "dask" in runner else "local.toml")
    # top-level keys must precede the first table, so batch_size goes first
    config.write_text(f"batch_size = {batch_size}\n" + config_to_toml(demo_config(base_url)) + "\n[runner]\n" + runner + "\n")
    db = work / config.stem / "critics.duckdb"
    db.parent.mkdir()
    started = time.perf_counter()
    summary = with_runner(nightly, str(config))(config_path=str(config), db=str(db))
    seconds = time.perf_counter() - started
    return {"pages": summary["discovered"], "seconds": round(seconds, 2), "pages_per_s": round(summary["discovered"] / seconds, 1)}


def main() -> None:
    from critics.flows.demo_site import serve_demo

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, serve_demo() as base_url:
        local = timed_run(base_url, Path(tmp), 'kind = "local"', args.batch_size)
        dask = timed_run(base_url, Path(tmp), f'kind = "dask"\nworkers = {args.workers}', args.batch_size)
    print(json.dumps({"local": local, "dask": dask}))
    print(f"pages/s  default runner {local['pages_per_s']}  LocalCluster({args.workers} processes) {dask['pages_per_s']}"
          f"  ratio {dask['pages_per_s'] / local['pages_per_s']:.2f}")


if __name__ == "__main__":  # required: distributed's worker processes are spawned and re-import this module
    main()
